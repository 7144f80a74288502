package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbridge.testsupport.TestSandboxes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.timbridge.sandbox.SandboxHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/** groups.md: import_group_msg ordering and unread reset, group MsgSeq, send_group_msg dedup, history paging. */
class SandboxGroupMessagesTest {
    static SandboxHarness h;
    long created;

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
        created = h.clock.seconds() - 10_000;
        h.call("group_open_http_svc/import_group", json("{\"Type\":\"Public\",\"Name\":\"T\",\"GroupId\":\"g1\",\"Owner_Account\":\"alice\"}")
                .put("CreateTime", created));
        h.call("group_open_http_svc/import_group_member", json("{\"GroupId\":\"g1\",\"MemberList\":[{\"Member_Account\":\"bob\",\"UnreadMsgNum\":0}]}"));
    }

    private static int code(JsonNode r) {
        return r.get("ErrorCode").asInt();
    }

    private static ObjectNode msg(String from, long sendTime, Long random, String text) {
        ObjectNode m = json("{}").put("From_Account", from).put("SendTime", sendTime);
        if (random != null) {
            m.put("Random", random);
        }
        m.set("MsgBody", TestSandboxes.text(text));
        return m;
    }

    private JsonNode importMsgs(String group, ObjectNode... msgs) {
        ObjectNode body = json("{}").put("GroupId", group);
        ArrayNode list = body.putArray("MsgList");
        for (ObjectNode m : msgs) {
            list.add(m);
        }
        return h.call("group_open_http_svc/import_group_msg", body);
    }

    private static List<Integer> results(JsonNode r) {
        List<Integer> out = new ArrayList<>();
        r.get("ImportMsgResult").forEach(i -> out.add(i.get("Result").asInt()));
        return out;
    }

    @Test
    void importedMessagesGetMsgSeqFromOnePerGroup() {
        JsonNode r = importMsgs("g1", msg("alice", created + 1, null, "a"), msg("bob", created + 2, null, "b"));
        assertThat(r.get("ImportMsgResult")).extracting(i -> i.get("MsgSeq").asInt()).containsExactly(1, 2);
        assertThat(r.at("/ImportMsgResult/1/MsgTime").asLong()).isEqualTo(created + 2);
        h.call("group_open_http_svc/import_group", json("{\"Type\":\"Public\",\"Name\":\"T\",\"GroupId\":\"g2\"}").put("CreateTime", created));
        assertThat(importMsgs("g2", msg("alice", created + 1, null, "x")).at("/ImportMsgResult/0/MsgSeq").asInt()).isEqualTo(1);
    }

    @Test
    void importGroupMsgTakesAtMostSevenMessages() {
        ObjectNode[] eight = new ObjectNode[8];
        for (int i = 0; i < 8; i++) {
            eight[i] = msg("alice", created + 1 + i, null, "m" + i);
        }
        assertThat(code(importMsgs("g1", eight))).isEqualTo(10004);
        assertThat(code(importMsgs("g1", java.util.Arrays.copyOf(eight, 7)))).isZero();
        assertThat(h.sandbox.inspect().group("g1").get("MsgCnt").asInt()).isEqualTo(7);
    }

    @Test
    void messagesOutOfAscendingOrderFail() {
        JsonNode r = importMsgs("g1", msg("alice", created + 5, null, "a"), msg("alice", created + 3, null, "b"),
                msg("alice", created + 5, null, "c"));
        assertThat(results(r)).containsExactly(0, 10004, 0);
    }

    @Test
    void aMessageOlderThanTheNewestInTheGroupFailsAndAnEqualTimestampIsAccepted() {
        importMsgs("g1", msg("alice", created + 100, null, "a"));
        assertThat(results(importMsgs("g1", msg("alice", created + 99, null, "older")))).containsExactly(10004);
        assertThat(results(importMsgs("g1", msg("alice", created + 100, null, "same second")))).containsExactly(0);
    }

    @Test
    void aMessageNotAfterCreateTimeOrNotBeforeNowFails() {
        JsonNode r = importMsgs("g1", msg("alice", created, null, "at create"));
        assertThat(results(r)).containsExactly(10004);
        assertThat(results(importMsgs("g1", msg("alice", h.clock.seconds() + 60, null, "future")))).containsExactly(10004);
        assertThat(results(importMsgs("g1", msg("alice", h.clock.seconds() - 1, null, "just past")))).containsExactly(0);
    }

    @Test
    void aLiveMessageBlocksImportingOlderHistory() {
        h.call("group_open_http_svc/send_group_msg", json("{\"GroupId\":\"g1\",\"Random\":1,\"From_Account\":\"alice\"}")
                .set("MsgBody", TestSandboxes.text("live")));
        assertThat(results(importMsgs("g1", msg("alice", created + 1, null, "history")))).containsExactly(10004);
    }

    @Test
    void tooLongContentFailsWith80002AndAnUnknownSenderWith10019() {
        JsonNode r = importMsgs("g1", msg("alice", created + 1, null, "x".repeat(8001)), msg("ghost", created + 2, null, "x"));
        assertThat(results(r)).containsExactly(80002, 10019);
    }

    @Test
    void importingMessagesResetsEveryMembersUnread() {
        importMsgs("g1", msg("alice", created + 1, null, "a"));
        h.call("group_open_http_svc/set_unread_msg_num", "{\"GroupId\":\"g1\",\"Member_Account\":\"bob\",\"UnreadMsgNum\":1}");
        assertThat(h.sandbox.inspect().group("g1").at("/MemberList/1/UnreadMsgNum").asInt()).isEqualTo(1);
        importMsgs("g1", msg("alice", created + 2, null, "b"));
        assertThat(h.sandbox.inspect().group("g1").at("/MemberList/1/UnreadMsgNum").asInt()).isZero();
    }

    @Test
    void aFailedImportLeavesUnreadAlone() {
        importMsgs("g1", msg("alice", created + 10, null, "a"));
        h.call("group_open_http_svc/set_unread_msg_num", "{\"GroupId\":\"g1\",\"Member_Account\":\"bob\",\"UnreadMsgNum\":1}");
        importMsgs("g1", msg("alice", created + 1, null, "too old"));
        assertThat(h.sandbox.inspect().group("g1").at("/MemberList/1/UnreadMsgNum").asInt()).isEqualTo(1);
    }

    @Test
    void aRandomRepeatedWithinFiveMinutesOfSendTimeIsTheSameImportedMessage() {
        JsonNode first = importMsgs("g1", msg("alice", created + 1, 42L, "a"));
        JsonNode again = importMsgs("g1", msg("alice", created + 1, 42L, "a"));
        assertThat(again.at("/ImportMsgResult/0/MsgSeq")).isEqualTo(first.at("/ImportMsgResult/0/MsgSeq"));
        importMsgs("g1", msg("alice", created + 302, 42L, "later"));
        assertThat(h.sandbox.inspect().group("g1").get("MsgCnt").asInt()).isEqualTo(2);
    }

    private JsonNode send(String from, long random, String text) {
        ObjectNode m = json("{\"GroupId\":\"g1\"}").put("Random", random);
        if (from != null) {
            m.put("From_Account", from);
        }
        m.set("MsgBody", TestSandboxes.text(text));
        return h.call("group_open_http_svc/send_group_msg", m);
    }

    @Test
    void sendGroupMsgAssignsTheNextMsgSeqAndCountsUnreadForOthers() {
        importMsgs("g1", msg("alice", created + 1, null, "history"));
        JsonNode r = send("alice", 1, "live");
        assertThat(r.get("MsgSeq").asInt()).isEqualTo(2);
        assertThat(r.get("MsgTime").asLong()).isEqualTo(h.clock.seconds());
        assertThat(r.get("MsgDropReason").asText()).isEmpty();
        JsonNode g = h.sandbox.inspect().group("g1");
        assertThat(g.at("/MemberList/0/UnreadMsgNum").asInt()).as("the sender").isZero();
        assertThat(g.at("/MemberList/1/UnreadMsgNum").asInt()).isEqualTo(1);
        assertThat(g.get("NextMsgSeq").asInt()).isEqualTo(3);
    }

    @Test
    void aRepeatedRandomWithinFiveMinutesIsDroppedAsADuplicateAndAcceptedAfterwards() {
        JsonNode first = send("alice", 77, "hi");
        h.clock.advance(Duration.ofSeconds(299));
        JsonNode dup = send("bob", 77, "another text, same Random");
        assertThat(dup.get("MsgSeq")).isEqualTo(first.get("MsgSeq"));
        assertThat(h.sandbox.inspect().group("g1").get("MsgCnt").asInt()).isEqualTo(1);
        h.clock.advance(Duration.ofSeconds(2));
        assertThat(send("alice", 77, "hi").get("MsgSeq").asInt()).isEqualTo(2);
    }

    @Test
    void withRandomAndBodyDedupADifferentBodyIsANewMessage() {
        try (SandboxHarness byBody = new SandboxHarness("sandbox.send-group-msg.dedup-key", "random-and-body")) {
            byBody.importAccounts("alice");
            byBody.call("group_open_http_svc/create_group", "{\"Type\":\"Public\",\"Name\":\"T\",\"GroupId\":\"g1\",\"Owner_Account\":\"alice\"}");
            for (String text : List.of("one", "two", "two")) {
                byBody.call("group_open_http_svc/send_group_msg", json("{\"GroupId\":\"g1\",\"Random\":5,\"From_Account\":\"alice\"}")
                        .set("MsgBody", TestSandboxes.text(text)));
            }
            assertThat(byBody.sandbox.inspect().group("g1").get("MsgCnt").asInt()).isEqualTo(2);
        }
    }

    @Test
    void aSenderWhoIsNotAMemberIsRefusedUnlessRelaxedButTheAdminMaySend() {
        assertThat(code(send("carol", 1, "x"))).isEqualTo(10007);
        assertThat(code(send("ghost", 2, "x"))).isEqualTo(10019);
        assertThat(code(send(null, 3, "from the admin"))).isZero();
        try (SandboxHarness relaxed = new SandboxHarness("sandbox.strict.group-sender-must-be-member", "false")) {
            relaxed.importAccounts("carol");
            relaxed.call("group_open_http_svc/create_group", "{\"Type\":\"Public\",\"Name\":\"T\",\"GroupId\":\"g1\"}");
            JsonNode r = relaxed.call("group_open_http_svc/send_group_msg", json("{\"GroupId\":\"g1\",\"Random\":1,\"From_Account\":\"carol\"}")
                    .set("MsgBody", TestSandboxes.text("x")));
            assertThat(code(r)).isZero();
        }
    }

    @Test
    void sendGroupMsgNeedsRandomAndAWellFormedBody() {
        ObjectNode noRandom = json("{\"GroupId\":\"g1\"}");
        noRandom.set("MsgBody", TestSandboxes.text("x"));
        assertThat(code(h.call("group_open_http_svc/send_group_msg", noRandom))).isEqualTo(10004);
        assertThat(code(h.call("group_open_http_svc/send_group_msg", "{\"GroupId\":\"g1\",\"Random\":1,\"MsgBody\":{}}"))).isEqualTo(10004);
        assertThat(code(h.call("group_open_http_svc/send_group_msg", "{\"GroupId\":\"nope\",\"Random\":1,"
                + "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}"))).isEqualTo(10010);
    }

    @Test
    void groupMsgGetSimplePagesNewestFirstWithReqMsgSeq() {
        for (int i = 0; i < 5; i++) {
            send("alice", 100 + i, "m" + (i + 1));
        }
        JsonNode first = h.call("group_open_http_svc/group_msg_get_simple", "{\"GroupId\":\"g1\",\"ReqMsgNumber\":2}");
        assertThat(first.get("RspMsgList")).extracting(m -> m.get("MsgSeq").asInt()).containsExactly(5, 4);
        assertThat(first.get("IsFinished").asInt()).isZero();
        JsonNode second = h.call("group_open_http_svc/group_msg_get_simple", "{\"GroupId\":\"g1\",\"ReqMsgNumber\":20,\"ReqMsgSeq\":3}");
        assertThat(second.get("RspMsgList")).extracting(m -> m.at("/MsgBody/0/MsgContent/Text").asText()).containsExactly("m3", "m2", "m1");
        assertThat(second.get("IsFinished").asInt()).isEqualTo(1);
        assertThat(code(h.call("group_open_http_svc/group_msg_get_simple", "{\"GroupId\":\"g1\",\"ReqMsgNumber\":21}"))).isEqualTo(10004);
    }

    @Test
    void groupMsgGetSimpleAnswersMsgPriorityAsTimsInteger() {
        send("alice", 100, "normal");
        ObjectNode high = json("{\"GroupId\":\"g1\",\"From_Account\":\"alice\",\"MsgPriority\":\"High\"}").put("Random", 101);
        high.set("MsgBody", TestSandboxes.text("high"));
        h.call("group_open_http_svc/send_group_msg", high);
        JsonNode r = h.call("group_open_http_svc/group_msg_get_simple", "{\"GroupId\":\"g1\",\"ReqMsgNumber\":20}");
        // tim-api/groups.md: 1 High, 2 Normal, 3 Low, 4 Lowest, answered as an integer.
        assertThat(r.get("RspMsgList")).extracting(m -> m.get("MsgPriority").isInt()).containsOnly(true);
        assertThat(r.get("RspMsgList")).extracting(m -> m.get("MsgPriority").asInt()).containsExactly(1, 2);
    }

    @Test
    void groupMsgGetSimpleReportsAllExpiredBeyondTheRoamingPeriod() {
        h.call("group_open_http_svc/import_group", json("{\"Type\":\"Public\",\"Name\":\"T\",\"GroupId\":\"old\",\"Owner_Account\":\"alice\"}")
                .put("CreateTime", h.clock.seconds() - 30 * 86_400));
        importMsgs("old", msg("alice", h.clock.seconds() - 20 * 86_400, null, "ancient"));
        JsonNode r = h.call("group_open_http_svc/group_msg_get_simple", "{\"GroupId\":\"old\",\"ReqMsgNumber\":20}");
        assertThat(r.get("IsFinished").asInt()).isEqualTo(2);
        assertThat(r.get("RspMsgList")).isEmpty();
    }
}
