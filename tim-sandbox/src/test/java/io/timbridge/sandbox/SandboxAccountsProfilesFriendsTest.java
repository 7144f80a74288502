package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.timbridge.sandbox.SandboxHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/** accounts-profiles-friends.md: account import and check, profiles, friend lists. */
class SandboxAccountsProfilesFriendsTest {
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
    }

    private static int code(JsonNode r) {
        return r.get("ErrorCode").asInt();
    }

    @Test
    void accountImportIsIdempotentAndStoresNickAndFace() {
        JsonNode first = h.call("im_open_login_svc/account_import", "{\"UserID\":\"alice\",\"Nick\":\"Alice\",\"FaceUrl\":\"https://x/a.png\"}");
        JsonNode again = h.call("im_open_login_svc/account_import", "{\"UserID\":\"alice\"}");
        assertThat(code(first)).isZero();
        assertThat(code(again)).isZero();
        assertThat(h.sandbox.inspect().counts().get("accounts").asInt()).as("admin + alice").isEqualTo(2);
        assertThat(h.sandbox.inspect().account("alice").at("/Profile/Tag_Profile_IM_Nick").asText()).isEqualTo("Alice");
        assertThat(h.sandbox.inspect().account("alice").at("/Profile/Tag_Profile_IM_Image").asText()).isEqualTo("https://x/a.png");
    }

    @Test
    void aUserIdOfThirtyTwoBytesIsAcceptedAndOfThirtyThreeRefused() {
        assertThat(code(h.call("im_open_login_svc/account_import", "{\"UserID\":\"" + "a".repeat(32) + "\"}"))).isZero();
        assertThat(code(h.call("im_open_login_svc/account_import", "{\"UserID\":\"" + "a".repeat(33) + "\"}"))).isEqualTo(70402);
    }

    @Test
    void userIdsOutsideTheSafeCharsetAreRefusedUnlessRelaxed() {
        assertThat(code(h.call("im_open_login_svc/account_import", "{\"UserID\":\"@TLS#NOT_FOUND\"}"))).isEqualTo(70402);
        assertThat(code(h.call("im_open_login_svc/account_import", "{\"UserID\":\"a.b\"}"))).isEqualTo(70402);
        try (SandboxHarness relaxed = new SandboxHarness("sandbox.strict.user-id-charset", "false")) {
            assertThat(code(relaxed.call("im_open_login_svc/account_import", "{\"UserID\":\"a.b\"}"))).isZero();
        }
    }

    @Test
    void multiaccountImportTakesBothFormsAndListsFailures() {
        JsonNode legacy = h.call("im_open_login_svc/multiaccount_import", "{\"Accounts\":[\"u1\",\"u2\",\"" + "x".repeat(33) + "\"]}");
        assertThat(code(legacy)).isZero();
        assertThat(legacy.get("FailAccounts")).hasSize(1);
        JsonNode current = h.call("im_open_login_svc/multiaccount_import",
                "{\"AccountList\":[{\"UserID\":\"u1\",\"Nick\":\"One\"},{\"UserID\":\"u3\"}]}");
        assertThat(current.get("FailAccounts")).isEmpty();
        assertThat(h.sandbox.inspect().account("u1").at("/Profile/Tag_Profile_IM_Nick").asText())
                .as("existing accounts get the supplied nick").isEqualTo("One");
        assertThat(h.sandbox.inspect().counts().get("accounts").asInt()).isEqualTo(4);
    }

    @Test
    void multiaccountImportRefusesMoreThanTheBatchLimit() {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            ids.append(i == 0 ? "" : ",").append("\"m").append(i).append('"');
        }
        assertThat(code(h.call("im_open_login_svc/multiaccount_import", "{\"Accounts\":[" + ids + "]}"))).isEqualTo(70402);
        assertThat(h.sandbox.inspect().counts().get("accounts").asInt()).isEqualTo(1);
    }

    @Test
    void thePlansAccountLimitIs70398() {
        try (SandboxHarness trial = new SandboxHarness("sandbox.max-accounts", "2")) {
            assertThat(code(trial.call("im_open_login_svc/account_import", "{\"UserID\":\"one\"}"))).isZero();
            assertThat(code(trial.call("im_open_login_svc/account_import", "{\"UserID\":\"two\"}"))).isEqualTo(70398);
        }
    }

    @Test
    void accountCheckTellsImportedFromNotImported() {
        h.importAccounts("alice");
        JsonNode r = h.call("im_open_login_svc/account_check", "{\"CheckItem\":[{\"UserID\":\"alice\"},{\"UserID\":\"ghost\"}]}");
        assertThat(r.at("/ResultItem/0/AccountStatus").asText()).isEqualTo("Imported");
        assertThat(r.at("/ResultItem/1/AccountStatus").asText()).isEqualTo("NotImported");
    }

    @Test
    void portraitSetAndGetRoundTripOnlyForImportedAccounts() {
        h.importAccounts("alice");
        assertThat(code(h.call("profile/portrait_set", "{\"From_Account\":\"alice\",\"ProfileItem\":["
                + "{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"Alice\"},{\"Tag\":\"Tag_Profile_IM_BirthDay\",\"Value\":20190419},"
                + "{\"Tag\":\"Tag_Profile_Custom_Level\",\"Value\":\"gold\"}]}"))).isZero();
        JsonNode got = h.call("profile/portrait_get", "{\"To_Account\":[\"alice\"],\"TagList\":[\"Tag_Profile_IM_Nick\","
                + "\"Tag_Profile_IM_BirthDay\",\"Tag_Profile_Custom_Level\"]}");
        assertThat(got.at("/UserProfileItem/0/ProfileItem/0/Value").asText()).isEqualTo("Alice");
        assertThat(got.at("/UserProfileItem/0/ProfileItem/1/Value").asInt()).isEqualTo(20190419);
        assertThat(got.at("/UserProfileItem/0/ProfileItem/2/Value").asText()).isEqualTo("gold");
        assertThat(code(h.call("profile/portrait_set", "{\"From_Account\":\"ghost\",\"ProfileItem\":"
                + "[{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"G\"}]}"))).isEqualTo(40003);
        assertThat(code(h.call("profile/portrait_get", "{\"To_Account\":[\"alice\",\"ghost\"],\"TagList\":[\"Tag_Profile_IM_Nick\"]}")))
                .isEqualTo(40003);
    }

    @Test
    void aProfileValueOver500BytesIs40601AndAnUnknownTagIsRefused() {
        h.importAccounts("alice");
        assertThat(code(h.call("profile/portrait_set", "{\"From_Account\":\"alice\",\"ProfileItem\":"
                + "[{\"Tag\":\"Tag_Profile_IM_SelfSignature\",\"Value\":\"" + "x".repeat(501) + "\"}]}"))).isEqualTo(40601);
        assertThat(code(h.call("profile/portrait_set", "{\"From_Account\":\"alice\",\"ProfileItem\":"
                + "[{\"Tag\":\"Tag_Profile_IM_SelfSignature\",\"Value\":\"" + "x".repeat(500) + "\"}]}"))).isZero();
        assertThat(code(h.call("profile/portrait_set", "{\"From_Account\":\"alice\",\"ProfileItem\":"
                + "[{\"Tag\":\"Tag_Profile_IM_Shoe\",\"Value\":\"x\"}]}"))).isEqualTo(40001);
    }

    @Test
    void portraitGetRefusesMoreThanOneHundredAccounts() {
        StringBuilder ids = new StringBuilder("\"administrator\"");
        for (int i = 0; i < 100; i++) {
            ids.append(",\"administrator\"");
        }
        assertThat(code(h.call("profile/portrait_get", "{\"To_Account\":[" + ids + "],\"TagList\":[\"Tag_Profile_IM_Nick\"]}")))
                .isEqualTo(40001);
    }

    @Test
    void friendImportIsOneWayAndFriendCheckReportsTheRelation() {
        h.importAccounts("alice", "bob", "carol");
        JsonNode r = h.call("sns/friend_import", "{\"From_Account\":\"alice\",\"AddFriendItem\":["
                + "{\"To_Account\":\"bob\",\"AddSource\":\"AddSource_Type_Legacy\",\"GroupName\":[\"family\",\"work\"],\"AddTime\":1600000000},"
                + "{\"To_Account\":\"ghost\",\"AddSource\":\"AddSource_Type_Legacy\"}]}");
        assertThat(r.at("/ResultItem/0/ResultCode").asInt()).isZero();
        assertThat(r.at("/ResultItem/1/ResultCode").asInt()).isEqualTo(30003);
        assertThat(r.get("Fail_Account")).extracting(JsonNode::asText).containsExactly("ghost");
        h.call("sns/friend_import", "{\"From_Account\":\"carol\",\"AddFriendItem\":[{\"To_Account\":\"alice\",\"AddSource\":\"AddSource_Type_Legacy\"}]}");
        JsonNode check = h.call("sns/friend_check", "{\"From_Account\":\"alice\",\"To_Account\":[\"bob\",\"carol\",\"administrator\"],"
                + "\"CheckType\":\"CheckResult_Type_Both\"}");
        assertThat(check.at("/InfoItem/0/Relation").asText()).isEqualTo("CheckResult_Type_AWithB");
        assertThat(check.at("/InfoItem/1/Relation").asText()).isEqualTo("CheckResult_Type_BWithA");
        assertThat(check.at("/InfoItem/2/Relation").asText()).isEqualTo("CheckResult_Type_NoRelation");
        JsonNode fromBob = h.call("sns/friend_check", "{\"From_Account\":\"bob\",\"To_Account\":[\"alice\"],\"CheckType\":\"CheckResult_Type_Single\"}");
        assertThat(fromBob.at("/InfoItem/0/Relation").asText()).isEqualTo("CheckResult_Type_NoRelation");
    }

    @Test
    void friendImportFromAnUnknownAccountIs30003() {
        assertThat(code(h.call("sns/friend_import", "{\"From_Account\":\"ghost\",\"AddFriendItem\":"
                + "[{\"To_Account\":\"administrator\",\"AddSource\":\"AddSource_Type_X\"}]}"))).isEqualTo(30003);
    }

    @Test
    void friendAddNeedsConfirmationByDefaultAndIsMutualWhenForcedOrAllowed() {
        h.importAccounts("alice", "bob", "dora");
        String add = "{\"From_Account\":\"alice\",\"AddFriendItem\":[{\"To_Account\":\"%s\",\"AddSource\":\"AddSource_Type_App\"}]%s}";
        JsonNode pending = h.call("sns/friend_add", String.format(add, "bob", ""));
        assertThat(pending.at("/ResultItem/0/ResultCode").asInt()).isEqualTo(30539);
        assertThat(pending.get("Fail_Account")).isEmpty();
        JsonNode forced = h.call("sns/friend_add", String.format(add, "bob", ",\"ForceAddFlags\":1"));
        assertThat(forced.at("/ResultItem/0/ResultCode").asInt()).isZero();
        JsonNode check = h.call("sns/friend_check", "{\"From_Account\":\"alice\",\"To_Account\":[\"bob\"],\"CheckType\":\"CheckResult_Type_Both\"}");
        assertThat(check.at("/InfoItem/0/Relation").asText()).isEqualTo("CheckResult_Type_BothWay");
        h.call("profile/portrait_set", "{\"From_Account\":\"dora\",\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_AllowType\",\"Value\":\"AllowType_Type_DenyAny\"}]}");
        assertThat(h.call("sns/friend_add", String.format(add, "dora", "")).at("/ResultItem/0/ResultCode").asInt()).isEqualTo(30516);
    }

    @Test
    void friendGetPagesWithStartIndexUntilComplete() {
        try (SandboxHarness paged = new SandboxHarness("sandbox.friend-get.page-size", "2")) {
            paged.importAccounts("alice", "f1", "f2", "f3");
            paged.call("sns/friend_import", "{\"From_Account\":\"alice\",\"AddFriendItem\":["
                    + "{\"To_Account\":\"f1\",\"AddSource\":\"AddSource_Type_L\",\"Remark\":\"one\"},"
                    + "{\"To_Account\":\"f2\",\"AddSource\":\"AddSource_Type_L\"},{\"To_Account\":\"f3\",\"AddSource\":\"AddSource_Type_L\"}]}");
            JsonNode first = paged.call("sns/friend_get", "{\"From_Account\":\"alice\",\"StartIndex\":0}");
            assertThat(first.get("UserDataItem")).hasSize(2);
            assertThat(first.get("CompleteFlag").asInt()).isZero();
            assertThat(first.get("FriendNum").asInt()).isEqualTo(3);
            assertThat(first.at("/UserDataItem/0/ValueItem/1/Value").asText()).isEqualTo("one");
            JsonNode second = paged.call("sns/friend_get", "{\"From_Account\":\"alice\",\"StartIndex\":" + first.get("NextStartIndex") + "}");
            assertThat(second.get("UserDataItem")).hasSize(1);
            assertThat(second.at("/UserDataItem/0/To_Account").asText()).isEqualTo("f3");
            assertThat(second.get("CompleteFlag").asInt()).isNotZero();
        }
    }

    @Test
    void friendImportRefusesMoreItemsThanTheBatchLimit() {
        try (SandboxHarness small = new SandboxHarness("sandbox.limits.friend_import.batch-size", "1")) {
            small.importAccounts("alice", "bob", "carol");
            JsonNode r = small.call("sns/friend_import", json("{\"From_Account\":\"alice\",\"AddFriendItem\":["
                    + "{\"To_Account\":\"bob\",\"AddSource\":\"AddSource_Type_L\"},{\"To_Account\":\"carol\",\"AddSource\":\"AddSource_Type_L\"}]}"));
            assertThat(code(r)).isEqualTo(30001);
        }
    }
}
