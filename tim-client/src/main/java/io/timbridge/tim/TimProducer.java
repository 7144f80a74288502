package io.timbridge.tim;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.StreamCache;
import org.apache.camel.support.DefaultProducer;

import java.io.InputStream;

/**
 * Calls the endpoint's TIM API with the message body (Map, JsonNode, JSON text or any POJO Jackson can
 * write) and replaces the body with TIM's answer as a {@code Map}, setting the {@link TimConstants} headers.
 * Error answers throw {@link TimException}, so the route's error policy sees the code and its class.
 */
public class TimProducer extends DefaultProducer {
    private TimClient client;

    public TimProducer(TimEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public TimEndpoint getEndpoint() {
        return (TimEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        client = getEndpoint().getComponent().resolveClient();
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        if (body instanceof InputStream || body instanceof StreamCache) {
            body = message.getBody(String.class);
        }
        client.stats().calledFrom(getEndpoint().getApi().path(), exchange.getFromRouteId());
        TimResponse response = client.call(getEndpoint().getApi(), body);
        message.setBody(response.asMap());
        message.setHeader(TimConstants.API, response.api().path());
        message.setHeader(TimConstants.ERROR_CODE, response.errorCode());
        message.setHeader(TimConstants.ACTION_STATUS, response.actionStatus());
        message.setHeader(TimConstants.FAILED_ITEMS, response.failedItems());
    }
}
