package io.timbridge.tim;

import java.util.ArrayDeque;
import java.util.PriorityQueue;
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
 * grants is not enough: a request may reach TIM after its grant (a busy CPU, the network), and then land
 * in the same window as requests granted a window later. So a permit counts from the latest instant TIM
 * can have received its request: the end of the call, or, for a call still running then, its grant plus
 * the arrival bound (how long a request can take to reach TIM, {@code tim.rate-limit.arrival-bound-ms}).
 * A new call starts only when fewer than {@code permits} calls count inside the last window or have not
 * started counting yet. Any two calls {@code permits} apart then reach TIM at least a window apart,
 * whatever the delays up to the bound: a request delayed longer may draw a frequency-limit answer, which
 * the client backs off from and retries. Counting every call until it ends would hold that with no bound
 * at all, at the price of the call's whole latency per permit per window (an answer takes far longer than
 * the request's way there, so several percent of the budget).
 * <p>
 * A fixed-period limiter (resilience4j) cannot give this bound at full rate: it grants up to
 * {@code limitForPeriod × (window / refreshPeriod + 1)} in a sliding window, and counts grants, not arrivals.
 * <p>
 * {@link #holdFor} pauses every caller, used when TIM answers that the limit was exceeded anyway.
 */
public final class TimRateLimiter {
    private final int permits;
    private final long windowNanos;
    private final long arrivalBoundNanos;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition released = lock.newCondition();
    /** Instants from which calls count, still inside the window. */
    private final PriorityQueue<Long> counting = new PriorityQueue<>();
    /** Calls not counting yet, in grant order (so in order of grant + bound). */
    private final ArrayDeque<Permit> pending = new ArrayDeque<>();
    private final AtomicLong holdUntil;

    /** One call's share of the budget; close it when the call has ended, successful or not. */
    public final class Permit implements AutoCloseable {
        private final long grantedAt;
        private long endedAt;
        private long countsFrom;
        private boolean counted;
        private boolean closed;

        private Permit(long grantedAt) {
            this.grantedAt = grantedAt;
        }

        /** The {@link System#nanoTime()} instant the call was allowed to start. */
        public long grantedAt() {
            return grantedAt;
        }

        /** The instant the call ended; valid once closed. */
        public long endedAt() {
            return endedAt;
        }

        /** The instant from which the call counts against the window: its end, or its grant plus the bound. */
        public long countsFrom() {
            return countsFrom;
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
     * @param arrivalBoundMillis how long after its grant a request can reach TIM at most
     */
    public TimRateLimiter(int permits, long windowMillis, long arrivalBoundMillis) {
        this(permits, windowMillis, arrivalBoundMillis, System::nanoTime);
    }

    TimRateLimiter(int permits, long windowMillis, long arrivalBoundMillis, LongSupplier nanoClock) {
        this.permits = Math.max(permits, 0);
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMillis);
        this.arrivalBoundNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(arrivalBoundMillis, 0));
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
                settle(now);
                if (held <= 0 && pending.size() + counting.size() < permits) {
                    Permit permit = new Permit(now);
                    pending.addLast(permit);
                    return permit;
                }
                if (held > 0) {
                    released.awaitNanos(held);
                    continue;
                }
                long next = Long.MAX_VALUE;
                if (!counting.isEmpty()) {
                    next = counting.peek() + windowNanos - now;
                }
                if (!pending.isEmpty()) {
                    next = Math.min(next, pending.peekFirst().grantedAt + arrivalBoundNanos - now);
                }
                released.awaitNanos(Math.max(next, 1));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Running calls past their bound start counting from it; counts older than a window leave. */
    private void settle(long now) {
        while (!pending.isEmpty() && pending.peekFirst().grantedAt + arrivalBoundNanos <= now) {
            Permit p = pending.pollFirst();
            p.counted = true;
            p.countsFrom = p.grantedAt + arrivalBoundNanos;
            counting.add(p.countsFrom);
        }
        while (!counting.isEmpty() && now - counting.peek() >= windowNanos) {
            counting.poll();
        }
    }

    private void release(Permit permit) {
        if (permits == 0) {
            permit.endedAt = nanoClock.getAsLong();
            permit.countsFrom = permit.endedAt;
            return;
        }
        lock.lock();
        try {
            if (!permit.closed) {
                permit.closed = true;
                permit.endedAt = nanoClock.getAsLong();
                settle(permit.endedAt);
                if (!permit.counted) {
                    pending.remove(permit);
                    permit.counted = true;
                    permit.countsFrom = permit.endedAt;
                    counting.add(permit.countsFrom);
                }
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
