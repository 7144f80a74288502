package io.timbridge.convert;

import static io.timbridge.convert.Rows.row;
import static io.timbridge.convert.Rows.utf8OfBytes;
import static io.timbridge.convert.Rows.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timbridge.tim.TimApi;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GroupRequestsTest {

    private final GroupRequests builder = new GroupRequests();

    private static Map<String, Object> group(String id, String type) {
        return row("group_id", id, "owner_id", "u1000001", "group_type", type, "name", "🏃深圳徒步交流群",
                "introduction", "每周六早上八点集合，风雨无阻", "notification", null,
                "avatar_url", "https://cdn.example.com/group/" + id + ".png", "first_event_at_ms", 1_680_000_000_500L);
    }

    @Test
    void aGroupBecomesImportGroupWithCreateTimeASecondBeforeItsFirstEvent() {
        Requests requests = builder.build(List.of(group("g100000", "work")));

        assertThat(requests.refusals()).isEmpty();
        TimCall call = requests.calls().get(0);
        assertThat(call.api()).isEqualTo(TimApi.IMPORT_GROUP);
        assertThat(call.itemKeys()).containsExactly("g100000");
        assertThat(call.request()).containsExactly(
                Map.entry("GroupId", "g100000"),
                Map.entry("Owner_Account", "u1000001"),
                Map.entry("Type", "Private"),
                Map.entry("Name", "🏃深圳徒步交流群"),
                Map.entry("Introduction", "每周六早上八点集合，风雨无阻"),
                Map.entry("FaceUrl", "https://cdn.example.com/group/g100000.png"),
                Map.entry("CreateTime", 1_679_999_999L));
    }

    @ParameterizedTest
    @CsvSource({"work,Private", "public,Public", "meeting,ChatRoom", "community,Community", "Private,Private",
            "ChatRoom,ChatRoom", "COMMUNITY,Community"})
    void legacyAndTimGroupTypeNamesMapToTimTypes(String legacy, String tim) {
        assertThat(builder.build(List.of(group("g1", legacy))).calls().get(0).request().get("Type")).isEqualTo(tim);
    }

    @ParameterizedTest
    @CsvSource({"live,AVChatRoom", "AVChatRoom,AVChatRoom", "secret,none of", "'',none of"})
    void liveAndUnknownGroupTypesAreRefused(String type, String reason) {
        Requests requests = builder.build(List.of(group("g1", type)));

        assertThat(requests.callCount()).isZero();
        assertThat(requests.refusals()).singleElement().satisfies(refusal -> {
            assertThat(refusal.rule()).isEqualTo(Refusal.GROUP_TYPE);
            assertThat(refusal.reason()).contains("'" + type + "'", reason);
        });
    }

    @Test
    void createTimeIsTheFirstEventSecondRoundedDownMinusOne() {
        assertThat(GroupRequests.createTimeSeconds(1_700_000_000_000L)).isEqualTo(1_699_999_999L);
        assertThat(GroupRequests.createTimeSeconds(1_700_000_000_999L)).isEqualTo(1_699_999_999L);
        assertThat(GroupRequests.createTimeSeconds(new BigDecimal("1700000001000"))).isEqualTo(1_700_000_000L);
        assertThat(GroupRequests.createTimeSeconds("1700000000500")).isEqualTo(1_699_999_999L);
        assertThat(GroupRequests.createTimeSeconds(-1L)).isEqualTo(-2L);
        assertThatThrownBy(() -> GroupRequests.createTimeSeconds(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("first_event_at_ms");
    }

    @Test
    void anOwnerlessGroupLeavesOutOwnerAccountAndABadOwnerIsRefused() {
        Requests requests = builder.build(List.of(with(group("g1", "public"), "owner_id", null),
                with(group("g2", "public"), "owner_id", "wx_o" + "z".repeat(29))));

        assertThat(requests.calls().get(0).request()).doesNotContainKey("Owner_Account");
        assertThat(requests.refusals()).singleElement().satisfies(refusal -> {
            assertThat(refusal.itemKey()).isEqualTo("g2");
            assertThat(refusal.rule()).isEqualTo(Refusal.USER_ID);
            assertThat(refusal.reason()).contains("Owner_Account", "33 bytes");
        });
    }

    @Test
    void profileFieldsAreImportedUpToTheirLimitsAndRefusedOneByteOver() {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(row("group_id", "fits", "owner_id", null, "group_type", "public", "name", utf8OfBytes(30),
                "introduction", utf8OfBytes(240), "notification", utf8OfBytes(300),
                "avatar_url", "https://cdn.example.com/" + "a".repeat(76), "first_event_at_ms", 1_000L));
        rows.add(with(rows.get(0), "group_id", "name"));
        rows.set(1, with(rows.get(1), "name", utf8OfBytes(31)));
        rows.add(with(with(rows.get(0), "group_id", "intro"), "introduction", utf8OfBytes(241)));
        rows.add(with(with(rows.get(0), "group_id", "notice"), "notification", utf8OfBytes(301)));
        rows.add(with(with(rows.get(0), "group_id", "face"), "avatar_url", "https://cdn.example.com/" + "a".repeat(77)));
        rows.add(with(with(rows.get(0), "group_id", "no-name"), "name", null));

        Requests requests = builder.build(rows);

        assertThat(requests.calls()).extracting(call -> call.itemKeys().get(0)).containsExactly("fits");
        assertThat(requests.refusals()).extracting(Refusal::itemKey)
                .containsExactly("name", "intro", "notice", "face", "no-name");
        assertThat(requests.refusals()).extracting(Refusal::rule).containsOnly(Refusal.GROUP_PROFILE);
        assertThat(requests.refusals()).extracting(Refusal::reason).containsExactly(
                "Name '" + utf8OfBytes(31) + "' is 31 bytes UTF-8, at most 30 allowed",
                "Introduction '" + "字".repeat(40) + "…' is 241 bytes UTF-8, at most 240 allowed",
                "Notification '" + "字".repeat(40) + "…' is 301 bytes UTF-8, at most 300 allowed",
                "FaceUrl 'https://cdn.example.com/" + "a".repeat(16) + "…' is 101 bytes UTF-8, at most 100 allowed",
                "Name is empty; import_group requires a name");
    }

    @Test
    void groupIdsMustBePrintableAsciiUpTo48BytesWithoutTheServerPrefix() {
        Requests requests = builder.build(List.of(group("g".repeat(48), "work"), group("g".repeat(49), "work"),
                group("@TGS#2J4SZEAEL", "work"), group("家庭群", "work")));

        assertThat(requests.calls()).extracting(call -> call.itemKeys().get(0)).containsExactly("g".repeat(48));
        assertThat(requests.refusals()).extracting(Refusal::rule).containsOnly(Refusal.GROUP_ID);
        assertThat(requests.refusals()).extracting(Refusal::reason).satisfiesExactly(
                r -> assertThat(r).contains("49 bytes", "at most 48"),
                r -> assertThat(r).contains("@TGS#"),
                r -> assertThat(r).contains("U+5BB6"));
    }

    @Test
    void theFirstBrokenRuleIsReportedInTheMappingsOrderIdOwnerProfileType() {
        Map<String, Object> everythingWrong = row("group_id", "@TGS#x", "owner_id", "@o", "group_type", "live",
                "name", utf8OfBytes(31), "first_event_at_ms", 1L);
        Map<String, Object> goodId = with(everythingWrong, "group_id", "a");
        Map<String, Object> goodOwner = with(with(goodId, "group_id", "b"), "owner_id", "u1");
        Map<String, Object> goodName = with(with(goodOwner, "group_id", "c"), "name", "家人");

        assertThat(builder.build(List.of(everythingWrong, goodId, goodOwner, goodName)).refusals())
                .extracting(Refusal::rule)
                .containsExactly(Refusal.GROUP_ID, Refusal.USER_ID, Refusal.GROUP_PROFILE, Refusal.GROUP_TYPE);
    }

    @Test
    void eachGroupHasItsOwnLaneAndTheSameRowsGiveEqualRequestsInAnyColumnCase() {
        List<Map<String, Object>> rows = List.of(group("g1", "work"), group("g2", "public"), group("g3", "meeting"));

        Requests requests = builder.build(rows);

        assertThat(requests.lanes()).hasSize(3);
        assertThat(builder.build(Rows.upperCase(rows))).isEqualTo(requests);
        assertThat(Rows.json(new GroupRequests().build(rows))).isEqualTo(Rows.json(requests));
    }

    @Test
    void firstEventAtMsIsRequiredAndMustNotBeNull() {
        assertThatThrownBy(() -> builder.build(List.of(Rows.without(group("g1", "work"), "first_event_at_ms"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("groups")
                .hasMessageContaining("'first_event_at_ms'");
        assertThatThrownBy(() -> builder.build(List.of(with(group("g1", "work"), "first_event_at_ms", null))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NULL");
    }
}
