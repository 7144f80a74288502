package io.timbridge.tim;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Process-wide frequency limit of one TIM API: never more than {@code permits} grants in any sliding
 * window of {@code window}. TIM (and the sandbox) count with a strict sliding window, which a
 * fixed-period limiter such as resilience4j's cannot honour at full rate: its bound over a sliding
 * second is {@code limitForPeriod × (1 s / refreshPeriod + 1)}. This limiter keeps the instants of the
 * last {@code permits} grants in a ring and grants the next one only when the oldest is a full
 * window old, so the bound is exact at any rate and the whole budget stays usable.
 * <p>
 * The window should be a little longer than TIM's second ({@code tim.rate-limit.window-guard-ms}):
 * a request reaches TIM some milliseconds after its grant, and that delay varies.
 * <p>
 * Waiters are served first come, first served. {@link #holdFor} pauses every caller, used when TIM
 * answers that the limit was exceeded anyway.
 */
public final class TimRateLimiter {
    private final int permits;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final long[] grants;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final AtomicLong holdUntil;
    private int next;
    private long granted;

    /**
     * @param permits grants allowed per window; 0 or less means unlimited
     * @param windowMillis length of the sliding window
     */
    public TimRateLimiter(int permits, long windowMillis) {
        this(permits, windowMillis, System::nanoTime);
    }

    TimRateLimiter(int permits, long windowMillis, LongSupplier nanoClock) {
        this.permits = Math.max(permits, 0);
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMillis);
        this.nanoClock = nanoClock;
        this.grants = new long[this.permits];
        this.holdUntil = new AtomicLong(nanoClock.getAsLong());
    }

    public boolean isUnlimited() {
        return permits == 0;
    }

    /** Grants allowed per window; 0 = unlimited. */
    public int permits() {
        return permits;
    }

    /**
     * Waits until one more call fits into the window and counts it.
     *
     * @return the {@link System#nanoTime()} instant at which the call was counted
     */
    public long acquire() throws InterruptedException {
        if (permits == 0) {
            return awaitNanos(() -> holdUntil.get() - nanoClock.getAsLong());
        }
        lock.lockInterruptibly();
        try {
            long now = awaitNanos(() -> {
                long at = nanoClock.getAsLong();
                long untilOldestLeaves = granted >= permits ? grants[next] + windowNanos - at : 0;
                return Math.max(holdUntil.get() - at, untilOldestLeaves);
            });
            grants[next] = now;
            next = (next + 1) % permits;
            granted++;
            return now;
        } finally {
            lock.unlock();
        }
    }

    /** Grants nothing for {@code millis} from now (or longer if a longer hold is already in force). */
    public void holdFor(long millis) {
        long until = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(millis);
        holdUntil.accumulateAndGet(until, (current, wanted) -> wanted - current > 0 ? wanted : current);
    }

    /** Parks until {@code remaining} reports nothing left to wait; returns the instant it did. */
    private long awaitNanos(LongSupplier remaining) throws InterruptedException {
        while (true) {
            long wait = remaining.getAsLong();
            if (wait <= 0) {
                return nanoClock.getAsLong();
            }
            LockSupport.parkNanos(this, wait);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for a TIM rate-limit permit");
            }
        }
    }
}
