package io.timbridge.sync;

import io.timbridge.sync.CallbackAuth.Status;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallbackAuthTest {
    private static final long APP = 1400000001L;
    // The check vector of callbacks.md: token xxxxyyyy, RequestTime 1669872112.
    private static final String TOKEN = "xxxxyyyy";
    private static final long REQUEST_TIME = 1669872112L;
    private static final String SIGN = "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061";

    private static Clock at(long epochSecond, long extraMillis) {
        return Clock.fixed(Instant.ofEpochSecond(epochSecond).plusMillis(extraMillis), ZoneOffset.UTC);
    }

    private static Map<String, Object> signedQuery() {
        Map<String, Object> q = new HashMap<>();
        q.put("SdkAppid", Long.toString(APP));
        q.put("CallbackCommand", "C2C.CallbackAfterSendMsg");
        q.put("contenttype", "json");
        q.put("OptPlatform", "Android");
        q.put("RequestTime", Long.toString(REQUEST_TIME));
        q.put("Sign", SIGN);
        return q;
    }

    private static CallbackAuth signing(Clock clock) {
        return new CallbackAuth(APP, TOKEN, clock);
    }

    @Test
    void theDocumentedCheckVectorIsAccepted() {
        assertThat(signing(at(REQUEST_TIME, 0)).verify(signedQuery()).ok()).isTrue();
    }

    @Test
    void aSignForAnotherTokenIsABadSign() {
        var verdict = new CallbackAuth(APP, "xxxxyyyz", at(REQUEST_TIME, 0)).verify(signedQuery());
        assertThat(verdict.status()).isEqualTo(Status.BAD_SIGN);
        assertThat(verdict.detail()).doesNotContain(SIGN);
    }

    @Test
    void aSignForAnotherRequestTimeIsABadSign() {
        Map<String, Object> q = signedQuery();
        q.put("RequestTime", Long.toString(REQUEST_TIME + 1));
        assertThat(signing(at(REQUEST_TIME, 0)).verify(q).status()).isEqualTo(Status.BAD_SIGN);
    }

    @Test
    void anUpperCaseSignIsABadSignBecauseTimSendsLowerCase() {
        Map<String, Object> q = signedQuery();
        q.put("Sign", SIGN.toUpperCase());
        assertThat(signing(at(REQUEST_TIME, 0)).verify(q).status()).isEqualTo(Status.BAD_SIGN);
    }

    @Test
    void aRequestSixtySecondsOldOrAheadIsStillAccepted() {
        assertThat(signing(at(REQUEST_TIME + 60, 0)).verify(signedQuery()).ok()).isTrue();
        assertThat(signing(at(REQUEST_TIME - 60, 0)).verify(signedQuery()).ok()).isTrue();
    }

    @Test
    void aRequestMoreThanSixtySecondsOldOrAheadIsStale() {
        assertThat(signing(at(REQUEST_TIME + 60, 1)).verify(signedQuery()).status()).isEqualTo(Status.STALE);
        assertThat(signing(at(REQUEST_TIME - 61, 0)).verify(signedQuery()).status()).isEqualTo(Status.STALE);
    }

    @Test
    void anotherAppIdIsTheWrongApp() {
        Map<String, Object> q = signedQuery();
        q.put("SdkAppid", "1400000002");
        assertThat(signing(at(REQUEST_TIME, 0)).verify(q).status()).isEqualTo(Status.WRONG_APP);
    }

    @Test
    void theAppIdIsCheckedEvenWithoutAToken() {
        Map<String, Object> q = signedQuery();
        q.put("SdkAppid", "1400000002");
        assertThat(new CallbackAuth(APP, null, at(0, 0)).verify(q).status()).isEqualTo(Status.WRONG_APP);
    }

    @Test
    void withoutATokenNoSignOrTimeIsNeeded() {
        Map<String, Object> q = signedQuery();
        q.remove("Sign");
        q.remove("RequestTime");
        assertThat(new CallbackAuth(APP, "", at(0, 0)).verify(q).ok()).isTrue();
    }

    @Test
    void eachRequiredParameterMissingIsReported() {
        for (String name : List.of("SdkAppid", "CallbackCommand", "Sign", "RequestTime")) {
            Map<String, Object> q = signedQuery();
            q.remove(name);
            var verdict = signing(at(REQUEST_TIME, 0)).verify(q);
            assertThat(verdict.status()).as(name).isEqualTo(Status.MISSING_PARAM);
            assertThat(verdict.toString()).startsWith("missing-param: ");
        }
    }

    @Test
    void aRequestTimeThatIsNotANumberIsRefusedAsAMissingParameter() {
        Map<String, Object> q = signedQuery();
        q.put("RequestTime", "1669872112\n' OR 1=1");
        var verdict = signing(at(REQUEST_TIME, 0)).verify(q);
        assertThat(verdict.status()).isEqualTo(Status.MISSING_PARAM);
        assertThat(verdict.detail()).doesNotContain("\n");
    }

    @Test
    void aParameterGivenTwiceIsRefusedAndOnceInAListIsAccepted() {
        Map<String, Object> twice = signedQuery();
        twice.put("Sign", List.of(SIGN, SIGN));
        assertThat(signing(at(REQUEST_TIME, 0)).verify(twice).status()).isEqualTo(Status.MISSING_PARAM);

        Map<String, Object> once = signedQuery();
        once.put("Sign", List.of(SIGN));
        assertThat(signing(at(REQUEST_TIME, 0)).verify(once).ok()).isTrue();
    }
}
