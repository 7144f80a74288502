package io.timbridge.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.timbridge.Timbridge;
import io.timbridge.config.Command;
import io.timbridge.legacy.SqlScript;
import io.timbridge.sandbox.TimSandbox;
import io.timbridge.testsupport.TestDatabases;
import io.timbridge.testsupport.TestDatabases.Kind;
import io.timbridge.testsupport.TestDatabases.TestDatabase;
import io.timbridge.testsupport.TestSandboxes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The import and verify on Tinode's schema (github.com/tinode/chat), adapted by configuration alone
 * (schemas/tinode/timbridge.properties): a clean match after the import with pages smaller than the largest group
 * and conversation, then planted differences each reported once under its key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ForeignSchemaTest {
    private static final String KEY = "tinode-test-key";
    private static final int PAGE_SIZE = 7;

    private TestDatabase legacy;
    private TimSandbox sandbox;
    private TinodeSample sample;
    private final String stateUrl = "jdbc:h2:mem:state_" + UUID.randomUUID().toString().replace("-", "")
            + ";DB_CLOSE_DELAY=-1";
    @TempDir
    Path reports;

    @BeforeAll
    void importTinode() throws Exception {
        legacy = TestDatabases.create(Kind.MARIADB);
        try (Connection c = legacy.connection()) {
            SqlScript.run(c, "schemas/tinode/schema.sql");
            sample = TinodeSample.fill(c);
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

    /** The test's connection settings, then the Tinode overlay, then pages smaller than the big group and chat. */
    private Map<String, String> settings() throws Exception {
        Map<String, String> settings = VerifyRun.settings(legacy, stateUrl, KEY, sandbox.port());
        Properties overlay = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("schemas/tinode/timbridge.properties")) {
            overlay.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        overlay.stringPropertyNames().forEach(k -> settings.put(k, overlay.getProperty(k)));
        settings.put("bridge.import.page-size", String.valueOf(PAGE_SIZE));
        return settings;
    }

    private long count(String sql) throws Exception {
        try (Connection c = legacy.connection()) {
            return TinodeSample.count(c, sql);
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

    private static List<String> deadLetterKeys(VerifyRun run, String type) {
        List<String> keys = new ArrayList<>();
        run.type(type).path("deadLetters").forEach(d -> keys.add(d.path("key").asText()));
        return keys;
    }

    @Test
    @Order(1)
    void importedTinodeDataVerifiesCleanAcrossPages() throws Exception {
        assertThat(PAGE_SIZE).isLessThan(sample.bigGroupSize).isLessThan(sample.bigConversationSize);

        VerifyRun run = VerifyRun.of(settings(), reports);

        assertThat(run.exitCode()).as(run.terminal()).isZero();
        for (JsonNode t : run.report().path("types")) {
            String type = t.path("type").asText();
            assertThat(t.path("matches").asBoolean()).as(t.toString()).isTrue();
            assertThat(t.path("matching").asLong()).as(type).isPositive().isEqualTo(t.path("legacy").asLong());
        }
        assertThat(run.report().path("types")).hasSize(8);
        assertThat(run.type("accounts").path("matching").asLong()).isEqualTo(sample.users.size());
        assertThat(run.type("friends").path("matching").asLong())
                .isEqualTo(count("SELECT COUNT(*) FROM subscriptions WHERE topic LIKE 'p2p%' AND deletedat IS NULL"));
        long c2c = count("SELECT COUNT(*) FROM messages WHERE topic LIKE 'p2p%' AND deletedat IS NULL");
        assertThat(run.type("c2c-history").path("matching").asLong()).as("all but the three refused").isEqualTo(c2c - 3);
        assertThat(deadLetterKeys(run, "c2c-history")).containsExactlyInAnyOrder(String.valueOf(sample.videoCallId),
                String.valueOf(sample.inBandImageId), String.valueOf(sample.hugeTextId));
        assertThat(deadLetterKeys(run, "groups")).containsExactly(sample.refusedGroup);
        assertThat(run.type("groups").path("matching").asLong()).as("live groups, and the deleted one absent")
                .isEqualTo(count("SELECT COUNT(*) FROM topics WHERE name LIKE 'grp%'") - 1);
        assertThat(deadLetterKeys(run, "group-history")).contains(String.valueOf(sample.audioId));
        long groupMessages = count("SELECT COUNT(*) FROM messages x JOIN topics t ON t.name = x.topic"
                + " WHERE x.topic LIKE 'grp%' AND x.deletedat IS NULL AND t.state <> 20 AND t.name <> '"
                + sample.refusedGroup + "'");
        assertThat(run.type("group-history").path("matching").asLong()).as("all but the audio record")
                .isEqualTo(groupMessages - 1);
        assertThat(run.terminal()).contains("Both sides match.");
    }

    @Test
    @Order(2)
    void findsEachPlantedDifferenceOnceUnderItsKey() throws Exception {
        long newUser = 7_300_000_000_000_000_001L;
        String text = "SELECT content FROM messages WHERE id = " + sample.bigConversationTextId;
        String original;
        try (Connection c = legacy.connection(); var st = c.createStatement(); var rs = st.executeQuery(text)) {
            rs.next();
            original = rs.getString(1);
        }
        sql("UPDATE messages SET content = ? WHERE id = ?", "\"这条消息被改过了\"", sample.bigConversationTextId);
        sql("UPDATE subscriptions SET deletedat = updatedat WHERE topic = ? AND userid = ?", sample.bigGroup,
                sample.bigGroupQuietMember);
        sql("INSERT INTO users (id, createdat, updatedat, public) VALUES (?, NOW(3), NOW(3), ?)", newUser,
                "{\"fn\":\"新来的同事\"}");
        try {
            VerifyRun run = VerifyRun.of(settings(), reports);

            assertThat(run.exitCode()).as(run.terminal()).isEqualTo(4);
            List<String> found = new ArrayList<>();
            for (JsonNode t : run.report().path("types")) {
                t.path("differences").forEach(d -> found.add(t.path("type").asText() + " " + d.path("kind").asText()
                        + " " + d.path("key").asText()));
            }
            String conversation = Verifier.conversation(String.valueOf(sample.bigA), String.valueOf(sample.bigB));
            assertThat(found).containsExactlyInAnyOrder(
                    "accounts MISSING_IN_TIM " + newUser,
                    "profiles MISSING_IN_TIM " + newUser,
                    "c2c-history DIFFERENT " + conversation + ":" + sample.bigConversationTextId,
                    "group-members MISSING_IN_LEGACY " + sample.bigGroup + ":" + sample.bigGroupQuietMember);
            JsonNode changed = run.type("c2c-history").path("differences").get(0);
            assertThat(changed.path("field").asText()).isEqualTo("MsgBody");
            assertThat(changed.path("legacy").asText()).contains("这条消息被改过了");
        } finally {
            sql("DELETE FROM users WHERE id = ?", newUser);
            sql("UPDATE subscriptions SET deletedat = NULL WHERE topic = ? AND userid = ?", sample.bigGroup,
                    sample.bigGroupQuietMember);
            sql("UPDATE messages SET content = ? WHERE id = ?", original, sample.bigConversationTextId);
        }
    }
}
