package io.timbridge.cli;

import io.timbridge.importing.DataType;
import io.timbridge.importing.ImportProgress;
import io.timbridge.tim.TimClient;

import java.util.Set;

/** The progress lines printed while an import runs, and the summary table at its end. */
final class ProgressReport {
    private final ImportProgress progress;
    private final TimClient tim;

    ProgressReport(ImportProgress progress, TimClient tim) {
        this.progress = progress;
        this.tim = tim;
    }

    String running() {
        StringBuilder sb = new StringBuilder();
        for (DataType type : DataType.values()) {
            ImportProgress.Snapshot s = progress.snapshot(type);
            if (s.started() && !s.finished()) {
                sb.append(String.format("%-22s %,12d done of %s  %,9.0f/s  dead letters %,d  ETA %s%n",
                        type.routeId(), s.processed(), s.total() < 0 ? "?" : String.format("%,d", s.total()),
                        s.rate(), s.deadLettered(), ImportJob.format(s.eta(tim.itemsPerSecond(type.api())))));
            }
        }
        return sb.toString();
    }

    String summary(Set<DataType> selected) {
        StringBuilder sb = new StringBuilder(String.format("%-22s %12s %12s %12s %10s %10s%n",
                "route", "in TIM", "was in TIM", "dead letter", "calls", "items/s"));
        for (DataType type : DataType.values()) {
            if (!selected.contains(type)) {
                continue;
            }
            ImportProgress.Snapshot s = progress.snapshot(type);
            sb.append(String.format("%-22s %,12d %,12d %,12d %,10d %,10.0f%n", type.routeId(), s.applied(),
                    s.alreadyDone(), s.deadLettered(), s.calls(), s.rate()));
        }
        return sb.toString();
    }
}
