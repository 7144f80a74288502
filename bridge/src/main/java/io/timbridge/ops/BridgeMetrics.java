package io.timbridge.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.timbridge.importing.DataType;
import io.timbridge.importing.ImportProgress;
import io.timbridge.synctotim.SyncPoller;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimClient;
import io.timbridge.tim.TimStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The bridge's own meters, bound to the objects that already count (the TIM client's {@link TimStats},
 * {@link ImportProgress}, the {@link SyncPoller}s) and to a {@link StateSnapshot} of the state database that
 * {@link #refreshState} renews; nothing is counted twice. Names as Prometheus shows them are in the README.
 */
public final class BridgeMetrics {
    /** TIM call results: every HTTP exchange is exactly one of these. */
    static final List<String> RESULTS = List.of("ok", "error", "rate_limited", "transport_error");
    private static final Logger LOG = LoggerFactory.getLogger(BridgeMetrics.class);

    private final MeterRegistry registry;
    private final LongSupplier clock;
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private volatile StateSnapshot state;
    private MultiGauge deadLetters;
    private final Set<String> deadLetterRoutes = new TreeSet<>();

    public BridgeMetrics(MeterRegistry registry, LongSupplier clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Calls, results, rate-limit answers and failed items per API, and a latency histogram per API. */
    public void bindTim(TimClient tim) {
        TimStats stats = tim.stats();
        for (TimApi api : TimApi.values()) {
            Tags tags = Tags.of("api", api.command());
            for (String result : RESULTS) {
                FunctionCounter.builder("timbridge.tim.calls", stats, s -> result(s.snapshot(api), result))
                        .description("TIM REST exchanges by result").tags(tags.and("result", result)).register(registry);
            }
            FunctionCounter.builder("timbridge.tim.rate.limited", stats, s -> s.snapshot(api).rateLimited())
                    .description("TIM frequency-limit answers (the client waited and resent)").tags(tags)
                    .register(registry);
            FunctionCounter.builder("timbridge.tim.failed.items", stats, s -> s.snapshot(api).failedItems())
                    .description("Batch items TIM answered as not applied").tags(tags).register(registry);
        }
        // The cumulative counters give a mean only; a histogram needs each exchange.
        stats.onLatency((path, nanos) -> latency.computeIfAbsent(path, p -> Timer.builder("timbridge.tim.call")
                .description("Latency of TIM REST exchanges, failed ones included")
                .tag("api", p.substring(p.lastIndexOf('/') + 1))
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
                        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS));
    }

    static double result(TimStats.Snapshot s, String result) {
        long errors = s.errorsByCode().values().stream().mapToLong(Long::longValue).sum();
        return switch (result) {
            case "ok" -> s.calls() - errors;
            case "rate_limited" -> s.rateLimited();
            case "transport_error" -> s.transportErrors();
            default -> errors - s.rateLimited() - s.transportErrors();
        };
    }

    /** Items per data type and outcome, the legacy total, the route's state, rate and ETA. */
    public void bindImport(ImportProgress progress, TimClient tim) {
        for (DataType type : DataType.values()) {
            Tags tags = Tags.of("type", type.key());
            importCounter(progress, type, tags, "applied", ImportProgress.Snapshot::applied);
            importCounter(progress, type, tags, "dead_letter", ImportProgress.Snapshot::deadLettered);
            importCounter(progress, type, tags, "already_done", ImportProgress.Snapshot::alreadyDone);
            gauge("timbridge.import.items.expected", "Rows the legacy database holds for the type (NaN: not counted)",
                    tags, progress, p -> {
                        long total = p.snapshot(type).total();
                        return total < 0 ? Double.NaN : total;
                    });
            gauge("timbridge.import.state", "0 not started, 1 running, 2 finished", tags, progress, p -> {
                ImportProgress.Snapshot s = p.snapshot(type);
                return s.finished() ? 2 : s.started() ? 1 : 0;
            });
            gauge("timbridge.import.items.per.second", "Items applied or dead-lettered per second since the route started",
                    tags, progress, p -> p.snapshot(type).rate());
            Gauge.builder("timbridge.import.eta", progress,
                            p -> p.snapshot(type).eta(tim.itemsPerSecond(type.api())).toMillis() / 1000.0)
                    .description("Time left at the observed rate or the API's budget, whichever is lower")
                    .baseUnit("seconds").strongReference(true).tags(tags).register(registry);
        }
    }

    private void importCounter(ImportProgress progress, DataType type, Tags tags, String outcome,
            ToDoubleFunction<ImportProgress.Snapshot> value) {
        FunctionCounter.builder("timbridge.import.items", progress, p -> value.applyAsDouble(p.snapshot(type)))
                .description("Import items by outcome (already_done: found in TIM from an earlier run)")
                .tags(tags.and("outcome", outcome)).register(registry);
    }

    /** Per poller its last completed poll and waiting rows; the legacy → TIM lag over all pollers. */
    public void bindPollers(Collection<SyncPoller> pollers) {
        for (SyncPoller poller : pollers) {
            Tags tags = Tags.of("poller", poller.routeId());
            Gauge.builder("timbridge.last.poll.timestamp", poller, p -> p.lastPollMillis() / 1000.0)
                    .description("When the poller last completed a poll cycle (epoch seconds)")
                    .baseUnit("seconds").strongReference(true).tags(tags).register(registry);
            gauge("timbridge.sync.pending.rows", "Legacy rows read and not yet sent, needless or dead-lettered",
                    tags, poller, SyncPoller::pendingCount);
        }
        List<SyncPoller> all = new ArrayList<>(pollers);
        Gauge.builder("timbridge.sync.lag", all, ps -> legacyToTimLagSeconds(ps, clock.getAsLong()))
                .description("Age of the oldest change not yet applied on the other side (0 when caught up)")
                .baseUnit("seconds").strongReference(true).tags("direction", "legacy_to_tim").register(registry);
    }

    /** Now minus the legacy creation time of the oldest row any poller read and has not finished; 0 when none. */
    static double legacyToTimLagSeconds(Collection<SyncPoller> pollers, long now) {
        long oldest = Long.MAX_VALUE;
        for (SyncPoller poller : pollers) {
            OptionalLong since = poller.oldestWaitingCreatedAt();
            if (since.isPresent()) {
                oldest = Math.min(oldest, since.getAsLong());
            }
        }
        return oldest == Long.MAX_VALUE ? 0 : Math.max(0, now - oldest) / 1000.0;
    }

    /** Open dead letters per route, from the state database (see {@link #refreshState}). */
    public void bindDeadLetters() {
        deadLetters = MultiGauge.builder("timbridge.dead.letters")
                .description("Open dead letters per route (replayable)").register(registry);
    }

    /** Inbox depth, the TIM → legacy lag and the latest callback, from the state database. */
    public void bindCallbacks() {
        Gauge.builder("timbridge.callback.inbox.depth", this, m -> m.state == null ? Double.NaN : m.state.inboxDepth())
                .description("Callbacks stored and not yet applied to the legacy database").strongReference(true).register(registry);
        Gauge.builder("timbridge.sync.lag", this, m -> m.state == null ? Double.NaN
                        : m.state.oldestUndrainedAt().stream()
                                .mapToDouble(at -> Math.max(0, clock.getAsLong() - at) / 1000.0).findFirst().orElse(0))
                .description("Age of the oldest change not yet applied on the other side (0 when caught up)")
                .baseUnit("seconds").strongReference(true).tags("direction", "tim_to_legacy").register(registry);
        Gauge.builder("timbridge.last.callback.timestamp", this, m -> m.state == null ? Double.NaN
                        : m.state.lastCallbackAt().stream().mapToDouble(at -> at / 1000.0).findFirst().orElse(Double.NaN))
                .description("When the latest accepted TIM callback arrived (epoch seconds)")
                .baseUnit("seconds").strongReference(true).register(registry);
    }

    /** The state database as last read (null before the first read or when it could not be read). */
    public StateSnapshot state() {
        return state;
    }

    /**
     * Reads the state database once for every state-backed meter. When it cannot be read the meters show NaN
     * (unknown) rather than a stale value; the state-database health check says why.
     */
    public synchronized void refreshState(DataSource stateDataSource, int timeoutSeconds) {
        try {
            StateSnapshot snapshot = StateSnapshot.read(stateDataSource, timeoutSeconds);
            state = snapshot;
            if (deadLetters != null) {
                // A route whose dead letters were all replayed stays, at 0, so its series does not vanish.
                deadLetterRoutes.addAll(snapshot.openDeadLetters().keySet());
                List<MultiGauge.Row<?>> rows = new ArrayList<>();
                for (String route : deadLetterRoutes) {
                    rows.add(MultiGauge.Row.of(Tags.of("route", route),
                            snapshot.openDeadLetters().getOrDefault(route, 0L)));
                }
                deadLetters.register(rows, true);
            }
        } catch (Exception e) {
            state = null;
            if (deadLetters != null) {
                deadLetters.register(deadLetterRoutes.stream()
                        .<MultiGauge.Row<?>>map(route -> MultiGauge.Row.of(Tags.of("route", route), Double.NaN))
                        .toList(), true);
            }
            LOG.debug("State metrics not refreshed: {}", e.toString());
        }
    }

    private <T> void gauge(String name, String description, Tags tags, T target, ToDoubleFunction<T> value) {
        Gauge.builder(name, target, value).description(description).strongReference(true).tags(tags).register(registry);
    }
}
