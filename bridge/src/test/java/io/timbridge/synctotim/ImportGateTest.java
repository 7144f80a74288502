package io.timbridge.synctotim;

import io.timbridge.state.Checkpoints;
import io.timbridge.state.StateSchema;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Which groups' live messages may go, read from the group-history import's checkpoint. */
class ImportGateTest {
    private Checkpoints checkpoints;

    @BeforeEach
    void setUp() {
        JdbcDataSource state = new JdbcDataSource();
        state.setURL("jdbc:h2:mem:gate_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        StateSchema.migrate(state);
        checkpoints = new Checkpoints(state);
    }

    private ImportGate gate(boolean enabled) {
        ImportGate gate = new ImportGate(checkpoints, enabled);
        gate.refresh();
        return gate;
    }

    @Test
    void beforeTheImportStartedNoGroupIsOpen() {
        assertThat(gate(true).historyDone("a")).isFalse();
    }

    @Test
    void whileTheImportRunsOnlyTheGroupsBeforeItsPositionAreOpen() {
        checkpoints.advance(ImportGate.GROUP_HISTORY_ROUTE, Checkpoints.WHOLE, "[\"g5\",1600000000000,42]", 10);
        ImportGate gate = gate(true);

        assertThat(gate.historyDone("g4")).isTrue();
        assertThat(gate.historyDone("g5")).as("the group the import is at").isFalse();
        assertThat(gate.historyDone("g6")).isFalse();
    }

    @Test
    void aFinishedImportOpensEveryGroupAndADisabledGateHoldsNone() {
        checkpoints.finish(ImportGate.GROUP_HISTORY_ROUTE, Checkpoints.WHOLE, "[\"g5\",1600000000000,42]");

        assertThat(gate(true).historyDone("z")).isTrue();
        checkpoints.reset(ImportGate.GROUP_HISTORY_ROUTE);
        assertThat(gate(false).historyDone("z")).isTrue();
        assertThat(gate(true).historyDone("z")).isFalse();
    }
}
