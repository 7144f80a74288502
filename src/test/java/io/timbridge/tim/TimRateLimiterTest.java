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

    /**
     * One call as the limiter saw it: allowed to start at {@code granted}, counted from {@code countsFrom} (its
     * end, or its grant plus the arrival bound), the latest instant its request can reach TIM.
     */
    record Call(long granted, long countsFrom) {
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
     * Most calls that can reach the server inside one window, whatever the network does within the arrival
     * bound: a call can arrive anywhere between its grant and the instant it counts from, so count calls whose
     * [granted, countsFrom] meets the window. The worst window starts at some call's countsFrom.
     */
    static int worstCaseArrivalsInAWindow(List<Call> calls, long windowNanos) {
        int worst = 0;
        for (Call start : calls) {
            long t = start.countsFrom();
            int meeting = (int) calls.stream().filter(c -> c.countsFrom() >= t && c.granted() < t + windowNanos).count();
            worst = Math.max(worst, meeting);
        }
        return worst;
    }

    static List<Call> callConcurrently(TimRateLimiter limiter, int threads, int total, long maxLatencyMillis)
            throws Exception {
        return callConcurrently(limiter, threads, total, 0, maxLatencyMillis);
    }

    /** Each call lasts a random time between the two latencies (ms). */
    static List<Call> callConcurrently(TimRateLimiter limiter, int threads, int total, long minLatencyMillis,
            long maxLatencyMillis) throws Exception {
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
                                    ThreadLocalRandom.current().nextLong(minLatencyMillis, maxLatencyMillis + 1)));
                        }
                    }
                    return new Call(permit.grantedAt(), permit.countsFrom());
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
        TimRateLimiter limiter = new TimRateLimiter(qps, 1000, 30);

        List<Call> calls = callConcurrently(limiter, 24, 3 * qps + 1, 0);

        List<Long> grants = new ArrayList<>(calls.stream().map(Call::granted).toList());
        assertThat(busiestWindow(grants, SECOND)).isEqualTo(qps);
        assertThat(worstCaseArrivalsInAWindow(calls, SECOND)).isLessThanOrEqualTo(qps);
        Collections.sort(grants);
        long spanOfThreeBudgets = grants.get(3 * qps) - grants.get(0);
        assertThat(spanOfThreeBudgets).isBetween(3 * SECOND, 3 * SECOND + TimeUnit.MILLISECONDS.toNanos(300));
    }

    @Test
    void callsSlowerThanTheBoundCountFromGrantPlusBoundSoTheirLatencyCostsNoBudget() throws Exception {
        int qps = 20;
        TimRateLimiter limiter = new TimRateLimiter(qps, 1000, 20);

        List<Call> calls = callConcurrently(limiter, 24, 2 * qps + 1, 200, 200);

        assertThat(worstCaseArrivalsInAWindow(calls, SECOND)).isLessThanOrEqualTo(qps);
        List<Long> grants = new ArrayList<>(calls.stream().map(Call::granted).toList());
        Collections.sort(grants);
        assertThat(calls).allMatch(c -> c.countsFrom() - c.granted() == TimeUnit.MILLISECONDS.toNanos(20));
        // counted from their ends, 200 ms calls would push each next budget 200 ms later
        assertThat(grants.get(2 * qps) - grants.get(0)).isBetween(2 * SECOND, 2 * SECOND + TimeUnit.MILLISECONDS.toNanos(150));
    }

    @Test
    void callsFasterThanTheBoundCountFromTheirEnd() throws Exception {
        int qps = 20;
        TimRateLimiter limiter = new TimRateLimiter(qps, 1000, 10_000);

        List<Call> calls = callConcurrently(limiter, 16, 2 * qps + 1, 40);

        assertThat(worstCaseArrivalsInAWindow(calls, SECOND)).isLessThanOrEqualTo(qps);
        assertThat(calls).allMatch(c -> c.countsFrom() >= c.granted());
        assertThat(busiestWindow(calls.stream().map(Call::granted).toList(), SECOND)).isLessThanOrEqualTo(qps);
    }

    @Test
    void holdPausesEveryCallerUntilItEnds() throws Exception {
        TimRateLimiter limiter = new TimRateLimiter(1000, 1000, 30);
        long before = System.nanoTime();

        limiter.holdFor(150);
        List<Call> calls = callConcurrently(limiter, 4, 8, 0);

        assertThat(calls).allMatch(c -> c.granted() - before >= TimeUnit.MILLISECONDS.toNanos(150));
    }

    @Test
    void zeroQpsMeansUnlimited() throws Exception {
        TimRateLimiter limiter = new TimRateLimiter(0, 1000, 30);
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
