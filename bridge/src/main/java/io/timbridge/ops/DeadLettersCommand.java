package io.timbridge.ops;

import com.zaxxer.hikari.HikariDataSource;
import io.timbridge.state.DeadLetters;
import io.timbridge.state.DeadLetters.DeadLetter;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code dead-letters}: what the bridge could not apply, from its state database (the bridge may run or not):
 * a listing filtered by route, TIM's code, reason text and status, with counts per route and code; one dead
 * letter in full with its payload ({@code --show}); or every match as CSV ({@code --csv}). Reads only.
 * <p>Exit code: 0 listed (also when none matched), 1 the state database cannot be read or the id is unknown.
 */
public final class DeadLettersCommand {
    /** Options of the command (the rest of the arguments are settings). */
    public record Options(String route, Integer code, String reason, String status, Long show, Path csv, int limit) {
    }

    private static final int REASON_WIDTH = 110;

    private DeadLettersCommand() {
    }

    public static int run(Options options, Map<String, String> settings, PrintStream out) throws IOException {
        try (DefaultCamelContext context = StatusCommand.propertiesOnly(settings)) {
            String stateUrl = context.resolvePropertyPlaceholders("{{state.datasource.url}}");
            try (HikariDataSource state = StatusCommand.openState(context)) {
                DeadLetters deadLetters = new DeadLetters(state);
                if (options.show() != null) {
                    return show(deadLetters, options.show(), out);
                }
                DeadLetters.Filter filter = new DeadLetters.Filter(options.status(), options.route(), options.code(),
                        options.reason());
                return options.csv() != null ? export(deadLetters, filter, options.csv(), out)
                        : list(deadLetters, filter, options.limit(), out);
            } catch (RuntimeException e) {
                out.println("dead-letters: the state database " + stateUrl + " cannot be read: " + rootMessage(e)
                        + ". Check state.datasource.url (STATE_DB_URL) names the bridge's state; an import or sync"
                        + " creates it.");
                return 1;
            }
        }
    }

    private static int list(DeadLetters deadLetters, DeadLetters.Filter filter, int limit, PrintStream out) {
        Map<String, Long> perRouteAndCode = new TreeMap<>();
        long[] shown = {0};
        out.printf("%8s  %-26s %6s  %-34s %s%n%10s%s%n", "id", "route", "code", "TIM API", "item", "", "reason");
        long matched = deadLetters.scan(filter, d -> {
            perRouteAndCode.merge(String.format("%-26s %6s  %s", d.routeId(), code(d), rule(d)), 1L, Long::sum);
            if (shown[0]++ < limit) {
                out.printf("%8d  %-26s %6s  %-34s %s%n%10s%s%n", d.id(), d.routeId(), code(d),
                        d.timApi() == null ? "(not sent)" : d.timApi(), d.itemKey(), "", shorten(d.reason()));
            }
        });
        String what = (filter.status() == null ? "" : filter.status().toLowerCase() + " ") + "dead letters";
        if (matched == 0) {
            out.println("No " + what + " match.");
            return 0;
        }
        if (matched > limit) {
            out.printf("... %,d more; --limit=N shows more, --csv=FILE writes them all.%n", matched - limit);
        }
        out.printf("%n%,d %s, per route, TIM code and rule:%n", matched, what);
        perRouteAndCode.forEach((k, n) -> out.printf("  %,8d  %s%n", n, k));
        out.println("One in full with its payload: dead-letters --show=ID. After a fix: replay (--route=ROUTE).");
        return 0;
    }

    private static int export(DeadLetters deadLetters, DeadLetters.Filter filter, Path file, PrintStream out) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            try (CSVPrinter csv = CSVFormat.DEFAULT.builder().setHeader("id", "route", "item_key", "status", "tim_api",
                    "error_code", "reason", "attempts", "created_at", "payload").build()
                    .print(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
                long n = deadLetters.scan(filter, d -> {
                    try {
                        csv.printRecord(d.id(), d.routeId(), d.itemKey(), d.status(), d.timApi(), d.errorCode(),
                                d.reason(), d.attempts(), Instant.ofEpochMilli(d.createdAt()), d.payload());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                out.printf("%,d dead letters written to %s.%n", n, file.toAbsolutePath());
            }
            return 0;
        } catch (IOException | UncheckedIOException e) {
            out.println("dead-letters: cannot write " + file.toAbsolutePath() + ": " + rootMessage(e));
            return 1;
        }
    }

    private static int show(DeadLetters deadLetters, long id, PrintStream out) {
        Optional<DeadLetter> found = deadLetters.byId(id);
        if (found.isEmpty()) {
            out.println("dead-letters: no dead letter has id " + id + "; the listing shows the ids.");
            return 1;
        }
        DeadLetter d = found.get();
        out.println("Dead letter " + d.id() + " (" + d.status().toLowerCase() + ")");
        out.println("  route     " + d.routeId());
        out.println("  item      " + d.itemKey());
        out.println("  TIM API   " + (d.timApi() == null ? "- (refused before any call)" : d.timApi()));
        out.println("  TIM code  " + code(d));
        out.println("  reason    " + d.reason());
        out.println("  attempts  " + d.attempts() + ", last " + Instant.ofEpochMilli(d.createdAt()));
        if (d.legacyPage() != null) {
            out.println("  read in   the page after " + d.legacyPage() + " (replay reads the row again from there)");
        }
        out.println("  payload   " + (d.timApi() == null ? "(the legacy row)" : "(the TIM request)"));
        out.println("  " + d.payload());
        return 0;
    }

    private static String code(DeadLetter d) {
        return d.errorCode() == null ? "-" : String.valueOf(d.errorCode());
    }

    /** The refusal rule of a dead letter refused before TIM ("group-profile: ..."), else "". */
    private static String rule(DeadLetter d) {
        int colon = d.reason().indexOf(':');
        return d.timApi() == null && colon > 0 && d.reason().substring(0, colon).matches("[a-z-]+")
                ? d.reason().substring(0, colon) : "";
    }

    private static String shorten(String reason) {
        String one = reason.replace('\n', ' ');
        return one.length() <= REASON_WIDTH ? one : one.substring(0, REASON_WIDTH - 3) + "...";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
