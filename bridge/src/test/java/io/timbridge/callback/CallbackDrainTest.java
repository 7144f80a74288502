package io.timbridge.callback;

import io.timbridge.sync.CallbackCommand;
import io.timbridge.sync.SyncSql;
import org.junit.jupiter.api.Test;

import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class CallbackDrainTest {
    private static final long NOW = 1_700_000_000_000L;
    private final CallbackDrain drain = new CallbackDrain(null, null, null, null, null, 300,
            Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

    private static Map<String, Object> row(long id, String key, long order, long seq, long receivedAt) {
        return Map.of("ID", id, "ORDERING_KEY", key, "EVENT_ORDER", order, "EVENT_SEQ", seq, "RECEIVED_AT", receivedAt);
    }

    private static List<List<Long>> ids(List<List<Map<String, Object>>> lanes) {
        return lanes.stream().map(l -> l.stream().map(r -> ((Number) r.get("ID")).longValue()).toList()).toList();
    }

    @Test
    void eachConversationIsOneLaneInEventOrderThenSeqThenArrival() {
        long old = NOW - 1_000;
        var lanes = drain.lanes(List.of(row(1, "a|b", 2000, 7, old), row(2, "g1", 5000, 0, old),
                row(3, "a|b", 1000, 9, old), row(4, "a|b", 2000, 6, old), row(5, "g1", 5000, 0, old)));

        assertThat(ids(lanes)).containsExactly(List.of(3L, 4L, 1L), List.of(2L, 5L));
    }

    @Test
    void aLaneStopsBeforeItsFirstCallbackYoungerThanTheSettleTime() {
        long old = NOW - 1_000;
        long young = NOW - 100;
        var lanes = drain.lanes(List.of(row(1, "a|b", 1000, 1, old), row(2, "a|b", 3000, 3, old),
                row(3, "a|b", 2000, 2, young), row(4, "c|d", 1000, 1, young)));

        assertThat(ids(lanes)).containsExactly(List.of(1L));
    }

    @Test
    void routeIdsAreTheCommandsInKebabCase() {
        assertThat(Arrays.stream(CallbackCommand.values()).map(CallbackDrain::routeId)).containsExactly(
                "callback-c2c-after-send-msg", "callback-group-after-send-msg", "callback-group-after-create-group",
                "callback-group-after-group-destroyed", "callback-group-after-group-info-changed",
                "callback-group-after-new-member-join", "callback-group-after-member-exit");
    }

    @Test
    void onlyDataAndConstraintErrorsArePermanent() {
        assertThat(CallbackDrain.isPermanent(new RuntimeException(new SQLException("too long", "22001")))).isTrue();
        assertThat(CallbackDrain.isPermanent(new SQLIntegrityConstraintViolationException("dup", "23505"))).isTrue();
        assertThat(CallbackDrain.isPermanent(new SQLException("connection refused", "08001"))).isFalse();
        assertThat(CallbackDrain.isPermanent(new IllegalStateException("circuit open"))).isFalse();
    }

    @Test
    void theConfiguredWriteSqlIsTheReferenceSchemasDefault() throws Exception {
        Properties props = new Properties();
        try (var in = new InputStreamReader(new FileInputStream("application.properties"), StandardCharsets.UTF_8)) {
            props.load(in);
        }
        for (SyncSql sql : List.of(SyncSql.C2C_MESSAGE, SyncSql.GROUP_MESSAGE, SyncSql.GROUP_CREATED,
                SyncSql.GROUP_DESTROYED, SyncSql.GROUP_INFO_CHANGED, SyncSql.MEMBER_JOIN, SyncSql.MEMBER_EXIT_MARK,
                SyncSql.MEMBER_EXIT)) {
            assertThat(normalized(props.getProperty(sql.key()))).as(sql.key()).isEqualTo(normalized(sql.sql()));
        }
    }

    private static String normalized(String sql) {
        return sql == null ? null : sql.replaceAll("\\s+", " ").replaceAll("\\( ", "(").trim();
    }
}
