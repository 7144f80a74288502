package io.timbridge.tim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimStatsTest {

    @Test
    void aSignatureRejectionStandsUntilTimAcceptsASigAgain() {
        TimStats stats = new TimStats();
        assertThat(stats.standingSignatureRejection()).isEmpty();

        stats.signatureAccepted(1_000);
        stats.signatureRejected("openim/importmsg", 70009, "sig verification failed", 2_000);
        assertThat(stats.standingSignatureRejection()).hasValueSatisfying(r -> {
            assertThat(r.code()).isEqualTo(70009);
            assertThat(r.path()).isEqualTo("openim/importmsg");
        });

        stats.signatureAccepted(3_000);
        assertThat(stats.standingSignatureRejection()).isEmpty();
    }

    @Test
    void theLatencyListenerHearsEveryExchange() {
        TimStats stats = new TimStats();
        StringBuilder heard = new StringBuilder();
        stats.onLatency((path, nanos) -> heard.append(path).append('=').append(nanos).append(' '));

        stats.exchange("openim/importmsg", 5_000_000);
        stats.exchange("group_open_http_svc/import_group_msg", 7_000_000);

        assertThat(heard.toString()).isEqualTo("openim/importmsg=5000000 group_open_http_svc/import_group_msg=7000000 ");
        assertThat(stats.snapshot(TimApi.IMPORTMSG).calls()).isEqualTo(1);
    }
}
