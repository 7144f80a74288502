package io.timbridge.cli;

import io.timbridge.config.Settings;
import io.timbridge.config.StartRefused;
import io.timbridge.config.TimPreflight;
import io.timbridge.importing.DataType;
import io.timbridge.importing.Keyset;
import io.timbridge.state.DeadLetters;
import io.timbridge.state.IdMap;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimClient;
import io.timbridge.verify.C2cSpill;
import io.timbridge.verify.LegacyPages;
import io.timbridge.verify.ReportWriter;
import io.timbridge.verify.Sample;
import io.timbridge.verify.TimReads;
import io.timbridge.verify.TypeResult;
import io.timbridge.verify.Verifier;
import io.timbridge.verify.VerifyReport;
import org.apache.camel.CamelContext;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code verify [--only=accounts,...] [--sample=N [--seed=S]] [--report-dir=DIR]}: compares each data type on
 * both sides (legacy through the import's SQL and request builders, TIM through its REST read APIs within
 * their limits) and writes a terminal summary, {@code DIR/verify-report.json} and {@code DIR/verify-report.html}.
 * Exit code 0 when both sides match (dead letters are listed, not differences), 4 when they differ, 1 when
 * verify could not run.
 */
public final class VerifyJob implements Job {
    public static final int EXIT_DIFFERENT = 4;
    /** Nothing differs, but some data type could not be compared at all (out of TIM's roaming window). */
    public static final int EXIT_NOT_VERIFIED = 5;

    @Override
    public int run(CamelContext context, Map<String, String> options, PrintStream out) throws Exception {
        Set<DataType> selected = ImportJob.selection(options.get("only"));
        Properties props = Settings.resolved(context, "legacy.import.", "bridge.import.", "bridge.verify.");
        TimClient client = context.getRegistry().lookupByNameAndType("timClient", TimClient.class);
        TimPreflight.check(client);
        DeadLetters deadLetters = context.getRegistry().lookupByNameAndType("deadLetters", DeadLetters.class);
        int maxListed = Integer.parseInt(props.getProperty("bridge.verify.max-listed", "200").trim());
        long windowDays = Long.parseLong(props.getProperty("bridge.verify.roaming-window-days", "7").trim());
        long windowStart = windowDays <= 0 ? 0 : Instant.now().minus(Duration.ofDays(windowDays)).getEpochSecond();
        Path reportDir = Path.of(options.getOrDefault("report-dir",
                props.getProperty("bridge.verify.report-dir", "verify-report")));
        Integer sampleSize = options.containsKey("sample") ? Integer.valueOf(options.get("sample")) : null;
        long seed = options.containsKey("seed") ? Long.parseLong(options.get("seed")) : System.nanoTime() % 1_000_000;

        Map<DataType, Keyset> keysets = new EnumMap<>(DataType.class);
        for (DataType type : DataType.values()) {
            String key = props.getProperty("legacy.import." + type.key() + ".key");
            if (key != null && !key.isBlank()) {
                keysets.put(type, Keyset.parse(key, props.getProperty("legacy.import." + type.key() + ".start", "")));
            }
        }
        LegacyPages legacy = new LegacyPages(context, keysets,
                Integer.parseInt(props.getProperty("bridge.import.page-size", "2000").trim()));
        for (DataType type : selected) {
            try {
                legacy.check(type);
            } catch (IllegalStateException e) {
                throw new StartRefused(e.getMessage(), e);
            }
        }
        TimReads tim = new TimReads(client);
        Path scratch = reportDir.resolve("scratch");
        IdMap idMap = context.getRegistry().lookupByNameAndType("idMap", IdMap.class);
        long syncDelay = Long.parseLong(props.getProperty("bridge.verify.sync-delay-seconds", "300").trim());
        Verifier verifier = new Verifier(legacy, tim, windowStart, () -> new C2cSpill(scratch), idMap, syncDelay);

        VerifyReport report = new VerifyReport(Instant.now().toString(), sampleSize == null ? null : (long) sampleSize,
                sampleSize == null ? null : seed, windowStart);
        long start = System.nanoTime();
        for (DataType type : DataType.values()) {
            if (!selected.contains(type)) {
                continue;
            }
            TypeResult result = new TypeResult(type.key(), maxListed);
            deadLetters.list(DeadLetters.OPEN, type.routeId(), Integer.MAX_VALUE)
                    .forEach(d -> result.knownDeadLetter(d.itemKey(), (d.errorCode() == null ? "" : "TIM error "
                            + d.errorCode() + ": ") + d.reason()));
            Predicate<String> keys = null;
            if (sampleSize != null) {
                Sample sample = new Sample(sampleSize, seed + type.ordinal());
                long[] rows = {0};
                legacy.forEach(type, (page, requests) -> {
                    rows[0] += page.size();
                    page.forEach(row -> sample.offer(Verifier.unitOf(type, row)));
                });
                keys = sample.keys()::contains;
                report.estimate(estimate(type, rows[0], client));
            }
            out.printf("verifying %s ...%n", type.key());
            verifier.verify(type, result, keys);
            report.add(result);
        }
        report.finished((System.nanoTime() - start) / 1e9);

        out.println();
        out.print(ReportWriter.summary(report));
        ReportWriter.writeJson(report, reportDir.resolve("verify-report.json"));
        ReportWriter.writeHtml(report, reportDir.resolve("verify-report.html"));
        out.println("Report: " + reportDir.resolve("verify-report.html").toAbsolutePath()
                + " (and verify-report.json)");
        return !report.matches() ? EXIT_DIFFERENT : report.unverified().isEmpty() ? 0 : EXIT_NOT_VERIFIED;
    }

    /** How long a full pass over {@code rows} legacy rows of {@code type} takes at the read API's budget. */
    static String estimate(DataType type, long rows, TimClient tim) {
        TimApi api = switch (type) {
            case ACCOUNTS -> TimApi.ACCOUNT_CHECK;
            case PROFILES -> TimApi.PORTRAIT_GET;
            case FRIENDS -> TimApi.FRIEND_CHECK;
            case C2C_HISTORY -> TimApi.ADMIN_GETROAMMSG;
            case GROUPS -> TimApi.GET_GROUP_INFO;
            case GROUP_MEMBERS, MEMBER_UNREAD -> TimApi.GET_GROUP_MEMBER_INFO;
            case GROUP_HISTORY -> TimApi.GROUP_MSG_GET_SIMPLE;
        };
        long calls = (rows + tim.batchSize(api) - 1) / tim.batchSize(api);
        int qps = tim.config().limits().qps(api);
        String time = qps <= 0 ? "no limit configured" : ImportJob.format(Duration.ofMillis(calls * 1000 / qps));
        return String.format("%s: a full pass reads %,d legacy rows with at least %,d %s calls at %s/s: %s",
                type.key(), rows, calls, api.command(), qps <= 0 ? "∞" : Integer.toString(qps), time);
    }
}
