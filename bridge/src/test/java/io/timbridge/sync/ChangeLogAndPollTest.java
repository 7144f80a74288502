package io.timbridge.sync;

import io.timbridge.legacy.SqlScript;
import io.timbridge.legacy.LegacySchema;
import io.timbridge.testsupport.TestDatabases;
import io.timbridge.testsupport.TestDatabases.Kind;
import io.timbridge.testsupport.TestDatabases.TestDatabase;
import java.sql.Connection;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.timbridge.sync.LegacyWritesTest.row;
import static org.assertj.core.api.Assertions.assertThat;

/** The app's writes as the change-log triggers and the poll SQL see them, on each database. */
class ChangeLogAndPollTest {
    private TestDatabase database;
    private Connection connection;

    private void open(Kind kind) throws Exception {
        database = TestDatabases.create(kind);
        connection = database.connection();
        LegacySchema.apply(connection);
        ChangeLogSchema.apply(connection);
    }

    @AfterEach
    void close() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private void app(String sql) throws Exception {
        NamedSql.update(connection, sql, Map.of());
    }

    private List<Map<String, Object>> poll(SyncSql statement, long afterId, int batchSize) throws Exception {
        return NamedSql.query(connection, statement.sql(), Map.of("after_id", afterId, "batch_size", batchSize));
    }

    private List<Map<String, Object>> changeLog() throws Exception {
        return NamedSql.query(connection,
                "SELECT table_name, op, group_id, user_id, changed_fields FROM bridge_changelog ORDER BY id", Map.of());
    }

    private void appGroup(String id) throws Exception {
        app("INSERT INTO im_groups (group_id, owner_id, group_type, name, created_at_ms, updated_at_ms)"
                + " VALUES ('" + id + "', 'alice', 'work', 'Team', 1000, 1000)");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void appGroupAndMemberWritesAreLoggedInOrder(Kind kind) throws Exception {
        open(kind);
        appGroup("g1");
        app("INSERT INTO group_members (group_id, user_id, joined_at_ms) VALUES ('g1', 'bob', 1001)");
        app("UPDATE im_groups SET name = 'Team 2', notification = 'rules', updated_at_ms = 1002 WHERE group_id = 'g1'");
        app("UPDATE im_groups SET dismissed_at_ms = 1003 WHERE group_id = 'g1'");
        app("DELETE FROM group_members WHERE group_id = 'g1' AND user_id = 'bob'");

        assertThat(changeLog()).containsExactly(
                row("im_groups", "I", "g1", null, null),
                row("group_members", "I", "g1", "bob", null),
                row("im_groups", "U", "g1", null, "name,notification"),
                row("im_groups", "U", "g1", null, "dismissed_at_ms"),
                row("group_members", "D", "g1", "bob", null));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anAppUpdateOfUntrackedColumnsOrToTheSameValuesIsNotLogged(Kind kind) throws Exception {
        open(kind);
        appGroup("g1");
        app("UPDATE im_groups SET updated_at_ms = 2000, owner_id = 'bob' WHERE group_id = 'g1'");
        app("UPDATE im_groups SET name = 'Team' WHERE group_id = 'g1'");
        app("UPDATE group_members SET unread_count = 3");

        assertThat(changeLog()).containsExactly(row("im_groups", "I", "g1", null, null));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRenameThatChangesOnlyLetterCaseOrTrailingSpacesIsLogged(Kind kind) throws Exception {
        open(kind);
        appGroup("g1");
        app("UPDATE im_groups SET name = 'TEAM' WHERE group_id = 'g1'");
        app("UPDATE im_groups SET name = 'TEAM ' WHERE group_id = 'g1'");

        assertThat(changeLog()).extracting(r -> r.get("changed_fields")).containsExactly(null, "name", "name");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRolledBackAppWriteLeavesNoLogRow(Kind kind) throws Exception {
        open(kind);
        connection.setAutoCommit(false);
        appGroup("g1");
        connection.rollback();
        connection.setAutoCommit(true);

        assertThat(changeLog()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theChangeLogIsPolledAfterACursorAndPurgedUpToAnIdOnceOldEnough(Kind kind) throws Exception {
        open(kind);
        for (String g : List.of("g1", "g2", "g3")) {
            appGroup(g);
        }
        List<Map<String, Object>> first = poll(SyncSql.POLL_CHANGELOG, 0, 2);
        assertThat(first).extracting(r -> r.get("group_id")).containsExactly("g1", "g2");
        assertThat(first.get(0)).containsKeys("id", "table_name", "op", "user_id", "changed_fields", "created_at_ms");
        long cursor = (Long) first.get(1).get("id");
        assertThat(poll(SyncSql.POLL_CHANGELOG, cursor, 2)).extracting(r -> r.get("group_id")).containsExactly("g3");

        long oldest = (Long) first.get(0).get("created_at_ms");
        long newest = (Long) first.get(1).get("created_at_ms");
        NamedSql.update(connection, SyncSql.PURGE_CHANGELOG.sql(), Map.of("up_to_id", cursor, "before_ms", oldest));
        assertThat(changeLog()).as("entries not older than the limit stay").hasSize(3);
        NamedSql.update(connection, SyncSql.PURGE_CHANGELOG.sql(), Map.of("up_to_id", cursor, "before_ms", newest + 1));
        assertThat(changeLog()).extracting(r -> r.get("group_id")).containsExactly("g3");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theGroupRowGivesTheCurrentValuesOfALoggedGroup(Kind kind) throws Exception {
        open(kind);
        appGroup("g1");
        app("UPDATE im_groups SET notification = 'rules' WHERE group_id = 'g1'");

        assertThat(NamedSql.query(connection, SyncSql.GROUP_ROW.sql(), Map.of("group_id", "g1")))
                .singleElement().satisfies(g -> assertThat(g)
                        .containsEntry("name", "Team").containsEntry("notification", "rules")
                        .containsEntry("group_type", "work").containsEntry("owner_id", "alice"));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void messagePollsReturnTheAppsRowsInIdOrderAndSkipTheBridges(Kind kind) throws Exception {
        open(kind);
        app("INSERT INTO im_groups (group_id, owner_id, group_type, name, created_at_ms, updated_at_ms)"
                + " VALUES ('g1', 'alice', 'Public', 'g1', 1, 1)");
        app("INSERT INTO im_groups (group_id, owner_id, group_type, name, created_at_ms, updated_at_ms, dismissed_at_ms)"
                + " VALUES ('gone', 'alice', 'Public', 'gone', 1, 1, 2)");
        // A dismissed group's message is no live message of any group TIM has.
        app("INSERT INTO group_messages (group_id, sender_id, msg_type, content, created_at_ms)"
                + " VALUES ('gone', 'alice', 'text', 'to a dismissed group', 1)");
        for (int i = 1; i <= 4; i++) {
            String origin = i == 2 ? "'tim'" : "NULL";
            app("INSERT INTO c2c_messages (sender_id, receiver_id, msg_type, content, created_at_ms, bridge_origin)"
                    + " VALUES ('alice', 'bob', 'text', 'm" + i + "', " + i + ", " + origin + ")");
            app("INSERT INTO group_messages (group_id, sender_id, msg_type, content, created_at_ms, bridge_origin)"
                    + " VALUES ('g1', 'alice', 'text', 'm" + i + "', " + i + ", " + origin + ")");
        }
        for (SyncSql poll : List.of(SyncSql.POLL_C2C_MESSAGES, SyncSql.POLL_GROUP_MESSAGES)) {
            List<Map<String, Object>> page = poll(poll, 0, 2);
            assertThat(page).as(poll.key()).extracting(r -> r.get("content")).containsExactly("m1", "m3");
            long cursor = (Long) page.get(1).get("id");
            assertThat(poll(poll, cursor, 2)).as(poll.key()).extracting(r -> r.get("content")).containsExactly("m4");
        }
        assertThat(poll(SyncSql.POLL_C2C_MESSAGES, 0, 10).get(0))
                .containsOnlyKeys("id", "sender_id", "receiver_id", "msg_type", "content", "created_at_ms");
        assertThat(poll(SyncSql.POLL_GROUP_MESSAGES, 0, 10).get(0))
                .containsOnlyKeys("id", "group_id", "sender_id", "msg_type", "content", "created_at_ms");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theChangeLogScriptCanBeAppliedAgain(Kind kind) throws Exception {
        open(kind);
        ChangeLogSchema.apply(connection);
        appGroup("g1");

        assertThat(changeLog()).hasSize(1);
    }

    @Test
    void everyStatementHasItsOwnKeyUnderLegacySync() {
        Map<String, Long> counts = Arrays.stream(SyncSql.values())
                .collect(Collectors.groupingBy(SyncSql::key, HashMap::new, Collectors.counting()));
        assertThat(counts.values()).containsOnly(1L);
        assertThat(counts.keySet()).allMatch(k -> k.startsWith("legacy.sync.") && k.endsWith(".sql"));
    }

    @Test
    void aPostgresqlFunctionBodyStaysOneStatement() {
        List<String> statements = SqlScript.statements("db/legacy/postgresql/changelog.sql");
        assertThat(statements).filteredOn(s -> s.startsWith("CREATE OR REPLACE FUNCTION")).hasSize(2)
                .allMatch(s -> s.strip().endsWith("$$"));
    }
}
