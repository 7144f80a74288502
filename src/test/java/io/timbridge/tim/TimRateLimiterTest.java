package io.timbridge.tim;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TimRateLimiterTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** Largest number of instants inside any half-open window {@code [t, t + window)}, t ranging over the instants. */
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

    static List<Long> acquireConcurrently(TimRateLimiter limiter, int threads, int total) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Long>> tasks = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                tasks.add(limiter::acquire);
            }
            List<Long> instants = new ArrayList<>();
            for (Future<Long> f : pool.invokeAll(tasks, 30, TimeUnit.SECONDS)) {
                instants.add(f.get());
            }
            return instants;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void manyThreadsNeverGetMoreThanQpsPermitsInAnySlidingSecondYetUseTheWholeBudget() throws Exception {
        int qps = 60;
        TimRateLimiter limiter = new TimRateLimiter(qps, 1000);

        List<Long> instants = acquireConcurrently(limiter, 24, 3 * qps + 1);

        assertThat(busiestWindow(instants, SECOND)).isEqualTo(qps);
        Collections.sort(instants);
        long first = instants.get(0);
        long spanOfThreeBudgets = instants.get(3 * qps) - first;
        assertThat(spanOfThreeBudgets).isBetween(3 * SECOND, 3 * SECOND + TimeUnit.MILLISECONDS.toNanos(300));
    }

    @Test
    void windowGuardKeepsTheBoundEvenWhenArrivalsLagTheirGrantsByLessThanTheGuard() throws Exception {
        int qps = 40;
        long guardMillis = 30;
        TimRateLimiter limiter = new TimRateLimiter(qps, 1000 + guardMillis);

        List<Long> instants = acquireConcurrently(limiter, 16, 2 * qps + 1);
        List<Long> lagged = new ArrayList<>();
        for (int i = 0; i < instants.size(); i++) {
            // the worst case for a receiver: alternate grants lag by just under the guard
            lagged.add(instants.get(i) + (i % 2 == 0 ? 0 : TimeUnit.MILLISECONDS.toNanos(guardMillis - 1)));
        }

        assertThat(busiestWindow(lagged, SECOND)).isLessThanOrEqualTo(qps);
    }

    @Test
    void holdPausesEveryCallerUntilItEnds() throws Exception {
        TimRateLimiter limiter = new TimRateLimiter(1000, 1000);
        long before = System.nanoTime();

        limiter.holdFor(150);
        List<Long> instants = acquireConcurrently(limiter, 4, 8);

        assertThat(instants).allMatch(t -> t - before >= TimeUnit.MILLISECONDS.toNanos(150));
    }

    @Test
    void zeroQpsMeansUnlimited() throws Exception {
        TimRateLimiter limiter = new TimRateLimiter(0, 1000);
        long before = System.nanoTime();

        List<Long> instants = acquireConcurrently(limiter, 8, 5_000);

        assertThat(limiter.isUnlimited()).isTrue();
        assertThat(instants).hasSize(5_000);
        assertThat(System.nanoTime() - before).isLessThan(SECOND);
    }

    @Test
    void busiestWindowCountsHalfOpenWindows() {
        assertThat(busiestWindow(List.of(0L, 999L, 1000L, 1500L, 1999L), 1000)).isEqualTo(3);
    }
}
