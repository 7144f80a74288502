package io.timbridge.ops;

import io.timbridge.tim.TimErrors;
import io.timbridge.tim.TimStats;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The share of TIM calls that failed, per API, over a sliding window, from samples of {@link TimStats}'
 * running counters. A route can fail every call while each failure is handled (a dead letter, a held row)
 * and so never counts as a failed exchange; this is what shows it. Frequency-limit answers are left out:
 * the client waits and resends them.
 */
public final class TimErrorRate {
    /** One API's failures in the window: how many of how many calls, and the most frequent code. */
    public record Failing(String api, long failed, long calls, int topCode, long topCount) {
        public double ratio() {
            return calls == 0 ? 0 : (double) failed / calls;
        }
    }

    private record Sample(long atMillis, Map<String, TimStats.Snapshot> counters) {
    }

    private final long windowMillis;
    private final double maxRatio;
    private final long minCalls;
    private final Deque<Sample> samples = new ArrayDeque<>();

    public TimErrorRate(long windowMillis, double maxRatio, long minCalls) {
        this.windowMillis = windowMillis;
        this.maxRatio = maxRatio;
        this.minCalls = minCalls;
    }

    /** Records the counters as they are at {@code nowMillis}; samples older than the window are dropped. */
    public synchronized void sample(long nowMillis, Map<String, TimStats.Snapshot> counters) {
        samples.addLast(new Sample(nowMillis, counters));
        while (samples.size() > 2 && samples.peekFirst().atMillis() < nowMillis - windowMillis) {
            samples.removeFirst();
        }
    }

    /** The API failing most over the window, if one failed at least the ratio of at least the minimum calls. */
    public synchronized Optional<Failing> worst() {
        if (samples.size() < 2) {
            return Optional.empty();
        }
        Map<String, TimStats.Snapshot> first = samples.peekFirst().counters();
        Map<String, TimStats.Snapshot> last = samples.peekLast().counters();
        Optional<Failing> worst = Optional.empty();
        for (Map.Entry<String, TimStats.Snapshot> e : last.entrySet()) {
            TimStats.Snapshot before = first.get(e.getKey());
            Failing f = delta(e.getKey(), before, e.getValue());
            if (f.calls() >= minCalls && f.ratio() >= maxRatio
                    && worst.map(w -> f.ratio() > w.ratio()).orElse(true)) {
                worst = Optional.of(f);
            }
        }
        return worst;
    }

    public long windowMillis() {
        return windowMillis;
    }

    private static Failing delta(String api, TimStats.Snapshot before, TimStats.Snapshot now) {
        Map<Integer, Long> codes = new HashMap<>();
        now.errorsByCode().forEach((code, n) -> {
            long earlier = before == null ? 0 : before.errorsByCode().getOrDefault(code, 0L);
            if (!TimErrors.isRateLimited(code) && n - earlier > 0) {
                codes.put(code, n - earlier);
            }
        });
        long failed = codes.values().stream().mapToLong(Long::longValue).sum();
        long calls = now.calls() - (before == null ? 0 : before.calls());
        Map.Entry<Integer, Long> top = codes.entrySet().stream().max(Comparator.comparingLong(Map.Entry::getValue))
                .orElse(Map.entry(0, 0L));
        return new Failing(api, failed, calls, top.getKey(), top.getValue());
    }
}
