package io.timbridge.tim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbridge.tim.TimStub.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TimStub stub;

    @BeforeEach
    void startStub() throws Exception {
        stub = new TimStub();
    }

    @AfterEach
    void stopStub() {
        stub.close();
    }

    private TimClient client(String... keyValues) {
        Properties props = stub.clientProperties();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return new TimClient(TimClientConfig.from(props));
    }

    @Test
    void requestIsAPostToTheDocumentedUrlWithAValidAdminSigAndEmptyObjectBody() throws Exception {
        TimResponse response = client().call(TimApi.GET_GROUP_INFO, null);

        TimStub.Request request = stub.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v4/group_open_http_svc/get_group_info");
        assertThat(request.query().keySet()).containsExactly("sdkappid", "identifier", "usersig", "random", "contenttype");
        assertThat(request.query()).containsEntry("sdkappid", "1400000000")
                .containsEntry("identifier", TimStub.ADMIN).containsEntry("contenttype", "json");
        assertThat(Long.parseLong(request.query().get("random"))).isBetween(0L, 4_294_967_295L);
        assertThat(UserSig.verify(request.query().get("usersig"), TimStub.APP, TimStub.ADMIN, TimStub.KEY,
                System.currentTimeMillis() / 1000)).isEqualTo(UserSig.Verdict.VALID);
        assertThat(request.contentType()).startsWith("application/json");
        assertThat(request.body()).isEqualTo("{}");
        assertThat(response.actionStatus()).isEqualTo("OK");
        assertThat(response.hasFailedItems()).isFalse();
    }

    @Test
    void randomIsDrawnPerRequestAndTheSigIsReused() {
        TimClient client = client();
        for (int i = 0; i < 5; i++) {
            client.call(TimApi.ACCOUNT_CHECK, "{}");
        }

        assertThat(stub.requests()).extracting(r -> r.query().get("random")).doesNotHaveDuplicates();
        assertThat(stub.requests()).extracting(r -> r.query().get("usersig")).containsOnly(
                stub.requests().get(0).query().get("usersig"));
    }

    record ImportMsg(int SyncFromOldSystem, String From_Account, String To_Account) {
    }

    @Test
    void mapPojoStringAndJsonBodiesAreSentAsTheSameJson() throws Exception {
        TimClient client = client();
        client.call(TimApi.IMPORTMSG, Map.of("SyncFromOldSystem", 2, "From_Account", "a", "To_Account", "b"));
        client.call(TimApi.IMPORTMSG, new ImportMsg(2, "a", "b"));
        client.call(TimApi.IMPORTMSG, "{\"SyncFromOldSystem\":2,\"From_Account\":\"a\",\"To_Account\":\"b\"}");
        client.call(TimApi.IMPORTMSG, JSON.readTree("{\"SyncFromOldSystem\":2,\"From_Account\":\"a\",\"To_Account\":\"b\"}"));

        JsonNode expected = JSON.readTree("{\"SyncFromOldSystem\":2,\"From_Account\":\"a\",\"To_Account\":\"b\"}");
        for (TimStub.Request r : stub.requests()) {
            assertThat(JSON.readTree(r.body())).isEqualTo(expected);
        }
        assertThatThrownBy(() -> client.call(TimApi.IMPORTMSG, "[1]")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void expiredSigIsRenewedAndTheCallRetriedOnce() {
        AtomicInteger generated = new AtomicInteger();
        TimClientConfig config = TimClientConfig.from(stub.clientProperties());
        TimUserSigProvider sigs = new TimUserSigProvider(TimStub.ADMIN, 86_400,
                () -> "sig-" + generated.incrementAndGet(), () -> 1_000_000);
        stub.answer(Answer.error(70001, "UserSig expired"));

        TimResponse response = new TimClient(config, sigs).call(TimApi.ACCOUNT_IMPORT, Map.of("UserID", "u1"));

        assertThat(response.errorCode()).isZero();
        assertThat(stub.requests()).extracting(r -> r.query().get("usersig")).containsExactly("sig-1", "sig-2");
    }

    @Test
    /** A freshly signed sig refused as expired too is a clock or key problem: no item can go, the run stops. */
    void sigStillExpiredAfterRenewalStopsTheRun() {
        stub.answer(Answer.error(70001, "UserSig expired"), Answer.error(70001, "UserSig expired"));

        assertThatThrownBy(() -> client().call(TimApi.ACCOUNT_IMPORT, Map.of("UserID", "u1")))
                .isInstanceOfSatisfying(TimException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(70001);
                    assertThat(e.classification()).isEqualTo(TimErrorClass.STOP_THE_RUN);
                });
        assertThat(stub.requests()).hasSize(2);
    }

    @Test
    void frequencyLimitAnswersSlowTheCallerDownAndTheCallSucceeds() {
        stub.answer(Answer.error(60007, "rate over limit"), Answer.error(10023, "send rate exceeded"));
        TimClient client = client("tim.rate-limit.backoff-initial-ms", "40");

        TimResponse response = client.call(TimApi.SEND_GROUP_MSG, Map.of("GroupId", "g1", "Random", 1));

        List<TimStub.Request> requests = stub.requests();
        assertThat(response.errorCode()).isZero();
        assertThat(requests).hasSize(3);
        assertThat(requests.get(1).arrivalNanos() - requests.get(0).arrivalNanos()).isGreaterThanOrEqualTo(ms(40));
        assertThat(requests.get(2).arrivalNanos() - requests.get(1).arrivalNanos()).isGreaterThanOrEqualTo(ms(80));
        TimStats.Snapshot stats = client.stats().snapshot(TimApi.SEND_GROUP_MSG);
        assertThat(stats.calls()).isEqualTo(3);
        assertThat(stats.rateLimited()).isEqualTo(2);
        assertThat(stats.errorsByCode()).containsEntry(60007, 1L).containsEntry(10023, 1L);
    }

    @Test
    void frequencyLimitBeyondTheTotalWaitFailsAsRetryable() {
        for (int i = 0; i < 10; i++) {
            stub.answer(Answer.error(60011, "SDKAppID rate over limit"));
        }
        TimClient client = client("tim.rate-limit.backoff-initial-ms", "20", "tim.rate-limit.max-total-wait-ms", "100");

        assertThatThrownBy(() -> client.call(TimApi.IMPORTMSG, "{}"))
                .isInstanceOfSatisfying(TimException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(60011);
                    assertThat(e.isRetryable()).isTrue();
                });
        assertThat(stub.requests().size()).isBetween(2, 4);
    }

    @Test
    void permanentErrorIsNotRetriedAndItsMessageSaysWhatToDo() {
        stub.answer(Answer.error(70107, "Err_TLS_PT_Open_Login_Account_Not_Exist"));

        assertThatThrownBy(() -> client().call(TimApi.IMPORTMSG, "{}"))
                .isInstanceOfSatisfying(TimException.class, e -> {
                    assertThat(e.apiPath()).isEqualTo("openim/importmsg");
                    assertThat(e.classification()).isEqualTo(TimErrorClass.PERMANENT);
                    assertThat(e.getMessage()).contains("openim/importmsg", "70107", "import the account first");
                });
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void serverErrorStatusIsARetryableTransportFailure() {
        stub.answer(new Answer(502, "<html>Bad Gateway</html>"));

        assertThatThrownBy(() -> client().call(TimApi.IMPORTMSG, "{}"))
                .isInstanceOfSatisfying(TimException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(TimErrors.TRANSPORT_ERROR);
                    assertThat(e.classification()).isEqualTo(TimErrorClass.RETRY_WITH_BACKOFF);
                    assertThat(e.getMessage()).contains("HTTP 502");
                });
    }

    @Test
    void okStatusWithoutAnEnvelopeIsARetryableTransportFailure() {
        stub.answer(Answer.json("<html>proxy</html>"));

        assertThatThrownBy(() -> client().call(TimApi.IMPORTMSG, "{}"))
                .isInstanceOfSatisfying(TimException.class, e -> assertThat(e.isRetryable()).isTrue());
    }

    @Test
    void droppedConnectionIsARetryableTransportFailure() {
        stub.answer(new Answer(-1, ""), new Answer(-1, ""));

        assertThatThrownBy(() -> client().call(TimApi.IMPORTMSG, "{}"))
                .isInstanceOfSatisfying(TimException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(TimErrors.TRANSPORT_ERROR);
                    assertThat(e.isRetryable()).isTrue();
                });
    }

    @Test
    void answerSlowerThanTheRequestTimeoutIsARetryableTransportFailure() {
        CountDownLatch release = new CountDownLatch(1);
        stub.answerWith(request -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Answer.json(TimStub.OK);
        });
        TimClient client = client("tim.request-timeout-ms", "3100");

        try {
            assertThatThrownBy(() -> client.call(TimApi.IMPORTMSG, "{}"))
                    .isInstanceOfSatisfying(TimException.class, e -> {
                        assertThat(e.isRetryable()).isTrue();
                        assertThat(e.getMessage()).contains("no answer within 3100 ms");
                    });
        } finally {
            release.countDown();
        }
    }

    @Test
    void batchItemsTimDidNotApplySurfaceAsFailedItems() {
        stub.answer(Answer.json("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"FailAccounts\":[\"u2\"]}"));
        TimClient client = client();

        TimResponse response = client.call(TimApi.MULTIACCOUNT_IMPORT, Map.of("Accounts", List.of("u1", "u2")));

        assertThat(response.actionStatus()).isEqualTo("OK");
        assertThat(response.failedItems()).extracting(TimItemFailure::key).containsExactly("u2");
        assertThat(client.stats().snapshot(TimApi.MULTIACCOUNT_IMPORT).failedItems()).isEqualTo(1);
    }

    @Test
    void allCallersTogetherStayWithinTheApisQpsAtTheServer() throws Exception {
        int qps = 10;
        TimClient client = client("tim.limits.importmsg.qps", String.valueOf(qps));
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Callable<TimResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 2 * qps + 5; i++) {
                calls.add(() -> client.call(TimApi.IMPORTMSG, "{}"));
            }
            for (Future<TimResponse> f : callers.invokeAll(calls, 20, TimeUnit.SECONDS)) {
                f.get();
            }
        } finally {
            callers.shutdownNow();
        }

        List<Long> arrivals = stub.requests().stream().map(TimStub.Request::arrivalNanos).toList();
        assertThat(arrivals).hasSize(2 * qps + 5);
        assertThat(TimRateLimiterTest.busiestWindow(arrivals, ms(1000))).isLessThanOrEqualTo(qps);
        long span = arrivals.stream().mapToLong(Long::longValue).max().getAsLong()
                - arrivals.stream().mapToLong(Long::longValue).min().getAsLong();
        assertThat(span).as("25 calls at 10 per second need two full windows, and little more")
                .isBetween(ms(2000), ms(2500));
    }

    /**
     * TIM has a request once its answer starts to arrive: the permit counts from there, not from the end of a
     * slow body, so the next call in a one-per-second budget goes a second after the first answer began.
     */
    @Test
    void theLimiterCountsACallFromTheStartOfItsAnswerNotFromTheEndOfItsBody() {
        TimClient client = client("tim.limits.importmsg.qps", "1");
        stub.answer(new Answer(200, TimStub.OK, 700));

        client.call(TimApi.IMPORTMSG, "{}");
        client.call(TimApi.IMPORTMSG, "{}");

        List<Long> arrivals = stub.requests().stream().map(TimStub.Request::arrivalNanos).toList();
        assertThat(arrivals.get(1) - arrivals.get(0)).as("a window after the first answer's headers, not its body")
                .isBetween(ms(1000), ms(1500));
    }

    @Test
    void configRefusesARequestTimeoutNotAboveTimsThreeSeconds() {
        Properties props = stub.clientProperties();
        props.setProperty("tim.request-timeout-ms", "3000");

        assertThatThrownBy(() -> TimClientConfig.from(props))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tim.request-timeout-ms");
    }

    @Test
    void configDefaultsFollowTheDocsAndLimitsAreOverridable() {
        Properties props = new Properties();
        props.setProperty("tim.sdk-app-id", "1400000001");
        props.setProperty("tim.admin-identifier", "admin");
        props.setProperty("tim.secret-key", "k");
        props.setProperty("tim.limits.import_group_member.batch-size", "10");
        props.setProperty("tim.limits.multiaccount_import.qps", "50");

        TimClientConfig config = TimClientConfig.from(props);

        assertThat(config.baseUrl()).isEqualTo("https://console.tim.qq.com");
        assertThat(config.requestTimeoutMillis()).isGreaterThan(3000);
        assertThat(config.limits().batchSize(TimApi.IMPORT_GROUP_MEMBER)).isEqualTo(10);
        assertThat(config.limits().batchSize(TimApi.IMPORT_GROUP_MSG)).isEqualTo(7);
        assertThat(config.limits().qps(TimApi.MULTIACCOUNT_IMPORT)).isEqualTo(50);
        assertThat(config.limits().qps(TimApi.IMPORTMSG)).isEqualTo(200);
        assertThat(config.toString()).doesNotContain("=k,");
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
