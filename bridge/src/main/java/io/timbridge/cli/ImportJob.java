package io.timbridge.cli;

import io.timbridge.config.TimPreflight;
import io.timbridge.importing.DataType;
import io.timbridge.importing.ImportPages;
import io.timbridge.importing.ImportProgress;
import io.timbridge.importing.ImportStopped;
import io.timbridge.state.Checkpoints;
import io.timbridge.state.DeadLetters;
import io.timbridge.tim.TimClient;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code import [--only=accounts,friends,...] [--restart] [--dry-run]}: runs the import routes in TIM's
 * order, prints progress while they run and a summary at the end. Exit code 0 when every row is in TIM,
 * 3 when some are dead letters (see {@code replay}).
 */
public final class ImportJob implements Job {
    public static final int EXIT_DEAD_LETTERS = 3;

    @Override
    public int run(CamelContext context, Map<String, String> options, PrintStream out) throws Exception {
        Set<DataType> selected = selection(options.get("only"));
        if (Boolean.parseBoolean(options.getOrDefault("dry-run", "false"))) {
            return new DryRun(context).run(selected, out);
        }
        TimPreflight.check(context.getRegistry().lookupByNameAndType("timClient", TimClient.class));
        ImportPages pages = context.getRegistry().lookupByNameAndType("importPages", ImportPages.class);
        Checkpoints checkpoints = context.getRegistry().lookupByNameAndType("checkpoints", Checkpoints.class);
        if (Boolean.parseBoolean(options.getOrDefault("restart", "false"))) {
            selected.forEach(t -> checkpoints.reset(t.routeId()));
        }
        pages.select(selected);
        ImportProgress progress = context.getRegistry().lookupByNameAndType("importProgress", ImportProgress.class);
        TimClient tim = context.getRegistry().lookupByNameAndType("timClient", TimClient.class);
        ProgressReport report = new ProgressReport(progress, tim);
        countLegacyRows(context, selected, progress);

        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "import-progress");
            t.setDaemon(true);
            return t;
        });
        long every = Long.parseLong(options.getOrDefault("progress-seconds", "10"));
        ticker.scheduleAtFixedRate(() -> out.print(report.running()), every, every, TimeUnit.SECONDS);
        long start = System.nanoTime();
        boolean stopped = false;
        try (ProducerTemplate template = context.createProducerTemplate()) {
            template.requestBody("direct:import-all", (Object) null);
        } catch (CamelExecutionException e) {
            if (!stoppedByOperator(e)) {
                throw e;
            }
            stopped = true;
        } finally {
            ticker.shutdownNow();
        }
        out.println();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        out.println((stopped ? "Import stopped (Ctrl+C) after " : "Import finished in ") + format(took));
        out.print(report.summary(selected));
        if (stopped) {
            out.println("Each data type stopped before its next TIM call; the page in progress was not checkpointed."
                    + " Run the same command again to go on: it resumes at each data type's checkpoint.");
            return EXIT_STOPPED;
        }
        DeadLetters deadLetters = context.getRegistry().lookupByNameAndType("deadLetters", DeadLetters.class);
        Map<String, Long> open = deadLetters.openCounts();
        long openTotal = open.values().stream().mapToLong(Long::longValue).sum();
        if (openTotal > 0) {
            out.println(openTotal + " items are dead letters (with TIM's code and the reason): fix them, then run"
                    + " 'java -jar target/timbridge.jar replay'.");
            return EXIT_DEAD_LETTERS;
        }
        return 0;
    }

    @Override
    public boolean stoppable() {
        return true;
    }

    @Override
    public void stop(CamelContext context) {
        ImportProgress progress = context.getRegistry().lookupByNameAndType("importProgress", ImportProgress.class);
        if (progress != null) {
            progress.requestStop();
        }
    }

    private static boolean stoppedByOperator(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ImportStopped) {
                return true;
            }
        }
        return false;
    }

    /** Totals for the ETA, from each data type's optional count-sql (legacy.import.<type>.count-sql). */
    private static void countLegacyRows(CamelContext context, Set<DataType> selected, ImportProgress progress) {
        try (ProducerTemplate template = context.createProducerTemplate()) {
            for (DataType type : selected) {
                String sql = context.getPropertiesComponent()
                        .resolveProperty("legacy.import." + type.key() + ".count-sql").orElse("");
                if (!sql.isBlank()) {
                    Number n = template.requestBody("sql:" + sql + "?dataSource=#legacyDataSource"
                            + "&outputType=SelectOne", null, Number.class);
                    progress.total(type, n == null ? 0 : n.longValue());
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Set<DataType> selection(String only) {
        if (only == null || only.isBlank()) {
            return EnumSet.allOf(DataType.class);
        }
        Set<DataType> types = EnumSet.noneOf(DataType.class);
        for (String key : only.split(",")) {
            types.add(DataType.byKey(key).orElseThrow(() -> new IllegalArgumentException("--only: unknown data type '"
                    + key.trim() + "'; choose from " + Arrays.stream(DataType.values()).map(DataType::key).toList())));
        }
        return types;
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : String.format("%.1fs", d.toMillis() / 1000.0);
    }
}
