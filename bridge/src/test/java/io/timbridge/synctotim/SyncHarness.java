package io.timbridge.synctotim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbridge.Timbridge;
import io.timbridge.testsupport.FreePorts;
import io.timbridge.testsupport.TestSandboxes;
import io.timbridge.config.Command;
import io.timbridge.legacy.LegacySchema;
import io.timbridge.sandbox.TimSandbox;
import io.timbridge.state.Checkpoints;
import io.timbridge.state.DeadLetters;
import io.timbridge.sync.ChangeLogSchema;
import io.timbridge.sync.EchoGuard;
import io.timbridge.testsupport.TestDatabases;
import io.timbridge.tim.TimApi;
import org.apache.camel.main.Main;
import org.h2.jdbcx.JdbcDataSource;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A coexistence set-up: a legacy database with the reference schema and the change log, a TIM sandbox of the
 * test's own (it outlives the bridge processes), the legacy sample imported by the real import command, and
 * the real {@code sync} command started and stopped on demand.
 */
final class SyncHarness implements AutoCloseable {
    static final String APP_ID = "1400000000";
    static final String ADMIN = "administrator";
    static final String KEY = "sync-test-key";
    static final String CALLBACK_TOKEN = "sync-test-token";
    static final List<String> USERS = List.of("u00", "u01", "u02", "u03", "u04", "u05", "u06", "u07", "u08", "u09",
            "u10", "u11");
    static final List<String> GROUPS = List.of("g0", "g1", "g2", "g3");

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Conversations the app writes in: four user pairs, each in both directions. */
    static final List<String[]> PAIRS = List.of(new String[]{"u00", "u04"}, new String[]{"u01", "u05"},
            new String[]{"u02", "u06"}, new String[]{"u03", "u07"});


    private final AutoCloseable legacy;
    final LegacyApp app;
    final TimSandbox sandbox;
    final String stateUrl;
    final Map<String, String> settings = new LinkedHashMap<>();
    private Main sync;

    /** A fresh legacy database of this kind (TestDatabases) and an in-memory state database. */
    SyncHarness(TestDatabases.Kind kind) throws Exception {
        this(TestDatabases.create(kind), 0);
    }

    private SyncHarness(TestDatabases.TestDatabase database, int callbackPort) throws Exception {
        this(database.url(), database.user(), database.password(), database.dataSource(), database,
                "jdbc:h2:mem:state_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1",
                callbackPort);
    }

    /**
     * Both directions: as {@link #SyncHarness(TestDatabases.Kind)}, and the sandbox posts its signed callbacks to the
     * bridge's callback endpoint, on a free port of its own.
     */
    static SyncHarness twoWay(TestDatabases.Kind kind) throws Exception {
        return new SyncHarness(TestDatabases.create(kind), FreePorts.next());
    }

    /**
     * Legacy and state databases as H2 files another process can open too (AUTO_SERVER). The state writes each
     * commit at once: H2's default write delay would lose the last half second of id-map entries to a kill.
     */
    static SyncHarness h2Files(Path dir) throws Exception {
        String legacyUrl = "jdbc:h2:file:" + dir.resolve("legacy").toAbsolutePath() + ";AUTO_SERVER=TRUE";
        JdbcDataSource legacy = new JdbcDataSource();
        legacy.setURL(legacyUrl);
        return new SyncHarness(legacyUrl, "", "", legacy, () -> { },
                "jdbc:h2:file:" + dir.resolve("state").toAbsolutePath() + ";AUTO_SERVER=TRUE;WRITE_DELAY=0", 0);
    }

    private SyncHarness(String legacyUrl, String legacyUser, String legacyPassword, DataSource legacyDataSource,
            AutoCloseable legacy, String stateUrl, int callbackPort) throws Exception {
        this.legacy = legacy;
        this.stateUrl = stateUrl;
        try (Connection c = legacyDataSource.getConnection()) {
            LegacySchema.apply(c);
            ChangeLogSchema.apply(c);
        }
        app = new LegacyApp(legacyDataSource);
        sandbox = callbackPort == 0 ? TestSandboxes.standalone(APP_ID, ADMIN, KEY, Map.of())
                : TestSandboxes.withCallbacks(APP_ID, ADMIN, KEY, "http://127.0.0.1:" + callbackPort + "/tim/callback",
                        CALLBACK_TOKEN);

        settings.put("legacy.datasource.url", legacyUrl);
        settings.put("legacy.datasource.username", legacyUser);
        settings.put("legacy.datasource.password", legacyPassword);
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
        settings.put("bridge.sync.settle-ms", "2000");
        settings.put("bridge.sync.retry-delay-ms", "20");
        settings.put("bridge.sync.retry-max-delay-ms", "200");
        if (callbackPort != 0) {
            settings.put("tim.callback-token", CALLBACK_TOKEN);
            settings.put("camel.server.host", "127.0.0.1");
            settings.put("camel.server.port", String.valueOf(callbackPort));
            settings.put("bridge.callback.sweep.initial-delay-ms", "3600000");
        }
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

    /** Each writer owns one conversation and one group, so each conversation has one legacy order. */
    void appWrites(int perWriter, String tag) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                String[] pair = PAIRS.get(w);
                String group = GROUPS.get(w);
                done.add(writers.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        app.c2c(pair[i % 2], pair[(i + 1) % 2], tag + " " + i);
                        app.groupMessage(group, USERS.get(GROUPS.indexOf(group) + 1 + i % 5), tag + " " + i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            writers.shutdown();
        }
    }

    List<Long> legacyC2cIds(String[] pair) throws Exception {
        return app.ids("SELECT id FROM c2c_messages WHERE bridge_origin IS NULL AND ((sender_id = ? AND"
                + " receiver_id = ?) OR (sender_id = ? AND receiver_id = ?)) ORDER BY id", pair[0], pair[1], pair[1], pair[0]);
    }

    List<Long> legacyLiveGroupIds(String group) throws Exception {
        return app.ids("SELECT id FROM group_messages WHERE bridge_origin IS NULL AND group_id = ?"
                + " AND content NOT LIKE 'history%' ORDER BY id", group);
    }

    void awaitEverythingInTim(long c2cMessages, long groupMessages) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(count("c2cMessages")).isEqualTo(c2cMessages);
            assertThat(count("groupMessages")).isEqualTo(groupMessages);
        });
    }

    /** Every conversation and group in TIM holds exactly the app's rows, each once, in legacy order. */
    void assertExactlyTheLegacyMessagesInOrder() throws Exception {
        for (String[] pair : PAIRS) {
            assertThat(c2cMarkers(pair[0], pair[1])).as("conversation %s-%s", pair[0], pair[1])
                    .isEqualTo(legacyC2cIds(pair));
        }
        for (String group : GROUPS) {
            assertThat(groupMarkers(group)).as("group %s", group).isEqualTo(legacyLiveGroupIds(group));
            assertThat(groupMessageCount(group)).as("group %s: history and live, nothing twice", group)
                    .isEqualTo(5 + legacyLiveGroupIds(group).size());
        }
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
