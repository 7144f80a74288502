package io.timbridge.tim;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

class TimRateLimiterTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** One call as the limiter saw it: allowed to start at {@code granted}, counted from {@code ended}. */
    record Call(long granted, long ended) {
    }

    /** Largest number of instants inside any half-open window {@code [t, t + window)}. */
    static int busiestWindow(List<Long> instants, long windowNanos) {
        List<Long> sorted = new ArrayList<>(instants);
        Collections.sort(sorted);
        int busiest = 0;
        int end = 0;
        for (int start = 0; start < sorted.size(); start++) {
            while (end < sorted.size() && sorted.get(end) - sorted.get(start) < windowNanos) {
                end++;
            }
            busiest = Math.max(busiest, end - start);
        }
        return busiest;
    }

    /**
     * Most calls that can reach the server inside one window, whatever the network does: a call can
     * arrive anywhere between its grant and its end, so count calls whose [granted, ended] meets the window.
     * The worst window starts at some call's end.
     */
    static int worstCaseArrivalsInAWindow(List<Call> calls, long windowNanos) {
        int worst = 0;
        for (Call start : calls) {
            long t = start.ended();
            int meeting = (int) calls.stream().filter(c -> c.ended() >= t && c.granted() < t + windowNanos).count();
            worst = Math.max(worst, meeting);
        }
        return worst;
    }

    static List<Call> callConcurrently(TimRateLimiter limiter, int threads, int total, long maxLatencyMillis)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Call>> tasks = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                tasks.add(() -> {
                    TimRateLimiter.Permit permit = limiter.acquire();
                    try (permit) {
                        if (maxLatencyMillis > 0) {
                            // the remote call's latency, during which TIM may receive the request at any moment
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(
                                    ThreadLocalRandom.current().nextLong(maxLatencyMillis + 1)));
                        }
                    }
                    return new Call(permit.grantedAt(), permit.endedAt());
                });
            }
            List<Call> calls = new ArrayList<>();
            for (Future<Call> f : pool.invokeAll(tasks, 30, TimeUnit.SECONDS)) {
                calls.add(f.get());
            }
            return calls;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void manyThreadsNeverGetMoreThanQpsPermitsInAnySlidingSecondYetUseTheWholeBudget() throws Exception {
        int qps = 60;
        TimRateLimiter limiter = new TimRateLimiter(qps, 1000);

        List<Call> calls = callConcurrently(limiter, 24, 3 * qps + 1, 0);

        List<Long> grants = new ArrayList<>(calls.stream().map(Call::granted).toList());
        assertThat(busiestWindow(grants, SECOND)).isEqualTo(qps);
        assertThat(worstCaseArrivalsInAWindow(calls, SECOND)).isLessThanOrEqualTo(qps);
        Collections.sort(grants);
        long spanOfThreeBudgets = grants.get(3 * qps) - grants.get(0);
        assertThat(spanOfThreeBudgets).isBetween(3 * SECOND, 3 * SECOND + TimeUnit.MILLISECONDS.toNanos(300));
    }

    @Test
    void slowCallsCountUntilTheyEndSoLateArrivalsNeverCrowdAWindow() throws Exception {
        int qps = 40;
        TimRateLimiter limiter = new TimRateLimiter(qps, 1000);

        List<Call> calls = callConcurrently(limiter, 16, 2 * qps + 1, 40);

        assertThat(worstCaseArrivalsInAWindow(calls, SECOND)).isLessThanOrEqualTo(qps);
        assertThat(busiestWindow(calls.stream().map(Call::granted).toList(), SECOND)).isLessThanOrEqualTo(qps);
    }

    @Test
    void holdPausesEveryCallerUntilItEnds() throws Exception {
        TimRateLimiter limiter = new TimRateLimiter(1000, 1000);
        long before = System.nanoTime();

        limiter.holdFor(150);
        List<Call> calls = callConcurrently(limiter, 4, 8, 0);

        assertThat(calls).allMatch(c -> c.granted() - before >= TimeUnit.MILLISECONDS.toNanos(150));
    }

    @Test
    void zeroQpsMeansUnlimited() throws Exception {
        TimRateLimiter limiter = new TimRateLimiter(0, 1000);
        long before = System.nanoTime();

        List<Call> calls = callConcurrently(limiter, 8, 5_000, 0);

        assertThat(limiter.isUnlimited()).isTrue();
        assertThat(calls).hasSize(5_000);
        assertThat(System.nanoTime() - before).isLessThan(SECOND);
    }

    @Test
    void windowCheckersCountHalfOpenWindowsAndWholeCallDurations() {
        assertThat(busiestWindow(List.of(0L, 999L, 1000L, 1500L, 1999L), 1000)).isEqualTo(3);
        assertThat(worstCaseArrivalsInAWindow(List.of(new Call(0, 500), new Call(900, 1600), new Call(1400, 1450)), 1000))
                .isEqualTo(3);
        assertThat(worstCaseArrivalsInAWindow(List.of(new Call(0, 100), new Call(1100, 1200)), 1000)).isEqualTo(1);
    }
}
