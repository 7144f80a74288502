package io.timbridge.tim;

import com.fasterxml.jackson.databind.JsonNode;
import com.tencentyun.TLSSigAPIv2;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class UserSigTest {
    private static final String KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
    private static final long APP = 1_400_000_000L;

    @Test
    void hmacMatchesTheVectorInUsersigMd() {
        assertThat(UserSig.hmac(KEY, "xiaojun", APP, 1_700_000_000L, 86_400))
                .isEqualTo("SNF4FmVCPucoXsBOpbVF3fFCf57JPm0ezZ1jeVILlVc=");
    }

    @Test
    void officialLibrarySigDecodesToFieldsWhoseHmacWeRecomputeExactly() {
        String sig = new TLSSigAPIv2(APP, KEY).genUserSig("xiaojun", 86_400);

        JsonNode doc = UserSig.decode(sig);

        assertThat(doc).isNotNull();
        assertThat(doc.get("TLS.ver").asText()).isEqualTo("2.0");
        assertThat(doc.get("TLS.identifier").asText()).isEqualTo("xiaojun");
        assertThat(doc.get("TLS.sdkappid").asLong()).isEqualTo(APP);
        assertThat(doc.get("TLS.expire").asLong()).isEqualTo(86_400);
        assertThat(doc.get("TLS.sig").asText()).isEqualTo(
                UserSig.hmac(KEY, "xiaojun", APP, doc.get("TLS.time").asLong(), 86_400));
    }

    @Test
    void generatedSigVerifiesAsValidAndEachMismatchGetsTimsCode() {
        String sig = UserSig.generate(APP, KEY, "admin", 3_600);
        long now = System.currentTimeMillis() / 1000;

        assertThat(UserSig.verify(sig, APP, "admin", KEY, now)).isEqualTo(UserSig.Verdict.VALID);
        assertThat(UserSig.verify(sig, APP, "admin", KEY, now + 7_200)).isEqualTo(UserSig.Verdict.EXPIRED);
        assertThat(UserSig.verify(sig, APP, "admin", KEY.replace('5', '6'), now)).isEqualTo(UserSig.Verdict.SIGNATURE_MISMATCH);
        assertThat(UserSig.verify(sig, APP, "someone", KEY, now)).isEqualTo(UserSig.Verdict.IDENTIFIER_MISMATCH);
        assertThat(UserSig.verify(sig, APP + 1, "admin", KEY, now)).isEqualTo(UserSig.Verdict.SDKAPPID_MISMATCH);
        assertThat(UserSig.verify("not-a-sig", APP, "admin", KEY, now)).isEqualTo(UserSig.Verdict.UNDECODABLE);
    }

    @Test
    void providerReusesTheSigUntilHalfItsValidityHasPassed() {
        AtomicLong clock = new AtomicLong(1_000_000);
        TimUserSigProvider provider = new TimUserSigProvider("admin", 3_600, () -> UserSig.generate(APP, KEY, "admin", 3_600), clock::get);

        String first = provider.get();
        clock.addAndGet(1_799);
        assertThat(provider.get()).isSameAs(first);
        clock.addAndGet(1);
        String renewed = provider.get();

        assertThat(renewed).isNotSameAs(first);
        assertThat(UserSig.verify(renewed, APP, "admin", KEY, System.currentTimeMillis() / 1000))
                .isEqualTo(UserSig.Verdict.VALID);
    }

    @Test
    void renewDropsOnlyTheRejectedSigSoConcurrentFailuresRenewOnce() {
        AtomicLong clock = new AtomicLong(1_000_000);
        TimUserSigProvider provider = new TimUserSigProvider("admin", 3_600, () -> UserSig.generate(APP, KEY, "admin", 3_600), clock::get);
        String rejected = provider.get();

        provider.renew(rejected);
        String fresh = provider.get();
        provider.renew(rejected);

        assertThat(fresh).isNotSameAs(rejected);
        assertThat(provider.get()).isSameAs(fresh);
    }
}
