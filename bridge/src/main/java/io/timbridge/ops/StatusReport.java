package io.timbridge.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.timbridge.importing.DataType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The text {@code status} prints: from a running bridge's metrics and health, or from its state database. */
public final class StatusReport {

    private StatusReport() {
    }

    /** A running bridge: import progress, sync lag, inbox, dead letters, last poll and callback, TIM calls, health. */
    public static String ofBridge(String url, PrometheusText m, JsonNode health, long nowMillis) {
        StringBuilder sb = new StringBuilder();
        sb.append("Bridge at ").append(url).append(": ").append(health.path("status").asText("UNKNOWN")).append("\n");

        List<DataType> started = java.util.Arrays.stream(DataType.values())
                .filter(t -> m.value("timbridge_import_state", "type", t.key()) > 0).toList();
        if (!started.isEmpty()) {
            sb.append(String.format("%nImport%n%-22s %12s %12s %10s %10s %12s  %s%n", "route", "done", "of", "items/s",
                    "ETA", "dead letters", "state"));
            for (DataType t : started) {
                String type = t.key();
                double dead = m.value("timbridge_import_items_total", "type", type, "outcome", "dead_letter");
                double done = m.value("timbridge_import_items_total", "type", type, "outcome", "applied") + dead
                        + m.value("timbridge_import_items_total", "type", type, "outcome", "already_done");
                double expected = m.value("timbridge_import_items_expected", "type", type);
                boolean finished = m.value("timbridge_import_state", "type", type) >= 2;
                sb.append(String.format("%-22s %,12d %12s %,10.0f %10s %,12d  %s%n", t.routeId(), (long) done,
                        Double.isNaN(expected) ? "?" : String.format("%,d", (long) expected),
                        m.value("timbridge_import_items_per_second", "type", type),
                        finished ? "-" : duration(m.value("timbridge_import_eta_seconds", "type", type)),
                        (long) dead, finished ? "finished" : "running"));
            }
        }

        List<PrometheusText.Sample> polls = m.all("timbridge_last_poll_timestamp_seconds");
        boolean callbacks = m.find("timbridge_callback_inbox_depth").isPresent();
        if (!polls.isEmpty() || callbacks) {
            sb.append("\nSync\n");
            m.find("timbridge_sync_lag_seconds", "direction", "legacy_to_tim").ifPresent(s ->
                    sb.append(String.format("  legacy -> TIM lag   %s%n", duration(s.value()))));
            for (PrometheusText.Sample poll : polls) {
                String poller = poll.label("poller");
                sb.append(String.format("    %-32s last poll %s ago, %,d rows waiting%n", poller,
                        duration(nowMillis / 1000.0 - poll.value()),
                        (long) m.value("timbridge_sync_pending_rows", "poller", poller)));
            }
            if (callbacks) {
                double last = m.value("timbridge_last_callback_timestamp_seconds");
                sb.append(String.format("  TIM -> legacy lag   %s, inbox depth %s, last callback %s%n",
                        duration(m.value("timbridge_sync_lag_seconds", "direction", "tim_to_legacy")),
                        count(m.value("timbridge_callback_inbox_depth")),
                        Double.isNaN(last) ? "none yet" : duration(nowMillis / 1000.0 - last) + " ago"));
            }
        }

        Map<String, Double> dead = new TreeMap<>();
        m.all("timbridge_dead_letters").forEach(s -> dead.put(s.label("route"), s.value()));
        deadLetters(sb, dead);

        List<PrometheusText.Sample> ok = m.all("timbridge_tim_calls_total", s -> s.label("result").equals("ok"));
        StringBuilder calls = new StringBuilder();
        for (PrometheusText.Sample s : ok) {
            String api = s.label("api");
            double failed = m.value("timbridge_tim_calls_total", "api", api, "result", "error");
            double limited = m.value("timbridge_tim_calls_total", "api", api, "result", "rate_limited");
            double transport = m.value("timbridge_tim_calls_total", "api", api, "result", "transport_error");
            if (s.value() + failed + limited + transport == 0) {
                continue;
            }
            double n = m.value("timbridge_tim_call_seconds_count", "api", api);
            double sum = m.value("timbridge_tim_call_seconds_sum", "api", api);
            calls.append(String.format("%-26s %,10d %,8d %,13d %,10d %10s%n", api, (long) s.value(), (long) failed,
                    (long) limited, (long) transport, n > 0 ? String.format("%.0f ms", sum * 1000 / n) : "-"));
        }
        if (!calls.isEmpty()) {
            sb.append(String.format("%nTIM calls%n%-26s %10s %8s %13s %10s %10s%n", "api", "ok", "error",
                    "rate-limited", "transport", "mean"));
            sb.append(calls);
        }

        sb.append("\nHealth: ").append(health.path("status").asText("UNKNOWN")).append("\n");
        int up = 0;
        for (JsonNode check : health.path("checks")) {
            if ("UP".equals(check.path("status").asText())) {
                up++;
            } else {
                sb.append(String.format("  %-36s %-5s %s%n", check.path("name").asText(), check.path("status").asText(),
                        // Camel's health JSON escapes '/' twice ("openim\\/importmsg" reads back as "openim\/...").
                        check.path("message").asText("").replace("\\/", "/")));
            }
        }
        sb.append(String.format("  %d checks UP%n", up));
        return sb.toString();
    }

    /** No bridge answers: what its state database holds. */
    public static String ofState(String url, String why, String stateUrl, List<StateSnapshot.RouteCheckpoint> checkpoints,
            StateSnapshot state, long nowMillis) {
        StringBuilder sb = new StringBuilder("The bridge is not running: nothing answers at ").append(url)
                .append(" (").append(why).append(").\nFrom its state database ").append(stateUrl).append(":\n");
        if (checkpoints.isEmpty()) {
            sb.append("\nNo route has saved progress yet.\n");
        } else {
            sb.append(String.format("%nProgress%n%-32s %12s  %-9s %s%n", "route", "done", "state", "last progress"));
            for (StateSnapshot.RouteCheckpoint c : checkpoints) {
                sb.append(String.format("%-32s %,12d  %-9s %s ago%n", c.routeId(), c.done(),
                        c.finished() ? "finished" : "open", duration((nowMillis - c.updatedAt()) / 1000.0)));
            }
        }
        sb.append(String.format("%nCallback inbox: %,d waiting%s, last callback %s%n", state.inboxDepth(),
                state.oldestUndrainedAt().isPresent() ? " (oldest " + duration((nowMillis
                        - state.oldestUndrainedAt().getAsLong()) / 1000.0) + " old)" : "",
                state.lastCallbackAt().isPresent()
                        ? Instant.ofEpochMilli(state.lastCallbackAt().getAsLong()).toString() : "none yet"));
        Map<String, Double> dead = new TreeMap<>();
        state.openDeadLetters().forEach((route, n) -> dead.put(route, n.doubleValue()));
        deadLetters(sb, dead);
        return sb.toString();
    }

    private static void deadLetters(StringBuilder sb, Map<String, Double> dead) {
        double total = dead.values().stream().filter(v -> !Double.isNaN(v)).mapToDouble(Double::doubleValue).sum();
        sb.append(String.format("%nDead letters (open): %s%n", count(total)));
        dead.forEach((route, n) -> {
            if (Double.isNaN(n) || n > 0) {
                sb.append(String.format("  %-32s %s%n", route, count(n)));
            }
        });
        if (total > 0) {
            sb.append("  'dead-letters' lists them by reason (--show=ID for one, --csv=FILE for all);"
                    + " 'replay' sends them again after a fix.\n");
        }
    }

    private static String count(double value) {
        return Double.isNaN(value) ? "unknown" : String.format("%,d", (long) value);
    }

    /** Seconds as {@code 850 ms}, {@code 12.3 s}, {@code 4m05s}, {@code 2h10m}; {@code unknown} for NaN. */
    static String duration(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return "unknown";
        }
        if (seconds < 1) {
            return String.format("%.0f ms", Math.max(0, seconds) * 1000);
        }
        if (seconds < 60) {
            return String.format("%.1f s", seconds);
        }
        Duration d = Duration.ofMillis((long) (seconds * 1000));
        return d.toHours() > 0 ? String.format("%dh%02dm", d.toHours(), d.toMinutesPart())
                : String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }
}
