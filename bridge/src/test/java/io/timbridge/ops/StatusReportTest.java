package io.timbridge.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class StatusReportTest {
    private static final long NOW = 1_800_000_000_000L;

    @Test
    void durationsReadAtAGlance() {
        assertThat(StatusReport.duration(0.25)).isEqualTo("250 ms");
        assertThat(StatusReport.duration(12.34)).isEqualTo("12.3 s");
        assertThat(StatusReport.duration(245)).isEqualTo("4m05s");
        assertThat(StatusReport.duration(7800)).isEqualTo("2h10m");
        assertThat(StatusReport.duration(Double.NaN)).isEqualTo("unknown");
    }

    @Test
    void aRunningImportShowsProgressRateEtaAndTheChecksThatAreNotUp() throws Exception {
        PrometheusText m = PrometheusText.parse("""
                timbridge_import_state{type="c2c-history"} 1
                timbridge_import_state{type="friends"} 0
                timbridge_import_items_total{type="c2c-history",outcome="applied"} 900
                timbridge_import_items_total{type="c2c-history",outcome="dead_letter"} 2
                timbridge_import_items_total{type="c2c-history",outcome="already_done"} 98
                timbridge_import_items_expected{type="c2c-history"} 5000
                timbridge_import_items_per_second{type="c2c-history"} 180
                timbridge_import_eta_seconds{type="c2c-history"} 22.2
                timbridge_dead_letters{route="import-c2c-history"} 2
                """);
        String report = StatusReport.ofBridge("http://bridge:9876", m, new ObjectMapper().readTree("""
                {"status":"DOWN","checks":[{"name":"context","status":"UP"},
                {"name":"tim-usersig","status":"DOWN","message":"TIM rejects the admin UserSig: 70009"}]}"""), NOW);

        assertThat(report).contains("Bridge at http://bridge:9876: DOWN")
                .containsPattern("import-c2c-history\\s+1,000\\s+5,000\\s+180\\s+22.2 s\\s+2\\s+running")
                .doesNotContain("import-friends")
                .contains("Dead letters (open): 2", "tim-usersig", "TIM rejects the admin UserSig: 70009", "1 checks UP")
                .doesNotContain("Sync");
    }

    /** Camel escapes a '/' of a health message twice; status shows the message as the check wrote it. */
    @Test
    void aCheckMessageReadsAsWritten() throws Exception {
        String report = StatusReport.ofBridge("http://bridge:9876", PrometheusText.parse(""), new ObjectMapper().readTree("""
                {"status":"DOWN","checks":[{"name":"tim-errors","status":"DOWN",
                "message":"failed on group_open_http_svc\\\\\\/send_group_msg"}]}"""), NOW);

        assertThat(report).contains("failed on group_open_http_svc/send_group_msg").doesNotContain("\\/");
    }

    @Test
    void withoutABridgeItSaysSoAndShowsTheStateDatabase() {
        String report = StatusReport.ofState("http://127.0.0.1:9876", "connection refused", "jdbc:h2:file:./data/s",
                List.of(new StateSnapshot.RouteCheckpoint("sync-c2c-messages-to-tim", 42, false, NOW - 90_000)),
                new StateSnapshot(3, OptionalLong.of(NOW - 5_000), OptionalLong.of(NOW - 1_000),
                        Map.of("callback-inbox-drain", 1L)), NOW);

        assertThat(report).contains("The bridge is not running: nothing answers at http://127.0.0.1:9876 (connection refused)")
                .containsPattern("sync-c2c-messages-to-tim\\s+42\\s+open\\s+1m30s ago")
                .contains("Callback inbox: 3 waiting (oldest 5.0 s old)", "Dead letters (open): 1", "callback-inbox-drain");
    }
}
