package io.timbridge.tim;

import io.timbridge.sandbox.FaultSpec;
import io.timbridge.sandbox.SandboxConfig;
import io.timbridge.sandbox.TimSandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TIM client against the TIM sandbox over real loopback HTTP, including injected faults. */
class TimClientAgainstSandboxTest {
    private TimSandbox sandbox;
    private TimClient client;

    @BeforeEach
    void start() {
        Properties p = new Properties();
        p.setProperty("tim.sdk-app-id", "1400000000");
        p.setProperty("tim.admin-identifier", "administrator");
        p.setProperty("tim.secret-key", "loopback-key");
        p.setProperty("sandbox.port", "0");
        p.setProperty("sandbox.roaming-retention-days", "0");
        p.setProperty("sandbox.limits.account_check.qps", "20");
        sandbox = new TimSandbox(SandboxConfig.from(p)).start();
        p.setProperty("tim.base-url", "http://127.0.0.1:" + sandbox.port());
        p.setProperty("tim.request-timeout-ms", "3500");
        p.setProperty("tim.limits.account_check.qps", "20");
        p.setProperty("tim.rate-limit.backoff-initial-ms", "20");
        p.setProperty("tim.rate-limit.backoff-max-ms", "100");
        client = new TimClient(TimClientConfig.from(p));
        client.call(TimApi.MULTIACCOUNT_IMPORT, Map.of("Accounts", List.of("alice", "bob")));
    }

    @AfterEach
    void stop() {
        sandbox.stop();
    }

    private static Map<String, Object> importMsg(long seq, String text) {
        return Map.of("SyncFromOldSystem", 2, "From_Account", "alice", "To_Account", "bob",
                "MsgSeq", seq, "MsgRandom", 7, "MsgTimeStamp", 1_600_000_000L,
                "MsgBody", List.of(Map.of("MsgType", "TIMTextElem", "MsgContent", Map.of("Text", text))));
    }

    @Test
    void anImportedMessageIsReadBackAndItsRetryIsNotDoubled() {
        client.call(TimApi.IMPORTMSG, importMsg(1, "你好 👋"));
        client.call(TimApi.IMPORTMSG, importMsg(1, "你好 👋"));

        TimResponse roam = client.call(TimApi.ADMIN_GETROAMMSG, Map.of("Operator_Account", "alice",
                "Peer_Account", "bob", "MaxCnt", 100, "MinTime", 0, "MaxTime", 2_000_000_000L));

        assertThat(roam.body().path("MsgList")).hasSize(1);
        assertThat(roam.body().path("MsgList").get(0).path("MsgBody").get(0).path("MsgContent").path("Text").asText())
                .isEqualTo("你好 👋");
    }

    @Test
    void accountsTimRefusesInsideASuccessfulBatchAreReportedAsFailed() {
        String tooLong = "u".repeat(33);
        TimResponse answer = client.call(TimApi.MULTIACCOUNT_IMPORT, Map.of("AccountList",
                List.of(Map.of("UserID", "carol"), Map.of("UserID", tooLong))));

        assertThat(answer.errorCode()).isZero();
        assertThat(answer.failedItems()).extracting(TimItemFailure::key).containsExactly(tooLong);
    }

    @Test
    void anInjectedInternalErrorIsRetryableAndAPermanentOneIsNot() {
        sandbox.faults().set("importmsg", FaultSpec.error(70169, 1.0));
        assertThatThrownBy(() -> client.call(TimApi.IMPORTMSG, importMsg(2, "x")))
                .isInstanceOfSatisfying(TimException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(70169);
                    assertThat(e.isRetryable()).isTrue();
                });

        sandbox.faults().clearAll();
        assertThatThrownBy(() -> client.call(TimApi.IMPORTMSG, Map.of("SyncFromOldSystem", 2,
                "From_Account", "alice", "To_Account", "nobody", "MsgSeq", 1, "MsgRandom", 1,
                "MsgTimeStamp", 1_600_000_000L, "MsgBody", List.of())))
                .isInstanceOfSatisfying(TimException.class, e -> assertThat(e.isRetryable()).isFalse());
    }

    @Test
    void injectedFrequencyLimitAnswersSlowTheCallerDownInsteadOfFailingIt() {
        sandbox.faults().set("importmsg", FaultSpec.error(60007, 0.6));

        for (int i = 0; i < 10; i++) {
            client.call(TimApi.IMPORTMSG, importMsg(100 + i, "m" + i));
        }

        assertThat(client.stats().snapshot(TimApi.IMPORTMSG).rateLimited()).isPositive();
        sandbox.faults().clearAll();
        assertThat(sandbox.inspect().c2c("alice", "bob").path("MsgList")).hasSize(10);
    }

    @Test
    void serverErrorsDroppedConnectionsAndSlowAnswersAreRetryableTransportFailures() {
        sandbox.faults().set("importmsg", FaultSpec.http5xx(502, 1.0, false));
        assertThatThrownBy(() -> client.call(TimApi.IMPORTMSG, importMsg(3, "a")))
                .isInstanceOfSatisfying(TimException.class, e -> assertThat(e.isRetryable()).isTrue());

        sandbox.faults().set("importmsg", FaultSpec.drop(1.0, false));
        assertThatThrownBy(() -> client.call(TimApi.IMPORTMSG, importMsg(4, "b")))
                .isInstanceOfSatisfying(TimException.class, e -> assertThat(e.isRetryable()).isTrue());

        sandbox.faults().set("importmsg", FaultSpec.slow(4_000, 1.0));
        assertThatThrownBy(() -> client.call(TimApi.IMPORTMSG, importMsg(5, "c")))
                .isInstanceOfSatisfying(TimException.class, e -> assertThat(e.isRetryable()).isTrue());
    }

    @Test
    void aDroppedAnswerAfterTheImportTookEffectIsHarmlessToRetry() {
        sandbox.faults().set("importmsg", FaultSpec.drop(1.0, true));
        assertThatThrownBy(() -> client.call(TimApi.IMPORTMSG, importMsg(6, "once")))
                .isInstanceOf(TimException.class);
        sandbox.faults().clearAll();

        client.call(TimApi.IMPORTMSG, importMsg(6, "once"));

        assertThat(sandbox.inspect().c2c("alice", "bob").path("MsgList")).hasSize(1);
    }

    @Test
    void manyThreadsTogetherStayWithinTheSandboxFrequencyLimit() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<TimResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                calls.add(pool.submit(() -> client.call(TimApi.ACCOUNT_CHECK,
                        Map.of("CheckItem", List.of(Map.of("UserID", "alice"))))));
            }
            for (Future<TimResponse> call : calls) {
                assertThat(call.get().errorCode()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(sandbox.inspect().counts().path("rateLimited").asLong()).isZero();
        assertThat(client.stats().snapshot(TimApi.ACCOUNT_CHECK).rateLimited()).isZero();
    }
}
