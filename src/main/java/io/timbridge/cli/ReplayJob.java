package io.timbridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbridge.config.TimPreflight;
import io.timbridge.convert.RequestBuilder;
import io.timbridge.convert.Requests;
import io.timbridge.convert.TimCall;
import io.timbridge.importing.DataType;
import io.timbridge.state.DeadLetters;
import io.timbridge.state.DeadLetters.DeadLetter;
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
 * {@code replay [--route=import-c2c-history]}: sends the open dead letters again, after the cause was fixed.
 * An item TIM refused is sent again as stored; a row refused before any call is rebuilt from the stored
 * row with the current configuration (e.g. a mapping or retention that was changed). Items that go
 * through are resolved; the others stay open with the newest reason. Exit code 0 when none of the import's
 * (of the route given) is left open.
 */
public final class ReplayJob implements Job {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public int run(CamelContext context, Map<String, String> options, PrintStream out) throws Exception {
        DeadLetters deadLetters = context.getRegistry().lookupByNameAndType("deadLetters", DeadLetters.class);
        TimClient tim = context.getRegistry().lookupByNameAndType("timClient", TimClient.class);
        List<DeadLetter> open = deadLetters.list(DeadLetters.OPEN, options.get("route"), Integer.MAX_VALUE);
        if (!open.isEmpty()) {
            TimPreflight.check(tim);
        }
        int resolved = 0;
        for (DeadLetter d : open) {
            DataType type = DataType.byRouteId(d.routeId()).orElse(null);
            if (type == null) {
                out.println("skipped " + d.routeId() + "/" + d.itemKey() + ": not an import route");
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
                deadLetters.record(d.routeId(), d.itemKey(), e.apiPath(), e.errorCode(), e.getMessage(), d.payload());
            }
        }
        // Only the dead letters this command replays decide its exit code; the sync's have their own paths.
        String route = options.get("route");
        long left = deadLetters.openCounts().entrySet().stream()
                .filter(e -> DataType.byRouteId(e.getKey()).isPresent() && (route == null || route.equals(e.getKey())))
                .mapToLong(Map.Entry::getValue).sum();
        out.printf("Replayed %d dead letters: %d went through, %d of the import's still open.%n", open.size(), resolved,
                left);
        return left == 0 ? 0 : ImportJob.EXIT_DEAD_LETTERS;
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
