package io.timbridge.sync;

import io.timbridge.sync.CallbackEvent.C2cMessage;
import io.timbridge.sync.CallbackEvent.GroupCreated;
import io.timbridge.sync.CallbackEvent.GroupDestroyed;
import io.timbridge.sync.CallbackEvent.GroupInfoChanged;
import io.timbridge.sync.CallbackEvent.GroupMessage;
import io.timbridge.sync.CallbackEvent.MembersExited;
import io.timbridge.sync.CallbackEvent.MembersJoined;
import io.timbridge.sync.CallbackEvent.Skip;
import io.timbridge.sync.CallbackParser.Accepted;
import io.timbridge.sync.CallbackParser.Refusal;
import io.timbridge.sync.CallbackParser.Refused;
import io.timbridge.sync.CallbackParser.Result;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Bodies are the samples of callbacks.md unless a test changes them. */
class CallbackParserTest {
    static final String ADMIN = "tb_admin";

    static final String C2C = """
            {"CallbackCommand":"C2C.CallbackAfterSendMsg","From_Account":"alice","To_Account":"bob",
             "MsgSeq":3301,"MsgRandom":77881234,"MsgTime":1700000300,"MsgKey":"3301_77881234_1700000300",
             "OnlineOnlyFlag":0,"SendMsgResult":0,"ErrorInfo":"send msg succeed",
             "UnreadMsgNum":4,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hello from app 2.0"}}],
             "CloudCustomData":""}""";
    static final String GROUP_MSG = """
            {"CallbackCommand":"Group.CallbackAfterSendMsg","GroupId":"@TGS#2AB3CDEFG","Type":"Public",
             "From_Account":"alice","Operator_Account":"alice","Random":5566,"MsgSeq":42,
             "MsgTime":1700000900,"OnlineOnlyFlag":0,
             "MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hi all"}}],"CloudCustomData":"",
             "EventTime":1700000900123,"GroupAtInfo":[{"GroupAtAllFlag":0,"GroupAt_Account":"bob"}]}""";
    static final String CREATED = """
            {"CallbackCommand":"Group.CallbackAfterCreateGroup","GroupId":"@TGS#2AB3CDEFG","Operator_Account":"alice",
             "Owner_Account":"alice","Type":"Public","Name":"Team","MemberList":[{"Member_Account":"bob"}],
             "UserDefinedDataList":[{"Key":"Origin","Value":"app2"}],"EventTime":1700000400123}""";
    static final String DESTROYED = """
            {"CallbackCommand":"Group.CallbackAfterGroupDestroyed","GroupId":"@TGS#2AB3CDEFG","Type":"Public",
             "Owner_Account":"alice","Name":"Team","MemberList":[{"Member_Account":"alice"},{"Member_Account":"bob"}],
             "EventTime":1700000500123}""";
    static final String INFO_CHANGED = """
            {"CallbackCommand":"Group.CallbackAfterGroupInfoChanged","GroupId":"@TGS#2AB3CDEFG","Type":"Public",
             "Operator_Account":"alice","Notification":"New rules","EventTime":1700000600123}""";
    static final String JOINED = """
            {"CallbackCommand":"Group.CallbackAfterNewMemberJoin","GroupId":"@TGS#2AB3CDEFG","Type":"Public",
             "JoinType":"Invited","Operator_Account":"alice","NewMemberList":[{"Member_Account":"carol"}],
             "EventTime":1700000700123}""";
    static final String EXITED = """
            {"CallbackCommand":"Group.CallbackAfterMemberExit","GroupId":"@TGS#2AB3CDEFG","Type":"Public",
             "ExitType":"Kicked","Operator_Account":"alice","ExitMemberList":[{"Member_Account":"carol"}],
             "EventTime":1700000800123}""";

    private final CallbackParser parser = new CallbackParser(new EchoGuard(ADMIN, true), 4096);

    static CallbackEvent accepted(Result result) {
        assertThat(result).isInstanceOf(Accepted.class);
        return ((Accepted) result).event();
    }

    private CallbackEvent parse(String body) {
        return accepted(parser.parse(null, "Android", bytes(body)));
    }

    private Refused refused(String body) {
        Result result = parser.parse(null, "Android", bytes(body));
        assertThat(result).isInstanceOf(Refused.class);
        return (Refused) result;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aC2cMessageIsKeyedByMsgKeyAndOrderedByTheUserPair() {
        C2cMessage m = (C2cMessage) parse(C2C);
        assertThat(m.idempotencyKey()).isEqualTo("3301_77881234_1700000300");
        assertThat(m.orderingKey()).isEqualTo("alice|bob");
        assertThat(m.msgTime()).isEqualTo(1700000300L);
        assertThat(m.msgBody().get(0).path("MsgContent").path("Text").asText()).isEqualTo("hello from app 2.0");
        assertThat(m.shouldWrite()).isTrue();
        assertThat(m.causedByBridge()).isFalse();

        C2cMessage reply = (C2cMessage) parse(C2C.replace("\"From_Account\":\"alice\",\"To_Account\":\"bob\"",
                "\"From_Account\":\"bob\",\"To_Account\":\"alice\""));
        assertThat(reply.orderingKey()).isEqualTo("alice|bob");
    }

    @Test
    void aGroupMessageIsKeyedByGroupIdAndMsgSeqAndOrderedByTheGroup() {
        GroupMessage m = (GroupMessage) parse(GROUP_MSG);
        assertThat(m.idempotencyKey()).isEqualTo("@TGS#2AB3CDEFG:42");
        assertThat(m.orderingKey()).isEqualTo("@TGS#2AB3CDEFG");
        assertThat(m.fromAccount()).isEqualTo("alice");
        assertThat(m.shouldWrite()).isTrue();
    }

    @Test
    void aCommunityTopicMessageIsKeyedByItsTopicBecauseMsgSeqCountsPerTopic() {
        GroupMessage m = (GroupMessage) parse(GROUP_MSG.replace("\"Random\"", "\"TopicId\":\"@TGS#_x@TOPIC#_y\",\"Random\""));
        assertThat(m.idempotencyKey()).isEqualTo("@TGS#_x@TOPIC#_y:42");
        assertThat(m.orderingKey()).isEqualTo("@TGS#2AB3CDEFG");
    }

    @Test
    void groupEventsAreKeyedByEventGroupTimeAndWhatTheyReport() {
        GroupCreated created = (GroupCreated) parse(CREATED);
        assertThat(created.idempotencyKey()).matches("group-created:@TGS#2AB3CDEFG:1700000400123:[0-9a-f]{16}");
        assertThat(created.ownerAccount()).isEqualTo("alice");
        assertThat(created.members()).containsExactly("bob");
        assertThat(created.type()).isEqualTo("Public");

        GroupDestroyed destroyed = (GroupDestroyed) parse(DESTROYED);
        assertThat(destroyed.idempotencyKey()).startsWith("group-destroyed:@TGS#2AB3CDEFG:1700000500123:");
        assertThat(destroyed.members()).containsExactly("alice", "bob");

        GroupInfoChanged changed = (GroupInfoChanged) parse(INFO_CHANGED);
        assertThat(changed.idempotencyKey()).startsWith("group-info-changed:@TGS#2AB3CDEFG:1700000600123:");

        MembersJoined joined = (MembersJoined) parse(JOINED);
        assertThat(joined.idempotencyKey()).startsWith("member-join:@TGS#2AB3CDEFG:1700000700123:");
        assertThat(joined.members()).containsExactly("carol");

        MembersExited exited = (MembersExited) parse(EXITED);
        assertThat(exited.idempotencyKey()).startsWith("member-exit:@TGS#2AB3CDEFG:1700000800123:");

        for (CallbackEvent e : List.of(created, destroyed, changed, joined, exited)) {
            assertThat(e.orderingKey()).isEqualTo("@TGS#2AB3CDEFG");
            assertThat(e.shouldWrite()).as(e.command().timName()).isTrue();
        }
    }

    @Test
    void aReplayedCallbackHasTheSameKeyEvenWithMembersInAnotherOrder() {
        String two = JOINED.replace("[{\"Member_Account\":\"carol\"}]",
                "[{\"Member_Account\":\"carol\"},{\"Member_Account\":\"dave\"}]");
        String swapped = JOINED.replace("[{\"Member_Account\":\"carol\"}]",
                "[{\"Member_Account\":\"dave\"},{\"Member_Account\":\"carol\"}]");
        assertThat(parse(two).idempotencyKey()).isEqualTo(parse(swapped).idempotencyKey());
        assertThat(parse(JOINED).idempotencyKey()).isEqualTo(parse(JOINED).idempotencyKey());
    }

    @Test
    void twoEventsOfOneGroupInOneMillisecondHaveDifferentKeys() {
        String dave = JOINED.replace("carol", "dave");
        assertThat(parse(dave).idempotencyKey()).isNotEqualTo(parse(JOINED).idempotencyKey());

        String rename = INFO_CHANGED.replace("\"Notification\":\"New rules\"", "\"Name\":\"New rules\"");
        assertThat(parse(rename).idempotencyKey()).isNotEqualTo(parse(INFO_CHANGED).idempotencyKey());
    }

    @Test
    void aGroupEventKeyFitsOneHundredCharactersForTheLongestGroupId() {
        String longest = "g".repeat(48);
        String body = INFO_CHANGED.replace("@TGS#2AB3CDEFG", longest);
        assertThat(parse(body).idempotencyKey()).hasSizeLessThanOrEqualTo(100);
    }

    @Test
    void anEventTimeGivenAsAStringIsReadAsMilliseconds() {
        String asString = EXITED.replace("1700000800123", "\"1700000800123\"");
        MembersExited e = (MembersExited) parse(asString);
        assertThat(e.eventTime()).isEqualTo(1700000800123L);
        assertThat(e.idempotencyKey()).isEqualTo(parse(EXITED).idempotencyKey());
    }

    @Test
    void anInfoChangeCarriesOnlyTheReportedFields() {
        GroupInfoChanged e = (GroupInfoChanged) parse(INFO_CHANGED);
        assertThat(e.notification()).isEqualTo("New rules");
        assertThat(e.name()).isNull();
        assertThat(e.introduction()).isNull();
        assertThat(e.faceUrl()).isNull();
    }

    @Test
    void aFailedSendIsNotWritten() {
        C2cMessage m = (C2cMessage) parse(C2C.replace("\"SendMsgResult\":0", "\"SendMsgResult\":80001"));
        assertThat(m.skip()).contains(Skip.SEND_FAILED);
        assertThat(m.shouldWrite()).isFalse();
    }

    @Test
    void anOnlineOnlyMessageIsNotWritten() {
        assertThat(parse(C2C.replace("\"OnlineOnlyFlag\":0", "\"OnlineOnlyFlag\":1")).skip()).contains(Skip.ONLINE_ONLY);
        assertThat(parse(GROUP_MSG.replace("\"OnlineOnlyFlag\":0", "\"OnlineOnlyFlag\":1")).skip())
                .contains(Skip.ONLINE_ONLY);
    }

    @Test
    void aCallbackOperatedByTheBridgeAdminIsAnEcho() {
        for (String body : List.of(GROUP_MSG, CREATED, INFO_CHANGED, JOINED, EXITED)) {
            CallbackEvent e = parse(body.replace("\"Operator_Account\":\"alice\"", "\"Operator_Account\":\"" + ADMIN + "\""));
            assertThat(e.causedByBridge()).as(e.command().timName()).isTrue();
            assertThat(e.skip()).contains(Skip.ECHO);
        }
    }

    @Test
    void aCallbackFromARestCallIsAnEchoEvenWithoutOperator() {
        for (String body : List.of(C2C, GROUP_MSG, CREATED, DESTROYED, INFO_CHANGED, JOINED, EXITED)) {
            CallbackEvent e = accepted(parser.parse(null, "RESTAPI", bytes(body)));
            assertThat(e.skip()).as(e.command().timName()).contains(Skip.ECHO);
        }
    }

    @Test
    void anAppThatCallsRestItselfKeepsItsRestCallbacksWhenTheGuardIsToldSo() {
        CallbackParser trusting = new CallbackParser(new EchoGuard(ADMIN, false), 4096);
        assertThat(accepted(trusting.parse(null, "RESTAPI", bytes(C2C))).shouldWrite()).isTrue();
        String byAdmin = JOINED.replace("\"Operator_Account\":\"alice\"", "\"Operator_Account\":\"" + ADMIN + "\"");
        assertThat(accepted(trusting.parse(null, "RESTAPI", bytes(byAdmin))).skip()).contains(Skip.ECHO);
    }

    @Test
    void aMessageCarryingTheBridgeMarkerIsAnEcho() {
        String marked = "\"CloudCustomData\":\"{\\\"timbridge\\\":\\\"legacy\\\",\\\"id\\\":\\\"17\\\"}\"";
        C2cMessage c2c = (C2cMessage) parse(C2C.replace("\"CloudCustomData\":\"\"", marked));
        assertThat(c2c.cloudCustomData()).isEqualTo("{\"timbridge\":\"legacy\",\"id\":\"17\"}");
        assertThat(c2c.skip()).contains(Skip.ECHO);
        assertThat(parse(GROUP_MSG.replace("\"CloudCustomData\":\"\"", marked)).skip()).contains(Skip.ECHO);
    }

    @Test
    void aMessageOfAnotherUserIsWrittenEvenWhenItsTextMentionsTheMarker() {
        String text = C2C.replace("hello from app 2.0", "{\\\"timbridge\\\":\\\"legacy\\\"}")
                .replace("\"CloudCustomData\":\"\"", "\"CloudCustomData\":\"timbridge legacy\"");
        assertThat(parse(text).shouldWrite()).isTrue();
    }

    @Test
    void sqlLookingTextIsAcceptedVerbatim() {
        String sql = "x'); DROP TABLE c2c_messages; --";
        C2cMessage m = (C2cMessage) parse(C2C.replace("hello from app 2.0", sql));
        assertThat(m.msgBody().get(0).path("MsgContent").path("Text").asText()).isEqualTo(sql);
    }

    @Test
    void theQueryCommandMustAgreeWithTheBody() {
        assertThat(accepted(parser.parse("C2C.CallbackAfterSendMsg", "iOS", bytes(C2C)))).isInstanceOf(C2cMessage.class);
        Result r = parser.parse("Group.CallbackAfterSendMsg", "iOS", bytes(C2C));
        assertThat(((Refused) r).reason()).isEqualTo(Refusal.COMMAND_MISMATCH);
    }

    @Test
    void theQueryCommandIsUsedWhenTheBodyHasNone() {
        String body = C2C.replace("\"CallbackCommand\":\"C2C.CallbackAfterSendMsg\",", "");
        assertThat(accepted(parser.parse("C2C.CallbackAfterSendMsg", "iOS", bytes(body)))).isInstanceOf(C2cMessage.class);
        assertThat(((Refused) parser.parse(null, "iOS", bytes(body))).reason()).isEqualTo(Refusal.MISSING_FIELD);
    }

    @Test
    void anUnknownCommandIsRefused() {
        Refused r = refused(C2C.replace("C2C.CallbackAfterSendMsg", "C2C.CallbackAfterMsgWithDraw"));
        assertThat(r.reason()).isEqualTo(Refusal.UNKNOWN_COMMAND);
        assertThat(r.toString()).startsWith("unknown-command: ");
    }

    @Test
    void malformedJsonIsRefused() {
        for (String body : List.of("", "{", "not json", "[1,2]", "\"text\"", C2C + " {}",
                "{\"CallbackCommand\":\"C2C.CallbackAfterSendMsg\",\"CallbackCommand\":\"Group.CallbackAfterSendMsg\"}")) {
            assertThat(refused(body).reason()).as(body).isEqualTo(Refusal.MALFORMED_JSON);
        }
    }

    @Test
    void deeplyNestedJsonIsRefusedWithoutACrash() {
        String deep = "{\"a\":" + "[".repeat(4000) + "]".repeat(4000) + "}";
        CallbackParser large = new CallbackParser(new EchoGuard(ADMIN, true), 1 << 20);
        assertThat(large.parse(null, null, bytes(deep))).isInstanceOf(Refused.class);
    }

    @Test
    void fieldsOfTheWrongTypeAreRefused() {
        assertThat(refused(C2C.replace("\"MsgSeq\":3301", "\"MsgSeq\":\"3301\"")).reason()).isEqualTo(Refusal.WRONG_TYPE);
        assertThat(refused(C2C.replace("\"From_Account\":\"alice\"", "\"From_Account\":7")).reason())
                .isEqualTo(Refusal.WRONG_TYPE);
        assertThat(refused(C2C.replace("\"MsgTime\":1700000300", "\"MsgTime\":1.5")).reason()).isEqualTo(Refusal.WRONG_TYPE);
        assertThat(refused(C2C.replace("\"MsgTime\":1700000300", "\"MsgTime\":-1")).reason()).isEqualTo(Refusal.WRONG_TYPE);
        assertThat(refused(C2C.replace("\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hello from app 2.0\"}}]",
                "\"MsgBody\":{\"MsgType\":\"TIMTextElem\"}")).reason()).isEqualTo(Refusal.WRONG_TYPE);
        assertThat(refused(EXITED.replace("1700000800123", "\"soon\"")).reason()).isEqualTo(Refusal.WRONG_TYPE);
        assertThat(refused(JOINED.replace("[{\"Member_Account\":\"carol\"}]", "[\"carol\"]")).reason())
                .isEqualTo(Refusal.WRONG_TYPE);
        assertThat(refused(CREATED.replace("\"Type\":\"Public\"", "\"Type\":\"Secret\"")).reason())
                .isEqualTo(Refusal.WRONG_TYPE);
    }

    @Test
    void missingRequiredFieldsAreRefused() {
        assertThat(refused(C2C.replace("\"MsgKey\":\"3301_77881234_1700000300\"", "\"MsgKey\":\"\"")).reason())
                .isEqualTo(Refusal.MISSING_FIELD);
        assertThat(refused(GROUP_MSG.replace("\"GroupId\":\"@TGS#2AB3CDEFG\",", "")).reason())
                .isEqualTo(Refusal.MISSING_FIELD);
        assertThat(refused(EXITED.replace("\"EventTime\":1700000800123", "\"Event\":1")).reason()).isEqualTo(Refusal.MISSING_FIELD);
        assertThat(refused(JOINED.replace("[{\"Member_Account\":\"carol\"}]", "[]")).reason())
                .isEqualTo(Refusal.MISSING_FIELD);
    }

    @Test
    void aBodyOverTheLimitIsRefusedWithoutReadingItAll() throws IOException {
        byte[] huge = bytes(C2C.replace("hello from app 2.0", "x".repeat(5000)));
        assertThat(((Refused) parser.parse(null, null, huge)).reason()).isEqualTo(Refusal.TOO_LARGE);

        try (CountingStream in = new CountingStream(new byte[10_000_000])) {
            Result r = parser.parse(null, null, in);
            assertThat(((Refused) r).reason()).isEqualTo(Refusal.TOO_LARGE);
            assertThat(in.read).isEqualTo(4097);
        }
    }

    @Test
    void aBodyReadFromAStreamIsParsedLikeBytes() {
        Result r = parser.parse(null, null, new ByteArrayInputStream(bytes(C2C)));
        assertThat(accepted(r).idempotencyKey()).isEqualTo("3301_77881234_1700000300");
    }

    @Test
    void aBodyThatCannotBeReadIsRefused() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        assertThat(((Refused) parser.parse(null, null, broken)).reason()).isEqualTo(Refusal.UNREADABLE);
    }

    /** Counts the bytes taken from it. */
    private static final class CountingStream extends ByteArrayInputStream {
        int read;

        CountingStream(byte[] data) {
            super(data);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            read += Math.max(n, 0);
            return n;
        }
    }
}
