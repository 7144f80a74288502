package io.timbridge.callback;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbridge.sandbox.AppUser;
import io.timbridge.testsupport.TestDatabases;
import io.timbridge.testsupport.TestDatabases.Kind;
import io.timbridge.testsupport.TestDatabases.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.timbridge.callback.SyncHarness.JSON;
import static io.timbridge.testsupport.TestSandboxes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The legacy writes of every callback command through camel-sql on MariaDB and PostgreSQL (H2: TimToLegacySyncTest). */
class TimToLegacyOnEachDatabaseTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    TestDatabase database;
    SyncHarness h;

    @AfterEach
    void stop() throws Exception {
        if (h != null) {
            h.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private void ok(ObjectNode answer) {
        assertThat(answer.path("ErrorCode").asInt()).as(answer.toString()).isZero();
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).until(() -> {
            var counts = h.sandbox.inspect().counts();
            return counts.path("callbacksDelivered").asLong() + counts.path("callbacksFailed").asLong()
                    == counts.path("callbacksFired").asLong();
        });
    }

    private List<Object> column(String sql) throws Exception {
        return h.legacyRows(sql).stream().map(r -> r.values().iterator().next()).toList();
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"MARIADB", "POSTGRESQL"})
    void everyCommandIsWrittenOnce(Kind kind) throws Exception {
        database = TestDatabases.create(kind);
        h = new SyncHarness(dir, database);
        h.importAccounts("u1", "u2", "u3");
        h.startBridge(h.settings());
        AppUser u1 = h.sandbox.user("u1");
        ok(u1.createGroup(JSON.readTree("{\"Type\":\"Public\",\"Name\":\"Team\",\"GroupId\":\"grp-1\","
                + "\"ApplyJoinOption\":\"FreeAccess\",\"MemberList\":[{\"Member_Account\":\"u2\"}]}")));
        ok(h.sandbox.user("u3").joinGroup("grp-1"));
        List<String> c2c = new ArrayList<>();
        List<String> group = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ok(u1.sendC2c("u2", text("c2c-" + i + " ' \" ; --")));
            c2c.add("c2c-" + i + " ' \" ; --");
            ok(h.sandbox.user("u" + (1 + i % 3)).sendGroupMsg("grp-1", text("group-" + i)));
            group.add("group-" + i);
        }
        ok(u1.modifyGroup(JSON.readTree("{\"GroupId\":\"grp-1\",\"Name\":\"Team 2\"}")));
        ok(h.sandbox.user("u3").leaveGroup("grp-1"));
        ok(u1.createGroup(JSON.readTree("{\"Type\":\"Private\",\"Name\":\"Gone\",\"GroupId\":\"grp-2\"}")));
        ok(u1.destroyGroup("grp-2"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(h.inboxCount(CallbackInbox.NEW)).isZero());
        assertThat(h.sandbox.inspect().counts().path("callbacksFailed").asLong()).isZero();
        assertThat(h.inboxCount(CallbackInbox.DEAD)).isZero();
        assertThat(column("SELECT content FROM c2c_messages ORDER BY id")).isEqualTo(new ArrayList<Object>(c2c));
        assertThat(column("SELECT content FROM group_messages ORDER BY id")).isEqualTo(new ArrayList<Object>(group));
        assertThat(h.legacyRows("SELECT name, introduction FROM im_groups WHERE group_id = 'grp-1'").get(0))
                .as("a field the change did not report stays as it was").containsEntry("name", "Team 2")
                .containsEntry("introduction", null);
        assertThat(column("SELECT user_id FROM group_members WHERE group_id = 'grp-1' ORDER BY user_id"))
                .containsExactly("u1", "u2");
        assertThat(column("SELECT COUNT(*) FROM im_groups WHERE group_id = 'grp-2' AND dismissed_at_ms IS NOT NULL")
                .get(0).toString()).isEqualTo("1");
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"MARIADB", "POSTGRESQL"})
    void aTextTheLegacyColumnCannotHoldIsADeadLetterInTheDatabasesOwnWords(Kind kind) throws Exception {
        database = TestDatabases.create(kind);
        h = new SyncHarness(dir, database);
        try (var c = database.connection(); var st = c.createStatement()) {
            st.execute(kind == Kind.MARIADB ? "ALTER TABLE c2c_messages MODIFY content VARCHAR(10)"
                    : "ALTER TABLE c2c_messages ALTER COLUMN content TYPE VARCHAR(10)");
        }
        h.importAccounts("u1", "u2");
        h.startBridge(h.settings());
        ok(h.sandbox.user("u1").sendC2c("u2", text("较长的一段文字，超过十个字符")));

        await().atMost(WAIT).untilAsserted(() -> assertThat(h.inboxCount(CallbackInbox.DEAD)).isEqualTo(1));
        String reason = (String) SyncHarness.rows(h.state, "SELECT reason FROM tb_dead_letter").get(0).get("reason");
        assertThat(reason).as("the database's code and words, not Spring's 'bad SQL grammar []'")
                .startsWith(kind == Kind.MARIADB ? "database error 1406 (SQLState 22001)" : "database error 0 (SQLState 22001)")
                .contains(kind == Kind.MARIADB ? "Data too long for column 'content'"
                        : "value too long for type character varying(10)")
                .doesNotContain("bad SQL grammar");
    }
}
