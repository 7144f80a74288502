package io.timbridge.callback;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbridge.Timbridge;
import io.timbridge.testsupport.FreePorts;
import io.timbridge.testsupport.TestSandboxes;
import io.timbridge.config.Command;
import io.timbridge.legacy.LegacySchema;
import io.timbridge.sync.ChangeLogSchema;
import io.timbridge.sandbox.TimSandbox;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimClient;
import io.timbridge.testsupport.TestDatabases.TestDatabase;
import io.timbridge.tim.TimClientConfig;
import org.apache.camel.main.Main;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.Server;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The TIM → legacy sync as it runs: the real {@code sync} command (its routes and beans) with its HTTP
 * endpoint on a free loopback port, a standalone TIM sandbox that sends real signed callbacks to it, a
 * legacy H2 database served over TCP (so a test can stop and restart it) and an H2 state database.
 */
final class SyncHarness implements AutoCloseable {
    static final String APP_ID = "1400000000";
    static final String ADMIN = "administrator";
    static final String KEY = "sync-test-key";
    static final String TOKEN = "sync-test-token";
    static final ObjectMapper JSON = new ObjectMapper();

    final TimSandbox sandbox;
    final int bridgePort;
    final String legacyUrl;
    final String stateUrl;
    final DataSource legacy;
    private final TestDatabase legacyDatabase;
    final JdbcDataSource state = new JdbcDataSource();
    private final Path dir;
    private final int legacyPort;
    private Server legacyServer;
    private Main bridge;

    SyncHarness(Path dir) throws Exception {
        this(dir, null);
    }

    /** With {@code legacyDatabase} null the legacy database is an H2 one served over TCP, which can be stopped. */
    SyncHarness(Path dir, TestDatabase legacyDatabase) throws Exception {
        this.dir = dir;
        this.legacyDatabase = legacyDatabase;
        legacyServer = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
        legacyPort = legacyServer.getPort();
        if (legacyDatabase == null) {
            legacyUrl = "jdbc:h2:tcp://127.0.0.1:" + legacyPort + "/legacy";
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(legacyUrl);
            legacy = h2;
        } else {
            legacyUrl = legacyDatabase.url();
            legacy = legacyDatabase.dataSource();
        }
        try (Connection c = legacy.getConnection()) {
            LegacySchema.apply(c);
            ChangeLogSchema.apply(c);
        }
        stateUrl = "jdbc:h2:file:" + dir.resolve("state").toAbsolutePath() + ";AUTO_SERVER=TRUE";
        state.setURL(stateUrl);
        bridgePort = FreePorts.next();
        sandbox = TestSandboxes.withCallbacks(APP_ID, ADMIN, KEY,
                "http://127.0.0.1:" + bridgePort + "/tim/callback", TOKEN);
    }

    /** The sync command's settings for this harness; tests may change them before {@link #startBridge}. */
    Map<String, String> settings() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("legacy.datasource.url", legacyUrl);
        if (legacyDatabase != null) {
            p.put("legacy.datasource.username", legacyDatabase.user());
            p.put("legacy.datasource.password", legacyDatabase.password());
        }
        p.put("state.datasource.url", stateUrl);
        p.put("tim.base-url", "http://127.0.0.1:" + sandbox.port());
        p.put("tim.sdk-app-id", APP_ID);
        p.put("tim.admin-identifier", ADMIN);
        p.put("tim.secret-key", KEY);
        p.put("tim.callback-token", TOKEN);
        p.put("camel.management.enabled", "false");
        p.put("camel.server.host", "127.0.0.1");
        p.put("camel.server.port", String.valueOf(bridgePort));
        p.put("bridge.callback.breaker.open-ms", "500");
        p.put("bridge.callback.sweep.initial-delay-ms", "3600000");
        return p;
    }

    /** Starts the bridge and sends its endpoint one refused request, so the first real callback meets warm code. */
    void startBridge(Map<String, String> settings) throws Exception {
        bridge = Timbridge.newMain(Command.SYNC, settings);
        bridge.start();
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + bridgePort + "/tim/callback?SdkAppid=0&CallbackCommand=warm-up"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding());
    }

    void stopBridge() {
        if (bridge != null) {
            bridge.stop();
            bridge = null;
        }
    }

    Main bridge() {
        return bridge;
    }

    void stopLegacy() {
        legacyServer.stop();
    }

    void restartLegacy() throws SQLException {
        legacyServer = Server.createTcpServer("-tcpPort", String.valueOf(legacyPort), "-baseDir", dir.toString(),
                "-ifNotExists").start();
    }

    /** Creates the accounts in TIM, as the import would have. */
    void importAccounts(String... ids) {
        Properties p = new Properties();
        settings().forEach(p::setProperty);
        ArrayNode list = JSON.createArrayNode();
        for (String id : ids) {
            list.add(id);
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("Accounts", list);
        new TimClient(TimClientConfig.from(p)).call(TimApi.MULTIACCOUNT_IMPORT, body);
    }


    List<Map<String, Object>> legacyRows(String sql) throws SQLException {
        return rows(legacy, sql);
    }

    /** A counter of the sandbox's inspection, e.g. {@code callbacksFired}. */
    long callbacks(String field) {
        return sandbox.inspect().counts().path(field).asLong();
    }

    /** Whether every callback the sandbox fired so far was answered (delivered or failed). */
    boolean callbacksAnswered() {
        return callbacks("callbacksDelivered") + callbacks("callbacksFailed") == callbacks("callbacksFired");
    }

    /** The legacy C2C texts per (sorted) user pair, {@code a|b}, in legacy id order. */
    Map<String, List<String>> legacyC2c() throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map<String, Object> r : legacyRows("SELECT sender_id, receiver_id, content FROM c2c_messages ORDER BY id")) {
            String a = (String) r.get("sender_id");
            String b = (String) r.get("receiver_id");
            out.computeIfAbsent(a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a, k -> new ArrayList<>())
                    .add((String) r.get("content"));
        }
        return out;
    }

    /** A group's legacy message texts in legacy id order. */
    List<String> groupTexts(String groupId) throws SQLException {
        return legacyRows("SELECT content FROM group_messages WHERE group_id = '" + groupId + "' ORDER BY id").stream()
                .map(r -> (String) r.get("content")).toList();
    }

    /** The single number a legacy query answers. */
    long legacyCount(String sql) throws SQLException {
        return ((Number) legacyRows(sql).get(0).values().iterator().next()).longValue();
    }

    long inboxCount(String status) {
        return new CallbackInbox(state).count(status);
    }

    static List<Map<String, Object>> rows(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            List<Map<String, Object>> out = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns; i++) {
                    row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
                }
                out.add(row);
            }
            return out;
        }
    }


    @Override
    public void close() {
        stopBridge();
        sandbox.stop();
        legacyServer.stop();
    }
}
