package io.timbridge.ops;

import io.timbridge.synctotim.SyncPoller;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;
import java.util.function.LongSupplier;

/**
 * DOWN when a legacy → TIM poller has not completed a poll cycle for {@code missedPolls} times its interval:
 * its route is stopped, or a cycle is stuck (the legacy database failing every read, TIM refusing for longer
 * than the client's back-off budget). New legacy rows then pile up unsent, which the lag alone cannot show.
 */
public final class PollerHealthCheck extends AbstractHealthCheck {
    private final SyncPoller poller;
    private final long staleAfterMillis;
    private final String limit;
    private final LongSupplier clock;

    public PollerHealthCheck(SyncPoller poller, long intervalMillis, int missedPolls, LongSupplier clock) {
        super("timbridge", "poller-" + poller.routeId());
        this.poller = poller;
        this.staleAfterMillis = intervalMillis * missedPolls;
        this.limit = missedPolls + " x " + intervalMillis + " ms";
        this.clock = clock;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        long silentFor = clock.getAsLong() - poller.lastPollMillis();
        builder.detail("last_poll_ms_ago", silentFor);
        if (silentFor > staleAfterMillis) {
            builder.down().message(poller.routeId() + " has completed no poll for " + silentFor + " ms (limit "
                    + limit + "): its route is stopped or a cycle is stuck; check the route and the log");
        } else {
            builder.up();
        }
    }
}
