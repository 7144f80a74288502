package io.timbridge.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.timbridge.Timbridge;
import io.timbridge.testsupport.TestSandboxes;
import io.timbridge.config.Command;
import io.timbridge.legacy.generator.GeneratorOptions;
import io.timbridge.legacy.generator.SampleDataGenerator;
import io.timbridge.sandbox.TimSandbox;
import io.timbridge.testsupport.TestDatabases;
import io.timbridge.testsupport.TestDatabases.Kind;
import io.timbridge.testsupport.TestDatabases.TestDatabase;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimClient;
import io.timbridge.tim.TimClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A generated legacy sample imported into the sandbox (over loopback HTTP, with the real import routes), then
 * verify: a clean match after the import, and each kind of difference found with its keys once one side is
 * changed. Each test undoes its change.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerifyEndToEndTest {
    private static final String KEY = "verify-test-key";
    /** Rows TIM accepts: ids, names and bodies within TIM's limits. */
    private static final String GOOD_USER = "LENGTH(%s) <= 32";

    private TestDatabase legacy;
    private TimSandbox sandbox;
    private final String stateUrl = "jdbc:h2:mem:state_" + UUID.randomUUID().toString().replace("-", "")
            + ";DB_CLOSE_DELAY=-1";
    @TempDir
    Path reports;

    /** The legacy database the sample is generated in. */
    Kind kind() {
        return Kind.H2;
    }

    @BeforeAll
    void importSample() throws Exception {
        legacy = TestDatabases.create(kind());
        try (Connection c = legacy.connection()) {
            new SampleDataGenerator(GeneratorOptions.parse("--users=40", "--messages=400", "--seed=7")).generate(c);
        }
        sandbox = TestSandboxes.standalone(VerifyRun.APP_ID, VerifyRun.ADMIN, KEY, Map.of());
        int code = Timbridge.runJob(Timbridge.newMain(Command.IMPORT, settings()), Command.IMPORT, Map.of());
        assertThat(code).as("the sample has rows TIM must refuse: import ends with dead letters").isEqualTo(3);
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
        return VerifyRun.settings(legacy, stateUrl, KEY, sandbox.port());
    }

    private VerifyRun verify(String... options) throws Exception {
        return VerifyRun.of(settings(), reports, options);
    }

    private void sql(String statement, Object... params) throws Exception {
        try (Connection c = legacy.connection(); PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }

    private List<Object> row(String query) throws Exception {
        try (Connection c = legacy.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            assertThat(rs.next()).as(query).isTrue();
            List<Object> values = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                values.add(rs.getObject(i));
            }
            return values;
        }
    }

    private TimClient timClient() {
        Properties p = new Properties();
        settings().forEach(p::setProperty);
        return new TimClient(TimClientConfig.from(p));
    }

    @Test
    @Order(1)
    void reportsACleanMatchAfterACorrectImport() throws Exception {
        VerifyRun run = verify();

        assertThat(run.exitCode()).as(run.terminal()).isZero();
        for (JsonNode t : run.report().path("types")) {
            assertThat(t.path("matches").asBoolean()).as(t.toString()).isTrue();
            assertThat(t.path("matching").asLong()).as(t.path("type").asText()).isEqualTo(t.path("legacy").asLong());
        }
        assertThat(run.type("accounts").path("matching").asLong()).isPositive();
        assertThat(run.type("c2c-history").path("matching").asLong()).isPositive();
        assertThat(run.type("group-history").path("matching").asLong()).isPositive();
        assertThat(run.type("member-unread").path("matching").asLong()).isPositive();
        long deadLetters = 0;
        for (JsonNode t : run.report().path("types")) {
            deadLetters += t.path("deadLetterCount").asLong();
        }
        assertThat(deadLetters).as("the refused rows are listed as dead letters, not differences").isPositive();
        assertThat(run.terminal()).contains("Both sides match.");
    }

    /** A group whose rows span pages is compared once, with all its rows, whatever the page size. */
    @ParameterizedTest
    @ValueSource(ints = {13, 97})
    @Order(1)
    void everyGroupIsComparedOnceWhateverThePageSize(int pageSize) throws Exception {
        Map<String, String> settings = settings();
        settings.put("bridge.import.page-size", String.valueOf(pageSize));

        VerifyRun run = VerifyRun.of(settings, reports);

        assertThat(run.exitCode()).as(run.terminal()).isZero();
        for (String type : List.of("group-members", "member-unread", "group-history")) {
            JsonNode t = run.type(type);
            assertThat(t.path("matching").asLong()).as(type).isPositive().isEqualTo(t.path("legacy").asLong());
            assertThat(t.path("missingInLegacy").asLong() + t.path("missingInTim").asLong() + t.path("different").asLong())
                    .as(type + " " + t.path("differences")).isZero();
        }
    }

    @Test
    @Order(2)
    void findsAMissingAccount() throws Exception {
        sql("INSERT INTO users (user_id, nickname, gender, created_at_ms, updated_at_ms) VALUES (?, ?, 0, 1, 1)",
                "verify_new_user", "New");
        try {
            VerifyRun run = verify("--only=accounts");
            assertThat(run.exitCode()).isEqualTo(4);
            assertThat(run.keys("accounts", "MISSING_IN_TIM")).containsExactly("verify_new_user");
            assertThat(run.type("accounts").path("missingInTim").asLong()).isEqualTo(1);
        } finally {
            sql("DELETE FROM users WHERE user_id = ?", "verify_new_user");
        }
    }

    /** Friendships of an account TIM does not hold (friend_check answers 30003) are listed, not a reason to stop. */
    @Test
    @Order(2)
    void listsTheFriendshipsOfAnAccountTimDoesNotHold() throws Exception {
        sql("INSERT INTO users (user_id, nickname, gender, created_at_ms, updated_at_ms) VALUES (?, ?, 0, 1, 1)",
                "verify_ghost", "Ghost");
        String friend = (String) row("SELECT MIN(user_id) FROM users WHERE user_id <> 'verify_ghost'").get(0);
        sql("INSERT INTO friendships (user_id, friend_id, added_at_ms) VALUES (?, ?, 1)", "verify_ghost", friend);
        try {
            VerifyRun run = verify("--only=friends");
            assertThat(run.exitCode()).as(run.terminal()).isEqualTo(4);
            assertThat(run.keys("friends", "MISSING_IN_TIM")).containsExactly("verify_ghost:" + friend);
        } finally {
            sql("DELETE FROM friendships WHERE user_id = ?", "verify_ghost");
            sql("DELETE FROM users WHERE user_id = ?", "verify_ghost");
        }
    }

    @Test
    @Order(3)
    void findsAChangedProfileValue() throws Exception {
        List<Object> user = row("SELECT user_id, nickname FROM users WHERE " + GOOD_USER.formatted("user_id")
                + " AND nickname IS NOT NULL ORDER BY user_id");
        sql("UPDATE users SET nickname = ? WHERE user_id = ?", "Changed <b>&", user.get(0));
        try {
            VerifyRun run = verify("--only=profiles");
            assertThat(run.exitCode()).isEqualTo(4);
            JsonNode d = run.type("profiles").path("differences").get(0);
            assertThat(d.path("key").asText()).isEqualTo(user.get(0));
            assertThat(d.path("field").asText()).isEqualTo("Tag_Profile_IM_Nick");
            assertThat(d.path("legacy").asText()).isEqualTo("Changed <b>&");
            assertThat(d.path("tim").asText()).isEqualTo(user.get(1));
            assertThat(run.type("profiles").path("different").asLong()).isEqualTo(1);
        } finally {
            sql("UPDATE users SET nickname = ? WHERE user_id = ?", user.get(1), user.get(0));
        }
    }

    /** A conversation of text messages TIM took, with at least three of them: first id, last time, pair. */
    private List<Object> conversation() throws Exception {
        return row("SELECT MIN(id), MAX(created_at_ms), sender_id, receiver_id FROM c2c_messages"
                + " WHERE msg_type = 'text' AND " + GOOD_USER.formatted("sender_id") + " AND "
                + GOOD_USER.formatted("receiver_id") + " AND sender_id < receiver_id"
                + " GROUP BY sender_id, receiver_id HAVING COUNT(*) >= 3 ORDER BY sender_id, receiver_id");
    }

    @Test
    @Order(4)
    void findsAMissingMessage() throws Exception {
        List<Object> conv = conversation();
        String pair = conv.get(2) + ":" + conv.get(3);
        sql("INSERT INTO c2c_messages (sender_id, receiver_id, msg_type, content, created_at_ms) VALUES (?, ?, 'text', ?, ?)",
                conv.get(2), conv.get(3), "never imported", System.currentTimeMillis() - 60_000);
        long id = ((Number) row("SELECT MAX(id) FROM c2c_messages").get(0)).longValue();
        try {
            VerifyRun run = verify("--only=c2c-history");
            assertThat(run.exitCode()).isEqualTo(4);
            assertThat(run.keys("c2c-history", "MISSING_IN_TIM")).containsExactly(pair + ":" + id);
        } finally {
            sql("DELETE FROM c2c_messages WHERE id = ?", id);
        }
    }

    /** Messages with an account TIM does not hold (admin_getroammsg answers 20003) are listed, not a reason to stop. */
    @Test
    @Order(4)
    void messagesOfAnAccountTimLacksAreMissingInTimAndVerifyGoesOn() throws Exception {
        sql("INSERT INTO users (user_id, nickname, gender, created_at_ms, updated_at_ms) VALUES (?, ?, 0, 1, 1)",
                "verify_no_tim", "Not in TIM");
        List<Object> conv = conversation();
        sql("INSERT INTO c2c_messages (sender_id, receiver_id, msg_type, content, created_at_ms) VALUES (?, ?, 'text', ?, ?)",
                "verify_no_tim", conv.get(2), "from an account TIM lacks", System.currentTimeMillis() - 60_000);
        long id = ((Number) row("SELECT MAX(id) FROM c2c_messages").get(0)).longValue();
        try {
            VerifyRun run = verify("--only=c2c-history");
            assertThat(run.exitCode()).as(run.terminal()).isEqualTo(4);
            assertThat(run.keys("c2c-history", "MISSING_IN_TIM")).singleElement().asString()
                    .endsWith(":" + id).contains("verify_no_tim");
            assertThat(run.type("c2c-history").path("differences").get(0).path("legacy").asText())
                    .isEqualTo("from an account TIM lacks");
        } finally {
            sql("DELETE FROM c2c_messages WHERE id = ?", id);
            sql("DELETE FROM users WHERE user_id = ?", "verify_no_tim");
        }
    }

    @Test
    @Order(5)
    void findsAReorderedMessage() throws Exception {
        List<Object> conv = conversation();
        long first = ((Number) conv.get(0)).longValue();
        long original = ((Number) row("SELECT created_at_ms FROM c2c_messages WHERE id = " + first).get(0)).longValue();
        // The legacy side now has the conversation's first message last.
        sql("UPDATE c2c_messages SET created_at_ms = ? WHERE id = ?", ((Number) conv.get(1)).longValue() + 1000, first);
        try {
            VerifyRun run = verify("--only=c2c-history");
            assertThat(run.exitCode()).isEqualTo(4);
            String key = conv.get(2) + ":" + conv.get(3) + ":" + first;
            assertThat(run.keys("c2c-history", "REORDERED")).containsExactly(key);
            assertThat(run.type("c2c-history").path("missingInTim").asLong()).isZero();
        } finally {
            sql("UPDATE c2c_messages SET created_at_ms = ? WHERE id = ?", original, first);
        }
    }

    @Test
    @Order(6)
    void findsAWrongMember() throws Exception {
        List<Object> member = row("SELECT m.id, m.group_id, m.user_id, m.role, m.joined_at_ms, m.unread_count"
                + " FROM group_members m JOIN im_groups g ON g.group_id = m.group_id WHERE m.role = 'member'"
                + " AND g.group_type <> 'live' AND g.dismissed_at_ms IS NULL AND OCTET_LENGTH(g.name) <= 30 AND "
                + GOOD_USER.formatted("m.user_id") + " ORDER BY m.group_id, m.user_id");
        sql("DELETE FROM group_members WHERE id = ?", member.get(0));
        try {
            VerifyRun run = verify("--only=group-members");
            assertThat(run.exitCode()).isEqualTo(4);
            assertThat(run.keys("group-members", "MISSING_IN_LEGACY"))
                    .containsExactly(member.get(1) + ":" + member.get(2));
        } finally {
            sql("INSERT INTO group_members (id, group_id, user_id, role, joined_at_ms, unread_count) VALUES (?, ?, ?, ?, ?, ?)",
                    member.toArray());
        }
    }

    @Test
    @Order(7)
    void findsAWrongUnreadCount() throws Exception {
        List<Object> member = row("SELECT m.group_id, m.user_id, m.unread_count FROM group_members m"
                + " JOIN im_groups g ON g.group_id = m.group_id WHERE m.unread_count > 1 AND g.group_type <> 'live'"
                + " AND g.dismissed_at_ms IS NULL AND OCTET_LENGTH(g.name) <= 30 AND "
                + GOOD_USER.formatted("m.user_id")
                + " AND (SELECT COUNT(*) FROM group_messages x WHERE x.group_id = m.group_id) > 1"
                + " ORDER BY m.group_id, m.user_id");
        TimClient tim = timClient();
        tim.call(TimApi.SET_UNREAD_MSG_NUM, Map.of("GroupId", member.get(0), "Member_Account", member.get(1),
                "UnreadMsgNum", 1));
        try {
            VerifyRun run = verify("--only=member-unread");
            assertThat(run.exitCode()).isEqualTo(4);
            String key = member.get(0) + ":" + member.get(1);
            assertThat(run.keys("member-unread", "DIFFERENT")).containsExactly(key);
            JsonNode d = run.type("member-unread").path("differences").get(0);
            assertThat(d.path("field").asText()).isEqualTo("UnreadMsgNum");
            assertThat(d.path("tim").asText()).isEqualTo("1");
        } finally {
            tim.call(TimApi.SET_UNREAD_MSG_NUM, Map.of("GroupId", member.get(0), "Member_Account", member.get(1),
                    "UnreadMsgNum", member.get(2)));
        }
    }

    @Test
    @Order(8)
    void checksASeededSampleAndEstimatesAFullPass() throws Exception {
        VerifyRun run = verify("--only=accounts,c2c-history", "--sample=3", "--seed=11");

        assertThat(run.exitCode()).as(run.terminal()).isZero();
        assertThat(run.report().path("seed").asLong()).isEqualTo(11);
        JsonNode accounts = run.type("accounts");
        assertThat(accounts.path("legacy").asLong() + accounts.path("deadLetterCount").asLong())
                .as("three sampled users, compared or refused").isEqualTo(3);
        assertThat(run.report().path("fullPassEstimates")).hasSize(2);
        assertThat(run.terminal()).contains("seed 11").contains("a full pass reads");
    }

    /**
     * A TIM reset with the state kept (same app, id map of the earlier TIM, whose MsgSeqs now belong to other
     * messages or to none), then {@code import --restart}: verify matches every message, with no phantom difference.
     */
    @Test
    @Order(99)
    void aTimResetWithTheStateKeptVerifiesWithoutPhantomDifferences() throws Exception {
        sandbox.stop();
        sandbox = TestSandboxes.standalone(VerifyRun.APP_ID, VerifyRun.ADMIN, KEY, Map.of());
        org.h2.jdbcx.JdbcDataSource state = new org.h2.jdbcx.JdbcDataSource();
        state.setURL(stateUrl);
        try (Connection c = state.getConnection(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("UPDATE tb_id_map SET tim_key = CONCAT(tim_key, '0') WHERE kind = 'group_msg'"))
                    .as("group messages the earlier TIM numbered").isPositive();
        }
        int code = Timbridge.runJob(Timbridge.newMain(Command.IMPORT, settings()), Command.IMPORT,
                Map.of("restart", "true"));
        assertThat(code).isEqualTo(3);

        VerifyRun run = verify("--only=group-history");

        JsonNode history = run.type("group-history");
        assertThat(history.path("differences")).as(run.terminal()).isEmpty();
        assertThat(history.path("matching").asLong()).isPositive().isEqualTo(history.path("legacy").asLong());
        assertThat(run.exitCode()).isZero();
    }
}
