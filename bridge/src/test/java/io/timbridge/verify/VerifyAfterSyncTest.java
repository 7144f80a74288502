package io.timbridge.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbridge.Timbridge;
import io.timbridge.testsupport.FreePorts;
import io.timbridge.testsupport.TestSandboxes;
import io.timbridge.config.Command;
import io.timbridge.legacy.generator.GeneratorOptions;
import io.timbridge.legacy.generator.SampleDataGenerator;
import io.timbridge.sandbox.TimSandbox;
import io.timbridge.sync.ChangeLogSchema;
import io.timbridge.testsupport.TestDatabases;
import io.timbridge.testsupport.TestDatabases.Kind;
import io.timbridge.testsupport.TestDatabases.TestDatabase;
import org.apache.camel.main.Main;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.timbridge.testsupport.TestSandboxes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Verify after a correct import and two-way sync: a generated sample imported into the sandbox, the real
 * {@code sync} command running while app 1.0 writes legacy rows and app 2.0 users send one-to-one and group
 * messages in the sandbox (whose signed callbacks reach the bridge), then sync stopped and verify run. Messages
 * that came from TIM are in both sides and must match; one of them changed or gone on the legacy side must be
 * reported with its key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerifyAfterSyncTest {
    private static final String KEY = "verify-sync-test-key";
    private static final String TOKEN = "verify-sync-token";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestDatabase legacy;
    private TimSandbox sandbox;
    private int bridgePort;
    private final String stateUrl = "jdbc:h2:mem:state_" + UUID.randomUUID().toString().replace("-", "")
            + ";DB_CLOSE_DELAY=-1";
    /** Two users both sides hold, and a group with a member both sides hold. */
    private String a;
    private String b;
    private String group;
    private String member;
    /** Texts app 2.0 sent, one-to-one and in the group. */
    private final List<String> fromTimC2c = new ArrayList<>();
    private final List<String> fromTimGroup = new ArrayList<>();
    /** A third user both sides hold (joins groups on both sides), and an imported group app 1.0 dismisses. */
    private String c;
    private String dismissed;
    /** A group an app 2.0 user created in TIM, and one app 1.0 created in legacy. */
    private static final String TIM_GROUP = "made-in-tim";
    private static final String LEGACY_GROUP = "made-in-legacy";
    @TempDir
    Path reports;

    Kind kind() {
        return Kind.H2;
    }

    @BeforeAll
    void importAndSync() throws Exception {
        legacy = TestDatabases.create(kind());
        try (Connection c = legacy.connection()) {
            new SampleDataGenerator(GeneratorOptions.parse("--users=40", "--messages=400", "--seed=7")).generate(c);
        }
        bridgePort = FreePorts.next();
        sandbox = TestSandboxes.withCallbacks(VerifyRun.APP_ID, VerifyRun.ADMIN, KEY,
                "http://127.0.0.1:" + bridgePort + "/tim/callback", TOKEN);
        int code = Timbridge.runJob(Timbridge.newMain(Command.IMPORT, settings()), Command.IMPORT, Map.of());
        assertThat(code).as("the sample has rows TIM must refuse: import ends with dead letters").isEqualTo(3);
        try (Connection c = legacy.connection()) {
            ChangeLogSchema.apply(c);
        }
        pickUsersAndGroup();

        Main sync = Timbridge.newMain(Command.SYNC, settings());
        sync.start();
        try {
            exchange();
            changeGroups();
        } finally {
            sync.stop();
        }
    }

    @AfterAll
    void close() throws Exception {
        if (sandbox != null) {
            sandbox.stop();
        }
        if (legacy != null) {
            legacy.close();
        }
    }

    private Map<String, String> settings() {
        Map<String, String> p = VerifyRun.settings(legacy, stateUrl, KEY, sandbox.port());
        p.put("tim.callback-token", TOKEN);
        p.put("camel.main.shutdown-timeout", "5");
        p.put("camel.server.host", "127.0.0.1");
        p.put("camel.server.port", String.valueOf(bridgePort));
        p.put("bridge.callback.sweep.initial-delay-ms", "3600000");
        p.put("bridge.sync.poll-interval-ms", "50");
        p.put("bridge.sync.settle-ms", "2000");
        return p;
    }

    private void pickUsersAndGroup() throws Exception {
        List<String> users = new ArrayList<>();
        for (List<Object> r : rows("SELECT user_id FROM users ORDER BY user_id")) {
            String user = (String) r.get(0);
            if (users.size() < 3 && sandbox.inspect().account(user) != null) {
                users.add(user);
            }
        }
        a = users.get(0);
        b = users.get(1);
        c = users.get(2);
        for (List<Object> r : rows("SELECT m.group_id, m.user_id FROM group_members m JOIN im_groups g"
                + " ON g.group_id = m.group_id WHERE g.dismissed_at_ms IS NULL AND g.group_type <> 'live'"
                + " ORDER BY m.group_id, m.user_id")) {
            JsonNode g = sandbox.inspect().group((String) r.get(0));
            if (g != null && g.path("MemberList").findValuesAsText("Member_Account").contains((String) r.get(1))
                    && sandbox.inspect().account((String) r.get(1)) != null) {
                group = (String) r.get(0);
                member = (String) r.get(1);
                for (List<Object> o : rows("SELECT group_id FROM im_groups WHERE dismissed_at_ms IS NULL"
                        + " AND group_id <> ? ORDER BY group_id", group)) {
                    if (sandbox.inspect().group((String) o.get(0)) != null) {
                        dismissed = (String) o.get(0);
                        return;
                    }
                }
                throw new AssertionError("the sample has no second imported group");
            }
        }
        throw new AssertionError("the sample has no group with a member both sides hold");
    }

    /**
     * App 1.0 and app 2.0 take turns, a second apart (legacy rows from TIM carry whole seconds), each turn in
     * both conversations, until every message is on both sides and in the id map.
     */
    private void exchange() throws Exception {
        List<String> fromLegacyC2c = new ArrayList<>();
        List<String> fromLegacyGroup = new ArrayList<>();
        for (int turn = 0; turn < 4; turn++) {
            for (int i = 0; i < 2; i++) {
                String text = "turn " + turn + " message " + i;
                if (turn % 2 == 0) {
                    String c2c = "app 1.0 " + text;
                    sql("INSERT INTO c2c_messages (sender_id, receiver_id, msg_type, content, created_at_ms)"
                            + " VALUES (?, ?, 'text', ?, ?)", i == 0 ? a : b, i == 0 ? b : a, c2c, System.currentTimeMillis());
                    fromLegacyC2c.add(c2c);
                    // The first turn's group rows are written 2.5 s after their time (a slow app transaction):
                    // send_group_msg stamps them with TIM's own later time; their marker keeps the legacy one.
                    String g = "app 1.0 group " + text;
                    sql("INSERT INTO group_messages (group_id, sender_id, msg_type, content, created_at_ms)"
                            + " VALUES (?, ?, 'text', ?, ?)", group, member, g,
                            System.currentTimeMillis() - (turn == 0 ? 2500 : 0));
                    fromLegacyGroup.add(g);
                } else {
                    String c2c = "app 2.0 " + text;
                    ok(sandbox.user(i == 0 ? b : a).sendC2c(i == 0 ? a : b, text(c2c)));
                    fromTimC2c.add(c2c);
                    String g = "app 2.0 group " + text;
                    ok(sandbox.user(member).sendGroupMsg(group, text(g)));
                    fromTimGroup.add(g);
                }
            }
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                String timC2c = String.valueOf(sandbox.inspect().c2c(a, b));
                String timGroup = String.valueOf(sandbox.inspect().groupMessages(group, 0, 100_000));
                fromLegacyC2c.forEach(t -> assertThat(timC2c).contains(t));
                fromLegacyGroup.forEach(t -> assertThat(timGroup).contains(t));
                assertThat(count(legacy.dataSource(), "SELECT COUNT(*) FROM c2c_messages WHERE bridge_origin LIKE 'tim:%'"))
                        .isEqualTo(fromTimC2c.size());
                assertThat(count(legacy.dataSource(), "SELECT COUNT(*) FROM group_messages WHERE bridge_origin LIKE 'tim:%'"))
                        .isEqualTo(fromTimGroup.size());
                assertThat(count(state(), "SELECT COUNT(*) FROM tb_id_map WHERE direction = 'L'"))
                        .isEqualTo(fromTimC2c.size() + fromTimGroup.size());
                assertThat(count(state(), "SELECT COUNT(*) FROM tb_id_map WHERE direction = 'T' AND kind = 'c2c_msg'"))
                        .isEqualTo(fromLegacyC2c.size());
            });
            Thread.sleep(1100);
        }
    }

    /**
     * Groups and members change on both sides while sync runs: an app 2.0 user creates a group with a member in
     * TIM, renames an imported group, another joins the new group and its first member leaves; app 1.0 creates a
     * group with members, then adds a member and renames it, and dismisses an imported group. Waits until each
     * change is on the other side.
     */
    private void changeGroups() throws Exception {
        ObjectNode create = JSON.createObjectNode().put("Type", "Public").put("GroupId", TIM_GROUP)
                .put("Name", "made in TIM");
        create.putArray("MemberList").addObject().put("Member_Account", b);
        ok(sandbox.user(a).createGroup(create));
        String owner = (String) rows("SELECT owner_id FROM im_groups WHERE group_id = ?", group).get(0).get(0);
        ok(sandbox.user(owner).modifyGroup(JSON.createObjectNode().put("GroupId", group).put("Name", "renamed in TIM")));
        long t = System.currentTimeMillis();
        sql("INSERT INTO im_groups (group_id, owner_id, group_type, name, created_at_ms, updated_at_ms)"
                + " VALUES (?, ?, 'work', 'made in legacy', ?, ?)", LEGACY_GROUP, a, t, t);
        sql("INSERT INTO group_members (group_id, user_id, role, joined_at_ms) VALUES (?, ?, 'owner', ?)",
                LEGACY_GROUP, a, t);
        sql("INSERT INTO group_members (group_id, user_id, role, joined_at_ms) VALUES (?, ?, 'member', ?)",
                LEGACY_GROUP, b, t);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(rows("SELECT user_id FROM group_members WHERE group_id = ?", TIM_GROUP)).hasSize(2);
            assertThat(sandbox.inspect().group(LEGACY_GROUP)).isNotNull();
        });
        // A second later, so that TIM's join times differ from the creation's.
        Thread.sleep(1100);
        ok(sandbox.user(c).joinGroup(TIM_GROUP));
        ok(sandbox.user(b).leaveGroup(TIM_GROUP));
        sql("INSERT INTO group_members (group_id, user_id, role, joined_at_ms) VALUES (?, ?, 'member', ?)",
                LEGACY_GROUP, c, System.currentTimeMillis());
        sql("UPDATE im_groups SET name = 'renamed in legacy', updated_at_ms = ? WHERE group_id = ?",
                System.currentTimeMillis(), LEGACY_GROUP);
        sql("UPDATE im_groups SET dismissed_at_ms = ?, updated_at_ms = ? WHERE group_id = ?",
                System.currentTimeMillis(), System.currentTimeMillis(), dismissed);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(rows("SELECT user_id FROM group_members WHERE group_id = ?", TIM_GROUP).stream()
                    .map(r -> (String) r.get(0)).toList()).containsExactlyInAnyOrder(a, c);
            assertThat(rows("SELECT name FROM im_groups WHERE group_id = ?", group).get(0).get(0))
                    .isEqualTo("renamed in TIM");
            JsonNode made = sandbox.inspect().group(LEGACY_GROUP);
            assertThat(made.path("Name").asText()).isEqualTo("renamed in legacy");
            assertThat(made.path("MemberList").findValuesAsText("Member_Account")).containsExactlyInAnyOrder(a, b, c);
            assertThat(sandbox.inspect().group(dismissed)).isNull();
            assertThat(count(state(), "SELECT COUNT(*) FROM tb_callback_inbox WHERE status = 'NEW'")).isZero();
        });
    }

    private void ok(ObjectNode answer) {
        assertThat(answer.path("ErrorCode").asInt()).as(answer.toString()).isZero();
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> {
            JsonNode counts = sandbox.inspect().counts();
            return counts.path("callbacksDelivered").asLong() + counts.path("callbacksFailed").asLong()
                    == counts.path("callbacksFired").asLong();
        });
    }


    private DataSource state() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(stateUrl);
        return ds;
    }

    private static long count(DataSource ds, String query) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(query);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void sql(String statement, Object... params) throws Exception {
        try (Connection c = legacy.connection(); PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }

    private List<List<Object>> rows(String query, Object... params) throws Exception {
        try (Connection c = legacy.connection(); PreparedStatement ps = c.prepareStatement(query)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<List<Object>> out = new ArrayList<>();
                while (rs.next()) {
                    List<Object> values = new ArrayList<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        values.add(rs.getObject(i));
                    }
                    out.add(values);
                }
                return out;
            }
        }
    }

    /** The id map's TIM identity of a legacy row written from TIM. */
    private String timKey(String kind, Object legacyId) throws Exception {
        try (Connection c = state().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT tim_key FROM tb_id_map WHERE kind = ? AND legacy_id = ?")) {
            ps.setString(1, kind);
            ps.setString(2, legacyId.toString());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as(kind + " " + legacyId + " in the id map").isTrue();
                return rs.getString(1);
            }
        }
    }

    private VerifyRun verify(String... options) throws Exception {
        return VerifyRun.of(settings(), reports, options);
    }

    @Test
    @Order(1)
    void reportsACleanMatchAfterImportAndSync() throws Exception {
        VerifyRun run = verify("--only=c2c-history,group-history");

        assertThat(run.exitCode()).as(run.terminal()).isZero();
        for (String type : List.of("c2c-history", "group-history")) {
            JsonNode t = run.type(type);
            assertThat(t.path("matches").asBoolean()).as(t.toString()).isTrue();
            assertThat(t.path("matching").asLong()).as(type).isEqualTo(t.path("legacy").asLong());
            assertThat(t.path("missingInLegacy").asLong()).as(type).isZero();
        }
        long tim = count(legacy.dataSource(), "SELECT COUNT(*) FROM c2c_messages WHERE bridge_origin IS NOT NULL");
        assertThat(tim).isEqualTo(fromTimC2c.size());
        assertThat(run.terminal()).contains("Both sides match.");
    }

    @Test
    @Order(2)
    void findsAMessageFromTimGoneOnTheLegacySide() throws Exception {
        List<Object> row = rows("SELECT id, sender_id, receiver_id, msg_type, content, created_at_ms, bridge_origin"
                + " FROM c2c_messages WHERE content = ?", fromTimC2c.get(0)).get(0);
        String msgKey = timKey("c2c_msg", row.get(0));
        sql("DELETE FROM c2c_messages WHERE id = ?", row.get(0));
        try {
            VerifyRun run = verify("--only=c2c-history");
            assertThat(run.exitCode()).as(run.terminal()).isEqualTo(4);
            String pair = a.compareTo(b) <= 0 ? a + ":" + b : b + ":" + a;
            assertThat(run.keys("c2c-history", "MISSING_IN_LEGACY")).containsExactly(pair + ":MsgKey " + msgKey);
            assertThat(run.type("c2c-history").path("missingInTim").asLong()).isZero();
        } finally {
            sql("INSERT INTO c2c_messages (id, sender_id, receiver_id, msg_type, content, created_at_ms, bridge_origin)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)", row.toArray());
        }
    }

    @Test
    @Order(3)
    void findsAMessageFromTimChangedOnTheLegacySide() throws Exception {
        List<Object> row = rows("SELECT id, content FROM group_messages WHERE content = ?", fromTimGroup.get(1)).get(0);
        sql("UPDATE group_messages SET content = ? WHERE id = ?", "changed in legacy", row.get(0));
        try {
            VerifyRun run = verify("--only=group-history");
            assertThat(run.exitCode()).as(run.terminal()).isEqualTo(4);
            assertThat(run.keys("group-history", "DIFFERENT")).containsExactly(group + ":" + row.get(0));
            assertThat(run.type("group-history").path("missingInLegacy").asLong()).isZero();
            assertThat(run.type("group-history").path("missingInTim").asLong()).isZero();
        } finally {
            sql("UPDATE group_messages SET content = ? WHERE id = ?", row.get(1), row.get(0));
        }
    }

    /**
     * Every other data type matches too, once the changes above are undone. Not member-unread: sync carries no
     * unread counts (a message from either side raises TIM's count, nothing raises legacy unread_count here), a
     * gap of sync's, not of verify's.
     */
    @Test
    @Order(4)
    void everyTypeButUnreadCountsMatchesAfterwards() throws Exception {
        VerifyRun run = verify("--only=accounts,profiles,friends,c2c-history,groups,group-members,group-history");
        assertThat(run.exitCode()).as(run.terminal()).isZero();
        assertThat(run.type("group-history").path("matching").asLong())
                .isEqualTo(run.type("group-history").path("legacy").asLong());
    }

    @Test
    @Order(5)
    void reportsGroupsAndMembersChangedOnBothSidesAsAMatch() throws Exception {
        VerifyRun run = verify("--only=groups,group-members");

        assertThat(run.exitCode()).as(run.terminal()).isZero();
        for (String type : List.of("groups", "group-members")) {
            JsonNode t = run.type(type);
            assertThat(t.path("matches").asBoolean()).as(t.toString()).isTrue();
            assertThat(t.path("missingInLegacy").asLong()).as(type).isZero();
        }
        // The groups created on either side, and the members that joined on either side, are compared.
        // Every legacy group is compared (dismissed ones: absent from TIM too) or a dead letter the import refused.
        JsonNode groups = run.type("groups");
        assertThat(groups.path("matching").asLong() + groups.path("deadLetterCount").asLong())
                .isEqualTo(count(legacy.dataSource(), "SELECT COUNT(*) FROM im_groups"));
        assertThat(count(legacy.dataSource(), "SELECT COUNT(*) FROM group_members WHERE group_id = '" + TIM_GROUP
                + "' AND bridge_origin = 'tim'")).isEqualTo(2);
    }

    @Test
    @Order(6)
    void findsATimCreatedGroupChangedAndATimJoinedMemberGoneOnTheLegacySide() throws Exception {
        List<Object> joined = rows("SELECT group_id, user_id, role, joined_at_ms, unread_count, bridge_origin"
                + " FROM group_members WHERE group_id = ? AND user_id = ?", TIM_GROUP, c).get(0);
        sql("UPDATE im_groups SET name = 'changed in legacy' WHERE group_id = ?", TIM_GROUP);
        sql("DELETE FROM group_members WHERE group_id = ? AND user_id = ?", TIM_GROUP, c);
        try {
            VerifyRun run = verify("--only=groups,group-members");
            assertThat(run.exitCode()).as(run.terminal()).isEqualTo(4);
            assertThat(run.keys("groups", "DIFFERENT")).containsExactly(TIM_GROUP);
            assertThat(run.keys("group-members", "MISSING_IN_LEGACY")).containsExactly(TIM_GROUP + ":" + c);
            assertThat(run.type("group-members").path("different").asLong()).isZero();
        } finally {
            sql("UPDATE im_groups SET name = 'made in TIM' WHERE group_id = ?", TIM_GROUP);
            sql("INSERT INTO group_members (group_id, user_id, role, joined_at_ms, unread_count, bridge_origin)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", joined.toArray());
        }
    }
}
