package io.timbridge.callback;

import io.timbridge.testsupport.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Signed callbacks arrive without pause while the bridge starts, as they do when it is restarted under traffic.
 *
 * <p>The contract, since TIM sends each callback once and never retries it: a callback answered 200 OK is stored
 * and applied to the legacy database exactly once. Until the bridge can store callbacks it either is not listening
 * (connection refused) or answers 503 with Retry-After, and stores nothing: both are deliveries TIM counts as failed,
 * which the gap sweep repairs later. It never answers 404, which tells TIM and the operator the URL is wrong while
 * dropping the event. Health is UP only once callbacks are stored, so an operator or load balancer that waits for it
 * loses none.
 */
class TimCallbackEndpointStartupTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int REFUSED = -1;
    private static final String COMMAND = "C2C.CallbackAfterSendMsg";

    @TempDir
    Path dir;
    SyncHarness h;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final ScheduledExecutorService clients = Executors.newScheduledThreadPool(2);

    /**
     * One callback sent (at System.nanoTime {@code sentAt}) and its HTTP status ({@link #REFUSED}: no connection);
     * {@code detail} is the Retry-After of a 503, the exception of a refusal, else the body.
     */
    record Sent(String text, long sentAt, int status, String detail) {
    }

    /** One health answer (at System.nanoTime {@code answeredAt}) and its HTTP status, {@link #REFUSED} before it listens. */
    record Health(long answeredAt, int status, String body) {
    }

    @BeforeEach
    void start() throws Exception {
        h = new SyncHarness(dir);
    }

    @AfterEach
    void stop() throws InterruptedException {
        clients.shutdownNow();
        clients.awaitTermination(30, TimeUnit.SECONDS);
        h.close();
    }

    @Test
    void callbacksSentWhileTheBridgeStartsAreStoredOnceOrRefusedOutrightAndHealthIsUpOnlyOnceTheyAreStored()
            throws Exception {
        int managementPort = FreePorts.next();
        Map<String, String> settings = h.settings();
        settings.put("camel.management.enabled", "true");
        settings.put("camel.management.host", "127.0.0.1");
        settings.put("camel.management.port", String.valueOf(managementPort));
        ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Health> health = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        clients.scheduleWithFixedDelay(() -> sent.add(send("boot-" + next.getAndIncrement())), 0, 5, TimeUnit.MILLISECONDS);
        clients.scheduleWithFixedDelay(() -> health.add(health(managementPort)), 0, 20, TimeUnit.MILLISECONDS);
        await().atMost(WAIT).until(() -> sent.size() >= 20);

        h.startBridge(settings);
        long okAtStart = sent.stream().filter(s -> s.status() == 200).count();
        await().atMost(WAIT).until(() -> sent.stream().filter(s -> s.status() == 200).count() >= okAtStart + 50);
        // And on until health has said UP for a while: the callbacks sent after that must all be OK.
        await().atMost(WAIT).until(() -> health.stream().filter(r -> r.status() == 200).count() >= 10);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        Map<Integer, Long> statuses = sent.stream().collect(Collectors.groupingBy(Sent::status, Collectors.counting()));
        assertThat(statuses).as("answers by status (-1: connection refused)").doesNotContainKey(404);
        assertThat(statuses.keySet()).as("answers by status (-1: connection refused): %s", statuses)
                .isSubsetOf(200, 503, REFUSED);
        assertThat(sent.stream().filter(s -> s.status() == 503))
                .allSatisfy(s -> assertThat(s.detail()).as("Retry-After of %s", s.text()).matches("\\d+"));
        assertThat(sent.stream().filter(s -> s.status() == REFUSED))
                .allSatisfy(s -> assertThat(s.detail()).as(s.text()).isEqualTo(ConnectException.class.getName()));

        List<Health> answered = health.stream().filter(r -> r.status() != REFUSED).toList();
        Health firstUp = answered.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
        assertThat(answered.stream().filter(r -> r.answeredAt() > firstUp.answeredAt()))
                .as("health stays UP once it was UP").allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(200));
        assertThat(sent.stream().filter(s -> s.sentAt() > firstUp.answeredAt()))
                .as("callbacks sent after health was UP").isNotEmpty()
                .allSatisfy(s -> assertThat(s.status()).as(s.text()).isEqualTo(200));

        await().atMost(WAIT).until(() -> h.inboxCount(CallbackInbox.NEW) == 0);
        Map<String, Long> stored = h.legacyRows("SELECT content FROM c2c_messages").stream()
                .collect(Collectors.groupingBy(r -> (String) r.get("content"), Collectors.counting()));
        Map<String, Long> ok = sent.stream().filter(s -> s.status() == 200)
                .collect(Collectors.toMap(Sent::text, s -> 1L));
        assertThat(stored).as("legacy rows by text: each OK once, nothing else").isEqualTo(ok);
        assertThat(h.inboxCount(CallbackInbox.DEAD)).isZero();
    }

    /** A correctly signed C2C callback carrying {@code text}, as TIM sends it. */
    private Sent send(String text) {
        long now = System.currentTimeMillis() / 1000;
        int n = Integer.parseInt(text.substring(text.indexOf('-') + 1));
        String body = "{\"CallbackCommand\":\"" + COMMAND + "\",\"From_Account\":\"u1\",\"To_Account\":\"u2\","
                + "\"MsgSeq\":" + (n + 1) + ",\"MsgRandom\":" + n + ",\"MsgTime\":" + now + ",\"MsgKey\":\"" + (n + 1) + "_"
                + n + "_" + now + "\",\"SendMsgResult\":0,"
                + "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"" + text + "\"}}]}";
        String url = "http://127.0.0.1:" + h.bridgePort + "/tim/callback?SdkAppid=" + SyncHarness.APP_ID
                + "&CallbackCommand=" + COMMAND + "&contenttype=json&ClientIP=127.0.0.1&OptPlatform=Android"
                + "&RequestTime=" + now + "&Sign=" + sign(now);
        return exchange(http, URI.create(url), body, (response, at) -> new Sent(text, at[0], response.statusCode(),
                response.statusCode() == 503 ? response.headers().firstValue("Retry-After").orElse("")
                        : response.body()), (e, at) -> new Sent(text, at[0], REFUSED, e.getClass().getName()));
    }

    private Health health(int port) {
        return exchange(http, URI.create("http://127.0.0.1:" + port + "/observe/health"), null,
                (response, at) -> new Health(at[1], response.statusCode(), response.body()),
                (e, at) -> new Health(at[1], REFUSED, e.toString()));
    }

    /** GET, or POST of {@code body}; {@code at} holds the nanoTime before sending and after the answer. */
    private static <T> T exchange(HttpClient http, URI uri, String body,
            BiFunction<HttpResponse<String>, long[], T> answered, BiFunction<IOException, long[], T> failed) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        long[] at = {System.nanoTime(), 0};
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            at[1] = System.nanoTime();
            return answered.apply(response, at);
        } catch (IOException e) {
            at[1] = System.nanoTime();
            return failed.apply(e, at);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String sign(long requestTime) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((SyncHarness.TOKEN + requestTime).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
