package io.timbridge.sandbox;

import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimLimits;

import java.time.Clock;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * TIM's per-API frequency limit as a strict sliding one-second window: a request is refused when
 * {@code qps} requests were already accepted in the preceding 1000 ms. Refused requests do not count.
 */
final class RateLimiter {
    private final Clock clock;
    private final TimLimits limits;
    private final Map<TimApi, long[]> windows = new EnumMap<>(TimApi.class);
    private final Map<TimApi, Integer> next = new EnumMap<>(TimApi.class);
    private volatile boolean enabled;

    RateLimiter(Clock clock, TimLimits limits, boolean enabled) {
        this.clock = clock;
        this.limits = limits;
        this.enabled = enabled;
    }

    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    synchronized void setQps(TimApi api, int qps) {
        limits.setQps(api, qps);
        windows.remove(api);
    }

    synchronized int qps(TimApi api) {
        return limits.qps(api);
    }

    synchronized boolean tryAcquire(TimApi api) {
        int qps = limits.qps(api);
        if (!enabled || qps <= 0) {
            return true;
        }
        long[] ring = windows.computeIfAbsent(api, a -> {
            long[] r = new long[qps];
            Arrays.fill(r, Long.MIN_VALUE);
            return r;
        });
        int i = next.getOrDefault(api, 0);
        long now = clock.millis();
        if (ring[i] != Long.MIN_VALUE && now - ring[i] < 1000) {
            return false;
        }
        ring[i] = now;
        next.put(api, (i + 1) % ring.length);
        return true;
    }

    synchronized void reset() {
        windows.clear();
        next.clear();
    }
}
