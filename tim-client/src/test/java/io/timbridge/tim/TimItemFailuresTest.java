package io.timbridge.tim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class TimItemFailuresTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OK = "\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\"";

    private static List<TimItemFailure> failures(String request, String response) throws Exception {
        return TimItemFailures.extract(JSON.readTree(request), JSON.readTree(response));
    }

    @Test
    void multiaccountImportFailAccountsAreFailedItems() throws Exception {
        assertThat(failures("{\"Accounts\":[\"u1\",\"u2\"]}", "{" + OK + ",\"FailAccounts\":[\"u2\"]}"))
                .containsExactly(new TimItemFailure("u2", TimErrors.NO_CODE, "listed in FailAccounts: account not imported"));
    }

    @Test
    void accountDeleteResultItemCodeIsAFailureWhileTheCallIsOk() throws Exception {
        List<TimItemFailure> failed = failures("{}", "{" + OK + ",\"ResultItem\":["
                + "{\"ResultCode\":0,\"ResultInfo\":\"\",\"UserID\":\"u1\"},"
                + "{\"ResultCode\":70107,\"ResultInfo\":\"Err_TLS_PT_Open_Login_Account_Not_Exist\",\"UserID\":\"u2\"}]}");

        assertThat(failed).containsExactly(new TimItemFailure("u2", 70107, "Err_TLS_PT_Open_Login_Account_Not_Exist"));
    }

    @Test
    void accountCheckNotImportedIsAnAnswerNotAFailure() throws Exception {
        assertThat(failures("{}", "{" + OK + ",\"ResultItem\":["
                + "{\"UserID\":\"u1\",\"ResultCode\":0,\"ResultInfo\":\"\",\"AccountStatus\":\"NotImported\"}]}")).isEmpty();
    }

    @Test
    void friendImportResultItemsAndFailAccountAreMergedByAccount() throws Exception {
        List<TimItemFailure> failed = failures("{\"From_Account\":\"a\"}", "{" + OK + ",\"ErrorDisplay\":\"\","
                + "\"ResultItem\":[{\"To_Account\":\"b\",\"ResultCode\":0,\"ResultInfo\":\"\"},"
                + "{\"To_Account\":\"c\",\"ResultCode\":30010,\"ResultInfo\":\"friend limit\"}],"
                + "\"Fail_Account\":[\"c\",\"d\"]}");

        assertThat(failed).containsExactly(
                new TimItemFailure("c", 30010, "friend limit"),
                new TimItemFailure("d", TimErrors.NO_CODE, "listed in Fail_Account"));
    }

    @Test
    void friendAddPendingIsNotReportedAsSuccess() throws Exception {
        assertThat(failures("{}", "{" + OK + ",\"ResultItem\":[{\"To_Account\":\"b\",\"ResultCode\":30539,\"ResultInfo\":\"\"}]}"))
                .extracting(TimItemFailure::key, TimItemFailure::code).containsExactly(tuple("b", 30539));
    }

    @Test
    void friendCheckInfoItemCodeIsAFailure() throws Exception {
        assertThat(failures("{}", "{" + OK + ",\"InfoItem\":[{\"To_Account\":\"x\",\"Relation\":\"CheckResult_Type_NoRelation\","
                + "\"ResultCode\":30003,\"ResultInfo\":\"not found\"}],\"Fail_Account\":[\"x\"]}"))
                .containsExactly(new TimItemFailure("x", 30003, "not found"));
    }

    @Test
    void portraitGetUserProfileItemCodeIsAFailure() throws Exception {
        assertThat(failures("{}", "{\"UserProfileItem\":[{\"To_Account\":\"u1\",\"ProfileItem\":[],\"ResultCode\":0,\"ResultInfo\":\"\"},"
                + "{\"To_Account\":\"u2\",\"ProfileItem\":[],\"ResultCode\":40003,\"ResultInfo\":\"Err_Profile_Invalid_Account\"}],"
                + "\"Fail_Account\":[],\"ErrorDisplay\":\"\"," + OK + "}"))
                .containsExactly(new TimItemFailure("u2", 40003, "Err_Profile_Invalid_Account"));
    }

    @Test
    void batchSendErrorListEntriesAreFailures() throws Exception {
        assertThat(failures("{}", "{" + OK + ",\"MsgKey\":\"k\",\"ErrorList\":[{\"To_Account\":\"u3\",\"ErrorCode\":90012}]}"))
                .containsExactly(new TimItemFailure("u3", 90012, ""));
    }

    @Test
    void groupMemberResultZeroAndPendingFailWhileAddedAndAlreadyMemberSucceed() throws Exception {
        List<TimItemFailure> failed = failures("{\"GroupId\":\"g1\"}", "{" + OK + ",\"MemberList\":["
                + "{\"Member_Account\":\"a\",\"Result\":1},{\"Member_Account\":\"b\",\"Result\":0},"
                + "{\"Member_Account\":\"c\",\"Result\":2},{\"Member_Account\":\"d\",\"Result\":3}]}");

        assertThat(failed).extracting(TimItemFailure::key).containsExactly("b", "d");
        assertThat(failed).allMatch(f -> f.code() == TimErrors.NO_CODE);
    }

    @Test
    void memberListingWithoutResultIsNotAFailure() throws Exception {
        assertThat(failures("{}", "{" + OK + ",\"MemberNum\":1,\"MemberList\":[{\"Member_Account\":\"a\",\"Role\":\"Owner\"}]}"))
                .isEmpty();
    }

    @Test
    void importGroupMsgNonZeroResultIsKeyedByPositionInMsgList() throws Exception {
        List<TimItemFailure> failed = failures("{\"GroupId\":\"g1\",\"MsgList\":[{},{},{}]}", "{" + OK + ",\"ImportMsgResult\":["
                + "{\"MsgSeq\":1,\"MsgTime\":1600000000,\"Result\":0},"
                + "{\"MsgSeq\":0,\"MsgTime\":1600000001,\"Result\":80002},"
                + "{\"MsgSeq\":2,\"MsgTime\":1600000002,\"Result\":0}]}");

        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).key()).isEqualTo("1");
        assertThat(failed.get(0).code()).isEqualTo(80002);
        assertThat(failed.get(0).info()).contains("1600000001");
    }

    @Test
    void getGroupInfoPerGroupErrorCodeIsAFailure() throws Exception {
        assertThat(failures("{}", "{" + OK + ",\"GroupInfo\":[{\"GroupId\":\"g1\",\"ErrorCode\":0,\"Name\":\"n\"},"
                + "{\"GroupId\":\"g2\",\"ErrorCode\":10010,\"ErrorInfo\":\"group not exist\"}]}"))
                .containsExactly(new TimItemFailure("g2", 10010, "group not exist"));
    }

    @Test
    void sendGroupMsgDropReasonIsAFailureOfThatGroupsMessage() throws Exception {
        assertThat(failures("{\"GroupId\":\"g1\",\"Random\":7}", "{" + OK + ",\"MsgTime\":1,\"MsgSeq\":0,\"MsgDropReason\":\"MsgFreqCtrl\"}"))
                .containsExactly(new TimItemFailure("g1", TimErrors.NO_CODE, "message dropped by TIM: MsgFreqCtrl"));
    }

    @Test
    void plainOkAnswerHasNoFailures() throws Exception {
        JsonNode ok = JSON.readTree("{" + OK + ",\"MsgTime\":1,\"MsgSeq\":5,\"MsgDropReason\":\"\"}");
        assertThat(TimItemFailures.extract(JSON.createObjectNode(), ok)).isEmpty();
    }
}
