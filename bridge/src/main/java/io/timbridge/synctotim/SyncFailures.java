package io.timbridge.synctotim;

import org.apache.camel.Exchange;

/**
 * The error policy's entry point ({@code routes/sync/legacy-to-tim/sync-to-tim-errors.camel.yaml}): hands a
 * failed TIM call to the poller of the item it carried.
 */
public final class SyncFailures {

    public void failed(Exchange exchange) {
        SyncItem item = exchange.getProperty(SyncPoller.ITEM, SyncItem.class);
        if (item == null) {
            Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            throw new IllegalStateException("a sync route failed outside a TIM call: " + cause, cause);
        }
        item.poller().failed(exchange);
    }
}
