package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends callbacks the way TIM does (callbacks.md): asynchronous POST of the JSON body to the configured URL
 * with {@code SdkAppid, CallbackCommand, contenttype, ClientIP, OptPlatform} and, when a token is set,
 * {@code RequestTime} and {@code Sign = hex(sha256(token + RequestTime))}; 2 s timeout; no retry.
 * A callback counts as delivered only on HTTP 200 with a JSON body, TIM's own failure rule.
 */
final class Callbacks implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final int LOG_CAPACITY = 10_000;

    private final SandboxConfig config;
    private final Clock clock;
    private final ExecutorService executor;
    private final HttpClient http;
    private final AtomicLong fired = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Deque<ObjectNode> log = new ArrayDeque<>();
    private final Set<String> enabled;

    Callbacks(SandboxConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.enabled = config.callbackCommands;
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "sandbox-callbacks");
            t.setDaemon(true);
            return t;
        });
        // TIM posts callbacks over HTTP/1.1 on persistent connections, not HTTP/2.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
                .executor(executor).build();
    }

    /** Fires {@code command} unless no URL is configured or the command is switched off. */
    void fire(String command, ObjectNode body, String optPlatform, String clientIp) {
        if (config.callbackUrl == null || !enabled.contains(command)) {
            return;
        }
        ObjectNode full = MessageBodies.JSON.createObjectNode().put("CallbackCommand", command);
        full.setAll(body);
        StringBuilder url = new StringBuilder(config.callbackUrl)
                .append(config.callbackUrl.contains("?") ? '&' : '?')
                .append("SdkAppid=").append(config.sdkAppId)
                .append("&CallbackCommand=").append(enc(command))
                .append("&contenttype=json")
                .append("&ClientIP=").append(enc(clientIp))
                .append("&OptPlatform=").append(enc(optPlatform));
        if (config.callbackToken != null) {
            long requestTime = clock.millis() / 1000;
            url.append("&RequestTime=").append(requestTime).append("&Sign=").append(sign(config.callbackToken, requestTime));
        }
        ObjectNode entry = MessageBodies.JSON.createObjectNode()
                .put("Seq", fired.incrementAndGet()).put("CallbackCommand", command)
                .put("OptPlatform", optPlatform).put("Url", url.toString());
        entry.set("Body", full);
        entry.put("Outcome", "pending");
        record(entry);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url.toString()))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(full.toString(), StandardCharsets.UTF_8))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, err) -> {
            String outcome;
            if (err != null) {
                outcome = "failed: " + err.getClass().getSimpleName();
            } else if (resp.statusCode() != 200) {
                outcome = "failed: HTTP " + resp.statusCode();
            } else if (!isJson(resp.body())) {
                outcome = "failed: answer is not JSON";
            } else {
                outcome = "delivered";
            }
            (outcome.equals("delivered") ? delivered : failed).incrementAndGet();
            synchronized (log) {
                entry.put("Outcome", outcome);
            }
        });
    }

    /** {@code lowercase_hex(SHA-256(token + requestTime))}, callbacks.md "Authentication". */
    static String sign(String token, long requestTime) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((token + requestTime).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isJson(String body) {
        try {
            JsonNode n = MessageBodies.JSON.readTree(body);
            return n != null && n.isObject();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private void record(ObjectNode entry) {
        synchronized (log) {
            if (log.size() == LOG_CAPACITY) {
                log.removeFirst();
            }
            log.addLast(entry);
        }
    }

    long fired() {
        return fired.get();
    }

    long delivered() {
        return delivered.get();
    }

    long failed() {
        return failed.get();
    }

    ArrayNode log() {
        ArrayNode out = MessageBodies.JSON.createArrayNode();
        synchronized (log) {
            log.forEach(e -> out.add(e.deepCopy()));
        }
        return out;
    }

    void reset() {
        synchronized (log) {
            log.clear();
        }
        fired.set(0);
        delivered.set(0);
        failed.set(0);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
