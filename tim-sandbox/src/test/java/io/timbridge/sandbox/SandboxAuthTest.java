package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.timbridge.tim.UserSig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static io.timbridge.sandbox.SandboxHarness.ADMIN;
import static io.timbridge.sandbox.SandboxHarness.APP;
import static io.timbridge.sandbox.SandboxHarness.KEY;
import static org.assertj.core.api.Assertions.assertThat;

/** Request conventions (README §1): query parameters, UserSig verdicts, admin identifier, envelope, paths. */
class SandboxAuthTest {
    static SandboxHarness h;

    @BeforeAll
    static void start() {
        h = new SandboxHarness();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static final String CHECK = "{\"CheckItem\":[{\"UserID\":\"administrator\"}]}";

    private HttpResponse<String> checkWith(String query) {
        return h.post(h.base() + "/v4/im_open_login_svc/account_check" + query, CHECK);
    }

    private int codeOf(HttpResponse<String> r) {
        assertThat(r.statusCode()).as("API errors are HTTP 200").isEqualTo(200);
        JsonNode j = SandboxHarness.parse(r.body());
        if (j.get("ErrorCode").asInt() != 0) {
            assertThat(j.get("ActionStatus").asText()).isEqualTo("FAIL");
        }
        return j.get("ErrorCode").asInt();
    }

    @Test
    void aValidAdminSigIsAccepted() {
        JsonNode r = SandboxHarness.parse(checkWith(h.query(ADMIN, h.adminSig)).body());
        assertThat(r.get("ActionStatus").asText()).isEqualTo("OK");
        assertThat(r.get("ErrorCode").asInt()).isZero();
        assertThat(r.get("ErrorInfo").asText()).isEmpty();
    }

    @Test
    void aMissingSdkAppIdIs60012() {
        assertThat(codeOf(checkWith("?identifier=" + ADMIN + "&usersig=" + h.adminSig + "&random=1&contenttype=json")))
                .isEqualTo(60012);
    }

    @Test
    void anotherAppsSdkAppIdInTheUrlIs70020() {
        String sig = UserSig.generate(APP + 1, KEY, ADMIN, 86_400);
        assertThat(codeOf(checkWith("?sdkappid=" + (APP + 1) + "&identifier=" + ADMIN + "&usersig=" + sig
                + "&random=1&contenttype=json"))).isEqualTo(70020);
    }

    @Test
    void aSigOfAnotherAppIs70014() {
        assertThat(codeOf(checkWith(h.query(ADMIN, UserSig.generate(APP + 1, KEY, ADMIN, 86_400))))).isEqualTo(70014);
    }

    @Test
    void anUndecodableSigIs70003() {
        assertThat(codeOf(checkWith(h.query(ADMIN, "notasig")))).isEqualTo(70003);
    }

    @Test
    void aSigMadeWithAnotherKeyIs70009() {
        assertThat(codeOf(checkWith(h.query(ADMIN, UserSig.generate(APP, "other-key", ADMIN, 86_400))))).isEqualTo(70009);
    }

    @Test
    void anExpiredSigIs70001AndAFreshOneIsNot() {
        String shortLived = UserSig.generate(APP, KEY, ADMIN, 60);
        assertThat(codeOf(checkWith(h.query(ADMIN, shortLived)))).isZero();
        try (SandboxHarness later = new SandboxHarness()) {
            later.clock.advance(Duration.ofSeconds(120));
            assertThat(codeOf(later.post(later.base() + "/v4/im_open_login_svc/account_check"
                    + later.query(ADMIN, shortLived), CHECK))).isEqualTo(70001);
        }
    }

    @Test
    void aSigOfAnotherIdentifierIs70013() {
        assertThat(codeOf(checkWith(h.query(ADMIN, UserSig.generate(APP, KEY, "alice", 86_400))))).isEqualTo(70013);
    }

    @ParameterizedTest(name = "a non-admin identifier on {0} is {1}")
    @CsvSource({"im_open_login_svc/account_check,70403", "openim/sendmsg,90009", "sns/friend_get,30004",
            "profile/portrait_get,60010", "group_open_http_svc/get_group_info,60010"})
    void aNonAdminIdentifierGetsTheServicesAdminRequiredCode(String path, int code) {
        String sig = UserSig.generate(APP, KEY, "alice", 86_400);
        assertThat(codeOf(h.post(h.base() + "/v4/" + path + h.query("alice", sig), "{}"))).isEqualTo(code);
    }

    @Test
    void missingRandomOrContentTypeIsRefusedWhenStrictAndAcceptedWhenRelaxed() {
        String noRandom = "?sdkappid=" + APP + "&identifier=" + ADMIN + "&usersig=" + h.adminSig + "&contenttype=json";
        String noType = "?sdkappid=" + APP + "&identifier=" + ADMIN + "&usersig=" + h.adminSig + "&random=7";
        assertThat(codeOf(checkWith(noRandom))).isEqualTo(60002);
        assertThat(codeOf(checkWith(noType))).isEqualTo(60002);
        try (SandboxHarness relaxed = new SandboxHarness("sandbox.strict.query-params", "false")) {
            assertThat(codeOf(relaxed.post(relaxed.base() + "/v4/im_open_login_svc/account_check" + noRandom, CHECK))).isZero();
        }
    }

    @Test
    void onlyPostIsServed() {
        HttpResponse<String> r = h.send(HttpRequest.newBuilder(
                URI.create(h.base() + "/v4/im_open_login_svc/account_check" + h.query(ADMIN, h.adminSig))).GET());
        assertThat(codeOf(r)).isEqualTo(60002);
    }

    @Test
    void unknownPathsGetTimsErrorEnvelope() {
        assertThat(codeOf(h.post(h.base() + "/v4/openim/no_such_command" + h.query(ADMIN, h.adminSig), "{}"))).isEqualTo(60009);
        assertThat(codeOf(h.post(h.base() + "/v5/whatever", "{}"))).isEqualTo(60009);
    }

    @ParameterizedTest(name = "a body that is not JSON on {0} is {1}")
    @CsvSource({"openim/sendmsg,90001", "group_open_http_svc/create_group,10011", "profile/portrait_set,40001",
            "sns/friend_add,30001", "im_open_login_svc/account_import,60003"})
    void aBodyThatIsNotJsonGetsTheServicesParseErrorCode(String path, int code) {
        assertThat(codeOf(h.post(h.base() + "/v4/" + path + h.query(ADMIN, h.adminSig), "{not json"))).isEqualTo(code);
        assertThat(codeOf(h.post(h.base() + "/v4/" + path + h.query(ADMIN, h.adminSig), ""))).isEqualTo(code);
    }

    @Test
    void profileAndSnsAnswersCarryErrorDisplayOthersDoNot() {
        JsonNode profile = h.call("profile/portrait_get", "{\"To_Account\":[\"administrator\"],\"TagList\":[\"Tag_Profile_IM_Nick\"]}");
        assertThat(profile.has("ErrorDisplay")).isTrue();
        JsonNode login = h.call("im_open_login_svc/account_check", CHECK);
        assertThat(login.has("ErrorDisplay")).isFalse();
    }
}
