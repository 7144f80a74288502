package io.timbridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.timbridge.tim.TimStats;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimErrorRateTest {
    private final TimErrorRate rate = new TimErrorRate(60_000, 0.5, 10);

    private static Map<String, TimStats.Snapshot> counters(long calls, Map<Integer, Long> errors) {
        return Map.of("group_open_http_svc/send_group_msg", new TimStats.Snapshot(calls, 0, 0, 0, errors, 0, 0));
    }

    @Test
    void mostCallsOfOneApiFailingInTheWindowNamesItsApiAndCode() {
        rate.sample(0, counters(100, Map.of()));
        rate.sample(30_000, counters(150, Map.of(10010, 45L, 60007, 5L)));

        assertThat(rate.worst()).hasValueSatisfying(f -> {
            assertThat(f.api()).isEqualTo("group_open_http_svc/send_group_msg");
            assertThat(f.failed()).as("frequency-limit answers are retried, not failures").isEqualTo(45);
            assertThat(f.calls()).isEqualTo(50);
            assertThat(f.topCode()).isEqualTo(10010);
        });
    }

    @Test
    void itClearsByItselfOnceTheFailuresLeaveTheWindow() {
        rate.sample(0, counters(0, Map.of()));
        rate.sample(10_000, counters(50, Map.of(10010, 50L)));
        assertThat(rate.worst()).isPresent();

        rate.sample(80_000, counters(150, Map.of(10010, 50L)));
        rate.sample(90_000, counters(250, Map.of(10010, 50L)));

        assertThat(rate.worst()).isEmpty();
    }

    @Test
    void fewCallsOrAFewFailuresAreNoVerdict() {
        rate.sample(0, counters(0, Map.of()));
        rate.sample(1_000, counters(5, Map.of(10010, 5L)));
        assertThat(rate.worst()).as("under the minimum of calls").isEmpty();

        rate.sample(2_000, counters(100, Map.of(10010, 20L)));
        assertThat(rate.worst()).as("a fifth failing").isEmpty();
    }
}
