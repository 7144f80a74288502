package io.timbridge.synctotim;

import io.timbridge.state.Checkpoints;
import io.timbridge.state.StateSchema;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangeLogPurgeTest {
    private final Checkpoints checkpoints = checkpoints();

    private static Checkpoints checkpoints() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        StateSchema.migrate(ds);
        return new Checkpoints(ds);
    }

    @Test
    void beforeTheRoutesFirstCycleNothingIsPurged() {
        ChangeLogPurge purge = new ChangeLogPurge(checkpoints, "sync-group-changes-to-tim", 60_000, () -> 1_000_000);
        assertThat(purge.parameters()).isEqualTo(Map.of("up_to_id", 0L, "before_ms", 940_000L));
    }

    @Test
    void entriesUpToTheCheckpointAndOlderThanTheRetentionGo() {
        checkpoints.advance("sync-group-changes-to-tim", SyncPoller.SCOPE, "4711", 3);
        checkpoints.advance("sync-c2c-messages-to-tim", SyncPoller.SCOPE, "99999", 3);
        ChangeLogPurge purge = new ChangeLogPurge(checkpoints, "sync-group-changes-to-tim", 60_000, () -> 1_000_000);
        assertThat(purge.parameters()).isEqualTo(Map.of("up_to_id", 4711L, "before_ms", 940_000L));
    }

    @Test
    void aRetentionOfZeroIsRefusedBecauseItWouldRaceLateCommits() {
        assertThatThrownBy(() -> new ChangeLogPurge(checkpoints, "r", 0, () -> 0))
                .hasMessageContaining("bridge.sync.changelog.retention-ms");
    }
}
