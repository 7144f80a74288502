package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.doocs.im.ClientConfiguration;
import io.github.doocs.im.ImClient;
import io.github.doocs.im.model.group.AppDefinedDataItem;
import io.github.doocs.im.model.group.GroupInfo;
import io.github.doocs.im.model.group.MemberProfile;
import io.github.doocs.im.model.message.TIMCustomMsgElement;
import io.github.doocs.im.model.message.TIMMsgElement;
import io.github.doocs.im.model.message.TIMTextMsgElement;
import io.github.doocs.im.model.request.AccountCheckItem;
import io.github.doocs.im.model.request.AccountCheckRequest;
import io.github.doocs.im.model.request.AccountImportRequest;
import io.github.doocs.im.model.request.AddFriendItem;
import io.github.doocs.im.model.request.AddGroupMemberRequest;
import io.github.doocs.im.model.request.AdminGetRoamMsgRequest;
import io.github.doocs.im.model.request.CreateGroupRequest;
import io.github.doocs.im.model.request.DeleteGroupMemberRequest;
import io.github.doocs.im.model.request.DestroyGroupRequest;
import io.github.doocs.im.model.request.FriendAddRequest;
import io.github.doocs.im.model.request.FriendCheckRequest;
import io.github.doocs.im.model.request.FriendGetRequest;
import io.github.doocs.im.model.request.FriendImportRequest;
import io.github.doocs.im.model.request.GetGroupInfoRequest;
import io.github.doocs.im.model.request.GetGroupMemberInfoRequest;
import io.github.doocs.im.model.request.GroupMsgGetSimpleRequest;
import io.github.doocs.im.model.request.GroupMsgItem;
import io.github.doocs.im.model.request.ImportFriendItem;
import io.github.doocs.im.model.request.ImportGroupMemberRequest;
import io.github.doocs.im.model.request.ImportGroupMsgRequest;
import io.github.doocs.im.model.request.ImportGroupRequest;
import io.github.doocs.im.model.request.ImportMsgRequest;
import io.github.doocs.im.model.request.MemberItem;
import io.github.doocs.im.model.request.MemberRequestItem;
import io.github.doocs.im.model.request.ModifyGroupBaseInfoRequest;
import io.github.doocs.im.model.request.MultiAccountImportRequest;
import io.github.doocs.im.model.request.PortraitGetRequest;
import io.github.doocs.im.model.request.PortraitSetRequest;
import io.github.doocs.im.model.request.ProfileItem;
import io.github.doocs.im.model.request.ResponseFilter;
import io.github.doocs.im.model.request.SendGroupMsgRequest;
import io.github.doocs.im.model.request.SendMsgRequest;
import io.github.doocs.im.model.request.SetUnreadMsgNumRequest;
import io.github.doocs.im.model.response.AccountCheckResult;
import io.github.doocs.im.model.response.AccountCheckResultItem;
import io.github.doocs.im.model.response.AddGroupMemberResult;
import io.github.doocs.im.model.response.AdminRoamMsgResult;
import io.github.doocs.im.model.response.CreateGroupResult;
import io.github.doocs.im.model.response.FriendAddResult;
import io.github.doocs.im.model.response.FriendCheckInfoItem;
import io.github.doocs.im.model.response.FriendCheckResult;
import io.github.doocs.im.model.response.FriendGetResult;
import io.github.doocs.im.model.response.FriendImportResult;
import io.github.doocs.im.model.response.GenericResult;
import io.github.doocs.im.model.response.GetGroupInfoResult;
import io.github.doocs.im.model.response.GetGroupMemberInfoResult;
import io.github.doocs.im.model.response.GroupMsgGetSimpleResult;
import io.github.doocs.im.model.response.ImportGroupMemberResult;
import io.github.doocs.im.model.response.ImportGroupMsgResult;
import io.github.doocs.im.model.response.ImportGroupResult;
import io.github.doocs.im.model.response.ImportMsgResultItem;
import io.github.doocs.im.model.response.MemberListResultItem;
import io.github.doocs.im.model.response.MemberResultItem;
import io.github.doocs.im.model.response.MsgListItem;
import io.github.doocs.im.model.response.MultiAccountImportResult;
import io.github.doocs.im.model.response.PortraitGetResult;
import io.github.doocs.im.model.response.ResultItem;
import io.github.doocs.im.model.response.RspMsgItem;
import io.github.doocs.im.model.response.SendGroupMsgResult;
import io.github.doocs.im.model.response.SendMsgResult;
import io.github.doocs.im.model.response.UserProfileItem;
import io.github.doocs.im.model.response.ValueItem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.timbridge.sandbox.SandboxHarness.ADMIN;
import static io.timbridge.sandbox.SandboxHarness.APP;
import static io.timbridge.sandbox.SandboxHarness.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * Every API the sandbox serves, driven through an independent TIM server SDK ({@code io.github.doocs:im-server-sdk-java}),
 * whose Jackson models parse each answer strictly: a field of the wrong JSON type fails the call with a parse error,
 * as it would for client code written against TIM.
 *
 * <p>Every served path has an SDK method. Where the SDK's model lags TIM, the answer is still parsed but that field is
 * asserted another way: {@code send_group_msg}'s MsgSeq (the SDK maps {@code msgSeq}) is read back through
 * group_msg_get_simple; {@code admin_getroammsg} is sent with the SDK's older From_Account/To_Account names, which the
 * sandbox accepts like TIM. Not driven: {@code account_delete}, which the sandbox does not serve.
 */
class SandboxThirdPartySdkTest {
    static SandboxHarness h;
    static ImClient sdk;

    @BeforeAll
    static void start() {
        h = new SandboxHarness();
        sdk = new LoopbackImClient(ADMIN, KEY, h.sandbox.port());
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @BeforeEach
    void clean() {
        h.sandbox.reset();
    }

    /**
     * The SDK has no base-URL setting: it formats {@code https://{domain}/v4/...}. The sandbox serves plain HTTP on
     * loopback, so this client takes the SDK's URL (path, query and UserSig unchanged) and swaps only the scheme.
     */
    static final class LoopbackImClient extends ImClient {
        LoopbackImClient(String identifier, String key, int port) {
            // No retries: a test sees the sandbox's first answer, never the SDK's retry of it.
            super(APP, identifier, key, "127.0.0.1:" + port, ClientConfiguration.builder().maxRetries(0).build());
        }

        @Override
        public String getUrl(String serviceName, String command, long random) {
            return "http" + super.getUrl(serviceName, command, random).substring("https".length());
        }
    }

    private static void assertOk(GenericResult r) {
        assertThat(r.getErrorCode()).as(r.getErrorInfo()).isZero();
        assertThat(r.getActionStatus()).isEqualTo("OK");
    }

    private static void assertFail(GenericResult r, int code) {
        assertThat(r.getActionStatus()).isEqualTo("FAIL");
        assertThat(r.getErrorCode()).as(r.getErrorInfo()).isEqualTo(code);
    }

    private static List<TIMMsgElement> text(String text) {
        return List.of(new TIMTextMsgElement(text));
    }

    private static String textOf(List<TIMMsgElement> body) {
        return ((TIMTextMsgElement) body.get(0)).getMsgContent().getText();
    }

    private static long now() {
        return h.clock.seconds();
    }

    private static void importAccounts(String... ids) throws IOException {
        MultiAccountImportResult r = sdk.account.multiAccountImport(new MultiAccountImportRequest(List.of(ids)));
        assertOk(r);
        assertThat(r.getFailAccounts()).isEmpty();
    }

    @Test
    void accountsImportedThroughTheSdkAreCheckedAsImported() throws IOException {
        assertOk(sdk.account.accountImport(AccountImportRequest.builder().userId("alice").nick("Alice").build()));
        MultiAccountImportResult multi = sdk.account.multiAccountImport(
                new MultiAccountImportRequest(List.of("bob", "not a valid id")));
        assertOk(multi);
        assertThat(multi.getFailAccounts()).containsExactly("not a valid id");

        AccountCheckResult check = sdk.account.accountCheck(new AccountCheckRequest(List.of(
                new AccountCheckItem("alice"), new AccountCheckItem("bob"), new AccountCheckItem("nobody"))));
        assertOk(check);
        assertThat(check.getResultItems()).extracting(AccountCheckResultItem::getUserId, AccountCheckResultItem::getResultCode,
                AccountCheckResultItem::getAccountStatus).containsExactly(
                tuple("alice", 0, "Imported"),
                tuple("bob", 0, "Imported"),
                tuple("nobody", 0, "NotImported"));
    }

    @Test
    void aProfileSetThroughTheSdkIsReadBackAsTypedProfileItems() throws IOException {
        assertOk(sdk.account.accountImport(AccountImportRequest.builder().userId("alice").nick("Alice").build()));
        assertOk(sdk.profile.portraitSet(new PortraitSetRequest("alice", List.of(
                new ProfileItem("Tag_Profile_IM_Gender", "Gender_Type_Female"),
                new ProfileItem("Tag_Profile_IM_Level", 7)))));

        PortraitGetResult r = sdk.profile.portraitGet(new PortraitGetRequest(List.of("alice"),
                List.of("Tag_Profile_IM_Nick", "Tag_Profile_IM_Gender", "Tag_Profile_IM_Level")));
        assertOk(r);
        assertThat(r.getErrorDisplay()).isEmpty();
        assertThat(r.getFailAccount()).isEmpty();
        UserProfileItem alice = r.getUserProfileItemList().get(0);
        assertThat(alice.getToAccount()).isEqualTo("alice");
        assertThat(alice.getResultCode()).isZero();
        assertThat(alice.getProfileItemList()).extracting(ProfileItem::getTag, ProfileItem::getValue).containsExactly(
                tuple("Tag_Profile_IM_Nick", "Alice"),
                tuple("Tag_Profile_IM_Gender", "Gender_Type_Female"),
                tuple("Tag_Profile_IM_Level", 7));
    }

    @Test
    void friendsImportedAndAddedThroughTheSdkAreCheckedAndListed() throws IOException {
        importAccounts("alice", "bob", "carol");
        FriendImportResult imported = sdk.sns.friendImport(new FriendImportRequest("alice", List.of(
                ImportFriendItem.builder().toAccount("bob").addSource("AddSource_Type_Legacy").remark("Bobby")
                        .groupName(List.of("work")).addTime(1_600_000_000).build(),
                ImportFriendItem.builder().toAccount("nobody").addSource("AddSource_Type_Legacy").build())));
        assertOk(imported);
        assertThat(imported.getResultItemList()).extracting(ResultItem::getToAccount, ResultItem::getResultCode)
                .containsExactly(tuple("bob", 0), tuple("nobody", 30003));
        assertThat(imported.getFailAccount()).containsExactly("nobody");

        FriendAddResult added = sdk.sns.friendAdd(FriendAddRequest.builder().fromAccount("alice").forceAddFlags(1)
                .addFriendItemList(List.of(AddFriendItem.builder().toAccount("carol").addSource("AddSource_Type_Legacy").build()))
                .build());
        assertOk(added);
        assertThat(added.getResultItemList()).extracting(ResultItem::getResultCode).containsExactly(0);

        FriendCheckResult check = sdk.sns.friendCheck(new FriendCheckRequest("alice", List.of("bob", "carol"),
                "CheckResult_Type_Both"));
        assertOk(check);
        assertThat(check.getFriendCheckInfoItemList()).extracting(FriendCheckInfoItem::getToAccount, FriendCheckInfoItem::getRelation)
                .containsExactly(tuple("bob", "CheckResult_Type_AWithB"),
                        tuple("carol", "CheckResult_Type_BothWay"));

        FriendGetResult list = sdk.sns.friendGet(FriendGetRequest.builder().fromAccount("alice").startIndex(0).build());
        assertOk(list);
        assertThat(list.getFriendNum()).isEqualTo(2);
        assertThat(list.getCompleteFlag()).isEqualTo(1);
        Map<String, Object> bob = list.getUserDataItemList().get(0).getValueItemList().stream()
                .collect(Collectors.toMap(ValueItem::getTag, ValueItem::getValue));
        assertThat(list.getUserDataItemList().get(0).getToAccount()).isEqualTo("bob");
        assertThat(bob).containsEntry("Tag_SNS_IM_Remark", "Bobby").containsEntry("Tag_SNS_IM_Group", List.of("work"))
                .containsEntry("Tag_SNS_IM_AddSource", "AddSource_Type_Legacy");
    }

    @Test
    void c2cMessagesImportedAndSentThroughTheSdkAreReadBackInOrder() throws IOException {
        importAccounts("alice", "bob");
        long sent = now() - 3600;
        assertOk(sdk.message.importMsg(ImportMsgRequest.builder().syncFromOldSystem(2).fromAccount("alice").toAccount("bob")
                .msgSeq(1001L).msgRandom(3_141_592L).msgTimeStamp((int) sent)
                .msgBody(List.of(new TIMTextMsgElement("from the old system"),
                        new TIMCustomMsgElement("{\"legacyType\":\"sticker\"}", "[sticker]", "", "")))
                .cloudCustomData("legacy-id=m1001").build()));

        SendMsgResult live = sdk.message.sendMsg(SendMsgRequest.builder().syncOtherMachine(2).fromAccount("bob").toAccount("alice")
                .msgSeq(77L).msgRandom(9001L).msgBody(text("live"))
                .forbidCallbackControl(List.of("ForbidBeforeSendMsgCallback", "ForbidAfterSendMsgCallback")).build());
        assertOk(live);
        assertThat(live.getMsgTime()).isEqualTo((int) now());
        assertThat(live.getMsgKey()).isEqualTo("77_9001_" + now());

        AdminRoamMsgResult roam = sdk.message.getRoamMsg(AdminGetRoamMsgRequest.builder().fromAccount("alice").toAccount("bob")
                .maxCnt(10).minTime(0).maxTime((int) now()).build());
        assertOk(roam);
        assertThat(roam.getComplete()).isEqualTo(1);
        assertThat(roam.getMsgCnt()).isEqualTo(2);
        assertThat(roam.getMsgList()).extracting(MsgListItem::getFromAccount, MsgListItem::getMsgSeq, MsgListItem::getMsgRandom)
                .containsExactly(tuple("bob", 77L, 9001L),
                        tuple("alice", 1001L, 3_141_592L));
        MsgListItem old = roam.getMsgList().get(1);
        assertThat(old.getMsgTimeStamp()).isEqualTo((int) sent);
        assertThat(textOf(old.getMsgBody())).isEqualTo("from the old system");
        assertThat(old.getMsgBody().get(1)).isInstanceOfSatisfying(TIMCustomMsgElement.class,
                custom -> assertThat(custom.getMsgContent().getData()).isEqualTo("{\"legacyType\":\"sticker\"}"));
        assertThat(old.getCloudCustomData()).isEqualTo("legacy-id=m1001");
        assertThat(roam.getLastMsgKey()).isEqualTo(old.getMsgKey());
    }

    @Test
    void aGroupMigratedThroughTheSdkKeepsItsMembersMessagesAndUnreadCounts() throws IOException {
        importAccounts("alice", "bob", "carol");
        long created = now() - 10_000;
        ImportGroupResult group = sdk.group.importGroup(ImportGroupRequest.builder().type("Public").groupId("g_legacy_42")
                .name("Legacy 42").ownerAccount("alice").createTime((int) created).build());
        assertOk(group);
        assertThat(group.getGroupId()).isEqualTo("g_legacy_42");

        ImportGroupMemberResult members = sdk.group.importGroupMember(new ImportGroupMemberRequest("g_legacy_42", List.of(
                MemberItem.builder().memberAccount("bob").role("Admin").joinTime((int) created + 10).build(),
                MemberItem.builder().memberAccount("carol").joinTime((int) created + 20).build(),
                MemberItem.builder().memberAccount("nobody").joinTime((int) created + 30).build())));
        assertOk(members);
        assertThat(members.getMemberList()).extracting(MemberListResultItem::getMemberAccount, MemberListResultItem::getResult)
                .containsExactly(tuple("bob", 1), tuple("carol", 1),
                        tuple("nobody", 0));

        ImportGroupMsgResult msgs = sdk.group.importGroupMsg(new ImportGroupMsgRequest("g_legacy_42", List.of(
                GroupMsgItem.builder().fromAccount("alice").sendTime((int) created + 100).random(1L).msgBody(text("first")).build(),
                GroupMsgItem.builder().fromAccount("bob").sendTime((int) created + 200).random(2L).msgBody(text("second")).build(),
                GroupMsgItem.builder().fromAccount("carol").sendTime((int) created + 300).random(3L).msgBody(text("third")).build())));
        assertOk(msgs);
        assertThat(msgs.getImportMsgResult()).extracting(ImportMsgResultItem::getMsgSeq, ImportMsgResultItem::getResult)
                .containsExactly(tuple(1L, 0), tuple(2L, 0),
                        tuple(3L, 0));
        assertThat(msgs.getImportMsgResult().get(2).getMsgTime()).isEqualTo((int) created + 300);

        assertOk(sdk.group.setUnreadMsgNum(new SetUnreadMsgNumRequest("g_legacy_42", "carol", 2)));

        GetGroupMemberInfoResult info = sdk.group.getGroupMemberInfo(GetGroupMemberInfoRequest.builder().groupId("g_legacy_42")
                .limit(100).offset(0).build());
        assertOk(info);
        assertThat(info.getMemberNum()).isEqualTo(3);
        assertThat(info.getMemberList()).extracting(MemberProfile::getMemberAccount, MemberProfile::getRole, MemberProfile::getMsgSeq)
                .containsExactly(tuple("alice", "Owner", 3L),
                        tuple("bob", "Admin", 3L),
                        tuple("carol", "Member", 1L));
        assertThat(info.getMemberList().get(1).getJoinTime()).isEqualTo((int) created + 10);

        GroupMsgGetSimpleResult history = sdk.group.groupMsgGetSimple(GroupMsgGetSimpleRequest.builder().groupId("g_legacy_42")
                .reqMsgNumber(2).build());
        assertOk(history);
        assertThat(history.getGroupId()).isEqualTo("g_legacy_42");
        assertThat(history.getIsFinished()).isZero();
        assertThat(history.getRspMsgList()).extracting(RspMsgItem::getMsgSeq, RspMsgItem::getFromAccount, m -> textOf(m.getMsgBody()))
                .containsExactly(tuple(3L, "carol", "third"),
                        tuple(2L, "bob", "second"));
        GroupMsgGetSimpleResult older = sdk.group.groupMsgGetSimple(GroupMsgGetSimpleRequest.builder().groupId("g_legacy_42")
                .reqMsgSeq(1L).reqMsgNumber(2).build());
        assertThat(older.getIsFinished()).isEqualTo(1);
        assertThat(older.getRspMsgList()).extracting(RspMsgItem::getMsgSeq, RspMsgItem::getMsgTimeStamp, RspMsgItem::getMsgRandom)
                .containsExactly(tuple(1L, (int) created + 100, 1L));
    }

    @Test
    void aGroupCreatedThroughTheSdkIsChangedReadAndDestroyed() throws IOException {
        importAccounts("alice", "bob", "carol");
        CreateGroupResult created = sdk.group.createGroup(CreateGroupRequest.builder().type("Public").groupId("g_live")
                .name("Live").ownerAccount("alice").introduction("hello")
                .memberList(List.of(MemberProfile.builder().memberAccount("bob").build())).build());
        assertOk(created);
        assertThat(created.getGroupId()).isEqualTo("g_live");

        assertOk(sdk.group.modifyGroupBaseInfo(ModifyGroupBaseInfoRequest.builder().groupId("g_live").name("Live!")
                .notification("be nice").appDefinedData(List.of(new AppDefinedDataItem("legacy_id", "42"))).build()));

        AddGroupMemberResult add = sdk.group.addGroupMember(AddGroupMemberRequest.builder().groupId("g_live").silence(1)
                .memberList(List.of(new MemberRequestItem("carol"), new MemberRequestItem("bob"))).build());
        assertOk(add);
        assertThat(add.getMemberList()).extracting(MemberResultItem::getMemberAccount, MemberResultItem::getResult)
                .containsExactly(tuple("carol", 1), tuple("bob", 2));
        assertOk(sdk.group.deleteGroupMember(DeleteGroupMemberRequest.builder().groupId("g_live").silence(1)
                .reason("left the legacy group").memberToDelAccount(List.of("bob")).build()));

        SendGroupMsgResult sent = sdk.group.sendGroupMsg(SendGroupMsgRequest.builder().groupId("g_live").random(5L)
                .fromAccount("carol").msgBody(text("hi all")).build());
        assertOk(sent);
        assertThat(sent.getMsgTime()).isEqualTo((int) now());
        assertThat(sent.getMsgDropReason()).isEmpty();

        GetGroupInfoResult info = sdk.group.getGroupInfo(new GetGroupInfoRequest(List.of("g_live"),
                ResponseFilter.builder().groupBaseInfoFilter(List.of("Type", "Name", "Notification", "Owner_Account",
                        "MemberNum", "NextMsgSeq", "CreateTime", "AppDefinedData")).memberInfoFilter(List.of("Role")).build()));
        assertOk(info);
        GroupInfo live = info.getGroupInfo().get(0);
        assertThat(live.getGroupId()).isEqualTo("g_live");
        assertThat(live.getType()).isEqualTo("Public");
        assertThat(live.getName()).isEqualTo("Live!");
        assertThat(live.getNotification()).isEqualTo("be nice");
        assertThat(live.getOwnerAccount()).isEqualTo("alice");
        assertThat(live.getMemberNum()).isEqualTo(2);
        assertThat(live.getNextMsgSeq()).isEqualTo(2L);
        assertThat(live.getCreateTime()).isEqualTo((int) now());
        assertThat(live.getAppDefinedData()).extracting(AppDefinedDataItem::getKey, AppDefinedDataItem::getValue)
                .containsExactly(tuple("legacy_id", "42"));
        assertThat(live.getMemberList()).extracting(MemberProfile::getMemberAccount, MemberProfile::getRole)
                .containsExactly(tuple("alice", "Owner"),
                        tuple("carol", "Member"));
        GroupInfo everything = sdk.group.getGroupInfo(new GetGroupInfoRequest(List.of("g_live"))).getGroupInfo().get(0);
        assertThat(everything.getIntroduction()).isEqualTo("hello");
        assertThat(everything.getInfoSeq()).isEqualTo(1L);
        assertThat(everything.getLastMsgTime()).isEqualTo((int) now());
        assertThat(everything.getMaxMemberNum()).isPositive();
        assertThat(everything.getApplyJoinOption()).isEqualTo("NeedPermission");
        assertThat(everything.getMuteAllMember()).isEqualTo("Off");
        assertThat(everything.getMemberList()).extracting(MemberProfile::getMemberAccount, MemberProfile::getMsgFlag)
                .containsExactly(tuple("alice", "AcceptAndNotify"), tuple("carol", "AcceptAndNotify"));

        assertOk(sdk.group.destroyGroup(new DestroyGroupRequest("g_live")));
        assertFail(sdk.group.destroyGroup(new DestroyGroupRequest("g_live")), 10010);
    }

    @Test
    void groupHistoryParsedByTheSdkCarriesEachMessagesPriorityAndMsgSeq() throws IOException {
        importAccounts("alice");
        assertOk(sdk.group.createGroup(CreateGroupRequest.builder().type("Public").groupId("g1").name("T").ownerAccount("alice").build()));
        List<String> priorities = List.of("High", "Normal", "Low", "Lowest");
        for (int i = 0; i < priorities.size(); i++) {
            assertOk(sdk.group.sendGroupMsg(SendGroupMsgRequest.builder().groupId("g1").random(100L + i).fromAccount("alice")
                    .msgPriority(priorities.get(i)).msgBody(text(priorities.get(i))).build()));
        }
        GroupMsgGetSimpleResult r = sdk.group.groupMsgGetSimple(GroupMsgGetSimpleRequest.builder().groupId("g1").reqMsgNumber(20).build());
        assertOk(r);
        assertThat(r.getIsFinished()).isEqualTo(1);
        // tim-api/groups.md: MsgPriority is answered as an integer, 1 High, 2 Normal, 3 Low, 4 Lowest.
        assertThat(r.getRspMsgList()).extracting(RspMsgItem::getMsgSeq, RspMsgItem::getMsgPriority, m -> textOf(m.getMsgBody()))
                .containsExactly(tuple(4L, 4, "Lowest"),
                        tuple(3L, 3, "Low"),
                        tuple(2L, 2, "Normal"),
                        tuple(1L, 1, "High"));
        assertThat(r.getRspMsgList()).extracting(RspMsgItem::getIsPlaceMsg, RspMsgItem::getIsSystemMsg).containsOnly(
                tuple(0, 0));
    }

    @Test
    void refusalsAreParsedByTheSdkWithTimsDocumentedCodes() throws IOException {
        importAccounts("alice");
        PortraitGetResult profile = sdk.profile.portraitGet(new PortraitGetRequest(List.of("nobody"), List.of("Tag_Profile_IM_Nick")));
        assertFail(profile, 40003);
        assertThat(profile.getErrorDisplay()).isNotNull();
        assertFail(sdk.message.sendMsg(SendMsgRequest.builder().fromAccount("alice").toAccount("nobody").msgRandom(1L)
                .msgBody(text("hi")).build()), 90012);
        assertFail(sdk.group.groupMsgGetSimple(GroupMsgGetSimpleRequest.builder().groupId("no_such_group").reqMsgNumber(20).build()),
                10010);
        assertFail(sdk.sns.friendGet(FriendGetRequest.builder().fromAccount("nobody").startIndex(0).build()), 30003);
        assertFail(sdk.account.accountImport(AccountImportRequest.builder().userId("x".repeat(33)).build()), 70402);
        assertFail(new LoopbackImClient(ADMIN, "not-the-app-key", h.sandbox.port()).account
                .accountCheck(new AccountCheckRequest(List.of(new AccountCheckItem("alice")))), 70009);
        assertFail(new LoopbackImClient("alice", KEY, h.sandbox.port()).account
                .accountCheck(new AccountCheckRequest(List.of(new AccountCheckItem("alice")))), 70403);
    }

    /** Fails when the sandbox starts serving an API that no scenario above drives through the SDK. */
    @Test
    void everyApiTheSandboxServesIsDrivenThroughTheSdk() throws IOException {
        accountsImportedThroughTheSdkAreCheckedAsImported();
        aProfileSetThroughTheSdkIsReadBackAsTypedProfileItems();
        friendsImportedAndAddedThroughTheSdkAreCheckedAndListed();
        c2cMessagesImportedAndSentThroughTheSdkAreReadBackInOrder();
        aGroupMigratedThroughTheSdkKeepsItsMembersMessagesAndUnreadCounts();
        aGroupCreatedThroughTheSdkIsChangedReadAndDestroyed();
        JsonNode requests = h.sandbox.inspect().counts().get("requests");
        assertThat(TimSandbox.SERVED).allSatisfy(api -> assertThat(requests.get(api.command()).asLong())
                .as("requests to %s", api.path()).isPositive());
    }
}
