package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbridge.testsupport.TestSandboxes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.timbridge.sandbox.SandboxHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** callbacks.md: query string, Sign, bodies, which operations call back and which never do. */
class SandboxCallbacksTest {
    static final String TOKEN = "xxxxyyyy";
    static CallbackReceiver receiver;
    static SandboxHarness h;
    int seen;

    @BeforeAll
    static void start() throws Exception {
        receiver = new CallbackReceiver();
        h = new SandboxHarness("sandbox.callback-url", receiver.url(), "sandbox.callback-token", TOKEN);
    }

    @AfterAll
    static void stop() {
        h.close();
        receiver.close();
    }

    @BeforeEach
    void clean() {
        receiver.answerWith(200);
        h.sandbox.reset();
        h.importAccounts("alice", "bob", "carol");
        seen = receiver.all().size();
    }

    /** The callbacks received since the test started, once {@code count} have arrived. */
    private List<CallbackReceiver.Received> awaitCallbacks(int count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.all().size() - seen >= count);
        List<CallbackReceiver.Received> all = receiver.all();
        return all.subList(seen, all.size());
    }

    private CallbackReceiver.Received awaitOne(String command) {
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.all().subList(seen, receiver.all().size()).stream()
                .anyMatch(r -> command.equals(r.command())));
        return receiver.all().subList(seen, receiver.all().size()).stream().filter(r -> command.equals(r.command())).findFirst().orElseThrow();
    }

    private static ObjectNode sendmsg(String from, long seq, long random) {
        ObjectNode m = json("{\"To_Account\":\"bob\"}").put("From_Account", from).put("MsgSeq", seq).put("MsgRandom", random);
        m.set("MsgBody", TestSandboxes.text("hello"));
        return m;
    }

    @Test
    void theSignIsSha256OfTokenAndRequestTimeAsDocumented() {
        assertThat(Callbacks.sign("xxxxyyyy", 1669872112L))
                .isEqualTo("17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061");
    }

    @Test
    void restSendmsgCallsBackWithTimsQueryStringSignAndBody() {
        JsonNode sent = h.call("openim/sendmsg", sendmsg("alice", 3301, 77881234));
        CallbackReceiver.Received cb = awaitOne("C2C.CallbackAfterSendMsg");
        assertThat(cb.method()).isEqualTo("POST");
        assertThat(cb.contentType()).startsWith("application/json");
        assertThat(cb.query()).containsEntry("SdkAppid", Long.toString(SandboxHarness.APP))
                .containsEntry("contenttype", "json").containsEntry("OptPlatform", "RESTAPI")
                .containsEntry("ClientIP", "127.0.0.1").containsKeys("RequestTime", "Sign");
        long requestTime = Long.parseLong(cb.query().get("RequestTime"));
        assertThat(requestTime).isCloseTo(h.clock.seconds(), org.assertj.core.data.Offset.offset(60L));
        assertThat(cb.query().get("Sign")).isEqualTo(Callbacks.sign(TOKEN, requestTime));
        JsonNode b = cb.body();
        assertThat(b.get("CallbackCommand").asText()).isEqualTo("C2C.CallbackAfterSendMsg");
        assertThat(b.get("From_Account").asText()).isEqualTo("alice");
        assertThat(b.get("To_Account").asText()).isEqualTo("bob");
        assertThat(b.get("MsgSeq").asLong()).isEqualTo(3301);
        assertThat(b.get("MsgRandom").asLong()).isEqualTo(77881234);
        assertThat(b.get("MsgTime")).isEqualTo(sent.get("MsgTime"));
        assertThat(b.get("MsgKey")).isEqualTo(sent.get("MsgKey"));
        assertThat(b.get("SendMsgResult").asInt()).isZero();
        assertThat(b.get("UnreadMsgNum").asInt()).isEqualTo(1);
        assertThat(b.get("OnlineOnlyFlag").asInt()).isZero();
        assertThat(b.at("/MsgBody/0/MsgContent/Text").asText()).isEqualTo("hello");
        assertThat(b.has("CloudCustomData")).isTrue();
    }

    @Test
    void withoutATokenCallbacksCarryNoSign() throws Exception {
        try (CallbackReceiver plain = new CallbackReceiver();
             SandboxHarness unsigned = new SandboxHarness("sandbox.callback-url", plain.url())) {
            unsigned.importAccounts("alice", "bob");
            unsigned.call("openim/sendmsg", sendmsg("alice", 1, 1));
            await().atMost(Duration.ofSeconds(5)).until(() -> plain.all().size() == 1);
            assertThat(plain.all().get(0).query()).doesNotContainKeys("Sign", "RequestTime")
                    .containsKeys("SdkAppid", "CallbackCommand", "contenttype", "ClientIP", "OptPlatform");
        }
    }

    @Test
    void forbidAfterSendMsgCallbackSuppressesTheCallback() {
        ObjectNode quiet = sendmsg("alice", 1, 1);
        quiet.putArray("ForbidCallbackControl").add("ForbidBeforeSendMsgCallback").add("ForbidAfterSendMsgCallback");
        h.call("openim/sendmsg", quiet);
        h.call("openim/sendmsg", sendmsg("carol", 2, 2));
        List<CallbackReceiver.Received> got = awaitCallbacks(1);
        assertThat(got).extracting(r -> r.body().get("From_Account").asText()).containsExactly("carol");
    }

    @Test
    void theImportApisNeverCallBack() {
        long created = h.clock.seconds() - 1000;
        h.call("openim/importmsg", json("{\"SyncFromOldSystem\":5,\"From_Account\":\"alice\",\"To_Account\":\"bob\",\"MsgSeq\":1,"
                + "\"MsgRandom\":1,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}").put("MsgTimeStamp", created));
        h.call("group_open_http_svc/import_group", json("{\"Type\":\"Public\",\"Name\":\"T\",\"GroupId\":\"imp\",\"Owner_Account\":\"alice\"}")
                .put("CreateTime", created));
        h.call("group_open_http_svc/import_group_member", json("{\"GroupId\":\"imp\",\"MemberList\":[{\"Member_Account\":\"bob\"}]}"));
        h.call("group_open_http_svc/import_group_msg", json("{\"GroupId\":\"imp\",\"MsgList\":[{\"From_Account\":\"alice\",\"SendTime\":"
                + (created + 1) + ",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}]}"));
        h.call("group_open_http_svc/set_unread_msg_num", "{\"GroupId\":\"imp\",\"Member_Account\":\"bob\",\"UnreadMsgNum\":1}");
        h.call("sns/friend_import", "{\"From_Account\":\"alice\",\"AddFriendItem\":[{\"To_Account\":\"bob\",\"AddSource\":\"AddSource_Type_L\"}]}");
        assertThat(h.sandbox.inspect().counts().get("c2cMessages").asInt()).as("the imports took effect").isEqualTo(1);
        h.call("openim/sendmsg", sendmsg("carol", 9, 9));
        List<CallbackReceiver.Received> got = awaitCallbacks(1);
        assertThat(got).extracting(CallbackReceiver.Received::command).containsExactly("C2C.CallbackAfterSendMsg");
        assertThat(h.sandbox.inspect().counts().get("callbacksFired").asInt()).isEqualTo(1);
    }

    @Test
    void restGroupLifecycleCallsBackWithTheAdminAsOperator() {
        h.call("group_open_http_svc/create_group", "{\"Type\":\"Public\",\"Name\":\"Team\",\"GroupId\":\"g1\",\"Owner_Account\":\"alice\","
                + "\"Introduction\":\"About us\",\"MemberList\":[{\"Member_Account\":\"bob\"}],\"AppDefinedData\":[{\"Key\":\"Origin\",\"Value\":\"app2\"}]}");
        h.call("group_open_http_svc/modify_group_base_info", "{\"GroupId\":\"g1\",\"Notification\":\"New rules\"}");
        h.call("group_open_http_svc/add_group_member", "{\"GroupId\":\"g1\",\"MemberList\":[{\"Member_Account\":\"carol\"}]}");
        h.call("group_open_http_svc/delete_group_member", "{\"GroupId\":\"g1\",\"MemberToDel_Account\":[\"carol\"]}");
        h.call("group_open_http_svc/send_group_msg", json("{\"GroupId\":\"g1\",\"Random\":5566,\"From_Account\":\"alice\","
                + "\"GroupAtInfo\":[{\"GroupAtAllFlag\":0,\"GroupAt_Account\":\"bob\"}]}").set("MsgBody", TestSandboxes.text("hi all")));
        h.call("group_open_http_svc/destroy_group", "{\"GroupId\":\"g1\"}");
        awaitCallbacks(6);
        long now = System.currentTimeMillis();

        JsonNode create = awaitOne("Group.CallbackAfterCreateGroup").body();
        assertThat(create.get("Operator_Account").asText()).isEqualTo(SandboxHarness.ADMIN);
        assertThat(create.get("Owner_Account").asText()).isEqualTo("alice");
        assertThat(create.get("Type").asText()).isEqualTo("Public");
        assertThat(create.get("Name").asText()).isEqualTo("Team");
        assertThat(create.get("Introduction").asText()).isEqualTo("About us");
        assertThat(create.has("Notification")).as("not set at creation").isFalse();
        assertThat(create.at("/MemberList/0/Member_Account").asText()).isEqualTo("bob");
        assertThat(create.at("/UserDefinedDataList/0/Value").asText()).isEqualTo("app2");
        assertThat(create.get("EventTime").asLong()).as("milliseconds").isCloseTo(now, org.assertj.core.data.Offset.offset(60_000L));

        JsonNode changed = awaitOne("Group.CallbackAfterGroupInfoChanged").body();
        assertThat(changed.get("Operator_Account").asText()).isEqualTo(SandboxHarness.ADMIN);
        assertThat(changed.get("Notification").asText()).isEqualTo("New rules");
        assertThat(changed.has("Name")).as("only changed fields").isFalse();

        JsonNode join = awaitOne("Group.CallbackAfterNewMemberJoin").body();
        assertThat(join.get("JoinType").asText()).isEqualTo("Invited");
        assertThat(join.get("Operator_Account").asText()).isEqualTo(SandboxHarness.ADMIN);
        assertThat(join.at("/NewMemberList/0/Member_Account").asText()).isEqualTo("carol");

        JsonNode exit = awaitOne("Group.CallbackAfterMemberExit").body();
        assertThat(exit.get("ExitType").asText()).isEqualTo("Kicked");
        assertThat(exit.at("/ExitMemberList/0/Member_Account").asText()).isEqualTo("carol");

        JsonNode send = awaitOne("Group.CallbackAfterSendMsg").body();
        assertThat(send.get("From_Account").asText()).isEqualTo("alice");
        assertThat(send.get("Operator_Account").asText()).isEqualTo(SandboxHarness.ADMIN);
        assertThat(send.get("Random").asLong()).isEqualTo(5566);
        assertThat(send.get("MsgSeq").asInt()).isEqualTo(1);
        assertThat(send.at("/GroupAtInfo/0/GroupAt_Account").asText()).isEqualTo("bob");

        JsonNode destroyed = awaitOne("Group.CallbackAfterGroupDestroyed").body();
        assertThat(destroyed.get("Owner_Account").asText()).isEqualTo("alice");
        assertThat(destroyed.get("MemberList")).extracting(m -> m.get("Member_Account").asText()).containsExactly("alice", "bob");
        assertThat(receiver.all().subList(seen, receiver.all().size()))
                .allSatisfy(r -> assertThat(r.query().get("OptPlatform")).isEqualTo("RESTAPI"));
    }

    @Test
    void aModificationOfOtherFieldsOnlyCallsBackNothing() {
        h.call("group_open_http_svc/create_group", "{\"Type\":\"Public\",\"Name\":\"Team\",\"GroupId\":\"g1\"}");
        h.call("group_open_http_svc/modify_group_base_info", "{\"GroupId\":\"g1\",\"MuteAllMember\":\"On\"}");
        h.call("group_open_http_svc/modify_group_base_info", "{\"GroupId\":\"g1\",\"Name\":\"Renamed\"}");
        awaitCallbacks(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.all().stream().skip(seen)
                .anyMatch(r -> r.body().path("Name").asText().equals("Renamed")));
        assertThat(receiver.all().subList(seen, receiver.all().size()))
                .filteredOn(r -> r.command().equals("Group.CallbackAfterGroupInfoChanged")).hasSize(1);
    }

    @Test
    void sendGroupMsgWithForbidAfterSendMsgCallbackCallsBackNothing() {
        h.call("group_open_http_svc/create_group", "{\"Type\":\"Public\",\"Name\":\"Team\",\"GroupId\":\"g1\",\"Owner_Account\":\"alice\"}");
        ObjectNode quiet = json("{\"GroupId\":\"g1\",\"Random\":1,\"From_Account\":\"alice\"}");
        quiet.putArray("ForbidCallbackControl").add("ForbidAfterSendMsgCallback");
        quiet.set("MsgBody", TestSandboxes.text("quiet"));
        h.call("group_open_http_svc/send_group_msg", quiet);
        h.call("group_open_http_svc/send_group_msg", json("{\"GroupId\":\"g1\",\"Random\":2,\"From_Account\":\"alice\"}")
                .set("MsgBody", TestSandboxes.text("loud")));
        awaitOne("Group.CallbackAfterSendMsg");
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.all().size() - seen >= 2);
        assertThat(receiver.all().subList(seen, receiver.all().size()))
                .filteredOn(r -> r.command().equals("Group.CallbackAfterSendMsg"))
                .extracting(r -> r.body().at("/MsgBody/0/MsgContent/Text").asText()).containsExactly("loud");
    }

    @Test
    void clientUsersCallBackAsOperatorWithAClientPlatform() {
        AppUser alice = h.sandbox.user("alice");
        JsonNode sent = alice.sendC2c("bob", TestSandboxes.text("from the app"));
        assertThat(sent.get("MsgKey").asText()).isEqualTo(sent.get("MsgSeq").asLong() + "_" + sent.get("MsgRandom").asLong()
                + "_" + sent.get("MsgTime").asLong());
        CallbackReceiver.Received c2c = awaitOne("C2C.CallbackAfterSendMsg");
        assertThat(c2c.query().get("OptPlatform")).isEqualTo("Android");
        assertThat(c2c.body().get("MsgKey")).isEqualTo(sent.get("MsgKey"));

        String groupId = alice.createGroup(json("{\"Type\":\"Public\",\"Name\":\"App group\"}")).get("GroupId").asText();
        h.sandbox.user("bob", "iOS").joinGroup(groupId);
        alice.modifyGroup(json("{\"Name\":\"Renamed\"}").put("GroupId", groupId));
        h.sandbox.user("bob", "iOS").sendGroupMsg(groupId, TestSandboxes.text("hi"));
        h.sandbox.user("bob", "iOS").leaveGroup(groupId);
        alice.destroyGroup(groupId);

        JsonNode create = awaitOne("Group.CallbackAfterCreateGroup").body();
        assertThat(create.get("Operator_Account").asText()).isEqualTo("alice");
        assertThat(create.get("Owner_Account").asText()).isEqualTo("alice");
        CallbackReceiver.Received join = awaitOne("Group.CallbackAfterNewMemberJoin");
        assertThat(join.query().get("OptPlatform")).isEqualTo("iOS");
        assertThat(join.body().get("JoinType").asText()).isEqualTo("Apply");
        assertThat(join.body().get("Operator_Account").asText()).isEqualTo("bob");
        assertThat(awaitOne("Group.CallbackAfterGroupInfoChanged").body().get("Operator_Account").asText()).isEqualTo("alice");
        JsonNode send = awaitOne("Group.CallbackAfterSendMsg").body();
        assertThat(send.get("Operator_Account").asText()).isEqualTo("bob");
        assertThat(send.get("From_Account").asText()).isEqualTo("bob");
        JsonNode exit = awaitOne("Group.CallbackAfterMemberExit").body();
        assertThat(exit.get("ExitType").asText()).isEqualTo("Quit");
        assertThat(exit.get("Operator_Account").asText()).isEqualTo("bob");
        awaitOne("Group.CallbackAfterGroupDestroyed");
    }

    @Test
    void clientActionsTheSdkWouldRefuseFailWithTimsCodes() {
        AppUser alice = h.sandbox.user("alice");
        String groupId = alice.createGroup(json("{\"Type\":\"Public\",\"Name\":\"G\"}")).get("GroupId").asText();
        assertThat(h.sandbox.user("carol").sendGroupMsg(groupId, TestSandboxes.text("x")).get("ErrorCode").asInt()).isEqualTo(10007);
        assertThat(alice.leaveGroup(groupId).get("ErrorCode").asInt()).isEqualTo(10009);
        assertThat(h.sandbox.user("bob").destroyGroup(groupId).get("ErrorCode").asInt()).isEqualTo(10007);
        assertThat(h.sandbox.user("ghost").sendC2c("bob", TestSandboxes.text("x")).get("ErrorCode").asInt()).isEqualTo(70107);
        String privateGroup = alice.createGroup(json("{\"Type\":\"Private\",\"Name\":\"P\"}")).get("GroupId").asText();
        assertThat(h.sandbox.user("bob").joinGroup(privateGroup).get("ErrorCode").asInt()).isEqualTo(10007);
    }

    @Test
    void friendAddCallsBackWithTheAdminAccount() {
        h.call("sns/friend_add", "{\"From_Account\":\"alice\",\"ForceAddFlags\":1,\"AddFriendItem\":"
                + "[{\"To_Account\":\"bob\",\"AddSource\":\"AddSource_Type_App\"}]}");
        JsonNode b = awaitOne("Sns.CallbackFriendAdd").body();
        assertThat(b.get("Admin_Account").asText()).isEqualTo(SandboxHarness.ADMIN);
        assertThat(b.get("PairList")).hasSize(2);
    }

    @Test
    void aCallbackAnsweredWithAnErrorIsCountedAsFailedAndNotRetried() {
        receiver.answerWith(500);
        h.call("openim/sendmsg", sendmsg("alice", 1, 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> h.sandbox.inspect().counts().get("callbacksFailed").asInt() == 1);
        receiver.answerWith(200);
        h.call("openim/sendmsg", sendmsg("carol", 2, 2));
        await().atMost(Duration.ofSeconds(5)).until(() -> h.sandbox.inspect().counts().get("callbacksDelivered").asInt() == 1);
        assertThat(receiver.all().subList(seen, receiver.all().size())).hasSize(2);
        assertThat(h.sandbox.inspect().callbacks().get(0).get("Outcome").asText()).isEqualTo("failed: HTTP 500");
    }

    @Test
    void callbacksSwitchedOffInConfigurationAreNotSent() throws Exception {
        try (CallbackReceiver only = new CallbackReceiver();
             SandboxHarness some = new SandboxHarness("sandbox.callback-url", only.url(),
                     "sandbox.callback-commands", "Group.CallbackAfterCreateGroup")) {
            some.importAccounts("alice", "bob");
            some.call("openim/sendmsg", sendmsg("alice", 1, 1));
            some.call("group_open_http_svc/create_group", "{\"Type\":\"Public\",\"Name\":\"T\"}");
            await().atMost(Duration.ofSeconds(5)).until(() -> only.all().size() >= 1);
            assertThat(only.commands()).containsExactly("Group.CallbackAfterCreateGroup");
            assertThat(some.sandbox.inspect().counts().get("callbacksFired").asInt()).isEqualTo(1);
        }
    }
}
