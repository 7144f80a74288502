package io.timbridge.state;

import com.zaxxer.hikari.HikariDataSource;
import io.timbridge.config.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class BridgeStateTest {
    private HikariDataSource dataSource;
    private Checkpoints checkpoints;
    private DeadLetters deadLetters;
    private IdMap idMap;

    @BeforeEach
    void migrate() {
        Properties p = new Properties();
        p.setProperty("state.datasource.url", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        dataSource = Database.pool(p, "state.datasource");
        StateSchema.migrate(dataSource);
        checkpoints = new Checkpoints(dataSource);
        deadLetters = new DeadLetters(dataSource);
        idMap = new IdMap(dataSource);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void aRouteWithoutCheckpointStartsAtTheInitialPosition() {
        assertThat(checkpoints.position("import-accounts", Checkpoints.WHOLE, "")).isEmpty();
        assertThat(checkpoints.isFinished("import-accounts", Checkpoints.WHOLE)).isFalse();
    }

    @Test
    void aCheckpointResumesAfterTheLastDoneKeyAndCountsWhatWasDone() {
        checkpoints.advance("import-c2c-history", Checkpoints.WHOLE, "100", 100);
        checkpoints.advance("import-c2c-history", Checkpoints.WHOLE, "250", 150);
        checkpoints.advance("import-group-history", "g1", "7", 7);

        assertThat(checkpoints.position("import-c2c-history", Checkpoints.WHOLE, "")).isEqualTo("250");
        assertThat(checkpoints.doneCount("import-c2c-history")).isEqualTo(250);
        assertThat(checkpoints.position("import-group-history", "g2", "0")).isEqualTo("0");

        checkpoints.finish("import-c2c-history", Checkpoints.WHOLE, "250");
        assertThat(checkpoints.isFinished("import-c2c-history", Checkpoints.WHOLE)).isTrue();

        checkpoints.reset("import-c2c-history");
        assertThat(checkpoints.find("import-c2c-history", Checkpoints.WHOLE)).isEmpty();
        assertThat(checkpoints.find("import-group-history", "g1")).isPresent();
    }

    @Test
    void theSameItemFailingTwiceIsOneDeadLetterWithTwoAttempts() {
        deadLetters.record("import-accounts", "u1", "im_open_login_svc/multiaccount_import", 70402, "bad params", "{}");
        deadLetters.record("import-accounts", "u1", "im_open_login_svc/multiaccount_import", 70398, "plan limit", "{}");
        deadLetters.record("import-friends", "u2", null, null, "unconvertible", "{\"a\":1}");

        var open = deadLetters.list(DeadLetters.OPEN, "import-accounts", 10);
        assertThat(open).singleElement().satisfies(d -> {
            assertThat(d.errorCode()).isEqualTo(70398);
            assertThat(d.reason()).isEqualTo("plan limit");
            assertThat(d.attempts()).isEqualTo(2);
        });
        assertThat(deadLetters.list(DeadLetters.OPEN, "import-friends", 10).get(0).errorCode()).isNull();
        assertThat(deadLetters.openCounts()).containsEntry("import-accounts", 1L).containsEntry("import-friends", 1L);

        deadLetters.resolve("import-accounts", "u1");
        assertThat(deadLetters.openCounts()).doesNotContainKey("import-accounts");
        assertThat(deadLetters.list(DeadLetters.RESOLVED, null, 10)).hasSize(1);
    }

    @Test
    void theIdMapRefusesASecondMappingOfEitherSide() {
        assertThat(idMap.put("group_msg", "42", "g1:1", IdMap.TO_TIM)).isTrue();
        assertThat(idMap.put("group_msg", "42", "g1:2", IdMap.TO_TIM)).isFalse();
        assertThat(idMap.put("group_msg", "43", "g1:1", IdMap.TO_TIM)).isFalse();

        assertThat(idMap.timKey("group_msg", "42")).contains("g1:1");
        assertThat(idMap.legacyId("group_msg", "g1:1")).contains("42");
        assertThat(idMap.legacyId("c2c", "g1:1")).isEmpty();
    }

    @Test
    void migratingTwiceChangesNothing() {
        checkpoints.advance("r", Checkpoints.WHOLE, "1", 1);
        StateSchema.migrate(dataSource);
        assertThat(checkpoints.position("r", Checkpoints.WHOLE, "")).isEqualTo("1");
    }
}
