package io.timbridge.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.timbridge.config.Command;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.timbridge.ops.BridgeHealthAndSyncMetricsTest.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A small import against the sandbox with the management server up: its metrics count what the import did,
 * {@code status} prints the routes while the bridge runs, and reads the state database once it has stopped.
 */
class BridgeImportMetricsAndStatusTest {
    @TempDir
    Path dir;
    OpsHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new OpsHarness(dir);
        for (int u = 1; u <= 5; u++) {
            h.user("u" + u);
            // Two custom fields each: the profile query returns two rows per user, and one profile per user counts.
            h.legacyUpdate("INSERT INTO user_custom_fields (user_id, field_key, field_value) VALUES (?, 'level', '3')",
                    "u" + u);
            h.legacyUpdate("INSERT INTO user_custom_fields (user_id, field_key, field_value) VALUES (?, 'vip', '1')",
                    "u" + u);
        }
        for (int i = 0; i < 12; i++) {
            h.c2c("u" + (1 + i % 5), "u" + (1 + (i + 1) % 5), "history " + i, 1_700_000_000_000L + i);
        }
        // TIM takes no message of this type: a dead letter of import-c2c-history
        h.legacyUpdate("INSERT INTO c2c_messages (sender_id, receiver_id, msg_type, content, created_at_ms)"
                + " VALUES ('u1', 'u2', 'hologram', 'x', 1700000001000)");
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void importMetricsCountTheWorkAndStatusShowsTheRoutesWithAndWithoutTheBridge() throws Exception {
        Main bridge = h.start(Command.IMPORT, h.settings());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int code = Command.IMPORT.job().run(bridge.getCamelContext(), Map.of("only", "accounts,profiles,c2c-history"),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(code).as("finished with dead letters: " + log.toString(StandardCharsets.UTF_8)).isEqualTo(3);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            PrometheusText m = PrometheusText.parse(h.metrics());
            assertThat(m.value("timbridge_import_items_total", "type", "accounts", "outcome", "applied")).isEqualTo(5);
            assertThat(m.value("timbridge_import_items_total", "type", "profiles", "outcome", "applied")).isEqualTo(5);
            assertThat(m.value("timbridge_import_items_total", "type", "c2c-history", "outcome", "applied")).isEqualTo(12);
            assertThat(m.value("timbridge_import_items_total", "type", "c2c-history", "outcome", "dead_letter")).isEqualTo(1);
            assertThat(m.value("timbridge_import_items_total", "type", "friends", "outcome", "applied")).isZero();
            assertThat(m.value("timbridge_import_state", "type", "accounts")).isEqualTo(2);
            assertThat(m.value("timbridge_import_items_expected", "type", "c2c-history")).isEqualTo(13);
            assertThat(m.value("timbridge_tim_calls_total", "api", "multiaccount_import", "result", "ok")).isPositive();
            assertThat(m.value("timbridge_tim_calls_total", "api", "importmsg", "result", "ok")).isEqualTo(12);
            assertThat(m.value("timbridge_tim_calls_total", "api", "importmsg", "result", "error")).isZero();
            assertThat(m.value("timbridge_tim_call_seconds_count", "api", "importmsg")).isEqualTo(12);
            assertThat(m.value("timbridge_dead_letters", "route", "import-c2c-history")).isEqualTo(1);
        });
        // What Hawtio reads, through the bridge's Jolokia: the route's progress, its dead letter and why.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode bean = h.jolokiaRead("timbridge:context=" + bridge.getCamelContext().getName()
                    + ",type=routes,name=import-c2c-history");
            assertThat(bean.path("State").asText()).isEqualTo("finished");
            assertThat(bean.path("Done").asLong()).isEqualTo(13);
            assertThat(bean.path("Expected").asLong()).isEqualTo(13);
            assertThat(bean.path("FailuresHandled").asLong()).isEqualTo(1);
            assertThat(bean.path("OpenDeadLetters").asLong()).isEqualTo(1);
            assertThat(bean.path("LastError").asText()).contains("hologram");
        });

        BridgeHealthAndSyncMetricsTest.Status running = status("--url=" + h.managementUrl());
        assertThat(running.text()).contains("Bridge at " + h.managementUrl(), "import-accounts", "import-c2c-history",
                "finished", "Dead letters (open): 1", "multiaccount_import", "Health: ");
        assertThat(running.text()).doesNotContain("import-friends");

        h.stopBridge();
        BridgeHealthAndSyncMetricsTest.Status stopped = status("--url=" + h.managementUrl(),
                "--state.datasource.url=" + h.stateUrl);
        assertThat(stopped.code()).as(stopped.text()).isEqualTo(3);
        assertThat(stopped.text()).contains("The bridge is not running", h.managementUrl(), "import-accounts",
                "import-c2c-history", "Dead letters (open): 1", "Callback inbox: 0 waiting");
        assertThat(stopped.text()).as("profiles counted as the live view counts them, not as rows")
                .containsPattern("import-profiles\\s+5\\s+finished");
    }
}
