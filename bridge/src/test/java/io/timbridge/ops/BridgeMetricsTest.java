package io.timbridge.ops;

import io.timbridge.tim.TimStats;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BridgeMetricsTest {

    @Test
    void everyExchangeHasExactlyOneResult() {
        // 20 exchanges: 3 frequency-limit answers, 2 transport failures (-1), 4 other error answers
        TimStats.Snapshot s = new TimStats.Snapshot(20, 3, 0, 2, Map.of(70050, 1L, 60007, 2L, -1, 2L, 40003, 4L), 0, 0);

        assertThat(BridgeMetrics.result(s, "ok")).isEqualTo(11);
        assertThat(BridgeMetrics.result(s, "rate_limited")).isEqualTo(3);
        assertThat(BridgeMetrics.result(s, "transport_error")).isEqualTo(2);
        assertThat(BridgeMetrics.result(s, "error")).isEqualTo(4);
        assertThat(BridgeMetrics.RESULTS.stream().mapToDouble(r -> BridgeMetrics.result(s, r)).sum()).isEqualTo(20);
    }
}
