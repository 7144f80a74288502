package io.timbridge.tim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * A stand-in for TIM's REST gateway on 127.0.0.1, for client and component tests: records every
 * request with its arrival instant and answers from a script, falling back to a plain OK envelope.
 */
final class TimStub implements AutoCloseable {
    static final long APP = 1_400_000_000L;
    static final String KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
    static final String ADMIN = "administrator";
    static final String OK = "{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\"}";

    /**
     * What the stub does with one request: an HTTP status and body, or {@code status < 0} to drop the connection;
     * the body follows the status line and headers after {@code bodyDelayMillis}.
     */
    record Answer(int status, String body, long bodyDelayMillis) {
        Answer(int status, String body) {
            this(status, body, 0);
        }

        static Answer json(String body) {
            return new Answer(200, body);
        }

        static Answer error(int code, String info) {
            return json("{\"ActionStatus\":\"FAIL\",\"ErrorCode\":" + code + ",\"ErrorInfo\":\"" + info + "\"}");
        }
    }

    record Request(String method, String path, String rawQuery, Map<String, String> query, String contentType,
                   String body, long arrivalNanos) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Function<Request, Answer>> script = new ConcurrentLinkedQueue<>();

    TimStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Properties for a client of this stub; tests add or override keys. */
    Properties clientProperties() {
        Properties props = new Properties();
        props.setProperty("tim.base-url", baseUrl());
        props.setProperty("tim.sdk-app-id", String.valueOf(APP));
        props.setProperty("tim.admin-identifier", ADMIN);
        props.setProperty("tim.secret-key", KEY);
        return props;
    }

    /** The next requests get these answers, in order; after them every request gets {@link #OK}. */
    TimStub answer(Answer... answers) {
        for (Answer a : answers) {
            script.add(request -> a);
        }
        return this;
    }

    TimStub answerWith(Function<Request, Answer> responder) {
        script.add(responder);
        return this;
    }

    List<Request> requests() {
        return requests;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrival = System.nanoTime();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), rawQuery,
                parse(rawQuery), exchange.getRequestHeaders().getFirst("Content-Type"), body, arrival);
        requests.add(request);
        Function<Request, Answer> next = script.poll();
        Answer answer = next == null ? Answer.json(OK) : next.apply(request);
        if (answer.status() < 0) {
            exchange.close();
            return;
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (answer.bodyDelayMillis() > 0) {
                out.flush();
                try {
                    Thread.sleep(answer.bodyDelayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            out.write(bytes);
        }
    }

    private static Map<String, String> parse(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
