package io.timbridge.tim;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Process-wide frequency limit of one TIM API: TIM never receives more than {@code permits} of its calls
 * in any sliding window of {@code window}.
 * <p>
 * TIM (and the sandbox) count requests as they <em>arrive</em>, in a strict sliding window. Counting
 * grants is not enough: a request may reach TIM well after its grant (a new connection, a busy CPU),
 * and then land in the same window as requests granted a window later. So a permit is held for the
 * whole call and counts from the moment it is closed, when TIM's answer arrives, by which instant TIM
 * has certainly received the request: a
 * new call starts only when fewer than {@code permits} calls are in flight or ended within the last
 * window. Any two calls {@code permits} apart then reach TIM at least a window apart, whatever the delays.
 * The price is the call's latency per permit per window, a few percent of the budget.
 * <p>
 * A fixed-period limiter (resilience4j) cannot give this bound at full rate: it grants up to
 * {@code limitForPeriod × (window / refreshPeriod + 1)} in a sliding window, and counts grants, not arrivals.
 * <p>
 * {@link #holdFor} pauses every caller, used when TIM answers that the limit was exceeded anyway.
 */
public final class TimRateLimiter {
    private final int permits;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition released = lock.newCondition();
    /** End instants of finished calls still inside the window, oldest first. */
    private final ArrayDeque<Long> ended = new ArrayDeque<>();
    private final AtomicLong holdUntil;
    private int inFlight;

    /** One call's share of the budget; close it when the call has ended, successful or not. */
    public final class Permit implements AutoCloseable {
        private final long grantedAt;
        private long endedAt;
        private boolean closed;

        private Permit(long grantedAt) {
            this.grantedAt = grantedAt;
        }

        /** The {@link System#nanoTime()} instant the call was allowed to start. */
        public long grantedAt() {
            return grantedAt;
        }

        /** The instant the call ended and from which it counts; valid once closed. */
        public long endedAt() {
            return endedAt;
        }

        /** Ends the call. Closing again changes nothing. */
        @Override
        public void close() {
            release(this);
        }
    }

    /**
     * @param permits calls allowed per window; 0 or less means unlimited
     * @param windowMillis length of the sliding window
     */
    public TimRateLimiter(int permits, long windowMillis) {
        this(permits, windowMillis, System::nanoTime);
    }

    TimRateLimiter(int permits, long windowMillis, LongSupplier nanoClock) {
        this.permits = Math.max(permits, 0);
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMillis);
        this.nanoClock = nanoClock;
        this.holdUntil = new AtomicLong(nanoClock.getAsLong());
    }

    public boolean isUnlimited() {
        return permits == 0;
    }

    /** Calls allowed per window; 0 = unlimited. */
    public int permits() {
        return permits;
    }

    /** Waits until one more call fits into the window. */
    public Permit acquire() throws InterruptedException {
        if (permits == 0) {
            return new Permit(awaitHold());
        }
        lock.lockInterruptibly();
        try {
            while (true) {
                long now = nanoClock.getAsLong();
                long held = holdUntil.get() - now;
                while (!ended.isEmpty() && now - ended.peekFirst() >= windowNanos) {
                    ended.pollFirst();
                }
                if (held <= 0 && inFlight + ended.size() < permits) {
                    inFlight++;
                    return new Permit(now);
                }
                if (held > 0) {
                    released.awaitNanos(held);
                } else if (ended.isEmpty()) {
                    released.await();
                } else {
                    released.awaitNanos(ended.peekFirst() + windowNanos - now);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void release(Permit permit) {
        if (permits == 0) {
            permit.endedAt = nanoClock.getAsLong();
            return;
        }
        lock.lock();
        try {
            if (!permit.closed) {
                permit.closed = true;
                permit.endedAt = nanoClock.getAsLong();
                inFlight--;
                ended.addLast(permit.endedAt);
                released.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Grants nothing for {@code millis} from now (or longer if a longer hold is already in force). */
    public void holdFor(long millis) {
        long until = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(millis);
        holdUntil.accumulateAndGet(until, (current, wanted) -> wanted - current > 0 ? wanted : current);
    }

    private long awaitHold() throws InterruptedException {
        while (true) {
            long now = nanoClock.getAsLong();
            long held = holdUntil.get() - now;
            if (held <= 0) {
                return now;
            }
            LockSupport.parkNanos(this, held);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for a TIM rate-limit permit");
            }
        }
    }
}
