package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbridge.tim.UserSig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;

/** A sandbox on an ephemeral loopback port with a movable clock, and a REST client signing as the admin. */
final class SandboxHarness implements AutoCloseable {
    static final long APP = 1_400_000_000L;
    static final String ADMIN = "administrator";
    static final String KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

    final MutableClock clock = new MutableClock();
    final TimSandbox sandbox;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String adminSig = UserSig.generate(APP, KEY, ADMIN, 86_400);
    private long random;

    SandboxHarness(String... keyValues) {
        Properties p = new Properties();
        p.setProperty("tim.sdk-app-id", Long.toString(APP));
        p.setProperty("tim.admin-identifier", ADMIN);
        p.setProperty("tim.secret-key", KEY);
        p.setProperty("sandbox.port", "0");
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        sandbox = new TimSandbox(SandboxConfig.from(p), clock).start();
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) MessageBodies.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    String base() {
        return "http://127.0.0.1:" + sandbox.port();
    }

    String query(String identifier, String sig) {
        return "?sdkappid=" + APP + "&identifier=" + identifier + "&usersig=" + sig + "&random=" + (++random) + "&contenttype=json";
    }

    /** POSTs {@code body} to {@code /v4/<path>} as the admin and returns TIM's answer (asserting HTTP 200). */
    JsonNode call(String path, Object body) {
        HttpResponse<String> r = post(base() + "/v4/" + path + query(ADMIN, adminSig), body.toString());
        if (r.statusCode() != 200) {
            throw new AssertionError("HTTP " + r.statusCode() + " for " + path + ": " + r.body());
        }
        return parse(r.body());
    }

    HttpResponse<String> post(String url, String body) {
        return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode parse(String s) {
        try {
            return MessageBodies.JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void importAccounts(String... ids) {
        ArrayNode list = MessageBodies.JSON.createArrayNode();
        for (String id : ids) {
            list.add(id);
        }
        ObjectNode body = MessageBodies.JSON.createObjectNode();
        body.set("Accounts", list);
        JsonNode r = call("im_open_login_svc/multiaccount_import", body);
        if (r.get("ErrorCode").asInt() != 0 || !r.get("FailAccounts").isEmpty()) {
            throw new AssertionError("import failed: " + r);
        }
    }

    @Override
    public void close() {
        sandbox.stop();
    }
}
