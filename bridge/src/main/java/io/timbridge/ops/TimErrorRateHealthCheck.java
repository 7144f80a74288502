package io.timbridge.ops;

import io.timbridge.tim.TimErrors;
import io.timbridge.tim.TimStats;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * DOWN while most of one TIM API's calls fail over the window ({@link TimErrorRate}), naming the API, the
 * share, TIM's most frequent code and what to do; UP again by itself once the window holds no such API.
 * Sampled by the bridge every second, so the window is the same whoever asks and how often.
 */
public final class TimErrorRateHealthCheck extends AbstractHealthCheck {
    private final TimStats stats;
    private final TimErrorRate rate;
    private final LongSupplier clock;

    public TimErrorRateHealthCheck(TimStats stats, TimErrorRate rate, LongSupplier clock) {
        super("timbridge", "tim-errors");
        this.stats = stats;
        this.rate = rate;
        this.clock = clock;
    }

    /** Takes one sample of the client's counters. */
    public void sample() {
        rate.sample(clock.getAsLong(), stats.snapshot());
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        sample();
        rate.worst().ifPresentOrElse(f -> {
            List<String> routes = stats.routesCalling(f.api());
            builder.down()
                    // The command alone: Camel's health JSON escapes a '/' in messages as "\/".
                    .message(String.format("%s%s: %,d of %,d calls failed in the last %d s, mostly %d (%,d): %s",
                            f.api().substring(f.api().lastIndexOf('/') + 1),
                            routes.isEmpty() ? "" : " (route " + String.join(", ", routes) + ")", f.failed(), f.calls(),
                            rate.windowMillis() / 1000, f.topCode(), f.topCount(), TimErrors.hint(f.topCode())))
                    .detail("api", f.api())
                    .detail("routes", String.join(",", routes))
                    .detail("error_code", f.topCode());
        }, builder::up);
    }
}
