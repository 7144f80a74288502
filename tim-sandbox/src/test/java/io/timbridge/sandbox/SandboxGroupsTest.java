package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.timbridge.sandbox.SandboxHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/** groups.md: group IDs, import_group, import_group_member, lifecycle and membership, read APIs. */
class SandboxGroupsTest {
    static SandboxHarness h;

    @BeforeAll
    static void start() {
        h = new SandboxHarness();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @BeforeEach
    void clean() {
        h.sandbox.reset();
        h.importAccounts("alice", "bob", "carol");
    }

    private static int code(JsonNode r) {
        return r.get("ErrorCode").asInt();
    }

    private JsonNode importGroup(String id, long createTime) {
        return h.call("group_open_http_svc/import_group", json("{\"Type\":\"Public\",\"Name\":\"Team\",\"Owner_Account\":\"alice\"}")
                .put("GroupId", id).put("CreateTime", createTime));
    }

    @Test
    void importGroupKeepsACustomIdAndCreateTime() {
        long created = h.clock.seconds() - 86_400;
        JsonNode r = importGroup("g_legacy_42", created);
        assertThat(code(r)).isZero();
        assertThat(r.get("GroupId").asText()).isEqualTo("g_legacy_42");
        JsonNode g = h.sandbox.inspect().group("g_legacy_42");
        assertThat(g.get("CreateTime").asLong()).isEqualTo(created);
        assertThat(g.at("/MemberList/0/Member_Account").asText()).isEqualTo("alice");
        assertThat(g.at("/MemberList/0/Role").asText()).isEqualTo("Owner");
    }

    @Test
    void aGroupIdThatIsReservedTooLongOrNotPrintableIsRefused() {
        long created = h.clock.seconds() - 100;
        assertThat(code(importGroup("@TGS#2J4SZEAEL", created))).isEqualTo(10004);
        assertThat(code(importGroup("g".repeat(49), created))).isEqualTo(10004);
        assertThat(code(importGroup("g".repeat(48), created))).isZero();
        assertThat(code(importGroup("tab\there", created))).isEqualTo(10004);
    }

    @Test
    void aGroupIdInUseIs10021Or10025ForItsOwner() {
        long created = h.clock.seconds() - 100;
        importGroup("g1", created);
        assertThat(code(importGroup("g1", created))).as("same owner").isEqualTo(10025);
        JsonNode other = h.call("group_open_http_svc/create_group", "{\"Type\":\"Public\",\"Name\":\"T\",\"GroupId\":\"g1\",\"Owner_Account\":\"bob\"}");
        assertThat(code(other)).isEqualTo(10021);
    }

    @Test
    void aGroupWithoutIdGetsAServerAssignedTgsId() {
        JsonNode r = h.call("group_open_http_svc/create_group", "{\"Type\":\"Private\",\"Name\":\"T\"}");
        assertThat(r.get("GroupId").asText()).startsWith("@TGS#");
        JsonNode topics = h.call("group_open_http_svc/create_group", "{\"Type\":\"Community\",\"Name\":\"T\",\"SupportTopic\":1}");
        assertThat(topics.get("GroupId").asText()).startsWith("@TGS#_");
    }

    @Test
    void importAndMemberApisRefuseAnAvChatRoomWith10007() {
        assertThat(code(h.call("group_open_http_svc/import_group", "{\"Type\":\"AVChatRoom\",\"Name\":\"Live\"}"))).isEqualTo(10007);
        h.call("group_open_http_svc/create_group", "{\"Type\":\"AVChatRoom\",\"Name\":\"Live\",\"GroupId\":\"live\"}");
        assertThat(code(h.call("group_open_http_svc/import_group_member",
                "{\"GroupId\":\"live\",\"MemberList\":[{\"Member_Account\":\"bob\"}]}"))).isEqualTo(10007);
        assertThat(code(h.call("group_open_http_svc/import_group_msg", json("{\"GroupId\":\"live\",\"MsgList\":[{\"From_Account\":\"bob\","
                + "\"SendTime\":1}]}")))).isEqualTo(10007);
        assertThat(code(h.call("group_open_http_svc/add_group_member",
                "{\"GroupId\":\"live\",\"MemberList\":[{\"Member_Account\":\"bob\"}]}"))).isEqualTo(10007);
        assertThat(code(h.call("group_open_http_svc/create_group",
                "{\"Type\":\"AVChatRoom\",\"Name\":\"L\",\"MemberList\":[{\"Member_Account\":\"bob\"}]}"))).isEqualTo(10007);
    }

    @Test
    void importGroupRefusesAFutureCreateTimeAndAnUnknownOwner() {
        assertThat(code(importGroup("g1", h.clock.seconds() + 100))).isEqualTo(10004);
        assertThat(code(h.call("group_open_http_svc/import_group", "{\"Type\":\"Public\",\"Name\":\"T\",\"Owner_Account\":\"ghost\"}")))
                .isEqualTo(10019);
        assertThat(code(h.call("group_open_http_svc/import_group", "{\"Type\":\"Public\",\"Name\":\"" + "n".repeat(31) + "\"}")))
                .isEqualTo(10004);
    }

    private ObjectNode member(String account, Long joinTime, String role, Integer unread) {
        ObjectNode m = json("{}").put("Member_Account", account);
        if (joinTime != null) {
            m.put("JoinTime", joinTime);
        }
        if (role != null) {
            m.put("Role", role);
        }
        if (unread != null) {
            m.put("UnreadMsgNum", unread);
        }
        return m;
    }

    private JsonNode importMembers(String group, ObjectNode... members) {
        ObjectNode body = json("{}").put("GroupId", group);
        ArrayNode list = body.putArray("MemberList");
        for (ObjectNode m : members) {
            list.add(m);
        }
        return h.call("group_open_http_svc/import_group_member", body);
    }

    @Test
    void importGroupMemberNeedsJoinTimeBetweenCreateTimeAndNow() {
        long created = h.clock.seconds() - 1000;
        importGroup("g1", created);
        JsonNode r = importMembers("g1", member("bob", created + 10, null, null), member("carol", created, null, null),
                member("administrator", h.clock.seconds() + 10, null, null));
        assertThat(r.at("/MemberList/0/Result").asInt()).isEqualTo(1);
        assertThat(r.at("/MemberList/1/Result").asInt()).as("JoinTime = CreateTime").isZero();
        assertThat(r.at("/MemberList/2/Result").asInt()).as("JoinTime in the future").isZero();
        assertThat(importMembers("g1", member("bob", created + 20, null, null)).at("/MemberList/0/Result").asInt())
                .as("already a member").isEqualTo(2);
        assertThat(importMembers("g1", member("ghost", created + 20, null, null)).at("/MemberList/0/Result").asInt()).isZero();
    }

    @Test
    void importGroupMemberGivesOnlyTheAdminRoleAndClampsUnread() {
        long created = h.clock.seconds() - 1000;
        importGroup("g1", created);
        h.call("group_open_http_svc/import_group_msg", json("{\"GroupId\":\"g1\",\"MsgList\":[{\"From_Account\":\"alice\",\"SendTime\":"
                + (created + 5) + ",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"a\"}}]}]}"));
        importMembers("g1", member("bob", created + 10, "Admin", 5), member("carol", created + 10, "Owner", 0));
        JsonNode g = h.sandbox.inspect().group("g1");
        assertThat(g.at("/MemberList/1/Role").asText()).isEqualTo("Admin");
        assertThat(g.at("/MemberList/1/UnreadMsgNum").asInt()).as("clamped to the 1 message").isEqualTo(1);
        assertThat(g.at("/MemberList/2/Role").asText()).isEqualTo("Member");
    }

    @Test
    void importGroupMemberRefusesMoreThanTwentyMembers() {
        importGroup("g1", h.clock.seconds() - 100);
        ObjectNode[] many = new ObjectNode[21];
        for (int i = 0; i < many.length; i++) {
            many[i] = member("bob", null, null, null);
        }
        assertThat(code(importMembers("g1", many))).isEqualTo(10005);
        assertThat(code(importMembers("g1", java.util.Arrays.copyOf(many, 20)))).isZero();
    }

    @Test
    void createGroupTakesInitialMembersAndRefusesUnknownOnesOrTooMany() {
        JsonNode r = h.call("group_open_http_svc/create_group", "{\"Type\":\"Public\",\"Name\":\"T\",\"GroupId\":\"g1\",\"Owner_Account\":\"alice\","
                + "\"MemberList\":[{\"Member_Account\":\"bob\",\"Role\":\"Admin\"},{\"Member_Account\":\"carol\"}]}");
        assertThat(code(r)).isZero();
        assertThat(h.sandbox.inspect().group("g1").get("MemberNum").asInt()).isEqualTo(3);
        assertThat(code(h.call("group_open_http_svc/create_group", "{\"Type\":\"Public\",\"Name\":\"T\","
                + "\"MemberList\":[{\"Member_Account\":\"ghost\"}]}"))).isEqualTo(10019);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("{\"Member_Account\":\"bob\"}");
        }
        assertThat(code(h.call("group_open_http_svc/create_group", "{\"Type\":\"Public\",\"Name\":\"T\",\"MemberList\":[" + many + "]}")))
                .isEqualTo(10005);
        assertThat(h.sandbox.inspect().counts().get("groups").asInt()).isEqualTo(1);
    }

    @Test
    void addAndDeleteGroupMemberReportPerMemberResults() {
        h.call("group_open_http_svc/create_group", "{\"Type\":\"Public\",\"Name\":\"T\",\"GroupId\":\"g1\",\"Owner_Account\":\"alice\"}");
        JsonNode add = h.call("group_open_http_svc/add_group_member", "{\"GroupId\":\"g1\",\"MemberList\":"
                + "[{\"Member_Account\":\"bob\"},{\"Member_Account\":\"alice\"},{\"Member_Account\":\"ghost\"}]}");
        assertThat(add.at("/MemberList/0/Result").asInt()).isEqualTo(1);
        assertThat(add.at("/MemberList/1/Result").asInt()).isEqualTo(2);
        assertThat(add.at("/MemberList/2/Result").asInt()).isZero();
        assertThat(code(h.call("group_open_http_svc/delete_group_member", "{\"GroupId\":\"g1\",\"MemberToDel_Account\":[\"bob\",\"carol\"]}")))
                .as("removing a non-member is still a success").isZero();
        assertThat(h.sandbox.inspect().group("g1").get("MemberNum").asInt()).isEqualTo(1);
        assertThat(code(h.call("group_open_http_svc/delete_group_member", "{\"GroupId\":\"g1\",\"MemberToDel_Account\":[\"alice\"]}")))
                .as("the owner").isEqualTo(10004);
    }

    @Test
    void addGroupMemberRefusesMoreThanTwentyMembers() {
        h.call("group_open_http_svc/create_group", "{\"Type\":\"Public\",\"Name\":\"T\",\"GroupId\":\"g1\"}");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            many.append(i == 0 ? "" : ",").append("{\"Member_Account\":\"bob\"}");
        }
        assertThat(code(h.call("group_open_http_svc/add_group_member", "{\"GroupId\":\"g1\",\"MemberList\":[" + many + "]}"))).isEqualTo(10005);
    }

    @Test
    void aDestroyedGroupAnswers10010() {
        h.call("group_open_http_svc/create_group", "{\"Type\":\"Public\",\"Name\":\"T\",\"GroupId\":\"g1\"}");
        assertThat(code(h.call("group_open_http_svc/destroy_group", "{\"GroupId\":\"g1\"}"))).isZero();
        assertThat(code(h.call("group_open_http_svc/destroy_group", "{\"GroupId\":\"g1\"}"))).isEqualTo(10010);
        assertThat(code(h.call("group_open_http_svc/modify_group_base_info", "{\"GroupId\":\"g1\",\"Name\":\"X\"}"))).isEqualTo(10010);
    }

    @Test
    void modifyGroupBaseInfoChangesTheInfoAndChecksLengths() {
        h.call("group_open_http_svc/create_group", "{\"Type\":\"Public\",\"Name\":\"T\",\"GroupId\":\"g1\"}");
        assertThat(code(h.call("group_open_http_svc/modify_group_base_info",
                "{\"GroupId\":\"g1\",\"Notification\":\"New rules\",\"MuteAllMember\":\"On\"}"))).isZero();
        JsonNode info = h.call("group_open_http_svc/get_group_info", "{\"GroupIdList\":[\"g1\"]}");
        assertThat(info.at("/GroupInfo/0/Notification").asText()).isEqualTo("New rules");
        assertThat(info.at("/GroupInfo/0/MuteAllMember").asText()).isEqualTo("On");
        assertThat(code(h.call("group_open_http_svc/modify_group_base_info",
                "{\"GroupId\":\"g1\",\"Introduction\":\"" + "i".repeat(241) + "\"}"))).isEqualTo(10004);
    }

    @Test
    void getGroupInfoAnswersPerGroupWithAnErrorForMissingOnes() {
        h.call("group_open_http_svc/create_group", "{\"Type\":\"Public\",\"Name\":\"T\",\"GroupId\":\"g1\",\"Owner_Account\":\"alice\"}");
        JsonNode r = h.call("group_open_http_svc/get_group_info", "{\"GroupIdList\":[\"g1\",\"nope\"],"
                + "\"ResponseFilter\":{\"GroupBaseInfoFilter\":[\"Type\",\"Name\"],\"MemberInfoFilter\":[\"Role\"]}}");
        assertThat(code(r)).isZero();
        assertThat(r.at("/GroupInfo/0/ErrorCode").asInt()).isZero();
        assertThat(r.at("/GroupInfo/0/Name").asText()).isEqualTo("T");
        assertThat(r.at("/GroupInfo/0/Introduction").isMissingNode()).as("filtered out").isTrue();
        assertThat(r.at("/GroupInfo/0/MemberList/0/Role").asText()).isEqualTo("Owner");
        assertThat(r.at("/GroupInfo/0/MemberList/0/JoinTime").isMissingNode()).isTrue();
        assertThat(r.at("/GroupInfo/1/ErrorCode").asInt()).isEqualTo(10010);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 51; i++) {
            many.append(i == 0 ? "" : ",").append("\"g1\"");
        }
        assertThat(code(h.call("group_open_http_svc/get_group_info", "{\"GroupIdList\":[" + many + "]}"))).isEqualTo(10004);
    }

    @Test
    void getGroupMemberInfoPagesWithLimitAndOffset() {
        h.call("group_open_http_svc/create_group", "{\"Type\":\"Public\",\"Name\":\"T\",\"GroupId\":\"g1\",\"Owner_Account\":\"alice\","
                + "\"MemberList\":[{\"Member_Account\":\"bob\"},{\"Member_Account\":\"carol\"}]}");
        JsonNode page = h.call("group_open_http_svc/get_group_member_info", "{\"GroupId\":\"g1\",\"Limit\":2,\"Offset\":1}");
        assertThat(page.get("MemberNum").asInt()).isEqualTo(3);
        assertThat(page.get("MemberList")).extracting(m -> m.get("Member_Account").asText()).containsExactly("bob", "carol");
        JsonNode admins = h.call("group_open_http_svc/get_group_member_info", "{\"GroupId\":\"g1\",\"MemberRoleFilter\":[\"Owner\"]}");
        assertThat(admins.get("MemberList")).hasSize(1);
        assertThat(code(h.call("group_open_http_svc/get_group_member_info", "{\"GroupId\":\"g1\",\"Limit\":201}"))).isEqualTo(10004);
    }

    @Test
    void setUnreadMsgNumSetsAMembersCountClampedAndOnlyForMembers() {
        long created = h.clock.seconds() - 1000;
        importGroup("g1", created);
        importMembers("g1", member("bob", created + 1, null, null));
        h.call("group_open_http_svc/import_group_msg", json("{\"GroupId\":\"g1\",\"MsgList\":["
                + "{\"From_Account\":\"alice\",\"SendTime\":" + (created + 5) + ",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"a\"}}]},"
                + "{\"From_Account\":\"alice\",\"SendTime\":" + (created + 6) + ",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"b\"}}]}]}"));
        assertThat(code(h.call("group_open_http_svc/set_unread_msg_num", "{\"GroupId\":\"g1\",\"Member_Account\":\"bob\",\"UnreadMsgNum\":1}"))).isZero();
        assertThat(h.sandbox.inspect().group("g1").at("/MemberList/1/UnreadMsgNum").asInt()).isEqualTo(1);
        JsonNode members = h.call("group_open_http_svc/get_group_member_info", "{\"GroupId\":\"g1\"}");
        assertThat(members.at("/MemberList/1/MsgSeq").asInt()).as("last read seq").isEqualTo(1);
        h.call("group_open_http_svc/set_unread_msg_num", "{\"GroupId\":\"g1\",\"Member_Account\":\"bob\",\"UnreadMsgNum\":9}");
        assertThat(h.sandbox.inspect().group("g1").at("/MemberList/1/UnreadMsgNum").asInt()).isEqualTo(2);
        assertThat(code(h.call("group_open_http_svc/set_unread_msg_num", "{\"GroupId\":\"g1\",\"Member_Account\":\"carol\",\"UnreadMsgNum\":1}")))
                .isEqualTo(10007);
    }
}
