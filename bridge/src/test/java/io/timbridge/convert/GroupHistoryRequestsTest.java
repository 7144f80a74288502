package io.timbridge.convert;

import static io.timbridge.convert.Rows.row;
import static io.timbridge.convert.Rows.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.timbridge.tim.TimApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupHistoryRequestsTest {

    private static final long T = 1_690_000_000_000L;
    private final MessageConverter converter = new MessageConverter();
    private final GroupHistoryRequests builder = new GroupHistoryRequests(converter, 7, 0);

    private static Map<String, Object> message(String group, long id, long createdAt, String type, String content) {
        return row("id", id, "group_id", group, "sender_id", "u1000001", "msg_type", type, "content", content,
                "created_at_ms", createdAt);
    }

    private static Map<String, Object> text(String group, long id) {
        return message(group, id, T + 1000 * id, "text", "收到 " + id);
    }

    private static List<String> keys(List<TimCall> calls) {
        return calls.stream().flatMap(call -> call.itemKeys().stream()).toList();
    }

    @Test
    void everyMessageTypeOfAGroupGoesInOrderInCallsOfAtMostSevenInOneLane() {
        List<Map<String, Object>> rows = new ArrayList<>();
        long id = 5_000_000_001L;
        for (Map.Entry<String, String> m : LegacyMessages.allTypes().entrySet()) {
            rows.add(message("g1", id, T + 999, m.getKey(), m.getValue()));
            id++;
        }

        Requests requests = builder.build(rows);

        assertThat(requests.refusals()).isEmpty();
        assertThat(requests.lanes()).singleElement().satisfies(lane -> assertThat(lane).hasSize(2));
        TimCall first = requests.calls().get(0);
        assertThat(first.api()).isEqualTo(TimApi.IMPORT_GROUP_MSG);
        assertThat(first.itemKeys()).containsExactly("5000000001", "5000000002", "5000000003", "5000000004",
                "5000000005", "5000000006", "5000000007");
        assertThat(requests.calls().get(1).itemKeys()).containsExactly("5000000008");
        List<Map<String, Object>> msgList = Rows.list(first.request().get("MsgList"));
        assertThat(msgList.get(0)).containsExactly(
                Map.entry("From_Account", "u1000001"),
                Map.entry("SendTime", T / 1000),
                Map.entry("Random", 5_000_000_001L - (1L << 32)),
                Map.entry("MsgBody", Json.plain(converter.toTimBody("text", LegacyMessages.allTypes().get("text")))));
        assertThat(msgList).extracting(m -> Rows.list(m.get("MsgBody")).get(0).get("MsgType")).containsExactly(
                "TIMTextElem", "TIMImageElem", "TIMSoundElem", "TIMVideoFileElem", "TIMFileElem", "TIMLocationElem",
                "TIMFaceElem");
        assertThat(first.request().get("GroupId")).isEqualTo("g1");
    }

    @Test
    void eachGroupHasItsOwnLane() {
        Requests requests = builder.build(List.of(text("g1", 1), text("g1", 2), text("g2", 3), text("g3", 4)));

        assertThat(requests.lanes()).extracting(lane -> keys(lane))
                .containsExactly(List.of("1", "2"), List.of("3"), List.of("4"));
    }

    @Test
    void aRefusedRowIsLeftOutAndTheGroupsLaterMessagesStillGoInOrder() {
        GroupHistoryRequests threePerCall = new GroupHistoryRequests(converter, 3, 0);

        Requests requests = threePerCall.build(List.of(text("g1", 1), text("g1", 2),
                message("g1", 3, T + 3000, "poll", "{\"question\":\"周末去哪？\"}"),
                text("g1", 4), text("g1", 5), text("g1", 6)));

        assertThat(requests.lanes()).singleElement().satisfies(lane -> assertThat(lane)
                .extracting(TimCall::itemKeys).containsExactly(List.of("1", "2", "4"), List.of("5", "6")));
        assertThat(requests.refusals()).singleElement().satisfies(refusal -> {
            assertThat(refusal.itemKey()).isEqualTo("3");
            assertThat(refusal.rule()).isEqualTo(Refusal.MESSAGE_BODY);
        });
    }

    @Test
    void bodySizeRetentionAndSenderAreCheckedAsForC2c() {
        long cutoff = T + 2000;
        GroupHistoryRequests withRetention = new GroupHistoryRequests(converter, 7, cutoff);

        Requests requests = withRetention.build(List.of(
                text("g1", 1),
                text("g1", 2),
                message("g1", 3, T + 3000, "text", LegacyMessages.textWithBodyOf(converter, 8000)),
                message("g1", 4, T + 4000, "text", LegacyMessages.textWithBodyOf(converter, 8001)),
                with(text("g1", 5), "sender_id", "wx_o" + "s".repeat(29)),
                with(text("g1", 6), "sender_id", "u".repeat(32))));

        assertThat(keys(requests.calls())).containsExactly("2", "3", "6");
        assertThat(requests.refusals()).extracting(Refusal::itemKey, Refusal::rule).containsExactly(
                tuple("1", Refusal.RETENTION),
                tuple("4", Refusal.BODY_SIZE),
                tuple("5", Refusal.USER_ID));
        assertThat(requests.refusals().get(2).reason()).contains("From_Account", "33 bytes", "at most 32");
    }

    @Test
    void messagesOfALiveGroupAreRefusedWhenTheRowsCarryTheGroupTypeAfterTheirOwnRule() {
        Requests requests = builder.build(List.of(with(text("live1", 1), "group_type", "live"),
                with(message("live1", 2, T + 2000, "poll", "{}"), "group_type", "live"),
                with(text("g2", 3), "group_type", "public")));

        assertThat(requests.refusals()).extracting(Refusal::itemKey, Refusal::rule)
                .containsExactly(tuple("1", Refusal.GROUP_TYPE), tuple("2", Refusal.MESSAGE_BODY));
        assertThat(keys(requests.calls())).containsExactly("3");
    }

    @Test
    void rowsOutOfTimeOrderWithinAGroupAreAConfigurationError() {
        assertThatThrownBy(() -> builder.build(List.of(text("g1", 2), text("g1", 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ordered by group_id, created_at_ms, id");
    }

    @Test
    void messagesOfOneMillisecondKeepTheirIdOrder() {
        Requests requests = builder.build(List.of(message("g1", 10, T, "text", "a"), message("g1", 11, T, "text", "b"),
                message("g1", 12, T + 300, "text", "c")));

        assertThat(keys(requests.calls())).containsExactly("10", "11", "12");
    }

    @Test
    void columnNamesAreMatchedInAnyCaseAndTheSameRowsGiveEqualRequests() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (long id = 1; id <= 10; id++) {
            rows.add(text(id < 6 ? "g1" : "g2", id));
        }

        assertThat(builder.build(Rows.upperCase(rows))).isEqualTo(builder.build(rows));
        assertThat(Rows.json(new GroupHistoryRequests(new MessageConverter(), 7, 0).build(rows))).isEqualTo(Rows.json(builder.build(rows)));
    }

    @Test
    void configurationIsValidated() {
        assertThatThrownBy(() -> new GroupHistoryRequests(converter, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GroupHistoryRequests(converter, 7, -5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.build(List.of(Rows.without(text("g1", 1), "sender_id"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group-history")
                .hasMessageContaining("'sender_id'");
    }
}
