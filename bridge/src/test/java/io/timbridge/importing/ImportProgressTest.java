package io.timbridge.importing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ImportProgressTest {

    @Test
    void theEtaUsesTheApiBudgetUntilThereIsARateAndThenTheSlowerOfTheTwo() {
        AtomicLong now = new AtomicLong(1_000_000);
        ImportProgress progress = new ImportProgress(now::get);
        progress.total(DataType.C2C_HISTORY, 12_000);
        progress.started(DataType.C2C_HISTORY, 0);

        assertThat(progress.snapshot(DataType.C2C_HISTORY).eta(200)).isEqualTo(Duration.ofSeconds(60));

        now.addAndGet(10_000);
        progress.applied(DataType.C2C_HISTORY, 990);
        progress.deadLettered(DataType.C2C_HISTORY, 10);
        ImportProgress.Snapshot s = progress.snapshot(DataType.C2C_HISTORY);

        assertThat(s.rate()).isEqualTo(100.0);
        assertThat(s.eta(200)).isEqualTo(Duration.ofSeconds(110));
    }

    @Test
    void rowsDoneInAnEarlierRunCountAsDoneButNotIntoThisRunsRate() {
        AtomicLong now = new AtomicLong(0);
        ImportProgress progress = new ImportProgress(now::get);
        progress.total(DataType.ACCOUNTS, 1_000);
        progress.started(DataType.ACCOUNTS, 600);
        now.addAndGet(1_000);
        progress.applied(DataType.ACCOUNTS, 100);

        ImportProgress.Snapshot s = progress.snapshot(DataType.ACCOUNTS);
        assertThat(s.processed()).isEqualTo(700);
        assertThat(s.rate()).isEqualTo(100.0);
        assertThat(s.eta(10_000)).isEqualTo(Duration.ofSeconds(3));
    }
}
