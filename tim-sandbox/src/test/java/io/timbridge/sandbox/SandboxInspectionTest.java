package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

import static io.timbridge.sandbox.SandboxHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The inspection API (Java and HTTP), reset, the client API over HTTP, and checksum-only storage. */
class SandboxInspectionTest {

    private static void seed(SandboxHarness h) {
        h.importAccounts("alice", "bob");
        h.call("sns/friend_import", "{\"From_Account\":\"alice\",\"AddFriendItem\":[{\"To_Account\":\"bob\",\"AddSource\":\"AddSource_Type_L\"}]}");
        h.call("openim/importmsg", json("{\"SyncFromOldSystem\":2,\"From_Account\":\"alice\",\"To_Account\":\"bob\",\"MsgSeq\":1,\"MsgRandom\":1,"
                + "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hi\"}}]}").put("MsgTimeStamp", h.clock.seconds() - 10));
        h.call("group_open_http_svc/create_group", "{\"Type\":\"Public\",\"Name\":\"T\",\"GroupId\":\"g#1\",\"Owner_Account\":\"alice\","
                + "\"MemberList\":[{\"Member_Account\":\"bob\"}]}");
        h.call("group_open_http_svc/send_group_msg", "{\"GroupId\":\"g#1\",\"Random\":1,\"From_Account\":\"alice\","
                + "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"to all\"}}]}");
    }

    private static JsonNode get(SandboxHarness h, String pathAndQuery) {
        var r = h.send(HttpRequest.newBuilder(URI.create(h.base() + pathAndQuery)).GET());
        assertThat(r.statusCode()).as(pathAndQuery + ": " + r.body()).isEqualTo(200);
        return SandboxHarness.parse(r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void countsReportEveryKindAndRequestsPerApi() {
        try (SandboxHarness h = new SandboxHarness()) {
            seed(h);
            JsonNode c = h.sandbox.inspect().counts();
            assertThat(c.get("accounts").asInt()).isEqualTo(3);
            assertThat(c.get("friendships").asInt()).isEqualTo(1);
            assertThat(c.get("c2cConversations").asInt()).isEqualTo(1);
            assertThat(c.get("c2cMessages").asInt()).isEqualTo(1);
            assertThat(c.get("groups").asInt()).isEqualTo(1);
            assertThat(c.get("groupMembers").asInt()).isEqualTo(2);
            assertThat(c.get("groupMessages").asInt()).isEqualTo(1);
            assertThat(c.at("/requests/importmsg").asInt()).isEqualTo(1);
            assertThat(get(h, "/sandbox/counts").toString()).isEqualTo(c.toString());
        }
    }

    @Test
    void contentsAreServedOverHttpForAccountsConversationsAndGroups() {
        try (SandboxHarness h = new SandboxHarness()) {
            seed(h);
            assertThat(get(h, "/sandbox/accounts").get("UserIDs")).extracting(JsonNode::asText)
                    .containsExactly("administrator", "alice", "bob");
            assertThat(get(h, "/sandbox/account?UserID=alice").at("/Friends/0/To_Account").asText()).isEqualTo("bob");
            JsonNode c2c = get(h, "/sandbox/c2c?A=bob&B=alice");
            assertThat(c2c.at("/MsgList/0/MsgKey").asText()).isEqualTo("1_1_" + (h.clock.seconds() - 10));
            assertThat(c2c.at("/MsgList/0/Source").asText()).isEqualTo("importmsg-2");
            assertThat(get(h, "/sandbox/groups").get("GroupIdList")).extracting(JsonNode::asText).containsExactly("g#1");
            JsonNode group = get(h, "/sandbox/group?GroupId=" + enc("g#1"));
            assertThat(group.at("/MemberList/1/UnreadMsgNum").asInt()).isEqualTo(1);
            assertThat(group.at("/MemberList/1/JoinTime").asLong()).isPositive();
            JsonNode msgs = get(h, "/sandbox/group-messages?GroupId=" + enc("g#1"));
            assertThat(msgs.at("/MsgList/0/MsgSeq").asInt()).isEqualTo(1);
            assertThat(msgs.at("/MsgList/0/BodyChecksum").asText()).hasSize(16);
            assertThat(h.send(HttpRequest.newBuilder(URI.create(h.base() + "/sandbox/account?UserID=ghost")).GET()).statusCode())
                    .isEqualTo(404);
            assertThat(h.send(HttpRequest.newBuilder(URI.create(h.base() + "/sandbox/nothing")).GET()).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void resetForgetsEverythingButTheAdmin() {
        try (SandboxHarness h = new SandboxHarness()) {
            seed(h);
            assertThat(h.post(h.base() + "/sandbox/reset", "{}").statusCode()).isEqualTo(200);
            JsonNode c = h.sandbox.inspect().counts();
            assertThat(c.get("accounts").asInt()).isEqualTo(1);
            assertThat(c.get("c2cMessages").asInt()).isZero();
            assertThat(c.get("groups").asInt()).isZero();
            assertThat(c.get("groupMessages").asInt()).isZero();
            assertThat(h.sandbox.inspect().c2c("alice", "bob")).isNull();
        }
    }

    @Test
    void theClientApiActsAsAnAppUserOverHttp() {
        try (SandboxHarness h = new SandboxHarness()) {
            h.importAccounts("alice", "bob");
            JsonNode sent = SandboxHarness.parse(h.post(h.base() + "/sandbox/client/c2c/send",
                    "{\"UserID\":\"alice\",\"To_Account\":\"bob\",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"yo\"}}]}").body());
            assertThat(sent.get("ActionStatus").asText()).isEqualTo("OK");
            assertThat(sent.get("MsgKey").asText()).matches("\\d+_\\d+_\\d+");
            JsonNode created = SandboxHarness.parse(h.post(h.base() + "/sandbox/client/group/create",
                    "{\"UserID\":\"alice\",\"Type\":\"ChatRoom\",\"Name\":\"Room\"}").body());
            String groupId = created.get("GroupId").asText();
            JsonNode joined = SandboxHarness.parse(h.post(h.base() + "/sandbox/client/group/join",
                    json("{\"UserID\":\"bob\"}").put("GroupId", groupId).toString()).body());
            assertThat(joined.get("ErrorCode").asInt()).isZero();
            assertThat(h.sandbox.inspect().group(groupId).get("MemberNum").asInt()).isEqualTo(2);
            JsonNode notMember = SandboxHarness.parse(h.post(h.base() + "/sandbox/client/group/leave",
                    json("{\"UserID\":\"administrator\"}").put("GroupId", groupId).toString()).body());
            assertThat(notMember.get("ErrorCode").asInt()).isEqualTo(10007);
        }
    }

    @Test
    void checksumStorageKeepsNoBodiesButTheSameChecksums() {
        try (SandboxHarness full = new SandboxHarness();
             SandboxHarness lean = new SandboxHarness("sandbox.store-bodies", "checksum")) {
            seed(full);
            seed(lean);
            JsonNode fullMsg = full.sandbox.inspect().c2c("alice", "bob").at("/MsgList/0");
            JsonNode leanMsg = lean.sandbox.inspect().c2c("alice", "bob").at("/MsgList/0");
            assertThat(fullMsg.at("/MsgBody/0/MsgContent/Text").asText()).isEqualTo("hi");
            assertThat(leanMsg.get("MsgBody")).isEmpty();
            assertThat(leanMsg.get("BodyChecksum")).isEqualTo(fullMsg.get("BodyChecksum"));
            JsonNode roam = lean.call("openim/admin_getroammsg", json("{\"Operator_Account\":\"alice\",\"Peer_Account\":\"bob\","
                    + "\"MaxCnt\":10,\"MinTime\":0}").put("MaxTime", lean.clock.seconds()));
            assertThat(roam.at("/MsgList/0/BodyChecksum")).isEqualTo(fullMsg.get("BodyChecksum"));
            assertThat(lean.sandbox.inspect().groupMessages("g#1", 0, 10).at("/MsgList/0/BodyChecksum"))
                    .isEqualTo(full.sandbox.inspect().groupMessages("g#1", 0, 10).at("/MsgList/0/BodyChecksum"));
        }
    }

    @Test
    void equalBodiesWithKeysInAnotherOrderHaveTheSameChecksum() {
        byte[] a = MessageBodies.canonical(json("{\"b\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}").get("b"));
        byte[] b = MessageBodies.canonical(json("{\"b\":[{\"MsgContent\":{\"Text\":\"x\"},\"MsgType\":\"TIMTextElem\"}]}").get("b"));
        byte[] c = MessageBodies.canonical(json("{\"b\":[{\"MsgContent\":{\"Text\":\"y\"},\"MsgType\":\"TIMTextElem\"}]}").get("b"));
        assertThat(MessageBodies.fingerprint(a)).isEqualTo(MessageBodies.fingerprint(b)).isNotEqualTo(MessageBodies.fingerprint(c));
    }
}
