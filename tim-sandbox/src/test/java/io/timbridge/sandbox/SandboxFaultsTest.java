package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fault injection per API: TIM error codes, HTTP 5xx, slow answers, dropped connections; seeded and switchable. */
class SandboxFaultsTest {
    private static final String IMPORT = "{\"UserID\":\"alice\"}";

    private static HttpResponse<String> importAlice(SandboxHarness h) {
        return h.post(h.base() + "/v4/im_open_login_svc/account_import" + h.query(SandboxHarness.ADMIN, h.adminSig), IMPORT);
    }

    private static boolean aliceExists(SandboxHarness h) {
        return h.sandbox.inspect().account("alice") != null;
    }

    @Test
    void anInjectedErrorCodeIsAnsweredInTimsEnvelopeWithoutTakingEffect() {
        try (SandboxHarness h = new SandboxHarness("sandbox.faults.account_import.error-code", "70169",
                "sandbox.faults.account_import.error-probability", "1")) {
            JsonNode r = SandboxHarness.parse(importAlice(h).body());
            assertThat(r.get("ActionStatus").asText()).isEqualTo("FAIL");
            assertThat(r.get("ErrorCode").asInt()).isEqualTo(70169);
            assertThat(aliceExists(h)).isFalse();
            h.sandbox.faults().clear("account_import");
            assertThat(SandboxHarness.parse(importAlice(h).body()).get("ErrorCode").asInt()).isZero();
            assertThat(aliceExists(h)).isTrue();
        }
    }

    @Test
    void faultsOnOneApiLeaveOthersAlone() {
        try (SandboxHarness h = new SandboxHarness()) {
            h.sandbox.faults().set("sendmsg", FaultSpec.error(91000, 1));
            assertThat(SandboxHarness.parse(importAlice(h).body()).get("ErrorCode").asInt()).isZero();
        }
    }

    @Test
    void anInjected5xxHasThatStatusAndTakesNoEffectUnlessAfterProcessing() {
        try (SandboxHarness h = new SandboxHarness()) {
            h.sandbox.faults().set("account_import", FaultSpec.http5xx(503, 1, false));
            assertThat(importAlice(h).statusCode()).isEqualTo(503);
            assertThat(aliceExists(h)).isFalse();
            h.sandbox.faults().set("account_import", FaultSpec.http5xx(502, 1, true));
            assertThat(importAlice(h).statusCode()).isEqualTo(502);
            assertThat(aliceExists(h)).as("processed, then the answer was lost").isTrue();
        }
    }

    @Test
    void aDroppedConnectionGivesTheClientNoAnswer() {
        try (SandboxHarness h = new SandboxHarness()) {
            h.sandbox.faults().set("account_import", FaultSpec.drop(1, false));
            assertThatThrownBy(() -> importAlice(h)).isInstanceOf(UncheckedIOException.class);
            assertThat(aliceExists(h)).isFalse();
            h.sandbox.faults().set("account_import", FaultSpec.drop(1, true));
            assertThatThrownBy(() -> importAlice(h)).isInstanceOf(UncheckedIOException.class);
            assertThat(aliceExists(h)).isTrue();
        }
    }

    @Test
    void aSlowAnswerArrivesAfterTheDelayAndUnfaultedOnesDoNotWait() {
        try (SandboxHarness h = new SandboxHarness("sandbox.faults.account_import.slow-probability", "1",
                "sandbox.faults.account_import.slow-ms", "400")) {
            long start = System.nanoTime();
            assertThat(importAlice(h).statusCode()).isEqualTo(200);
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(400);
            h.sandbox.faults().clearAll();
            start = System.nanoTime();
            importAlice(h);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(400);
        }
    }

    private static List<Integer> codes(String seed) {
        try (SandboxHarness h = new SandboxHarness("sandbox.faults.seed", seed, "sandbox.faults.*.error-code", "10002",
                "sandbox.faults.*.error-probability", "0.5")) {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                out.add(SandboxHarness.parse(importAlice(h).body()).get("ErrorCode").asInt());
            }
            return out;
        }
    }

    @Test
    void aSeededProbabilityRepeatsTheSameFaultsAndHitsSomeButNotAll() {
        List<Integer> first = codes("42");
        assertThat(codes("42")).isEqualTo(first);
        assertThat(first).contains(0, 10002);
    }

    @Test
    void faultsAreSetAndClearedOverHttp() {
        try (SandboxHarness h = new SandboxHarness()) {
            HttpResponse<String> put = h.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.base() + "/sandbox/faults/account_import"))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"errorCode\":60007,\"errorProbability\":1}")));
            assertThat(put.statusCode()).isEqualTo(200);
            assertThat(SandboxHarness.parse(put.body()).at("/account_import/errorCode").asInt()).isEqualTo(60007);
            assertThat(SandboxHarness.parse(importAlice(h).body()).get("ErrorCode").asInt()).isEqualTo(60007);
            h.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.base() + "/sandbox/faults")).DELETE());
            assertThat(SandboxHarness.parse(importAlice(h).body()).get("ErrorCode").asInt()).isZero();
            HttpResponse<String> bad = h.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.base() + "/sandbox/faults/nosuchapi"))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
            assertThat(bad.statusCode()).isEqualTo(400);
        }
    }
}
