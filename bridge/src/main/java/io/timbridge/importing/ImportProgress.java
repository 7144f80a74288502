package io.timbridge.importing;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What each import route has done: items applied in TIM, items refused or failed (dead letters), the
 * total the legacy database holds, and from these a rate and an ETA. The ETA uses the faster of the
 * observed rate and the API's budget, so it is honest both early (no rate yet) and late.
 */
public class ImportProgress {
    private final Map<DataType, Route> routes = new EnumMap<>(DataType.class);
    private final LongSupplier clock;
    private volatile boolean stopRequested;

    public ImportProgress() {
        this(System::currentTimeMillis);
    }

    ImportProgress(LongSupplier clock) {
        this.clock = clock;
        for (DataType type : DataType.values()) {
            routes.put(type, new Route());
        }
    }

    /** Asks the routes to stop before their next TIM call or page (Ctrl+C). */
    public void requestStop() {
        stopRequested = true;
    }

    /** @throws ImportStopped once a stop was requested */
    public void checkNotStopped() {
        if (stopRequested) {
            throw new ImportStopped();
        }
    }

    static final class Route {
        final AtomicLong applied = new AtomicLong();
        final AtomicLong deadLettered = new AtomicLong();
        final AtomicLong alreadyDone = new AtomicLong();
        final AtomicLong calls = new AtomicLong();
        volatile long total = -1;
        volatile boolean started;
        volatile boolean finished;
        volatile long startedAt;
        volatile long finishedAt;
    }

    public record Snapshot(DataType type, long applied, long deadLettered, long alreadyDone, long total, long calls,
                           long elapsedMillis, boolean started, boolean finished) {
        public long processed() {
            return applied + deadLettered + alreadyDone;
        }

        /** Items per second since the route started (this run's items only). */
        public double rate() {
            return elapsedMillis <= 0 ? 0 : (applied + deadLettered) * 1000.0 / elapsedMillis;
        }

        /** Remaining time at {@code budgetPerSecond} items/s or the observed rate, whichever is lower. */
        public Duration eta(double budgetPerSecond) {
            if (total < 0 || finished) {
                return Duration.ZERO;
            }
            double speed = rate() > 0 ? Math.min(rate(), budgetPerSecond) : budgetPerSecond;
            long remaining = Math.max(0, total - processed());
            return speed <= 0 ? Duration.ZERO : Duration.ofMillis((long) (remaining * 1000 / speed));
        }
    }

    /** How many rows the legacy database holds for {@code type}, for the ETA. */
    public void total(DataType type, long total) {
        routes.get(type).total = total;
    }

    public void started(DataType type, long alreadyDone) {
        Route r = routes.get(type);
        r.alreadyDone.set(alreadyDone);
        r.startedAt = clock.getAsLong();
        r.started = true;
        r.finished = false;
    }

    /** Items found already in TIM (from an earlier run) and not sent again. */
    public void skipped(DataType type, long items) {
        routes.get(type).alreadyDone.addAndGet(items);
    }

    public void applied(DataType type, long items) {
        routes.get(type).applied.addAndGet(items);
    }

    public void deadLettered(DataType type, long items) {
        routes.get(type).deadLettered.addAndGet(items);
    }

    public void called(DataType type) {
        routes.get(type).calls.incrementAndGet();
    }

    public void finished(DataType type) {
        Route r = routes.get(type);
        r.finishedAt = clock.getAsLong();
        r.finished = true;
    }

    public Snapshot snapshot(DataType type) {
        Route r = routes.get(type);
        long end = r.finished ? r.finishedAt : clock.getAsLong();
        return new Snapshot(type, r.applied.get(), r.deadLettered.get(), r.alreadyDone.get(), r.total, r.calls.get(),
                r.started ? end - r.startedAt : 0, r.started, r.finished);
    }
}
