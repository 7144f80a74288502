package io.timbridge.tim;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
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
    private final Map<String, java.util.Set<String>> routesByApi = new ConcurrentHashMap<>();

    /** Notes that route {@code routeId} calls the API, so a failing API can be told by the routes it stops. */
    public void calledFrom(String apiPath, String routeId) {
        if (routeId != null) {
            routesByApi.computeIfAbsent(apiPath, p -> ConcurrentHashMap.newKeySet()).add(routeId);
        }
    }

    /** The routes that have called the API, in name order. */
    public java.util.List<String> routesCalling(String apiPath) {
        return routesByApi.getOrDefault(apiPath, java.util.Set.of()).stream().sorted().toList();
    }
    private volatile LatencyListener latencyListener = (path, nanos) -> { };
    private volatile SignatureRejection lastRejection;
    private volatile long lastSignatureAcceptedMillis;

    /** Told the latency of every HTTP exchange, e.g. to feed a histogram the cumulative counters cannot give. */
    @FunctionalInterface
    public interface LatencyListener {
        void exchanged(String path, long latencyNanos);
    }

    /** TIM's latest answer that refused the admin UserSig: its code, ErrorInfo and when (epoch ms). */
    public record SignatureRejection(String path, int code, String info, long atMillis) {
    }

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
        latencyListener.exchanged(path, latencyNanos);
    }

    /** TIM answered and the answer does not condemn the UserSig: the sig in use is good. */
    void signatureAccepted(long nowMillis) {
        lastSignatureAcceptedMillis = nowMillis;
    }

    void signatureRejected(String path, int code, String info, long nowMillis) {
        lastRejection = new SignatureRejection(path, code, info, nowMillis);
    }

    /**
     * The signature rejection TIM answered last, if no answer has accepted a UserSig since: then every call
     * fails until the operator fixes the key, app id or admin identifier.
     */
    public Optional<SignatureRejection> standingSignatureRejection() {
        SignatureRejection rejection = lastRejection;
        return rejection != null && rejection.atMillis() >= lastSignatureAcceptedMillis
                ? Optional.of(rejection) : Optional.empty();
    }

    public void onLatency(LatencyListener listener) {
        latencyListener = listener;
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
