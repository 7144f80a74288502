package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** A tiny HTTP endpoint standing in for the app backend: records each callback and answers TIM's OK body. */
final class CallbackReceiver implements AutoCloseable {
    record Received(String method, Map<String, String> query, String contentType, JsonNode body) {
        String command() {
            return query.get("CallbackCommand");
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int status = 200;

    CallbackReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] in = exchange.getRequestBody().readAllBytes();
            Map<String, String> query = new LinkedHashMap<>();
            String raw = exchange.getRequestURI().getRawQuery();
            if (raw != null) {
                for (String pair : raw.split("&")) {
                    int eq = pair.indexOf('=');
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            received.add(new Received(exchange.getRequestMethod(), query,
                    exchange.getRequestHeaders().getFirst("Content-Type"), MessageBodies.JSON.readTree(in)));
            byte[] out = "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/tim/callback";
    }

    void answerWith(int httpStatus) {
        this.status = httpStatus;
    }

    List<Received> all() {
        return List.copyOf(received);
    }

    List<String> commands() {
        return received.stream().map(Received::command).collect(Collectors.toList());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
