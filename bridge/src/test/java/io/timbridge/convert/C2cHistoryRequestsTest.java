package io.timbridge.convert;

import static io.timbridge.convert.Rows.row;
import static io.timbridge.convert.Rows.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbridge.tim.TimApi;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class C2cHistoryRequestsTest {

    private static final long T = 1_672_531_200_123L;
    private final MessageConverter converter = new MessageConverter();
    private final C2cHistoryRequests builder = new C2cHistoryRequests(converter, 0);

    private static Map<String, Object> message(long id, String type, String content) {
        return row("id", id, "sender_id", "u1000001", "receiver_id", "u1000002", "msg_type", type, "content", content,
                "created_at_ms", T + id);
    }

    private static Map<String, Object> text(long id) {
        return message(id, "text", "在吗？");
    }

    @Test
    void everyMessageTypeBecomesOneImportmsgWithDedupKeysAndTheBridgeMark() {
        List<Map<String, Object>> rows = new ArrayList<>();
        long id = 1;
        for (Map.Entry<String, String> m : LegacyMessages.allTypes().entrySet()) {
            rows.add(message(id++, m.getKey(), m.getValue()));
        }

        Requests requests = builder.build(rows);

        assertThat(requests.refusals()).isEmpty();
        assertThat(requests.calls()).hasSize(8).allSatisfy(call -> assertThat(call.api()).isEqualTo(TimApi.IMPORTMSG));
        assertThat(requests.calls()).extracting(call -> Rows.list(call.request().get("MsgBody")).get(0).get("MsgType"))
                .containsExactly("TIMTextElem", "TIMImageElem", "TIMSoundElem", "TIMVideoFileElem", "TIMFileElem",
                        "TIMLocationElem", "TIMFaceElem", "TIMCustomElem");
        TimCall image = requests.calls().get(1);
        DedupKeys.C2cKey keys = DedupKeys.c2c(2, T + 2);
        assertThat(image.itemKeys()).containsExactly("2");
        assertThat(image.request()).containsExactly(
                Map.entry("SyncFromOldSystem", 2),
                Map.entry("From_Account", "u1000001"),
                Map.entry("To_Account", "u1000002"),
                Map.entry("MsgSeq", keys.msgSeq()),
                Map.entry("MsgRandom", keys.msgRandom()),
                Map.entry("MsgTimeStamp", 1_672_531_200L),
                Map.entry("MsgBody", image.request().get("MsgBody")),
                Map.entry("CloudCustomData", "{\"timbridge\":\"legacy\",\"id\":\"2\"}"));
    }

    @Test
    void theRequestSerializesToTheJsonTimExpects() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Object> request = builder.build(List.of(message(42, "location",
                LegacyMessages.allTypes().get("location")))).calls().get(0).request();

        JsonNode json = mapper.readTree(mapper.writeValueAsString(request));

        assertThat(json.get("MsgBody")).isEqualTo(converter.toTimBody("location", LegacyMessages.allTypes().get("location")));
        assertThat(json.get("CloudCustomData").asText()).isEqualTo("{\"timbridge\":\"legacy\",\"id\":\"42\"}");
        assertThat(json.get("MsgTimeStamp").asLong()).isEqualTo((T + 42) / 1000);
    }

    @Test
    void eachCallHasItsOwnLane() {
        Requests requests = builder.build(List.of(text(1), text(2), text(3)));

        assertThat(requests.lanes()).hasSize(3).allSatisfy(lane -> assertThat(lane).hasSize(1));
        assertThat(requests.calls()).extracting(call -> call.itemKeys().get(0)).containsExactly("1", "2", "3");
    }

    @Test
    void theLiveSyncGetsTheSameRequestWithSyncFromOldSystem5() {
        Map<String, Object> live = C2cHistoryRequests.importMsg(text(7), converter, 5);

        assertThat(live.get("SyncFromOldSystem")).isEqualTo(5);
        assertThat(with(live, "SyncFromOldSystem", 2)).isEqualTo(builder.build(List.of(text(7))).calls().get(0).request());
        assertThatThrownBy(() -> C2cHistoryRequests.importMsg(text(7), converter, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 (history) or 5 (live)");
    }

    @Test
    void anUnknownTypeOrMalformedContentIsRefusedAsMessageBody() {
        Requests requests = builder.build(List.of(
                message(1, "red_packet", "{\"amount\":888,\"greeting\":\"恭喜发财，大吉大利🧧\"}"),
                message(2, "image", "{\"width\":10}"),
                message(3, "voice", "not json"),
                message(4, "text", null),
                text(5)));

        assertThat(requests.refusals()).extracting(Refusal::itemKey).containsExactly("1", "2", "3", "4");
        assertThat(requests.refusals()).extracting(Refusal::rule).containsOnly(Refusal.MESSAGE_BODY);
        assertThat(requests.refusals().get(0).reason()).contains("'red_packet'");
        assertThat(requests.calls()).extracting(call -> call.itemKeys().get(0)).containsExactly("5");
    }

    @Test
    void aBodyOf8000BytesIsImportedAnd8001BytesIsRefusedAsBodySize() {
        Requests requests = builder.build(List.of(
                message(1, "text", LegacyMessages.textWithBodyOf(converter, 8000)),
                message(2, "text", LegacyMessages.textWithBodyOf(converter, 8001))));

        assertThat(requests.calls()).extracting(call -> call.itemKeys().get(0)).containsExactly("1");
        assertThat(requests.refusals()).singleElement().satisfies(refusal -> {
            assertThat(refusal.itemKey()).isEqualTo("2");
            assertThat(refusal.rule()).isEqualTo(Refusal.BODY_SIZE);
            assertThat(refusal.reason()).contains("8001 bytes", "8000");
        });
    }

    @Test
    void aMessageBeforeTheRetentionCutoffIsRefusedAndOneAtTheCutoffIsImported() {
        long cutoff = T + 10;
        C2cHistoryRequests withRetention = new C2cHistoryRequests(converter, cutoff);

        Requests requests = withRetention.build(List.of(text(9), text(10), text(11)));

        assertThat(requests.calls()).extracting(call -> call.itemKeys().get(0)).containsExactly("10", "11");
        assertThat(requests.refusals()).singleElement().satisfies(refusal -> {
            assertThat(refusal.itemKey()).isEqualTo("9");
            assertThat(refusal.rule()).isEqualTo(Refusal.RETENTION);
            assertThat(refusal.reason()).contains(Long.toString(T + 9), Long.toString(cutoff), "2023-01-01T00:00:00.132Z");
        });
        assertThat(builder.build(List.of(with(text(1), "created_at_ms", 0L))).refusals()).as("no cutoff").isEmpty();
        assertThatThrownBy(() -> new C2cHistoryRequests(converter, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBadSenderOrReceiverIsRefusedAsUserId() {
        String id33 = "wx_o" + "Q".repeat(27) + "_1";

        Requests requests = builder.build(List.of(with(text(1), "sender_id", id33), with(text(2), "receiver_id", "@admin"),
                with(text(3), "sender_id", "u".repeat(32))));

        assertThat(requests.refusals()).extracting(Refusal::itemKey).containsExactly("1", "2");
        assertThat(requests.refusals()).extracting(Refusal::rule).containsOnly(Refusal.USER_ID);
        assertThat(requests.refusals().get(0).reason()).contains("From_Account", "33 bytes", "at most 32");
        assertThat(requests.refusals().get(1).reason()).contains("To_Account", "'@admin' starts with '@'");
        assertThat(requests.itemCount()).isEqualTo(1);
    }

    @Test
    void retentionIsReportedBeforeOtherRules() {
        Map<String, Object> oldAndBroken = with(message(1, "red_packet", "{}"), "sender_id", "@x");

        Requests requests = new C2cHistoryRequests(converter, T + 100).build(List.of(oldAndBroken));

        assertThat(requests.refusals()).extracting(Refusal::rule).containsExactly(Refusal.RETENTION);
    }

    @Test
    void idsAndTimesMayArriveAsAnyNumberTypeAndColumnsInAnyCase() {
        List<Map<String, Object>> rows = List.of(text(1), text(2));
        List<Map<String, Object>> asDecimals = List.of(
                with(with(text(1), "id", BigDecimal.ONE), "created_at_ms", new BigDecimal(T + 1)),
                with(with(text(2), "id", 2), "created_at_ms", Long.toString(T + 2)));

        assertThat(builder.build(Rows.upperCase(rows))).isEqualTo(builder.build(rows));
        assertThat(builder.build(asDecimals)).isEqualTo(builder.build(rows));
        assertThat(Rows.json(new C2cHistoryRequests(new MessageConverter(), 0).build(rows))).isEqualTo(Rows.json(builder.build(rows)));
    }

    @Test
    void missingColumnsAndNullTimesAreConfigurationErrors() {
        assertThatThrownBy(() -> builder.build(List.of(Rows.without(text(1), "content"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("c2c-history")
                .hasMessageContaining("'content'");
        assertThatThrownBy(() -> builder.build(List.of(with(text(1), "created_at_ms", null))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'created_at_ms' is NULL");
    }
}
