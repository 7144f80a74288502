package io.timbridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbridge.config.TimPreflight;
import io.timbridge.convert.RequestBuilder;
import io.timbridge.convert.Requests;
import io.timbridge.convert.TimCall;
import io.timbridge.importing.DataType;
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

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code replay [--route=ROUTE] [--list]}: sends the open dead letters again, after the cause was fixed. An item
 * TIM refused is sent again as stored, also a live message or change of the legacy → TIM sync (TIM's dedup
 * keys make a repeat harmless); an import row refused before any call is rebuilt from the stored row with the
 * current configuration (e.g. a mapping or retention that was changed). Items that go through are resolved;
 * the others stay open with the newest reason. {@code --list} prints them and sends nothing. Exit code 0 when
 * none of the replayed routes' dead letters is left open, else 3.
 */
public final class ReplayJob implements Job {
    /** The legacy → TIM sync routes whose dead letters hold the TIM call they could not make. */
    public static final List<String> SYNC_ROUTES = List.of(C2cMessagesToTim.ROUTE_ID, GroupMessagesToTim.ROUTE_ID,
            GroupChangesToTim.ROUTE_ID);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PROGRESS_EVERY_NANOS = 10_000_000_000L;

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
        int resolved = 0;
        int untouched = 0;
        long lastReport = System.nanoTime();
        for (int i = 0; i < open.size(); i++) {
            DeadLetter d = open.get(i);
            if (System.nanoTime() - lastReport > PROGRESS_EVERY_NANOS) {
                out.printf("replayed %,d of %,d dead letters: %,d went through%n", i, open.size(), resolved);
                lastReport = System.nanoTime();
            }
            DataType type = DataType.byRouteId(d.routeId()).orElse(null);
            if (d.timApi() == null && type == null) {
                // A sync row refused before any call: its legacy row is what needs fixing; nothing to resend.
                untouched++;
                continue;
            }
            try {
                List<TimCall> calls = d.timApi() == null ? rebuild(context, type, d, deadLetters) : List.of(
                        new TimCall(TimApi.byPath(d.timApi()).orElseThrow(), JSON.readValue(d.payload(), Map.class),
                                List.of(d.itemKey())));
                if (calls == null) {
                    continue;
                }
                boolean ok = true;
                for (TimCall call : calls) {
                    ok &= send(tim, call, d, deadLetters);
                }
                if (ok) {
                    deadLetters.resolve(d.routeId(), d.itemKey());
                    resolved++;
                }
            } catch (TimException e) {
                if (e.isFatal()) {
                    throw e;
                }
                deadLetters.record(d.routeId(), d.itemKey(), e.apiPath(), e.errorCode(), e.getMessage(), d.payload());
            }
        }
        long left = deadLetters.openCounts().entrySet().stream()
                .filter(e -> replayable(e.getKey()) && (route == null || route.equals(e.getKey())))
                .mapToLong(Map.Entry::getValue).sum();
        out.printf("Replayed %,d dead letters: %,d went through, %,d still open%s.%n", open.size() - untouched, resolved,
                left, untouched == 0 ? "" : " (" + untouched + " of them sync rows refused before any call: fix those"
                        + " rows in the legacy database; 'replay --list' shows them)");
        return left == 0 ? 0 : ImportJob.EXIT_DEAD_LETTERS;
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
