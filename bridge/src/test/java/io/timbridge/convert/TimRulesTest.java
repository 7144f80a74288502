package io.timbridge.convert;

import static org.assertj.core.api.Assertions.assertThat;

import io.timbridge.convert.TimRules.Reason;
import io.timbridge.convert.TimRules.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimRulesTest {

    private static List<Reason> reasons(List<Violation> violations) {
        return violations.stream().map(Violation::reason).toList();
    }

    @Test
    void userIdUpTo32BytesIsAccepted() {
        assertThat(TimRules.checkUserId("alice")).isEmpty();
        assertThat(TimRules.checkUserId("u".repeat(32))).isEmpty();
        assertThat(TimRules.checkUserId("张三李四王五赵六钱七")).isEmpty(); // 10 CJK = 30 bytes
    }

    @Test
    void userIdIsMeasuredInUtf8Bytes() {
        assertThat(reasons(TimRules.checkUserId("u".repeat(33)))).containsExactly(Reason.USER_ID_TOO_LONG);
        // 11 characters, 33 bytes.
        List<Violation> cjk = TimRules.checkUserId("张三李四王五赵六钱七孙");
        assertThat(reasons(cjk)).containsExactly(Reason.USER_ID_TOO_LONG);
        assertThat(cjk.get(0).detail()).contains("33 bytes");
    }

    @Test
    void userIdMustNotBeEmptyOrStartWithAt() {
        assertThat(reasons(TimRules.checkUserId(""))).containsExactly(Reason.USER_ID_EMPTY);
        assertThat(reasons(TimRules.checkUserId(null))).containsExactly(Reason.USER_ID_EMPTY);
        assertThat(reasons(TimRules.checkUserId("@TIM#SYSTEM"))).containsExactly(Reason.USER_ID_RESERVED_PREFIX);
        assertThat(reasons(TimRules.checkUserId("@" + "x".repeat(40))))
                .containsExactly(Reason.USER_ID_TOO_LONG, Reason.USER_ID_RESERVED_PREFIX);
        assertThat(TimRules.checkUserId("Owner_Account", "@x").get(0).field()).isEqualTo("Owner_Account");
    }

    @Test
    void groupIdIsPrintableAsciiUpTo48BytesWithoutTheServerPrefix() {
        assertThat(TimRules.checkGroupId("g_legacy_42")).isEmpty();
        assertThat(TimRules.checkGroupId("group id with spaces ~!")).isEmpty();
        assertThat(TimRules.checkGroupId("g".repeat(48))).isEmpty();
        assertThat(TimRules.checkGroupId("@TGS")).isEmpty();

        assertThat(reasons(TimRules.checkGroupId("g".repeat(49)))).containsExactly(Reason.GROUP_ID_TOO_LONG);
        assertThat(reasons(TimRules.checkGroupId("@TGS#2J4SZEAEL"))).containsExactly(Reason.GROUP_ID_RESERVED_PREFIX);
        assertThat(reasons(TimRules.checkGroupId("家庭群"))).containsExactly(Reason.GROUP_ID_NOT_PRINTABLE_ASCII);
        assertThat(reasons(TimRules.checkGroupId("g\t1"))).containsExactly(Reason.GROUP_ID_NOT_PRINTABLE_ASCII);
        assertThat(reasons(TimRules.checkGroupId(""))).containsExactly(Reason.GROUP_ID_EMPTY);
        assertThat(reasons(TimRules.checkGroupId("群".repeat(17))))
                .containsExactly(Reason.GROUP_ID_NOT_PRINTABLE_ASCII, Reason.GROUP_ID_TOO_LONG);
    }

    @Test
    void groupProfileFieldsHaveByteLimits() {
        assertThat(TimRules.checkGroupProfile("深圳徒步爱好者群🏔", "介".repeat(80), "告".repeat(100),
                "https://cdn.example.com/" + "f".repeat(76))).isEmpty();
        assertThat(TimRules.checkGroupProfile("ok", null, null, null)).isEmpty();

        assertThat(reasons(TimRules.checkGroupProfile("深圳徒步爱好者交流群群", "介".repeat(80) + "x",
                "告".repeat(100) + "x", "https://cdn.example.com/" + "f".repeat(77))))
                .containsExactly(Reason.GROUP_NAME_TOO_LONG, Reason.GROUP_INTRODUCTION_TOO_LONG,
                        Reason.GROUP_NOTIFICATION_TOO_LONG, Reason.GROUP_FACE_URL_TOO_LONG);
        assertThat(reasons(TimRules.checkGroupProfile("", null, null, null))).containsExactly(Reason.GROUP_NAME_EMPTY);
        assertThat(reasons(TimRules.checkGroupProfile(null, null, null, null))).containsExactly(Reason.GROUP_NAME_EMPTY);
    }

    @Test
    void onlyTypesWithMembersAndHistoryAreImportable() {
        for (String type : List.of("work", "public", "meeting", "community", "Private", "ChatRoom", "PUBLIC", " Community ")) {
            assertThat(TimRules.checkImportableGroupType(type)).as(type).isEmpty();
        }
        assertThat(reasons(TimRules.checkImportableGroupType("live"))).containsExactly(Reason.GROUP_TYPE_NOT_IMPORTABLE);
        assertThat(reasons(TimRules.checkImportableGroupType("AVChatRoom"))).containsExactly(Reason.GROUP_TYPE_NOT_IMPORTABLE);
        assertThat(reasons(TimRules.checkImportableGroupType("vip"))).containsExactly(Reason.GROUP_TYPE_UNKNOWN);
        assertThat(reasons(TimRules.checkImportableGroupType(null))).containsExactly(Reason.GROUP_TYPE_UNKNOWN);
    }

    @Test
    void legacyGroupTypesMapToRestTypes() {
        assertThat(TimGroupType.parse("work")).contains(TimGroupType.PRIVATE);
        assertThat(TimGroupType.parse("meeting").map(TimGroupType::restName)).contains("ChatRoom");
        assertThat(TimGroupType.parse("AVChatRoom").map(TimGroupType::legacyName)).contains("live");
        assertThat(TimGroupType.parse("Work")).contains(TimGroupType.PRIVATE);
    }

    @Test
    void profileValuesAreLimitedTo500Bytes() {
        assertThat(TimRules.checkProfileValue("Tag_Profile_IM_SelfSignature", "签".repeat(166) + "xx")).isEmpty();
        assertThat(TimRules.checkProfileValue("Tag_Profile_IM_Nick", null)).isEmpty();

        List<Violation> tooLong = TimRules.checkProfileValue("Tag_Profile_Custom_Hobby", "签".repeat(167));
        assertThat(reasons(tooLong)).containsExactly(Reason.PROFILE_VALUE_TOO_LONG);
        assertThat(tooLong.get(0).field()).isEqualTo("Tag_Profile_Custom_Hobby");
        assertThat(tooLong.get(0).toString()).contains("501 bytes");
    }
}
