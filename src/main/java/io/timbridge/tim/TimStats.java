package io.timbridge.tim;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Counters of one client, per API path, for metrics and the operator: calls sent, answers by error
 * code, frequency-limit answers, failed batch items, transport failures and latency.
 * Everything is cumulative since the client started; read it with {@link #snapshot()}.
 */
public final class TimStats {
    private final Map<String, PerApi> apis = new ConcurrentHashMap<>();

    /** Immutable counters of one API. Latency covers every HTTP exchange, failed or not. */
    public record Snapshot(long calls, long rateLimited, long failedItems, long transportErrors,
                           Map<Integer, Long> errorsByCode, long totalLatencyMillis, long maxLatencyMillis) {
        public double meanLatencyMillis() {
            return calls == 0 ? 0 : (double) totalLatencyMillis / calls;
        }
    }

    private static final class PerApi {
        final LongAdder calls = new LongAdder();
        final LongAdder rateLimited = new LongAdder();
        final LongAdder failedItems = new LongAdder();
        final LongAdder transportErrors = new LongAdder();
        final Map<Integer, LongAdder> errors = new ConcurrentHashMap<>();
        final LongAdder latencyNanos = new LongAdder();
        final LongAccumulator maxLatencyNanos = new LongAccumulator(Math::max, 0);
    }

    private PerApi of(String path) {
        return apis.computeIfAbsent(path, p -> new PerApi());
    }

    void exchange(String path, long latencyNanos) {
        PerApi api = of(path);
        api.calls.increment();
        api.latencyNanos.add(latencyNanos);
        api.maxLatencyNanos.accumulate(latencyNanos);
    }

    void error(String path, int code) {
        PerApi api = of(path);
        api.errors.computeIfAbsent(code, c -> new LongAdder()).increment();
        if (TimErrors.isRateLimited(code)) {
            api.rateLimited.increment();
        }
        if (code == TimErrors.TRANSPORT_ERROR) {
            api.transportErrors.increment();
        }
    }

    void failedItems(String path, int count) {
        of(path).failedItems.add(count);
    }

    /** Counters per API path ({@code service/command}), for the APIs called so far. */
    public Map<String, Snapshot> snapshot() {
        Map<String, Snapshot> out = new TreeMap<>();
        apis.forEach((path, api) -> out.put(path, snapshot(api)));
        return out;
    }

    /** Counters of one API; all zero if it was never called. */
    public Snapshot snapshot(TimApi api) {
        PerApi counters = apis.get(api.path());
        return counters == null ? new Snapshot(0, 0, 0, 0, Map.of(), 0, 0) : snapshot(counters);
    }

    private static Snapshot snapshot(PerApi api) {
        Map<Integer, Long> errors = new TreeMap<>();
        api.errors.forEach((code, n) -> errors.put(code, n.sum()));
        return new Snapshot(api.calls.sum(), api.rateLimited.sum(), api.failedItems.sum(), api.transportErrors.sum(),
                Collections.unmodifiableMap(errors), api.latencyNanos.sum() / 1_000_000, api.maxLatencyNanos.get() / 1_000_000);
    }
}
