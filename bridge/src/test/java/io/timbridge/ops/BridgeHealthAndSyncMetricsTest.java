package io.timbridge.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbridge.config.Command;
import io.timbridge.sandbox.FaultSpec;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimClient;
import io.timbridge.tim.TimClientConfig;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.timbridge.testsupport.TestSandboxes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sync command with its management server: the metrics move as messages cross each way, and
 * {@code /observe/health} turns DOWN, naming the check, when the legacy database stops, a poller stops or TIM
 * rejects the UserSig; {@code status} prints the same.
 */
class BridgeHealthAndSyncMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    OpsHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new OpsHarness(dir);
        h.user("u1");
        h.user("u2");
        Properties p = new Properties();
        h.settings().forEach(p::setProperty);
        new TimClient(TimClientConfig.from(p)).call(TimApi.MULTIACCOUNT_IMPORT,
                Map.of("Accounts", List.of("u1", "u2")));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private PrometheusText metrics() throws Exception {
        return PrometheusText.parse(h.metrics());
    }

    private JsonNode health() throws Exception {
        return JSON.readTree(h.health().body());
    }


    @Test
    void metricsMoveBothWaysAndHealthGoesDownWithTheLegacyDatabaseAndAStoppedPoller() throws Exception {
        Map<String, String> settings = h.settings();
        settings.put("bridge.health.poller-missed-polls", "40");
        Main bridge = h.start(Command.SYNC, settings);
        await().atMost(WAIT).untilAsserted(() -> assertThat(h.health().statusCode()).as(h.health().body()).isEqualTo(200));

        // legacy -> TIM: a message is sent, its poll recorded, nothing waits
        long before = System.currentTimeMillis();
        h.c2c("u1", "u2", "hello TIM", System.currentTimeMillis());
        await().atMost(WAIT).untilAsserted(() -> {
            PrometheusText m = metrics();
            assertThat(m.value("timbridge_tim_calls_total", "api", "importmsg", "result", "ok")).isEqualTo(1);
            assertThat(m.value("timbridge_tim_call_seconds_count", "api", "importmsg")).isGreaterThanOrEqualTo(1);
            assertThat(m.value("timbridge_last_poll_timestamp_seconds", "poller", "sync-c2c-messages-to-tim"))
                    .isGreaterThanOrEqualTo(before / 1000.0);
            assertThat(m.value("timbridge_sync_lag_seconds", "direction", "legacy_to_tim")).isZero();
        });

        // TIM answers 5xx: a message written a minute ago waits, and the lag shows its age
        h.sandbox.faults().set("importmsg", FaultSpec.http5xx(503, 1.0, false));
        h.c2c("u1", "u2", "stuck", System.currentTimeMillis() - 60_000);
        await().atMost(WAIT).untilAsserted(() -> {
            PrometheusText m = metrics();
            assertThat(m.value("timbridge_sync_lag_seconds", "direction", "legacy_to_tim")).isGreaterThanOrEqualTo(60);
            assertThat(m.value("timbridge_sync_pending_rows", "poller", "sync-c2c-messages-to-tim")).isEqualTo(1);
            assertThat(m.value("timbridge_tim_calls_total", "api", "importmsg", "result", "transport_error")).isPositive();
        });
        h.sandbox.faults().clearAll();
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(metrics().value("timbridge_sync_lag_seconds", "direction", "legacy_to_tim")).isZero());

        // TIM -> legacy: a callback arrives and is drained
        assertThat(metrics().value("timbridge_last_callback_timestamp_seconds")).isNaN();
        h.sandbox.user("u2").sendC2c("u1", text("hello legacy"));
        await().atMost(WAIT).untilAsserted(() -> {
            PrometheusText m = metrics();
            assertThat(m.value("timbridge_last_callback_timestamp_seconds")).isGreaterThanOrEqualTo(before / 1000.0);
            assertThat(m.value("timbridge_callback_inbox_depth")).isZero();
            assertThat(m.value("timbridge_sync_lag_seconds", "direction", "tim_to_legacy")).isZero();
        });

        // status against the running, healthy bridge
        Status healthy = status("--url=" + h.managementUrl());
        assertThat(healthy.code).as(healthy.text).isZero();
        assertThat(healthy.text).contains("Bridge at " + h.managementUrl() + ": UP", "legacy -> TIM lag",
                "sync-c2c-messages-to-tim", "inbox depth 0", "importmsg", "Health: UP");

        // a poller stops: after 40 missed polls of 50 ms its check is DOWN, the other pollers' are not
        bridge.getCamelContext().getRouteController().stopRoute("sync-c2c-messages-to-tim");
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode health = health();
            JsonNode poller = check(health, "poller-sync-c2c-messages-to-tim");
            assertThat(poller.path("status").asText()).isEqualTo("DOWN");
            assertThat(poller.path("message").asText()).contains("has completed no poll");
            assertThat(check(health, "poller-sync-group-messages-to-tim").path("status").asText()).isEqualTo("UP");
        });
        Status down = status("--url=" + h.managementUrl());
        assertThat(down.code).as(down.text).isEqualTo(1);
        assertThat(down.text).contains("Health: DOWN", "poller-sync-c2c-messages-to-tim");

        // the legacy database stops: health names it, callbacks wait in the inbox and their lag grows
        h.stopLegacy();
        h.sandbox.user("u2").sendC2c("u1", text("while legacy is down"));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode health = health();
            assertThat(health.path("status").asText()).isEqualTo("DOWN");
            assertThat(check(health, "legacy-database").path("status").asText()).isEqualTo("DOWN");
            assertThat(check(health, "legacy-database").path("message").asText()).contains("unreachable");
            PrometheusText m = metrics();
            assertThat(m.value("timbridge_callback_inbox_depth")).isEqualTo(1);
            assertThat(m.value("timbridge_sync_lag_seconds", "direction", "tim_to_legacy")).isPositive();
        });
        assertThat(h.health().statusCode()).isEqualTo(503);
        assertThat(check(health(), "state-database").path("status").asText()).isEqualTo("UP");
    }

    @Test
    void aUserSigTimRejectsTurnsHealthDownNamingTheCodeAndTheFix() throws Exception {
        h.start(Command.SYNC, h.settings());
        await().atMost(WAIT).untilAsserted(() -> assertThat(health().path("status").asText()).isEqualTo("UP"));

        // The app's key rotated in TIM's console while the sync runs (a wrong key at start is refused).
        h.sandbox.faults().set("importmsg", io.timbridge.sandbox.FaultSpec.error(70009, 1));
        h.c2c("u1", "u2", "signed wrongly", System.currentTimeMillis());
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode sig = check(health(), "tim-usersig");
            assertThat(sig.path("status").asText()).isEqualTo("DOWN");
            assertThat(sig.path("message").asText()).contains("TIM refuses the bridge's calls: 70009");
        });
        assertThat(h.health().statusCode()).isEqualTo(503);
        assertThat(metrics().value("timbridge_tim_calls_total", "api", "importmsg", "result", "error")).isPositive();
    }

    /**
     * An API failing every call while each failure is handled (here: each message a dead letter) turns health
     * DOWN naming the API and TIM's code, and UP again by itself once the window holds no failures.
     */
    @Test
    void anApiFailingMostCallsTurnsHealthDownAndItRecoversByItself() throws Exception {
        Map<String, String> settings = h.settings();
        settings.put("bridge.health.tim-error-window-ms", "4000");
        settings.put("bridge.health.tim-error-min-calls", "3");
        Main bridge = h.start(Command.SYNC, settings);
        await().atMost(WAIT).untilAsserted(() -> assertThat(health().path("status").asText()).isEqualTo("UP"));

        h.sandbox.faults().set("importmsg", io.timbridge.sandbox.FaultSpec.error(90012, 1));
        for (int i = 0; i < 4; i++) {
            h.c2c("u1", "u2", "refused " + i, System.currentTimeMillis());
        }
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode errors = check(health(), "tim-errors");
            assertThat(errors.path("status").asText()).isEqualTo("DOWN");
            assertThat(errors.path("message").asText()).contains("importmsg (route sync-c2c-messages-to-tim): 4 of 4"
                    + " calls failed", "90012", "import the account first");
        });
        // Camel's route bean counts these handled failures as completed; the bridge's own bean shows them.
        String poller = "timbridge:context=" + bridge.getCamelContext().getName()
                + ",type=routes,name=sync-c2c-messages-to-tim";
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode bean = h.jolokiaRead(poller);
            assertThat(bean.path("FailuresHandled").asLong()).isGreaterThanOrEqualTo(4);
            assertThat(bean.path("LastErrorCode").asInt()).isEqualTo(90012);
            assertThat(bean.path("Direction").asText()).isEqualTo("legacy -> TIM");
        });
        long doneBefore = h.jolokiaRead(poller).path("Done").asLong();

        h.sandbox.faults().clearAll();
        h.c2c("u1", "u2", "accepted", System.currentTimeMillis());
        await().atMost(WAIT).untilAsserted(() -> assertThat(check(health(), "tim-errors").path("status").asText())
                .isEqualTo("UP"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(h.jolokiaRead(poller).path("Done").asLong())
                .isGreaterThan(doneBefore));
    }

    /** A check of {@code /observe/health}: the default exposure lists the checks that are not UP. */
    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode check : health.path("checks")) {
            if (check.path("name").asText().equals(name)) {
                return check;
            }
        }
        return JSON.createObjectNode().put("status", "UP");
    }

    record Status(int code, String text) {
    }

    static Status status(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = StatusCommand.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Status(code, bytes.toString(StandardCharsets.UTF_8));
    }
}
