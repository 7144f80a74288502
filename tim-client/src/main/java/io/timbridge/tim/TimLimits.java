package io.timbridge.tim;

import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * Effective per-API frequency limit and batch size: TIM's defaults from {@link TimApi},
 * overridden by properties {@code <prefix>.<command>.qps} and {@code <prefix>.<command>.batch-size}
 * (e.g. {@code tim.limits.importmsg.qps=150}). A qps of 0 or less means "no limit" (benchmarks).
 */
public final class TimLimits {
    private final Map<TimApi, Integer> qps = new EnumMap<>(TimApi.class);
    private final Map<TimApi, Integer> batch = new EnumMap<>(TimApi.class);

    public TimLimits() {
        for (TimApi api : TimApi.values()) {
            qps.put(api, api.defaultQps());
            batch.put(api, api.maxBatch());
        }
    }

    /** Reads overrides under {@code prefix} from any property source. */
    public static TimLimits from(Properties props, String prefix) {
        TimLimits limits = new TimLimits();
        for (TimApi api : TimApi.values()) {
            String base = prefix + "." + api.command() + ".";
            String q = props.getProperty(base + "qps");
            if (q != null && !q.isBlank()) {
                limits.qps.put(api, Integer.parseInt(q.trim()));
            }
            String b = props.getProperty(base + "batch-size");
            if (b != null && !b.isBlank()) {
                limits.setBatchSize(api, Integer.parseInt(b.trim()));
            }
        }
        return limits;
    }

    public int qps(TimApi api) {
        return qps.get(api);
    }

    public int batchSize(TimApi api) {
        return batch.get(api);
    }

    public TimLimits setQps(TimApi api, int value) {
        qps.put(api, value);
        return this;
    }

    public TimLimits setBatchSize(TimApi api, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("batch size for " + api.path() + " must be at least 1, was " + value);
        }
        batch.put(api, value);
        return this;
    }

    /** Lifts every frequency limit (benchmarks that measure the bridge, not TIM's budget). */
    public TimLimits unlimited() {
        qps.replaceAll((api, v) -> 0);
        return this;
    }
}
