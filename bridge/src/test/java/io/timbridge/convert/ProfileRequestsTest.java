package io.timbridge.convert;

import static io.timbridge.convert.Rows.row;
import static io.timbridge.convert.Rows.utf8OfBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timbridge.tim.TimApi;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProfileRequestsTest {

    private final ProfileRequests builder = new ProfileRequests(
            ProfileRequests.parseCustomTags("level:Tag_Profile_Custom_Level, vip:Tag_Profile_Custom_Vip"));

    private static Map<String, Object> user(String id, String field, String value) {
        return row("user_id", id, "nickname", "张伟😎", "avatar_url", "https://cdn.example.com/avatar/" + id + ".jpg",
                "gender", 1, "birthday", java.sql.Date.valueOf("1990-05-17"), "signature", "保持热爱，奔赴山海⛰️",
                "location", "广东 深圳", "field_key", field, "field_value", value);
    }

    private static Map<String, Object> item(String tag, Object value) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("Tag", tag);
        item.put("Value", value);
        return item;
    }

    private static List<Object> items(TimCall call) {
        return Rows.list(call.request().get("ProfileItem")).stream().map(Object.class::cast).toList();
    }

    @Test
    void aUserWithCustomFieldsBecomesOnePortraitSetWithStandardThenConfiguredCustomTags() {
        Requests requests = builder.build(List.of(user("u1", "hobby", "摄影、徒步"), user("u1", "level", "42"),
                user("u1", "vip", "1")));

        assertThat(requests.refusals()).isEmpty();
        assertThat(requests.calls()).hasSize(1);
        TimCall call = requests.calls().get(0);
        assertThat(call.api()).isEqualTo(TimApi.PORTRAIT_SET);
        assertThat(call.itemKeys()).containsExactly("u1");
        assertThat(call.request().get("From_Account")).isEqualTo("u1");
        assertThat(items(call)).containsExactly(
                item("Tag_Profile_IM_Nick", "张伟😎"),
                item("Tag_Profile_IM_Image", "https://cdn.example.com/avatar/u1.jpg"),
                item("Tag_Profile_IM_Gender", "Gender_Type_Male"),
                item("Tag_Profile_IM_BirthDay", 19900517),
                item("Tag_Profile_IM_SelfSignature", "保持热爱，奔赴山海⛰️"),
                item("Tag_Profile_IM_Location", "广东 深圳"),
                item("Tag_Profile_Custom_Level", "42"),
                item("Tag_Profile_Custom_Vip", "1"));
    }

    @Test
    void nullColumnsAndUnmappedFieldsAreNotSent() {
        Requests requests = builder.build(List.of(
                row("user_id", "u2", "nickname", "Kevin王", "avatar_url", null, "gender", null, "birthday", null,
                        "signature", null, "location", null, "field_key", "company", "field_value", "腾讯"),
                row("user_id", "u2", "nickname", "Kevin王", "avatar_url", null, "gender", null, "birthday", null,
                        "signature", null, "location", null, "field_key", "level", "field_value", null)));

        assertThat(items(requests.calls().get(0))).containsExactly(item("Tag_Profile_IM_Nick", "Kevin王"));
    }

    @Test
    void aUserWithNothingToSetMakesNoCallAndNoRefusal() {
        Requests requests = builder.build(List.of(row("user_id", "u3", "nickname", null, "field_key", null,
                "field_value", null)));

        assertThat(requests.callCount()).isZero();
        assertThat(requests.refusals()).isEmpty();
    }

    @Test
    void genderCodesMapToTimGenders() {
        List<Map<String, Object>> rows = new ArrayList<>();
        Object[] genders = {1, 2, 0, (short) 2, "1", new BigDecimal("2"), 7, "x"};
        for (int i = 0; i < genders.length; i++) {
            rows.add(row("user_id", "u" + i, "gender", genders[i]));
        }

        assertThat(builder.build(rows).calls()).extracting(call -> (Object) ((Map<?, ?>) items(call).get(0)).get("Value"))
                .containsExactly("Gender_Type_Male", "Gender_Type_Female", "Gender_Type_Unknown", "Gender_Type_Female",
                        "Gender_Type_Male", "Gender_Type_Female", "Gender_Type_Unknown", "Gender_Type_Unknown");
    }

    @Test
    void aBirthdayMayArriveAsSqlDateLocalDateOrText() {
        Object[] birthdays = {java.sql.Date.valueOf("2001-02-03"), LocalDate.of(2001, 2, 3), "2001-02-03"};
        for (Object birthday : birthdays) {
            Requests requests = builder.build(List.of(row("user_id", "u1", "birthday", birthday)));

            assertThat(items(requests.calls().get(0))).containsExactly(item("Tag_Profile_IM_BirthDay", 20010203));
        }
    }

    @Test
    void aBirthdayThatIsNotADateRefusesTheUser() {
        Requests requests = builder.build(List.of(row("user_id", "u1", "birthday", "2001/02/03")));

        assertThat(requests.callCount()).isZero();
        assertThat(requests.refusals()).singleElement().satisfies(refusal -> {
            assertThat(refusal.rule()).isEqualTo(Refusal.PROFILE_VALUE);
            assertThat(refusal.reason()).contains("'2001/02/03'", "yyyy-MM-dd");
        });
    }

    @Test
    void aValueOf500BytesIsSentAnd501BytesRefusesTheWholeUser() {
        String fits = utf8OfBytes(500);
        String over = utf8OfBytes(501);

        Requests requests = builder.build(List.of(
                row("user_id", "ok", "signature", fits),
                row("user_id", "long-signature", "nickname", "阿明", "signature", over),
                user("long-custom", "level", "3"),
                user("long-custom", "vip", over),
                user("long-unmapped", "hobby", over)));

        assertThat(requests.calls()).extracting(call -> call.itemKeys().get(0)).containsExactly("ok", "long-unmapped");
        assertThat(items(requests.calls().get(0))).containsExactly(item("Tag_Profile_IM_SelfSignature", fits));
        assertThat(requests.refusals()).extracting(Refusal::itemKey).containsExactly("long-signature", "long-custom");
        assertThat(requests.refusals()).extracting(Refusal::rule).containsOnly(Refusal.PROFILE_VALUE);
        assertThat(requests.refusals().get(0).reason())
                .contains("Tag_Profile_IM_SelfSignature", "501 bytes", "at most 500");
        Refusal custom = requests.refusals().get(1);
        assertThat(custom.reason()).contains("Tag_Profile_Custom_Vip", "501 bytes");
        assertThat(custom.row()).as("the row holding the value").isEqualTo(user("long-custom", "vip", over));
    }

    @Test
    void aBadUserIdRefusesTheUserOnceWhateverItsNumberOfRows() {
        String id33 = "wx_o" + "A".repeat(27) + "_9";

        Requests requests = builder.build(List.of(user(id33, "level", "1"), user(id33, "vip", "1"),
                user("u".repeat(32), "level", "1")));

        assertThat(requests.refusals()).singleElement().satisfies(refusal -> {
            assertThat(refusal.itemKey()).isEqualTo(id33);
            assertThat(refusal.rule()).isEqualTo(Refusal.USER_ID);
            assertThat(refusal.reason()).contains("33 bytes", "at most 32");
        });
        assertThat(requests.calls()).extracting(call -> call.itemKeys().get(0)).containsExactly("u".repeat(32));
    }

    @Test
    void aUserSeenInTwoSeparateRunsGetsOneCallPerRunInOneLane() {
        Requests requests = builder.build(List.of(user("u1", "level", "1"), user("u2", "level", "2"),
                user("u1", "vip", "1")));

        assertThat(requests.lanes()).hasSize(2);
        assertThat(requests.lanes().get(0)).hasSize(2)
                .allSatisfy(call -> assertThat(call.itemKeys()).containsExactly("u1"));
        assertThat(items(requests.lanes().get(0).get(1))).contains(item("Tag_Profile_Custom_Vip", "1"))
                .doesNotContain(item("Tag_Profile_Custom_Level", "1"));
    }

    @Test
    void columnNamesAreMatchedInAnyCaseAndTheSameRowsGiveEqualRequests() {
        List<Map<String, Object>> rows = List.of(user("u1", "level", "9"), user("u1", "vip", "1"), user("u2", null, null));

        assertThat(builder.build(Rows.upperCase(rows))).isEqualTo(builder.build(rows));
        assertThat(Rows.json(new ProfileRequests(builder.customTags()).build(rows))).isEqualTo(Rows.json(builder.build(rows)));
    }

    @Test
    void customTagsAreParsedFromTheProperty() {
        assertThat(ProfileRequests.parseCustomTags(" level:Tag_Profile_Custom_Level ,vip : Tag_Profile_Custom_Vip"))
                .containsExactly(Map.entry("level", "Tag_Profile_Custom_Level"), Map.entry("vip", "Tag_Profile_Custom_Vip"));
        assertThat(ProfileRequests.parseCustomTags("")).isEmpty();
        assertThat(ProfileRequests.parseCustomTags(null)).isEmpty();
        assertThat(ProfileRequests.parseCustomTags("x:Tag_Profile_Custom_Abcdefgh")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"level", "level:", ":Tag_Profile_Custom_Level", "a:b:Tag_Profile_Custom_Level",
            "level:Tag_Profile_Custom_Level,", "level:Tag_Profile_Custom_Level9", "level:Tag_Profile_Custom_Abcdefghi",
            "level:Tag_Profile_Custom_", "level:Tag_Profile_IM_Level", "level:tag_profile_custom_level",
            "level:Tag_Profile_Custom_Level,level:Tag_Profile_Custom_Lv"})
    void malformedCustomTagEntriesAreRejected(String property) {
        assertThatThrownBy(() -> ProfileRequests.parseCustomTags(property)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("profiles");
    }

    @Test
    void theConstructorRejectsBadTagsAndTwoKeysForOneTag() {
        assertThatThrownBy(() -> new ProfileRequests(Map.of("level", "Level")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Tag_Profile_Custom_");
        Map<String, String> twice = new LinkedHashMap<>();
        twice.put("level", "Tag_Profile_Custom_Level");
        twice.put("lv", "Tag_Profile_Custom_Level");
        assertThatThrownBy(() -> new ProfileRequests(twice))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two field keys");
    }

    @Test
    void userIdIsRequired() {
        assertThatThrownBy(() -> builder.build(List.of(row("nickname", "x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("profiles")
                .hasMessageContaining("'user_id'");
    }
}
