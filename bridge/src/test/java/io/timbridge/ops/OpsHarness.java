package io.timbridge.ops;

import io.timbridge.Timbridge;
import io.timbridge.testsupport.FreePorts;
import io.timbridge.testsupport.TestSandboxes;
import io.timbridge.config.Command;
import io.timbridge.legacy.LegacySchema;
import io.timbridge.sandbox.TimSandbox;
import io.timbridge.sync.ChangeLogSchema;
import io.timbridge.tim.TimApi;
import org.apache.camel.main.Main;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.Server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bridge command as it runs, with its management server on a free port: a legacy H2 database served over
 * TCP (so a test can stop it), an H2 state file, and a TIM sandbox of the test's own that sends signed
 * callbacks to the bridge's endpoint.
 */
final class OpsHarness implements AutoCloseable {
    static final String APP_ID = "1400000000";
    static final String ADMIN = "administrator";
    static final String KEY = "ops-test-key";
    static final String TOKEN = "ops-test-token";

    final TimSandbox sandbox;
    final String legacyUrl;
    final String stateUrl;
    final JdbcDataSource legacy = new JdbcDataSource();
    final int managementPort;
    final int callbackPort;
    private final Server legacyServer;
    private Main bridge;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    OpsHarness(Path dir) throws Exception {
        legacyServer = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
        legacyUrl = "jdbc:h2:tcp://127.0.0.1:" + legacyServer.getPort() + "/legacy";
        legacy.setURL(legacyUrl);
        try (Connection c = legacy.getConnection()) {
            LegacySchema.apply(c);
            ChangeLogSchema.apply(c);
        }
        stateUrl = "jdbc:h2:file:" + dir.resolve("state").toAbsolutePath() + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
        managementPort = FreePorts.next();
        callbackPort = FreePorts.next();
        sandbox = TestSandboxes.withCallbacks(APP_ID, ADMIN, KEY,
                "http://127.0.0.1:" + callbackPort + "/tim/callback", TOKEN);
    }

    /** Settings of every bridge command here; the management server on its own free port. */
    Map<String, String> settings() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("legacy.datasource.url", legacyUrl);
        p.put("legacy.datasource.connection-timeout-ms", "1000");
        p.put("state.datasource.url", stateUrl);
        p.put("tim.base-url", "http://127.0.0.1:" + sandbox.port());
        p.put("tim.sdk-app-id", APP_ID);
        p.put("tim.admin-identifier", ADMIN);
        p.put("tim.secret-key", KEY);
        p.put("tim.callback-token", TOKEN);
        p.put("tim.rate-limit.backoff-initial-ms", "20");
        p.put("tim.rate-limit.backoff-max-ms", "200");
        for (TimApi api : TimApi.values()) {
            p.put("tim.limits." + api.command() + ".qps", "0");
        }
        p.put("camel.management.host", "127.0.0.1");
        p.put("camel.management.port", String.valueOf(managementPort));
        p.put("camel.server.host", "127.0.0.1");
        p.put("camel.server.port", String.valueOf(callbackPort));
        p.put("camel.main.shutdown-timeout", "5");
        p.put("bridge.import.retry-delay-ms", "20");
        p.put("bridge.import.retry-max-delay-ms", "200");
        p.put("bridge.sync.poll-interval-ms", "50");
        p.put("bridge.sync.retry-delay-ms", "20");
        p.put("bridge.sync.retry-max-delay-ms", "100");
        p.put("bridge.callback.breaker.open-ms", "300");
        p.put("bridge.callback.sweep.initial-delay-ms", "3600000");
        p.put("bridge.metrics.state-refresh-ms", "100");
        p.put("bridge.health.database-timeout-ms", "1500");
        return p;
    }

    Main start(Command command, Map<String, String> settings) {
        bridge = Timbridge.newMain(command, settings);
        bridge.start();
        return bridge;
    }

    void stopBridge() {
        if (bridge != null) {
            bridge.stop();
            bridge = null;
        }
    }

    String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    String metrics() throws Exception {
        return get("/observe/metrics").body();
    }

    HttpResponse<String> health() throws Exception {
        return get("/observe/health");
    }

    /** An MBean's attributes as Hawtio reads them: Jolokia's read of the bridge's management port. */
    com.fasterxml.jackson.databind.JsonNode jolokiaRead(String objectName) throws Exception {
        HttpResponse<String> r = get("/observe/jolokia/read/" + objectName);
        com.fasterxml.jackson.databind.JsonNode answer = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(r.body());
        if (answer.path("status").asInt() != 200) {
            throw new AssertionError("Jolokia read of " + objectName + " answered " + r.body());
        }
        return answer.path("value");
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(managementUrl() + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    void stopLegacy() {
        legacyServer.stop();
    }

    void legacyUpdate(String sql, Object... args) throws SQLException {
        try (Connection c = legacy.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    void user(String id) throws SQLException {
        legacyUpdate("INSERT INTO users (user_id, nickname, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?)",
                id, "nick " + id, 1_700_000_000_000L, 1_700_000_000_000L);
    }

    void c2c(String from, String to, String text, long createdAtMs) throws SQLException {
        legacyUpdate("INSERT INTO c2c_messages (sender_id, receiver_id, msg_type, content, created_at_ms)"
                + " VALUES (?, ?, 'text', ?, ?)", from, to, text, createdAtMs);
    }


    @Override
    public void close() {
        stopBridge();
        sandbox.stop();
        legacyServer.stop();
    }
}
