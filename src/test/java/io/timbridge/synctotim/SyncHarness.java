package io.timbridge.synctotim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbridge.Timbridge;
import io.timbridge.config.Command;
import io.timbridge.legacy.LegacySchema;
import io.timbridge.sandbox.SandboxConfig;
import io.timbridge.sandbox.TimSandbox;
import io.timbridge.state.Checkpoints;
import io.timbridge.state.DeadLetters;
import io.timbridge.sync.ChangeLogSchema;
import io.timbridge.sync.EchoGuard;
import io.timbridge.testsupport.TestDatabases;
import io.timbridge.tim.TimApi;
import org.apache.camel.main.Main;
import org.h2.jdbcx.JdbcDataSource;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A coexistence set-up: a legacy database with the reference schema and the change log, a TIM sandbox of the
 * test's own (it outlives the bridge processes), the legacy sample imported by the real import command, and
 * the real {@code sync} command started and stopped on demand.
 */
final class SyncHarness implements AutoCloseable {
    static final String APP_ID = "1400000000";
    static final String ADMIN = "administrator";
    static final String KEY = "sync-test-key";
    static final List<String> USERS = List.of("u00", "u01", "u02", "u03", "u04", "u05", "u06", "u07", "u08", "u09",
            "u10", "u11");
    static final List<String> GROUPS = List.of("g0", "g1", "g2", "g3");

    private static final ObjectMapper JSON = new ObjectMapper();

    final TestDatabases.TestDatabase legacy;
    final LegacyApp app;
    final TimSandbox sandbox;
    final String stateUrl = "jdbc:h2:mem:state_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    final Map<String, String> settings = new LinkedHashMap<>();
    private Main sync;

    SyncHarness(TestDatabases.Kind kind) throws Exception {
        legacy = TestDatabases.create(kind);
        try (Connection c = legacy.connection()) {
            LegacySchema.apply(c);
            ChangeLogSchema.apply(c);
        }
        app = new LegacyApp(legacy.dataSource());
        Properties p = new Properties();
        p.setProperty("tim.sdk-app-id", APP_ID);
        p.setProperty("tim.admin-identifier", ADMIN);
        p.setProperty("tim.secret-key", KEY);
        p.setProperty("sandbox.port", "0");
        p.setProperty("sandbox.roaming-retention-days", "0");
        p.setProperty("sandbox.rate-limits.enabled", "false");
        sandbox = new TimSandbox(SandboxConfig.from(p)).start();

        settings.put("legacy.datasource.url", legacy.url());
        settings.put("legacy.datasource.username", legacy.user());
        settings.put("legacy.datasource.password", legacy.password());
        settings.put("state.datasource.url", stateUrl);
        settings.put("tim.sdk-app-id", APP_ID);
        settings.put("tim.admin-identifier", ADMIN);
        settings.put("tim.secret-key", KEY);
        settings.put("tim.base-url", "http://127.0.0.1:" + sandbox.port());
        settings.put("camel.management.enabled", "false");
        settings.put("camel.main.shutdown-timeout", "5");
        settings.put("tim.rate-limit.backoff-initial-ms", "20");
        settings.put("tim.rate-limit.backoff-max-ms", "200");
        for (TimApi api : TimApi.values()) {
            settings.put("tim.limits." + api.command() + ".qps", "0");
        }
        settings.put("bridge.import.retry-delay-ms", "20");
        settings.put("bridge.sync.poll-interval-ms", "50");
        settings.put("bridge.sync.settle-ms", "300");
        settings.put("bridge.sync.retry-delay-ms", "20");
        settings.put("bridge.sync.retry-max-delay-ms", "200");
    }

    /** The legacy sample before coexistence: users, four groups of six, some history; imported into TIM. */
    SyncHarness importSample() throws Exception {
        for (String u : USERS) {
            app.user(u);
        }
        for (int g = 0; g < GROUPS.size(); g++) {
            app.group(GROUPS.get(g), "u00", "Team " + g);
            for (int m = 1; m < 6; m++) {
                app.member(GROUPS.get(g), USERS.get(g + m));
            }
            for (int i = 0; i < 5; i++) {
                app.groupMessage(GROUPS.get(g), USERS.get(g + 1 + i % 5), "history " + i);
            }
        }
        for (int i = 0; i < 10; i++) {
            app.c2c(USERS.get(i % 4), USERS.get(4 + i % 4), "history " + i);
        }
        int code = Timbridge.runJob(Timbridge.newMain(Command.IMPORT, settings), Command.IMPORT, Map.of());
        assertThat(code).as("the sample imports cleanly").isZero();
        return this;
    }

    void startSync() {
        sync = Timbridge.newMain(Command.SYNC, settings);
        try {
            sync.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void stopSync() {
        if (sync != null) {
            sync.stop();
            sync = null;
        }
    }

    Checkpoints checkpoints() {
        return new Checkpoints(state());
    }

    DeadLetters deadLetters() {
        return new DeadLetters(state());
    }

    private JdbcDataSource state() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(stateUrl);
        return ds;
    }

    long count(String what) {
        return sandbox.inspect().counts().path(what).asLong();
    }

    long requests(String command) {
        return sandbox.inspect().counts().path("requests").path(command).asLong();
    }

    /** Legacy ids in the bridge's CloudCustomData markers of a C2C conversation, in TIM's history order. */
    List<Long> c2cMarkers(String a, String b) {
        JsonNode conversation = sandbox.inspect().c2c(a, b);
        return conversation == null ? List.of() : markers(conversation.path("MsgList"));
    }

    /** Legacy ids in the markers of a group's messages, in MsgSeq order (imported history carries none). */
    List<Long> groupMarkers(String groupId) {
        JsonNode messages = sandbox.inspect().groupMessages(groupId, 0, 100_000);
        return messages == null ? List.of() : markers(messages.path("MsgList"));
    }

    /** Messages in a group, marked or not. */
    long groupMessageCount(String groupId) {
        JsonNode messages = sandbox.inspect().groupMessages(groupId, 0, 100_000);
        return messages == null ? 0 : messages.path("MsgCnt").asLong();
    }

    private static List<Long> markers(JsonNode list) {
        List<Long> ids = new ArrayList<>();
        for (JsonNode m : list) {
            String data = m.path("CloudCustomData").asText("");
            if (EchoGuard.isMarked(data)) {
                try {
                    ids.add(JSON.readTree(data).path("id").asLong());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return ids;
    }

    @Override
    public void close() throws Exception {
        stopSync();
        sandbox.stop();
        legacy.close();
    }
}
