package io.timbridge.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbridge.config.Command;
import io.timbridge.config.StartRefused;
import org.apache.camel.ServiceStatus;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The management port as a client sees it over HTTP: Jolokia reads what Hawtio shows and refuses what would change
 * the bridge (operations other than the console's read-only ones, writes), a password guards every path when set
 * (and status signs in with it), and the access policy is the operator's when they name one.
 */
class ManagementPortTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUTE = "org.apache.camel:context=timbridge,type=routes,name=\"import-accounts\"";
    private static final String CONTEXT = "org.apache.camel:context=timbridge,type=context,name=\"timbridge\"";

    @TempDir
    Path dir;
    OpsHarness h;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void harness() throws Exception {
        h = new OpsHarness(dir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void jolokiaReadsWhatHawtioShowsAndRefusesWhatWouldChangeTheBridge() throws Exception {
        Main bridge = h.start(Command.IMPORT, h.settings());

        JsonNode state = jolokia("{\"type\":\"read\",\"mbean\":\"" + esc(ROUTE) + "\",\"attribute\":\"State\"}", null);
        assertThat(state.path("status").asInt()).as(state.toString()).isEqualTo(200);
        assertThat(state.path("value").asText()).isEqualTo("Started");
        JsonNode routes = jolokia("{\"type\":\"exec\",\"mbean\":\"" + esc(CONTEXT) + "\",\"operation\":\"dumpRoutesAsXml()\"}", null);
        assertThat(routes.path("status").asInt()).as(routes.toString()).isEqualTo(200);
        assertThat(routes.path("value").asText()).contains("import-accounts");
        JsonNode stats = jolokia("{\"type\":\"exec\",\"mbean\":\"" + esc(ROUTE)
                + "\",\"operation\":\"dumpRouteStatsAsXml\",\"arguments\":[true,true]}", null);
        assertThat(stats.path("status").asInt()).as(stats.toString()).isEqualTo(200);
        assertThat(jolokia("{\"type\":\"list\",\"path\":\"org.apache.camel\"}", null).path("status").asInt()).isEqualTo(200);
        assertThat(jolokia("{\"type\":\"version\"}", null).path("status").asInt()).isEqualTo(200);

        JsonNode stopRoute = jolokia("{\"type\":\"exec\",\"mbean\":\"" + esc(ROUTE) + "\",\"operation\":\"stop()\"}", null);
        assertThat(stopRoute.path("status").asInt()).as(stopRoute.toString()).isEqualTo(403);
        JsonNode gc = jolokia("{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}", null);
        assertThat(gc.path("status").asInt()).as(gc.toString()).isEqualTo(403);
        JsonNode write = jolokia("{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\","
                + "\"value\":true}", null);
        assertThat(write.path("status").asInt()).as(write.toString()).isEqualTo(403);
        assertThat(bridge.getCamelContext().getRouteController().getRouteStatus("import-accounts"))
                .isEqualTo(ServiceStatus.Started);
    }

    @Test
    void aPasswordGuardsEveryManagementPath() throws Exception {
        Map<String, String> settings = h.settings();
        settings.put("bridge.management.user", "night-shift");
        settings.put("bridge.management.password", "cut-over");
        h.start(Command.IMPORT, settings);

        assertThat(get("/observe/health", null).statusCode()).isEqualTo(401);
        assertThat(get("/observe/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get("/observe/jolokia/version", null).statusCode()).isEqualTo(401);
        assertThat(get("/observe/health", "night-shift:wrong").statusCode()).isEqualTo(401);
        assertThat(get("/observe/health", "night-shift:cut-over").statusCode()).isEqualTo(200);
        assertThat(jolokia("{\"type\":\"version\"}", "night-shift:cut-over").path("status").asInt()).isEqualTo(200);
        BridgeHealthAndSyncMetricsTest.Status status = BridgeHealthAndSyncMetricsTest.status("--url=" + h.managementUrl(),
                "--bridge.management.user=night-shift", "--bridge.management.password=cut-over");
        assertThat(status.text()).as("status signs in").contains("Bridge at " + h.managementUrl() + ": UP", "Health: UP");
    }

    @Test
    void theOperatorsOwnPolicyIsTheOneApplied() throws Exception {
        Path policy = dir.resolve("jolokia-access.xml");
        Files.writeString(policy, """
                <restrict>
                  <commands><command>version</command></commands>
                </restrict>
                """);
        Map<String, String> settings = h.settings();
        settings.put("bridge.management.jolokia-policy", policy.toUri().toString());
        h.start(Command.IMPORT, settings);

        assertThat(jolokia("{\"type\":\"version\"}", null).path("status").asInt()).isEqualTo(200);
        JsonNode read = jolokia("{\"type\":\"read\",\"mbean\":\"" + esc(ROUTE) + "\",\"attribute\":\"State\"}", null);
        assertThat(read.path("status").asInt()).as(read.toString()).isEqualTo(403);
    }

    @Test
    void aPolicyThatCannotBeReadRefusesTheStartNamingTheSetting() {
        Map<String, String> settings = h.settings();
        settings.put("bridge.management.jolokia-policy", dir.resolve("missing.xml").toUri().toString());

        assertThatThrownBy(() -> h.start(Command.IMPORT, settings))
                .satisfies(e -> assertThat(rootRefusal(e)).isNotNull()
                        .hasMessageContaining("missing.xml").hasMessageContaining("bridge.management.jolokia-policy"));
    }

    private static StartRefused rootRefusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StartRefused refused) {
                return refused;
            }
        }
        return null;
    }

    private JsonNode jolokia(String request, String credentials) throws Exception {
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(h.managementUrl() + "/observe/jolokia"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(request));
        authorize(post, credentials);
        HttpResponse<String> answer = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(answer.body());
    }

    private HttpResponse<String> get(String path, String credentials) throws Exception {
        HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(h.managementUrl() + path)).timeout(Duration.ofSeconds(10));
        authorize(get, credentials);
        return http.send(get.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void authorize(HttpRequest.Builder request, String credentials) {
        if (credentials != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static String esc(String mbean) {
        return mbean.replace("\"", "\\\"");
    }
}
