package io.timbridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbridge.config.TimPreflight;
import io.timbridge.convert.RequestBuilder;
import io.timbridge.convert.Requests;
import io.timbridge.convert.TimCall;
import io.timbridge.importing.DataType;
import io.timbridge.importing.GroupHistoryResume;
import io.timbridge.importing.ImportPages;
import io.timbridge.importing.ImportReplay;
import io.timbridge.importing.ImportResults;
import io.timbridge.state.DeadLetters;
import io.timbridge.state.DeadLetters.DeadLetter;
import io.timbridge.synctotim.C2cMessagesToTim;
import io.timbridge.synctotim.GroupChangesToTim;
import io.timbridge.synctotim.GroupMessagesToTim;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimClient;
import io.timbridge.tim.TimErrors;
import io.timbridge.tim.TimException;
import io.timbridge.tim.TimItemFailure;
import io.timbridge.tim.TimResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code replay [--route=ROUTE] [--list]}: sends the open dead letters again, after the cause was fixed. An import
 * item is re-read from legacy and rebuilt with the current configuration ({@link ImportReplay}), in the import's
 * order, so a fixed group brings its held members and messages with it; a live message or change of the
 * legacy → TIM sync is sent again as stored (TIM's dedup keys make a repeat harmless). Items that go through are
 * resolved; the others stay open with the newest reason. {@code --list} prints them and sends nothing. Exit code
 * 0 when none of the replayed routes' dead letters is left open, else 3.
 */
public final class ReplayJob implements Job {
    /** The legacy → TIM sync routes whose dead letters hold the TIM call they could not make. */
    public static final List<String> SYNC_ROUTES = List.of(C2cMessagesToTim.ROUTE_ID, GroupMessagesToTim.ROUTE_ID,
            GroupChangesToTim.ROUTE_ID);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PROGRESS_EVERY_SECONDS = 10;

    @Override
    public int run(CamelContext context, Map<String, String> options, PrintStream out) throws Exception {
        DeadLetters deadLetters = context.getRegistry().lookupByNameAndType("deadLetters", DeadLetters.class);
        TimClient tim = context.getRegistry().lookupByNameAndType("timClient", TimClient.class);
        String route = options.get("route");
        List<DeadLetter> open = deadLetters.list(DeadLetters.OPEN, route, Integer.MAX_VALUE).stream()
                .filter(d -> replayable(d.routeId())).toList();
        if (Boolean.parseBoolean(options.getOrDefault("list", "false"))) {
            return list(open, out);
        }
        if (!open.isEmpty()) {
            TimPreflight.check(tim);
        }
        ImportReplay replay = importReplay(context, tim, deadLetters);
        AtomicLong stored = new AtomicLong();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleAtFixedRate(() -> out.printf("replayed %,d of %,d dead letters%n",
                replay.settled() + stored.get(), open.size()), PROGRESS_EVERY_SECONDS, PROGRESS_EVERY_SECONDS,
                TimeUnit.SECONDS);
        ImportReplay.Outcome outcome = new ImportReplay.Outcome(0, 0, 0);
        int untouched = 0;
        try {
            // In the import's order: a group replayed first brings its held members, messages and unread counts.
            for (DataType type : DataType.values()) {
                List<DeadLetter> ofType = open.stream().filter(d -> d.routeId().equals(type.routeId())).toList();
                if (!ofType.isEmpty()) {
                    RequestBuilder builder = context.getRegistry().lookupByNameAndType(type.builder(),
                            RequestBuilder.class);
                    outcome = outcome.plus(replay.replay(type, builder, ofType));
                    for (DeadLetter d : ofType) {
                        if (d.legacyPage() == null) {
                            outcome = outcome.plus(resendStored(context, tim, d, deadLetters));
                            stored.incrementAndGet();
                        }
                    }
                }
            }
            for (DeadLetter d : open) {
                if (!SYNC_ROUTES.contains(d.routeId())) {
                    continue;
                }
                if (d.timApi() == null) {
                    // A sync row refused before any call: its legacy row is what needs fixing; nothing to resend.
                    untouched++;
                } else {
                    outcome = outcome.plus(resendStored(context, tim, d, deadLetters));
                }
                stored.incrementAndGet();
            }
        } finally {
            ticker.shutdownNow();
        }
        long left = deadLetters.openCounts().entrySet().stream()
                .filter(e -> replayable(e.getKey()) && (route == null || route.equals(e.getKey())))
                .mapToLong(Map.Entry::getValue).sum();
        out.printf("Replayed %,d dead letters: %,d went through, %,d still refused, %,d skipped (no longer in legacy);"
                        + " %,d still open%s.%n", open.size() - untouched, outcome.wentThrough(), outcome.stillOpen(),
                outcome.skipped(), left, untouched == 0 ? "" : " (" + untouched + " of them sync rows refused before"
                        + " any call: fix those rows in the legacy database; 'replay --list' shows them)");
        return left == 0 ? 0 : ImportJob.EXIT_DEAD_LETTERS;
    }

    private static ImportReplay importReplay(CamelContext context, TimClient tim, DeadLetters deadLetters) {
        ProducerTemplate template = context.createProducerTemplate();
        ImportReplay.PageReader reader = (type, parameters) -> template.requestBody("sql:"
                + context.resolvePropertyPlaceholders("{{legacy.import." + type.key() + ".sql}}")
                + "?dataSource=#legacyDataSource", parameters, List.class);
        int lanes = Integer.parseInt(context.resolvePropertyPlaceholders("{{bridge.import.lanes}}").trim());
        return new ImportReplay(tim, deadLetters, context.getRegistry().lookupByNameAndType("importPages",
                ImportPages.class), reader, context.getRegistry().lookupByNameAndType("groupHistoryResume",
                GroupHistoryResume.class), context.getRegistry().lookupByNameAndType("importResults",
                ImportResults.class), lanes);
    }

    /**
     * A dead letter replayed from what it stored: a sync item's TIM call, or an import item from before its page
     * was recorded (its call, or its row rebuilt with the current configuration).
     */
    private static ImportReplay.Outcome resendStored(CamelContext context, TimClient tim, DeadLetter d,
                                                     DeadLetters deadLetters) throws Exception {
        try {
            List<TimCall> calls = d.timApi() == null
                    ? rebuild(context, DataType.byRouteId(d.routeId()).orElseThrow(), d, deadLetters)
                    : List.of(new TimCall(TimApi.byPath(d.timApi()).orElseThrow(), JSON.readValue(d.payload(),
                            Map.class), List.of(d.itemKey())));
            if (calls == null) {
                return new ImportReplay.Outcome(0, 1, 0);
            }
            boolean ok = true;
            for (TimCall call : calls) {
                ok &= send(tim, call, d, deadLetters);
            }
            if (ok) {
                deadLetters.resolve(d.routeId(), d.itemKey());
                return new ImportReplay.Outcome(1, 0, 0);
            }
        } catch (TimException e) {
            if (e.isFatal()) {
                throw e;
            }
            deadLetters.record(d.routeId(), d.itemKey(), e.apiPath(), e.errorCode(), e.getMessage(), d.payload());
        }
        return new ImportReplay.Outcome(0, 1, 0);
    }

    /** The import's routes and the legacy → TIM sync's; the TIM → legacy side keeps its own (the callback inbox). */
    static boolean replayable(String routeId) {
        return DataType.byRouteId(routeId).isPresent() || SYNC_ROUTES.contains(routeId);
    }

    /** Every open dead letter, one line each (route, item, API, TIM's code, reason), then the counts per route. */
    private static int list(List<DeadLetter> open, PrintStream out) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (DeadLetter d : open) {
            out.printf("%s\t%s\t%s\t%s\t%s%n", d.routeId(), d.itemKey(), d.timApi() == null ? "-" : d.timApi(),
                    d.errorCode() == null ? "-" : d.errorCode(), d.reason().replace('\n', ' '));
            counts.merge(d.routeId(), 1L, Long::sum);
        }
        counts.forEach((r, n) -> out.printf("%-32s %,d open%n", r, n));
        out.printf("%,d dead letters open; 'replay' sends them again.%n", open.size());
        return 0;
    }

    /** Rebuilds the calls of a row refused before TIM; null (and the reason updated) when it is still refused. */
    private static List<TimCall> rebuild(CamelContext context, DataType type, DeadLetter d, DeadLetters deadLetters)
            throws Exception {
        RequestBuilder builder = context.getRegistry().lookupByNameAndType(type.builder(),
                RequestBuilder.class);
        Map<String, Object> row = new LinkedHashMap<>(JSON.readValue(d.payload(), Map.class));
        Requests requests = builder.build(List.of(row));
        if (!requests.refusals().isEmpty()) {
            var r = requests.refusals().get(0);
            deadLetters.record(d.routeId(), d.itemKey(), null, null, r.rule() + ": " + r.reason(), d.payload());
            return null;
        }
        return requests.calls();
    }

    private static boolean send(TimClient tim, TimCall call, DeadLetter d, DeadLetters deadLetters) {
        TimResponse answer = tim.call(call.api(), call.request());
        for (TimItemFailure f : answer.failedItems()) {
            if (f.key() == null || d.itemKey().equals(f.key()) || d.itemKey().endsWith(":" + f.key())
                    || call.api() == TimApi.IMPORT_GROUP_MSG) {
                deadLetters.record(d.routeId(), d.itemKey(), call.api().path(), f.code(),
                        TimErrors.hint(f.code()) + " (" + f.info() + ")", d.payload());
                return false;
            }
        }
        return true;
    }
}
