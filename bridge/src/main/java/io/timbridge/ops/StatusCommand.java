package io.timbridge.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.timbridge.Timbridge;
import io.timbridge.config.Database;
import org.apache.camel.impl.DefaultCamelContext;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;

/**
 * {@code java -jar timbridge.jar status [--url=http://127.0.0.1:9876]}: a running bridge's metrics and health,
 * read over HTTP from its management server (so it works for a bridge in another process or container), or,
 * when none answers, what the state database holds. Starts no Camel routes and no server: it never competes
 * with a running bridge for its ports.
 *
 * <p>Exit code: 0 the bridge answers and is UP, 1 it answers and is DOWN, 3 no bridge answers.
 */
public final class StatusCommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private StatusCommand() {
    }

    public static int run(String[] args, PrintStream out) {
        Map<String, String> overrides = Timbridge.parseOverrides(args);
        String url = overrides.remove("url");
        try (DefaultCamelContext context = propertiesOnly(overrides)) {
            if (url == null) {
                String host = context.resolvePropertyPlaceholders("{{camel.management.host:127.0.0.1}}");
                url = "http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":"
                        + context.resolvePropertyPlaceholders("{{camel.management.port:9876}}");
            }
            url = url.replaceAll("/+$", "");
            HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            String authorization = authorization(context);
            String metrics;
            HttpResponse<String> health;
            try {
                metrics = get(http, url + "/observe/metrics", authorization).body();
                health = get(http, url + "/observe/health?exposureLevel=full", authorization);
            } catch (IOException e) {
                return fromState(context, url, String.valueOf(e.getMessage() == null ? e : e.getMessage()), out);
            }
            if (!metrics.lines().anyMatch(line -> line.startsWith("timbridge_"))) {
                out.println("status: " + url + " answers, but not as a timbridge bridge (none of its timbridge_"
                        + " metrics): a TIM sandbox or another application holds that port. Point --url at the"
                        + " bridge's management port (camel.management.port, MANAGEMENT_PORT).");
                return 1;
            }
            JsonNode healthJson = JSON.readTree(health.body());
            out.print(StatusReport.ofBridge(url, PrometheusText.parse(metrics), healthJson, System.currentTimeMillis()));
            return "UP".equals(healthJson.path("status").asText()) ? 0 : 1;
        } catch (Exception e) {
            out.println("status failed: " + e.getMessage());
            return 1;
        }
    }

    /** A context that only resolves the launch's properties (profile, files, overrides), as the bridge would. */
    static DefaultCamelContext propertiesOnly(Map<String, String> overrides) {
        DefaultCamelContext context = new DefaultCamelContext();
        String profile = overrides.getOrDefault("camel.main.profile",
                System.getenv().getOrDefault("TIMBRIDGE_PROFILE", "prod"));
        context.getPropertiesComponent().setEncoding("UTF-8");
        context.getPropertiesComponent().setLocation(Timbridge.propertyLocations(profile));
        Properties props = new Properties();
        overrides.forEach(props::setProperty);
        context.getPropertiesComponent().setOverrideProperties(props);
        return context;
    }

    /** The bridge's state database, read-only in spirit: an H2 file that does not exist is not created. */
    static HikariDataSource openState(DefaultCamelContext context) {
        String stateUrl = context.resolvePropertyPlaceholders("{{state.datasource.url}}");
        Properties p = new Properties();
        p.setProperty("state.datasource.url", stateUrl.startsWith("jdbc:h2:file:") && !stateUrl.contains("IFEXISTS")
                ? stateUrl + ";IFEXISTS=TRUE" : stateUrl);
        p.setProperty("state.datasource.username", context.resolvePropertyPlaceholders("{{state.datasource.username:}}"));
        p.setProperty("state.datasource.password", context.resolvePropertyPlaceholders("{{state.datasource.password:}}"));
        p.setProperty("state.datasource.maximum-pool-size", "1");
        p.setProperty("state.datasource.connection-timeout-ms", String.valueOf(TIMEOUT.toMillis()));
        return Database.pool(p, "state.datasource");
    }

    private static HttpResponse<String> get(HttpClient http, String url, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The bridge's management password, when it has one (a bridge bound beyond loopback must). */
    private static String authorization(DefaultCamelContext context) {
        String password = context.resolvePropertyPlaceholders("{{" + HttpServers.PASSWORD + ":}}");
        if (password.isEmpty()) {
            return null;
        }
        String user = context.resolvePropertyPlaceholders("{{" + HttpServers.USER + "}}");
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static int fromState(DefaultCamelContext context, String url, String why, PrintStream out) {
        String stateUrl = context.resolvePropertyPlaceholders("{{state.datasource.url}}");
        // A status check must never create an empty H2 state file where the bridge has written none.
        try (HikariDataSource state = openState(context)) {
            int seconds = (int) TIMEOUT.toSeconds();
            out.print(StatusReport.ofState(url, why, stateUrl, StateSnapshot.checkpoints(state, seconds),
                    StateSnapshot.read(state, seconds), System.currentTimeMillis()));
        } catch (Exception e) {
            out.println("The bridge is not running: nothing answers at " + url + " (" + why + ").");
            out.println("Its state database " + stateUrl + " cannot be read either: " + e.getMessage());
        }
        return 3;
    }
}
