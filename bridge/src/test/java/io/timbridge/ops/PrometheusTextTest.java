package io.timbridge.ops;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextTest {
    private static final String TEXT = """
            # HELP timbridge_tim_calls_total TIM REST exchanges by result
            # TYPE timbridge_tim_calls_total counter
            timbridge_tim_calls_total{api="importmsg",result="ok"} 12.0
            timbridge_tim_calls_total{api="importmsg",result="error"} 0.0
            timbridge_dead_letters{route="odd \\"route\\", with\\\\comma"} 3.0
            timbridge_last_callback_timestamp_seconds NaN
            timbridge_tim_call_seconds_bucket{api="importmsg",le="+Inf"} 12 1700000000000
            """;

    @Test
    void readsSamplesByNameAndLabels() {
        PrometheusText m = PrometheusText.parse(TEXT);

        assertThat(m.value("timbridge_tim_calls_total", "api", "importmsg", "result", "ok")).isEqualTo(12);
        assertThat(m.value("timbridge_tim_calls_total", "api", "importmsg", "result", "error")).isZero();
        assertThat(m.all("timbridge_tim_calls_total")).hasSize(2);
        assertThat(m.value("timbridge_last_callback_timestamp_seconds")).isNaN();
        assertThat(m.value("timbridge_tim_call_seconds_bucket", "le", "+Inf")).as("timestamp ignored").isEqualTo(12);
    }

    @Test
    void unescapesLabelValues() {
        PrometheusText m = PrometheusText.parse(TEXT);

        assertThat(m.all("timbridge_dead_letters").get(0).label("route")).isEqualTo("odd \"route\", with\\comma");
    }

    @Test
    void aMissingSampleIsNaN() {
        assertThat(PrometheusText.parse(TEXT).value("timbridge_tim_calls_total", "api", "portrait_set")).isNaN();
        assertThat(PrometheusText.parse("").find("anything")).isEmpty();
    }
}
