package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
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

/** c2c.md: importmsg dedup and rules, sendmsg results and dedup window, admin_getroammsg paging. */
class SandboxC2cTest {
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
        h.importAccounts("alice", "bob");
    }

    private static int code(JsonNode r) {
        return r.get("ErrorCode").asInt();
    }

    private static ObjectNode importMsg(String from, String to, long seq, long random, long time, String text) {
        ObjectNode m = json("{\"SyncFromOldSystem\":2}").put("From_Account", from).put("To_Account", to)
                .put("MsgSeq", seq).put("MsgRandom", random).put("MsgTimeStamp", time);
        m.set("MsgBody", TestSandboxes.text(text));
        return m;
    }

    private JsonNode conversation() {
        return h.sandbox.inspect().c2c("alice", "bob");
    }

    @Test
    void importmsgDeduplicatesOnSeqRandomAndTimeWithTheFirstImportWinning() {
        long t = h.clock.seconds() - 100;
        assertThat(code(h.call("openim/importmsg", importMsg("alice", "bob", 1, 7, t, "first")))).isZero();
        assertThat(code(h.call("openim/importmsg", importMsg("alice", "bob", 1, 7, t, "second")))).isZero();
        assertThat(conversation().get("MsgCnt").asInt()).isEqualTo(1);
        assertThat(conversation().at("/MsgList/0/MsgBody/0/MsgContent/Text").asText()).isEqualTo("first");
    }

    @Test
    void inspectionTellsWhenEachMessageWasStored() {
        long t = h.clock.seconds() - 100;
        long firstStored = h.clock.millis();
        h.call("openim/importmsg", importMsg("alice", "bob", 1, 7, t, "first"));
        h.clock.advance(java.time.Duration.ofMillis(1234));
        h.call("openim/importmsg", importMsg("alice", "bob", 2, 8, t, "second"));

        assertThat(conversation().at("/MsgList/0/StoredAtMs").asLong()).isEqualTo(firstStored);
        assertThat(conversation().at("/MsgList/1/StoredAtMs").asLong()).isEqualTo(firstStored + 1234);
    }

    @Test
    void importmsgWithTheSamePairReversedIsAlsoADuplicate() {
        long t = h.clock.seconds() - 100;
        h.call("openim/importmsg", importMsg("alice", "bob", 1, 7, t, "from alice"));
        h.call("openim/importmsg", importMsg("bob", "alice", 1, 7, t, "from bob"));
        assertThat(conversation().get("MsgCnt").asInt()).isEqualTo(1);
        assertThat(conversation().at("/MsgList/0/From_Account").asText()).isEqualTo("alice");
    }

    @Test
    void importmsgDifferingInAnyKeyPartIsANewMessageOrderedByTimeThenSeq() {
        long t = h.clock.seconds() - 100;
        h.call("openim/importmsg", importMsg("alice", "bob", 2, 7, t, "b"));
        h.call("openim/importmsg", importMsg("alice", "bob", 1, 7, t, "a"));
        h.call("openim/importmsg", importMsg("alice", "bob", 2, 8, t, "c"));
        h.call("openim/importmsg", importMsg("alice", "bob", 2, 7, t - 1, "earlier"));
        List<String> texts = new ArrayList<>();
        conversation().get("MsgList").forEach(m -> texts.add(m.at("/MsgBody/0/MsgContent/Text").asText()));
        assertThat(texts).containsExactly("earlier", "a", "b", "c");
    }

    @Test
    void syncFromOldSystemFiveCountsUnreadAndTwoDoesNot() {
        long t = h.clock.seconds() - 100;
        h.call("openim/importmsg", importMsg("alice", "bob", 1, 1, t, "history"));
        assertThat(conversation().at("/UnreadMsgNum/bob").asInt()).isZero();
        h.call("openim/importmsg", importMsg("alice", "bob", 2, 2, t, "live").put("SyncFromOldSystem", 5));
        assertThat(conversation().at("/UnreadMsgNum/bob").asInt()).isEqualTo(1);
        assertThat(h.sandbox.inspect().account("bob").get("C2cUnreadMsgNum").asInt()).isEqualTo(1);
    }

    @Test
    void syncFromOldSystemOtherThanTwoOrFiveOrMissingIs90030() {
        long t = h.clock.seconds() - 100;
        assertThat(code(h.call("openim/importmsg", importMsg("alice", "bob", 1, 1, t, "x").put("SyncFromOldSystem", 1)))).isEqualTo(90030);
        ObjectNode missing = importMsg("alice", "bob", 1, 1, t, "x");
        missing.remove("SyncFromOldSystem");
        assertThat(code(h.call("openim/importmsg", missing))).isEqualTo(90030);
        assertThat(code(h.call("openim/importmsg", importMsg("alice", "bob", 1, 1, t, "x").put("SyncFromOldSystem", "2")))).isEqualTo(90030);
        assertThat(h.sandbox.inspect().counts().get("c2cMessages").asInt()).isZero();
    }

    @Test
    void importmsgRefusesUnknownAccounts() {
        long t = h.clock.seconds() - 100;
        assertThat(code(h.call("openim/importmsg", importMsg("alice", "ghost", 1, 1, t, "x")))).isEqualTo(90012);
        assertThat(code(h.call("openim/importmsg", importMsg("ghost", "bob", 1, 1, t, "x")))).isEqualTo(20003);
    }

    @Test
    void importmsgFieldRulesGiveTheirCodes() {
        long t = h.clock.seconds() - 100;
        ObjectNode noRandom = importMsg("alice", "bob", 1, 1, t, "x");
        noRandom.remove("MsgRandom");
        assertThat(code(h.call("openim/importmsg", noRandom))).isEqualTo(90005);
        ObjectNode noSeq = importMsg("alice", "bob", 1, 1, t, "x");
        noSeq.remove("MsgSeq");
        assertThat(code(h.call("openim/importmsg", noSeq))).as("MsgSeq required when strict").isEqualTo(20001);
        ObjectNode notArray = importMsg("alice", "bob", 1, 1, t, "x");
        notArray.put("MsgBody", "hi");
        assertThat(code(h.call("openim/importmsg", notArray))).isEqualTo(90007);
        ObjectNode twoCustom = importMsg("alice", "bob", 1, 1, t, "x");
        twoCustom.set("MsgBody", json("{\"b\":[{\"MsgType\":\"TIMCustomElem\",\"MsgContent\":{\"Data\":\"1\"}},"
                + "{\"MsgType\":\"TIMCustomElem\",\"MsgContent\":{\"Data\":\"2\"}}]}").get("b"));
        assertThat(code(h.call("openim/importmsg", twoCustom))).isEqualTo(90010);
        assertThat(code(h.call("openim/importmsg", importMsg("alice", "bob", 1, 1, t, "x".repeat(8001))))).isEqualTo(93000);
        assertThat(code(h.call("openim/importmsg", importMsg("alice", "bob", 1, 1, h.clock.seconds() + 60, "x")))).isEqualTo(90006);
        assertThat(h.sandbox.inspect().counts().get("c2cMessages").asInt()).isZero();
    }

    @Test
    void relaxedImportmsgTakesAMissingMsgSeqAndAFutureTimestamp() {
        try (SandboxHarness relaxed = new SandboxHarness("sandbox.strict.importmsg-msgseq-required", "false",
                "sandbox.strict.importmsg-future-timestamp", "false")) {
            relaxed.importAccounts("alice", "bob");
            ObjectNode noSeq = importMsg("alice", "bob", 1, 1, relaxed.clock.seconds() + 60, "x");
            noSeq.remove("MsgSeq");
            assertThat(code(relaxed.call("openim/importmsg", noSeq))).isZero();
        }
    }

    private static ObjectNode send(String from, long seq, long random, String text) {
        ObjectNode m = json("{\"To_Account\":\"bob\"}").put("MsgSeq", seq).put("MsgRandom", random);
        if (from != null) {
            m.put("From_Account", from);
        }
        m.set("MsgBody", TestSandboxes.text(text));
        return m;
    }

    @Test
    void sendmsgReturnsMsgTimeAndAMsgKeyOfSeqRandomTime() {
        JsonNode r = h.call("openim/sendmsg", send("alice", 77, 9001, "hi"));
        assertThat(code(r)).isZero();
        assertThat(r.get("MsgTime").asLong()).isEqualTo(h.clock.seconds());
        assertThat(r.get("MsgKey").asText()).isEqualTo("77_9001_" + h.clock.seconds());
        assertThat(conversation().at("/UnreadMsgNum/bob").asInt()).isEqualTo(1);
    }

    @Test
    void sendmsgWithoutFromAccountIsSentByTheAdmin() {
        assertThat(code(h.call("openim/sendmsg", send(null, 1, 2, "from admin")))).isZero();
        assertThat(h.sandbox.inspect().c2c("administrator", "bob").at("/MsgList/0/From_Account").asText()).isEqualTo("administrator");
    }

    @Test
    void sendmsgRepeatedWithin120SecondsIsTheSameMessageAndAfterwardsANewOne() {
        JsonNode first = h.call("openim/sendmsg", send("alice", 5, 6, "hi"));
        h.clock.advance(Duration.ofSeconds(119));
        JsonNode retry = h.call("openim/sendmsg", send("alice", 5, 6, "hi"));
        assertThat(retry.get("MsgKey")).isEqualTo(first.get("MsgKey"));
        assertThat(conversation().get("MsgCnt").asInt()).isEqualTo(1);
        h.clock.advance(Duration.ofSeconds(2));
        JsonNode later = h.call("openim/sendmsg", send("alice", 5, 6, "hi"));
        assertThat(later.get("MsgKey")).isNotEqualTo(first.get("MsgKey"));
        assertThat(conversation().get("MsgCnt").asInt()).isEqualTo(2);
    }

    @Test
    void sendmsgWithOtherContentOrSenderIsNotADuplicate() {
        h.call("openim/sendmsg", send("alice", 5, 6, "hi"));
        h.call("openim/sendmsg", send("alice", 5, 6, "other text"));
        h.call("openim/sendmsg", send("administrator", 5, 6, "hi"));
        assertThat(h.sandbox.inspect().counts().get("c2cMessages").asInt()).isEqualTo(3);
    }

    @Test
    void sendmsgFieldRulesGiveTheirCodes() {
        ObjectNode noRandom = send("alice", 1, 1, "x");
        noRandom.remove("MsgRandom");
        assertThat(code(h.call("openim/sendmsg", noRandom))).isEqualTo(90005);
        assertThat(code(h.call("openim/sendmsg", send("alice", 1, 1, "x").put("To_Account", "ghost")))).isEqualTo(90012);
        ObjectNode noTo = send("alice", 1, 1, "x");
        noTo.remove("To_Account");
        assertThat(code(h.call("openim/sendmsg", noTo))).isEqualTo(90003);
        assertThat(code(h.call("openim/sendmsg", send("alice", 1, 1, "x").put("SyncOtherMachine", "one")))).isEqualTo(90031);
        assertThat(code(h.call("openim/sendmsg", send("alice", 1, 1, "x").put("MsgLifeTime", 604_801)))).isEqualTo(90026);
        assertThat(code(h.call("openim/sendmsg", send("alice", 1, 1, "x").put("MsgLifeTime", 604_800)))).isZero();
    }

    @Test
    void sendmsgWithNoUnreadOrOnlineOnlyCountsNoUnread() {
        ObjectNode noUnread = send("alice", 1, 1, "x");
        noUnread.putArray("SendMsgControl").add("NoUnread");
        h.call("openim/sendmsg", noUnread);
        h.call("openim/sendmsg", send("alice", 2, 2, "typing").put("OnlineOnlyFlag", 1));
        assertThat(conversation().at("/UnreadMsgNum/bob").asInt()).isZero();
        assertThat(conversation().get("MsgCnt").asInt()).as("online-only messages are not stored").isEqualTo(1);
    }

    private JsonNode roam(String operator, long maxCnt, String lastKey) {
        ObjectNode q = json("{\"Peer_Account\":\"bob\",\"MinTime\":0}").put("Operator_Account", operator)
                .put("MaxCnt", maxCnt).put("MaxTime", h.clock.seconds());
        if (lastKey != null) {
            q.put("LastMsgKey", lastKey);
        }
        return h.call("openim/admin_getroammsg", q);
    }

    @Test
    void adminGetRoamMsgPagesNewestFirstWithLastMsgKeyUntilComplete() {
        long t = h.clock.seconds() - 1000;
        for (int i = 1; i <= 5; i++) {
            h.call("openim/importmsg", importMsg(i % 2 == 0 ? "bob" : "alice", i % 2 == 0 ? "alice" : "bob", i, i, t + i, "m" + i));
        }
        List<String> seen = new ArrayList<>();
        JsonNode page = roam("alice", 2, null);
        int pages = 1;
        page.get("MsgList").forEach(m -> seen.add(m.at("/MsgBody/0/MsgContent/Text").asText()));
        while (page.get("Complete").asInt() == 0) {
            assertThat(page.get("MsgCnt").asInt()).isEqualTo(2);
            page = roam("alice", 2, page.get("LastMsgKey").asText());
            page.get("MsgList").forEach(m -> seen.add(m.at("/MsgBody/0/MsgContent/Text").asText()));
            pages++;
        }
        assertThat(seen).containsExactly("m5", "m4", "m3", "m2", "m1");
        assertThat(pages).isEqualTo(3);
        assertThat(page.get("LastMsgKey").asText()).isEqualTo("1_1_" + (t + 1));
    }

    @Test
    void adminGetRoamMsgCapsTheResponseSize() {
        long t = h.clock.seconds() - 1000;
        for (int i = 1; i <= 5; i++) {
            h.call("openim/importmsg", importMsg("alice", "bob", i, i, t + i, "x".repeat(5000)));
        }
        JsonNode page = roam("alice", 100, null);
        assertThat(page.get("MsgCnt").asInt()).isBetween(1, 3);
        assertThat(page.get("Complete").asInt()).isZero();
        assertThat(page.toString().length()).isLessThan(20_000);
    }

    @Test
    void adminGetRoamMsgReturnsOnlyTheRoamingPeriodUnlessConfiguredOtherwise() {
        long old = h.clock.seconds() - 8 * 86_400;
        h.call("openim/importmsg", importMsg("alice", "bob", 1, 1, old, "old"));
        h.call("openim/importmsg", importMsg("alice", "bob", 2, 2, h.clock.seconds() - 10, "new"));
        assertThat(roam("alice", 10, null).get("MsgCnt").asInt()).isEqualTo(1);
        try (SandboxHarness forever = new SandboxHarness("sandbox.roaming-retention-days", "0")) {
            forever.importAccounts("alice", "bob");
            forever.call("openim/importmsg", importMsg("alice", "bob", 1, 1, old, "old"));
            JsonNode all = forever.call("openim/admin_getroammsg", json("{\"Operator_Account\":\"alice\",\"Peer_Account\":\"bob\","
                    + "\"MaxCnt\":10,\"MinTime\":0}").put("MaxTime", forever.clock.seconds()));
            assertThat(all.get("MsgCnt").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aMessageSentWithSyncOtherMachineTwoIsMissingFromTheSendersView() {
        h.call("openim/sendmsg", send("alice", 1, 1, "x").put("SyncOtherMachine", 2));
        assertThat(roam("alice", 10, null).get("MsgCnt").asInt()).isZero();
        JsonNode bobView = h.call("openim/admin_getroammsg", json("{\"Operator_Account\":\"bob\",\"Peer_Account\":\"alice\","
                + "\"MaxCnt\":10,\"MinTime\":0}").put("MaxTime", h.clock.seconds()));
        assertThat(bobView.get("MsgCnt").asInt()).isEqualTo(1);
    }

    @Test
    void adminGetRoamMsgRefusesUnknownAccountsAndBadKeys() {
        assertThat(code(h.call("openim/admin_getroammsg", json("{\"Operator_Account\":\"ghost\",\"Peer_Account\":\"bob\","
                + "\"MaxCnt\":10,\"MinTime\":0,\"MaxTime\":1}")))).isEqualTo(20003);
        h.call("openim/sendmsg", send("alice", 1, 1, "x"));
        assertThat(code(roam("alice", 10, "9_9_9"))).isEqualTo(20001);
    }
}
