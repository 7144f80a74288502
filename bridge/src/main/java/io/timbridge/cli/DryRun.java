package io.timbridge.cli;

import io.timbridge.convert.Refusal;
import io.timbridge.convert.RequestBuilder;
import io.timbridge.convert.Requests;
import io.timbridge.importing.DataType;
import io.timbridge.importing.ImportPages;
import io.timbridge.importing.Keyset;
import io.timbridge.importing.RefusedParents;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code import --dry-run}: reads every row the import would read, with the same SQL and the same request
 * builders, and counts what TIM would refuse, per rule with sample keys, without calling TIM or writing
 * any state; every predicted dead letter is listed in {@code bridge.import.dry-run-report} (CSV). Exit code 0 when
 * nothing would be refused, 3 otherwise.
 */
final class DryRun {
    private static final int SAMPLES = 5;
    private final CamelContext context;

    DryRun(CamelContext context) {
        this.context = context;
    }

    int run(Set<DataType> selected, PrintStream out) throws Exception {
        ImportPages pages = context.getRegistry().lookupByNameAndType("importPages", ImportPages.class);
        long refusedTotal = 0;
        out.printf("%-22s %12s %12s %12s%n", "route", "rows", "calls", "refused");
        List<String> details = new ArrayList<>();
        // Groups TIM will not get: the import holds back their members, messages and unread counts.
        Set<String> refusedGroups = new HashSet<>();
        int windowDays = Integer.parseInt(context.resolvePropertyPlaceholders(
                "{{bridge.verify.roaming-window-days}}").trim());
        long windowStartMs = System.currentTimeMillis() - windowDays * 86_400_000L;
        Path listing = Path.of(context.resolvePropertyPlaceholders("{{bridge.import.dry-run-report}}"));
        if (listing.toAbsolutePath().getParent() != null) {
            Files.createDirectories(listing.toAbsolutePath().getParent());
        }
        try (ProducerTemplate template = context.createProducerTemplate();
             CSVPrinter csv = CSVFormat.DEFAULT.builder().setHeader("route", "item_key", "rule", "reason").build()
                     .print(Files.newBufferedWriter(listing, StandardCharsets.UTF_8))) {
            for (DataType type : DataType.values()) {
                if (!selected.contains(type)) {
                    continue;
                }
                RequestBuilder builder = context.getRegistry().lookupByNameAndType(type.builder(),
                        RequestBuilder.class);
                String sql = context.resolvePropertyPlaceholders("{{legacy.import." + type.key() + ".sql}}");
                String uri = "sql:" + sql + "?dataSource=#legacyDataSource";
                Keyset keyset = pages.keyset(type);
                String position = keyset.startPosition();
                long rows = 0;
                long calls = 0;
                long outsideWindow = 0;
                Map<String, List<String>> refused = new TreeMap<>();
                Map<String, Long> refusedCount = new TreeMap<>();
                while (true) {
                    List<Map<String, Object>> page = template.requestBody(uri,
                            keyset.parameters(position, pages.pageSize()), List.class);
                    if (page.isEmpty()) {
                        break;
                    }
                    rows += page.size();
                    if (windowDays > 0 && (type == DataType.C2C_HISTORY || type == DataType.GROUP_HISTORY)) {
                        outsideWindow += page.stream().filter(row -> createdAt(row) < windowStartMs).count();
                    }
                    Requests requests = RefusedParents.hold(type, builder.build(page), refusedGroups::contains);
                    List<Refusal> refusals = requests.refusals();
                    calls += requests.callCount();
                    if (type == DataType.GROUPS) {
                        requests.refusals().forEach(r -> refusedGroups.add(r.itemKey()));
                    }
                    for (Refusal r : refusals) {
                        csv.printRecord(type.routeId(), r.itemKey(), r.rule(), r.reason());
                        refusedCount.merge(r.rule(), 1L, Long::sum);
                        List<String> samples = refused.computeIfAbsent(r.rule(), k -> new ArrayList<>());
                        if (samples.size() < SAMPLES) {
                            samples.add(r.itemKey() + " (" + r.reason() + ")");
                        }
                    }
                    position = keyset.positionOf(page.get(page.size() - 1));
                    if (page.size() < pages.pageSize()) {
                        break;
                    }
                }
                long refusedHere = refusedCount.values().stream().mapToLong(Long::longValue).sum();
                refusedTotal += refusedHere;
                out.printf("%-22s %,12d %,12d %,12d%n", type.routeId(), rows, calls, refusedHere);
                refusedCount.forEach((rule, n) -> {
                    details.add(String.format("%s: %,d refused by rule '%s', e.g.", type.routeId(), n, rule));
                    refused.get(rule).forEach(sample -> details.add("    " + sample));
                });
                if (outsideWindow > 0) {
                    details.add(String.format("%s: %,d of %,d messages are older than the app's roaming period (%d days,"
                            + " bridge.verify.roaming-window-days): TIM keeps only that period, so it deletes them after"
                            + " the import; bridge.import.history-retention-days=%d leaves them out.", type.routeId(),
                            outsideWindow, rows, windowDays, windowDays));
                }
            }
        }
        details.forEach(out::println);
        out.println(refusedTotal == 0 ? "Dry run: TIM would take every row."
                : "Dry run: " + refusedTotal + " rows would become dead letters; nothing was sent to TIM. Every one is"
                        + " listed in " + listing.toAbsolutePath() + ".");
        return refusedTotal == 0 ? 0 : ImportJob.EXIT_DEAD_LETTERS;
    }

    /** A history row's created_at_ms (the canonical column; drivers differ in its case), or MAX when absent. */
    private static long createdAt(Map<String, Object> row) {
        for (Map.Entry<String, Object> e : row.entrySet()) {
            if (e.getKey().equalsIgnoreCase("created_at_ms") && e.getValue() instanceof Number n) {
                return n.longValue();
            }
        }
        return Long.MAX_VALUE;
    }
}
