import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbridge.legacy.LegacySchema;
import io.timbridge.sync.ChangeLogSchema;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sync as it runs in production, on this machine: the TIM sandbox and the bridge ({@code sync}) as separate
 * processes, the legacy and the state database on the local MariaDB. (a) drives the bridge's callback endpoint
 * with signed C2C.CallbackAfterSendMsg requests, as TIM would, from many connections at once; (b) writes legacy
 * messages and sends app 2.0 messages at a steady rate and times each one's arrival on the other side.
 */
public class SyncBench {
    static final Path DIR = Path.of("target/bench");
    static final String JAR = "target/timbridge.jar";
    static final ObjectMapper JSON = new ObjectMapper();
    /** For readiness checks and the sandbox's control and client APIs; callbacks go through {@link Connection1}. */
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";
    static final String APP_ID = "1400000000";
    static final String TOKEN = "bench-callback-token";
    static final int CALLBACKS = 100_000;
    static final int CONNECTIONS = 64;
    static final double TARGET_CALLBACKS_PER_SECOND = 5000;
    static final double TARGET_ANSWER_MS = 50;
    static final double TARGET_E2E_MS = 1000;
    static final int E2E_RATE = 50;
    static final int E2E_SECONDS = 60;

    public static void main(String[] args) throws Exception {
        Files.createDirectories(DIR);
        String part = args.length > 0 ? args[0] : "all";
        System.out.println("timbridge sync benchmark, " + Runtime.getRuntime().availableProcessors() + " cores, "
                + "legacy and state databases on MariaDB at 127.0.0.1:3306");
        int sandboxPort = freePort();
        int bridgePort = freePort();
        recreate("tb_bench_legacy");
        recreate("tb_bench_state");
        try (Connection c = DriverManager.getConnection(MARIADB + "tb_bench_legacy", "root", "")) {
            LegacySchema.apply(c);
            ChangeLogSchema.apply(c);
        }
        List<String> tim = List.of("--tim.sdk-app-id=" + APP_ID, "--tim.admin-identifier=administrator",
                "--tim.secret-key=bench-key");
        List<String> sandboxArgs = new ArrayList<>(List.of("sandbox", "--sandbox.port=" + sandboxPort,
                "--camel.management.enabled=false", "--sandbox.roaming-retention-days=0",
                "--sandbox.callback-url=http://127.0.0.1:" + bridgePort + "/tim/callback",
                "--sandbox.callback-token=" + TOKEN));
        sandboxArgs.addAll(tim);
        Process sandbox = start("sync-sandbox", sandboxArgs);
        List<String> bridgeArgs = new ArrayList<>(List.of("sync",
                "--legacy.datasource.url=" + MARIADB + "tb_bench_legacy", "--legacy.datasource.username=root",
                "--state.datasource.url=" + MARIADB + "tb_bench_state", "--state.datasource.username=root",
                "--tim.base-url=http://127.0.0.1:" + sandboxPort, "--tim.callback-token=" + TOKEN,
                "--camel.server.host=127.0.0.1", "--camel.server.port=" + bridgePort,
                "--camel.management.port=" + freePort()));
        bridgeArgs.addAll(tim);
        // Extra bridge settings for experiments, e.g. BENCH_SYNC_BRIDGE_ARGS="--bridge.callback.lanes=4"
        String extra = System.getenv("BENCH_SYNC_BRIDGE_ARGS");
        if (extra != null && !extra.isBlank()) {
            bridgeArgs.addAll(List.of(extra.trim().split("\\s+")));
        }
        Process bridge = start("sync-bridge", bridgeArgs);
        try {
            waitFor("http://127.0.0.1:" + sandboxPort + "/sandbox/counts", 200);
            waitFor("http://127.0.0.1:" + bridgePort + "/tim/callback", ROUTE_UP);
            if (part.equals("a") || part.equals("all")) {
                partA(bridgePort, bridge.toHandle());
            }
            if (part.equals("b") || part.equals("all")) {
                partB(sandboxPort);
            }
        } finally {
            bridge.destroy();
            sandbox.destroy();
            bridge.waitFor(60, TimeUnit.SECONDS);
            sandbox.waitFor(60, TimeUnit.SECONDS);
        }
    }

    /** (a) Signed callbacks from {@value #CONNECTIONS} connections; each answer means "stored durably". */
    static void partA(int bridgePort, ProcessHandle bridge) throws Exception {
        String base = "http://127.0.0.1:" + bridgePort + "/tim/callback?SdkAppid=" + APP_ID
                + "&CallbackCommand=C2C.CallbackAfterSendMsg&contenttype=json&ClientIP=127.0.0.1&OptPlatform=Android";
        long warmUp = 5_000;
        int warmUpFailed = send(base, 0, warmUp, new long[(int) warmUp]);
        long[] latencies = new long[CALLBACKS];
        long bridgeCpu = cpuNanos(bridge);
        long ownCpu = cpuNanos(ProcessHandle.current());
        long start = System.nanoTime();
        int failed = send(base, warmUp, CALLBACKS, latencies);
        double seconds = (System.nanoTime() - start) / 1e9;
        double bridgeCores = (cpuNanos(bridge) - bridgeCpu) / 1e9 / seconds;
        double ownCores = (cpuNanos(ProcessHandle.current()) - ownCpu) / 1e9 / seconds;
        long stored = count("tb_bench_state", "SELECT COUNT(*) FROM tb_callback_inbox");
        Arrays.sort(latencies);
        double rate = CALLBACKS / seconds;
        double p50 = latencies[CALLBACKS / 2] / 1e6;
        double p99 = latencies[(int) (CALLBACKS * 0.99)] / 1e6;
        System.out.printf("%n(a) %,d signed C2C callbacks from %d connections in %.1f s; %d not answered OK;"
                + " %,d in the MariaDB inbox (with %,d warm-up, %d of them not answered OK)%n", CALLBACKS, CONNECTIONS,
                seconds, failed, stored, warmUp, warmUpFailed);
        System.out.printf("    callbacks made durable per second: %,.0f  ratio to target %,.0f/s: %.2f%n",
                rate, TARGET_CALLBACKS_PER_SECOND, rate / TARGET_CALLBACKS_PER_SECOND);
        System.out.printf("    answer latency p50 %.1f ms (ratio to %.0f ms: %.2f), p99 %.1f ms (ratio: %.2f)%n",
                p50, TARGET_ANSWER_MS, p50 / TARGET_ANSWER_MS, p99, p99 / TARGET_ANSWER_MS);
        System.out.printf("    CPU while sending: the bridge %.2f cores, this load generator %.2f cores (of %d)%n",
                bridgeCores, ownCores, Runtime.getRuntime().availableProcessors());
        long drainStart = System.nanoTime();
        long total = stored;
        long written = 0;
        while (System.nanoTime() - drainStart < TimeUnit.MINUTES.toNanos(10)) {
            written = count("tb_bench_legacy", "SELECT COUNT(*) FROM c2c_messages");
            if (written >= total) {
                break;
            }
            Thread.sleep(500);
        }
        double drained = (System.nanoTime() - drainStart) / 1e9;
        // Each row names its TIM message in bridge_origin: as many distinct names as rows, or a message was doubled.
        long distinct = count("tb_bench_legacy", "SELECT COUNT(DISTINCT bridge_origin) FROM c2c_messages");
        System.out.printf("    then applied to the legacy database: %,d of %,d rows (%,d distinct TIM messages), %.1f s"
                + " after the last answer%n", written, total, distinct, drained);
    }

    /**
     * Sends callbacks numbered [from, from + count) over {@value #CONNECTIONS} persistent HTTP/1.1 connections, one
     * request at a time on each, as TIM does; returns how many failed. A plain socket client: the load it puts on
     * this machine's two cores should be TIM's, not the bridge's, so it does next to nothing per request.
     */
    static int send(String base, long from, long count, long[] latencies) throws Exception {
        URI uri = URI.create(base);
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        AtomicLong next = new AtomicLong();
        AtomicInteger failed = new AtomicInteger();
        byte[] token = TOKEN.getBytes(StandardCharsets.UTF_8);
        for (int t = 0; t < CONNECTIONS; t++) {
            pool.execute(() -> {
                Connection1 connection = null;
                long i;
                while ((i = next.getAndIncrement()) < count) {
                    long n = from + i;
                    long now = System.currentTimeMillis() / 1000;
                    String target = uri.getRawPath() + "?" + uri.getRawQuery() + "&RequestTime=" + now + "&Sign=" + sign(token, now);
                    String from_ = "u" + (n % 20_000);
                    String to = "u" + ((n * 7 + 1) % 20_000);
                    String body = "{\"CallbackCommand\":\"C2C.CallbackAfterSendMsg\",\"From_Account\":\"" + from_
                            + "\",\"To_Account\":\"" + to + "\",\"MsgSeq\":" + (n % 1_000_000) + ",\"MsgRandom\":" + n
                            + ",\"MsgTime\":" + now + ",\"MsgKey\":\"" + n + "_" + now + "\",\"OnlineOnlyFlag\":0,"
                            + "\"SendMsgResult\":0,\"ErrorInfo\":\"send msg succeed\",\"UnreadMsgNum\":1,"
                            + "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"bench " + n
                            + " 你好\"}}],\"CloudCustomData\":\"\"}";
                    long t0 = System.nanoTime();
                    try {
                        if (connection == null) {
                            connection = new Connection1(uri.getHost(), uri.getPort());
                        }
                        String answer = connection.post(target, body.getBytes(StandardCharsets.UTF_8));
                        if (!answer.startsWith("200 ") || !answer.contains("\"OK\"")) {
                            if (failed.incrementAndGet() == 1) {
                                System.out.println("    first failed answer: " + answer);
                            }
                        }
                    } catch (IOException e) {
                        connection = Connection1.close(connection);
                        if (failed.incrementAndGet() == 1) {
                            System.out.println("    first failed request: " + e);
                        }
                    }
                    latencies[(int) i] = System.nanoTime() - t0;
                }
                Connection1.close(connection);
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        return failed.get();
    }

    static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** One persistent HTTP/1.1 connection: a POST, then its answer read whole (Content-Length framing). */
    static final class Connection1 {
        private final java.net.Socket socket;
        private final java.io.OutputStream out;
        private final java.io.InputStream in;
        private final String host;

        Connection1(String host, int port) throws IOException {
            this.host = host + ":" + port;
            socket = new java.net.Socket(host, port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            out = new java.io.BufferedOutputStream(socket.getOutputStream(), 4096);
            in = new java.io.BufferedInputStream(socket.getInputStream(), 4096);
        }

        /** The status code and reason, a blank, and the body. */
        String post(String target, byte[] body) throws IOException {
            out.write(("POST " + target + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String status = line();
            int length = 0;
            boolean chunked = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                String name = colon > 0 ? header.substring(0, colon).trim() : "";
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Integer.parseInt(header.substring(colon + 1).trim());
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = header.substring(colon + 1).trim().equalsIgnoreCase("chunked");
                }
            }
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            if (chunked) {
                for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                    answer.write(bytes(size));
                    line();
                }
                line();
            } else {
                answer.write(bytes(length));
            }
            return status.substring(status.indexOf(' ') + 1) + " " + answer.toString(StandardCharsets.UTF_8);
        }

        private byte[] bytes(int length) throws IOException {
            byte[] data = in.readNBytes(length);
            if (data.length < length) {
                throw new IOException("connection closed in the middle of an answer");
            }
            return data;
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        static Connection1 close(Connection1 connection) {
            if (connection != null) {
                try {
                    connection.socket.close();
                } catch (IOException ignored) {
                    // closing a broken connection: nothing more to do with it
                }
            }
            return null;
        }
    }

    /**
     * (b) {@value #E2E_RATE} messages per second each way for {@value #E2E_SECONDS} s: legacy rows the app writes
     * (to TIM by importmsg) and app 2.0 messages sent through the sandbox (back by callback); each message's
     * latency is from its write or send to the moment the other side holds it.
     */
    static void partB(int sandboxPort) throws Exception {
        String sandbox = "http://127.0.0.1:" + sandboxPort;
        int users = 200;
        importAccounts(sandboxPort, users);
        int total = E2E_RATE * E2E_SECONDS;
        Map<String, Long> toTimSent = new ConcurrentHashMap<>();
        Map<String, Long> toLegacySent = new ConcurrentHashMap<>();
        long[] toTim = new long[total];
        long[] toLegacy = new long[total];
        AtomicInteger toTimSeen = new AtomicInteger();
        AtomicInteger toLegacySeen = new AtomicInteger();
        ExecutorService watchers = Executors.newFixedThreadPool(2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(E2E_SECONDS + 60);
        watchers.execute(() -> watchTim(sandbox, toTimSent, toTim, toTimSeen, total, deadline));
        watchers.execute(() -> watchLegacy(toLegacySent, toLegacy, toLegacySeen, total, deadline));
        try (Connection c = DriverManager.getConnection(MARIADB + "tb_bench_legacy", "root", "");
             PreparedStatement insert = c.prepareStatement("INSERT INTO c2c_messages (sender_id, receiver_id,"
                     + " msg_type, content, created_at_ms) VALUES (?, ?, 'text', ?, ?)")) {
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = start + i * 1_000_000_000L / E2E_RATE;
                while (System.nanoTime() < due) {
                    Thread.sleep(1);
                }
                String pair = i % (users / 2) * 2 + "";
                String a = "e" + pair;
                String b = "e" + (Integer.parseInt(pair) + 1);
                String l2t = "l2t-" + i;
                toTimSent.put(a + "|" + b + "|" + l2t, System.currentTimeMillis());
                insert.setString(1, a);
                insert.setString(2, b);
                insert.setString(3, l2t);
                insert.setLong(4, System.currentTimeMillis());
                insert.executeUpdate();
                String t2l = "t2l-" + i;
                toLegacySent.put(t2l, System.nanoTime());
                ObjectNode send = JSON.createObjectNode().put("UserID", b).put("To_Account", a);
                send.putArray("MsgBody").addObject().put("MsgType", "TIMTextElem").putObject("MsgContent").put("Text", t2l);
                post(sandbox + "/sandbox/client/c2c/send", send.toString());
            }
        }
        watchers.shutdown();
        watchers.awaitTermination(2, TimeUnit.MINUTES);
        System.out.printf("%n(b) %d messages per second each way for %d s (%,d each way), sandbox at TIM's limits%n",
                E2E_RATE, E2E_SECONDS, total);
        report("legacy -> TIM (importmsg)", toTim, toTimSeen.get(), total);
        report("TIM -> legacy (callback) ", toLegacy, toLegacySeen.get(), total);
    }

    static void report(String what, long[] latencies, int seen, int total) {
        long[] arrived = Arrays.stream(latencies).filter(l -> l > 0).sorted().toArray();
        if (arrived.length == 0) {
            System.out.printf("    %s: none of %,d arrived%n", what, total);
            return;
        }
        double p50 = arrived[arrived.length / 2] / 1e6;
        double p99 = arrived[(int) (arrived.length * 0.99)] / 1e6;
        System.out.printf("    %s: %,d of %,d arrived%s; p50 %.0f ms, p99 %.0f ms, max %.0f ms;"
                + " p99 ratio to %.0f ms: %.2f%n", what, seen, total, seen == total ? "" : " (NOT ALL)", p50, p99,
                arrived[arrived.length - 1] / 1e6, TARGET_E2E_MS, p99 / TARGET_E2E_MS);
    }

    /**
     * Polls the sandbox's conversations of the pairs with messages on their way; a message's latency is from its
     * legacy insert to the instant the sandbox stored it ({@code StoredAtMs}), so the polling adds nothing to it.
     */
    static void watchTim(String sandbox, Map<String, Long> sent, long[] latencies, AtomicInteger seen, int total,
            long deadline) {
        while (seen.get() < total && System.nanoTime() < deadline) {
            Map<String, List<String>> byPair = new java.util.HashMap<>();
            for (String key : sent.keySet()) {
                String[] k = key.split("\\|");
                byPair.computeIfAbsent(k[0] + "|" + k[1], p -> new ArrayList<>()).add(k[2]);
            }
            for (Map.Entry<String, List<String>> pair : byPair.entrySet()) {
                String[] ab = pair.getKey().split("\\|");
                try {
                    JsonNode conversation = JSON.readTree(get(sandbox + "/sandbox/c2c?A=" + ab[0] + "&B=" + ab[1]));
                    for (JsonNode m : conversation.path("MsgList")) {
                        String text = m.path("MsgBody").path(0).path("MsgContent").path("Text").asText();
                        Long t0 = sent.remove(pair.getKey() + "|" + text);
                        if (t0 != null) {
                            latencies[Integer.parseInt(text.substring(4))] = (m.path("StoredAtMs").asLong() - t0) * 1_000_000;
                            seen.incrementAndGet();
                        }
                    }
                } catch (Exception ignored) {
                    // the next round asks again
                }
            }
            sleep(5);
        }
    }

    /**
     * Reads the legacy rows the bridge wrote since the last look. Lanes commit out of id order, so each look reads
     * again from a margin below the highest id seen.
     */
    static void watchLegacy(Map<String, Long> sent, long[] latencies, AtomicInteger seen, int total, long deadline) {
        long after = 0;
        java.util.Set<Long> ids = new java.util.HashSet<>();
        try (Connection c = DriverManager.getConnection(MARIADB + "tb_bench_legacy", "root", "");
             PreparedStatement ps = c.prepareStatement("SELECT id, content FROM c2c_messages WHERE id > ?"
                     + " AND bridge_origin IS NOT NULL ORDER BY id")) {
            while (seen.get() < total && System.nanoTime() < deadline) {
                ps.setLong(1, Math.max(0, after - 500));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        after = Math.max(after, id);
                        if (!ids.add(id)) {
                            continue;
                        }
                        String content = rs.getString(2);
                        Long t0 = sent.remove(content);
                        if (t0 != null) {
                            latencies[Integer.parseInt(content.substring(4))] = System.nanoTime() - t0;
                            seen.incrementAndGet();
                        } else if (content.startsWith("t2l-")) {
                            System.out.println("    a second copy of " + content + " in the legacy database");
                        }
                    }
                }
                sleep(2);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void importAccounts(int sandboxPort, int users) throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("tim.base-url", "http://127.0.0.1:" + sandboxPort);
        p.setProperty("tim.sdk-app-id", APP_ID);
        p.setProperty("tim.admin-identifier", "administrator");
        p.setProperty("tim.secret-key", "bench-key");
        io.timbridge.tim.TimClient client = new io.timbridge.tim.TimClient(io.timbridge.tim.TimClientConfig.from(p));
        for (int first = 0; first < users; first += 100) {
            ObjectNode body = JSON.createObjectNode();
            for (int i = first; i < Math.min(users, first + 100); i++) {
                body.withArray("Accounts").add("e" + i);
            }
            client.call(io.timbridge.tim.TimApi.MULTIACCOUNT_IMPORT, body);
        }
    }

    static String sign(byte[] token, long requestTime) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(token);
            return HexFormat.of().formatHex(sha.digest(Long.toString(requestTime).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void recreate(String database) throws Exception {
        try (Connection c = DriverManager.getConnection(MARIADB, "root", ""); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database);
            st.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }
    }

    static long count(String database, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(MARIADB + database, "root", "");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** JVM options of a process from the environment, e.g. BENCH_SYNC_BRIDGE_JAVA_OPTS=-XX:StartFlightRecording=... */
    static Process start(String name, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g"));
        String extra = System.getenv("BENCH_" + name.toUpperCase().replace('-', '_') + "_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-jar", JAR));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(DIR.resolve(name + ".log").toFile()).start();
    }

    /** Any HTTP answer but 404: the server is up and the route answers. */
    static final int ROUTE_UP = -1;

    static void waitFor(String url, int status) throws Exception {
        for (int i = 0; i < 600; i++) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
                int answer = HTTP.send(status == ROUTE_UP ? request.POST(HttpRequest.BodyPublishers.ofString("{}")).build()
                        : request.GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (answer == status || status == ROUTE_UP && answer != 404) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(url + " did not answer within a minute; see target/bench/*.log");
    }

    static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static void post(String url, String body) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200 || !answer.body().contains("\"ErrorCode\":0")) {
            throw new IllegalStateException("sandbox refused " + body + ": " + answer.body());
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
