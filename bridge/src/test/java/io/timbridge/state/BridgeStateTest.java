package io.timbridge.state;

import io.timbridge.testsupport.TestDatabases;
import io.timbridge.testsupport.TestDatabases.Kind;
import io.timbridge.testsupport.TestDatabases.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The bridge state on each database it may live on: H2 always, MariaDB and PostgreSQL when reachable. */
class BridgeStateTest {
    private TestDatabase database;
    private Checkpoints checkpoints;
    private DeadLetters deadLetters;
    private IdMap idMap;

    private void migrate(Kind kind) {
        database = TestDatabases.create(kind);
        StateSchema.migrate(database.dataSource());
        checkpoints = new Checkpoints(database.dataSource());
        deadLetters = new DeadLetters(database.dataSource());
        idMap = new IdMap(database.dataSource());
    }

    @AfterEach
    void close() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRouteWithoutCheckpointStartsAtTheInitialPosition(Kind kind) {
        migrate(kind);
        assertThat(checkpoints.position("import-accounts", Checkpoints.WHOLE, "")).isEmpty();
        assertThat(checkpoints.isFinished("import-accounts", Checkpoints.WHOLE)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aCheckpointResumesAfterTheLastDoneKeyAndCountsWhatWasDone(Kind kind) {
        migrate(kind);
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

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theSameItemFailingTwiceIsOneDeadLetterWithTwoAttempts(Kind kind) {
        migrate(kind);
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

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theIdMapRefusesASecondMappingOfEitherSide(Kind kind) {
        migrate(kind);
        assertThat(idMap.put("group_msg", "42", "g1:1", IdMap.TO_TIM)).isTrue();
        assertThat(idMap.put("group_msg", "42", "g1:2", IdMap.TO_TIM)).isFalse();
        assertThat(idMap.put("group_msg", "43", "g1:1", IdMap.TO_TIM)).isFalse();

        assertThat(idMap.timKey("group_msg", "42")).contains("g1:1");
        assertThat(idMap.legacyId("group_msg", "g1:1")).contains("42");
        assertThat(idMap.legacyId("c2c", "g1:1")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theIdMapAnswersForAPageOfLegacyIdsAtOnce(Kind kind) {
        migrate(kind);
        idMap.put("c2c_msg", "7", "5_9_1700000000", IdMap.TO_LEGACY);
        idMap.put("group_msg", "7", "g1:3", IdMap.TO_TIM);
        List<String> page = new java.util.ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            page.add(Integer.toString(i));
            if (i >= 1000) {
                idMap.put("c2c_msg", Integer.toString(i), "k" + i, IdMap.TO_TIM);
            }
        }

        Map<String, IdMap.Entry> found = idMap.entries("c2c_msg", page);

        assertThat(found).hasSize(201);
        assertThat(found.get("7")).isEqualTo(new IdMap.Entry("5_9_1700000000", IdMap.TO_LEGACY));
        assertThat(found.get("1199")).isEqualTo(new IdMap.Entry("k1199", IdMap.TO_TIM));
        assertThat(idMap.entries("group_msg", List.of("7", "8"))).containsOnlyKeys("7");
        assertThat(idMap.entries("group_msg", List.of())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void migratingTwiceChangesNothing(Kind kind) {
        migrate(kind);
        checkpoints.advance("r", Checkpoints.WHOLE, "1", 1);
        StateSchema.migrate(database.dataSource());
        assertThat(checkpoints.position("r", Checkpoints.WHOLE, "")).isEqualTo("1");
    }
}
