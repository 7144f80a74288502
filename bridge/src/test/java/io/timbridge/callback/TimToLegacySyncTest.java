package io.timbridge.callback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbridge.sandbox.AppUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.timbridge.callback.SyncHarness.JSON;
import static io.timbridge.testsupport.TestSandboxes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * App 2.0 users act in the TIM sandbox; its real signed callbacks reach the bridge's real endpoint, and
 * every event must land in the legacy database once, in order, marked as the bridge's.
 */
class TimToLegacySyncTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String[]> PAIRS = List.of(
            new String[] {"u1", "u2"}, new String[] {"u3", "u4"}, new String[] {"u1", "u3"});

    @TempDir
    Path dir;
    SyncHarness h;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        h = new SyncHarness(dir);
        h.importAccounts("u1", "u2", "u3", "u4");
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private int actions;

    /**
     * Checks TIM's answer to an app user's action. Users act one after the other: the test waits until TIM's
     * callbacks so far were answered, as hundreds of simultaneous callbacks on a busy two-core test machine
     * would time out in TIM's 2 s (those are what the gap sweep is for).
     */
    private void ok(ObjectNode answer) {
        assertThat(answer.path("ErrorCode").asInt()).as(answer.toString()).isZero();
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).until(h::callbacksAnswered);
    }

    /** Sends {@code count} C2C messages round-robin over {@link #PAIRS}, alternating the sender; the texts per pair. */
    private Map<String, List<String>> sendC2c(String prefix, int count) {
        Map<String, List<String>> sent = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String[] pair = PAIRS.get(i % PAIRS.size());
            boolean flip = (i / PAIRS.size()) % 2 == 1;
            String from = flip ? pair[1] : pair[0];
            String to = flip ? pair[0] : pair[1];
            String content = prefix + "-" + i;
            ok(h.sandbox.user(from).sendC2c(to, text(content)));
            sent.computeIfAbsent(pair[0] + "|" + pair[1], k -> new ArrayList<>()).add(content);
        }
        return sent;
    }

    @Test
    void everyAppUserEventLandsInLegacyOnceInOrderMarkedAsTheBridges() throws Exception {
        h.startBridge(h.settings());
        AppUser u1 = h.sandbox.user("u1");
        ok(u1.createGroup(JSON.readTree("{\"Type\":\"Public\",\"Name\":\"Team\",\"GroupId\":\"grp-1\","
                + "\"ApplyJoinOption\":\"FreeAccess\",\"MemberList\":[{\"Member_Account\":\"u2\"}]}")));
        ok(h.sandbox.user("u3").joinGroup("grp-1"));
        Map<String, List<String>> c2c = sendC2c("c2c", 300);
        List<String> group = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            String content = "group-" + i;
            ok(h.sandbox.user("u" + (1 + i % 3)).sendGroupMsg("grp-1", text(content)));
            group.add(content);
        }
        ok(u1.modifyGroup(JSON.readTree("{\"GroupId\":\"grp-1\",\"Name\":\"Team 2\",\"Notification\":\"rules\"}")));
        ok(h.sandbox.user("u3").leaveGroup("grp-1"));
        AppUser u4 = h.sandbox.user("u4");
        ok(u4.createGroup(JSON.readTree("{\"Type\":\"Private\",\"Name\":\"Short-lived\",\"GroupId\":\"grp-2\"}")));
        ok(u4.destroyGroup("grp-2"));

        assertThat(h.callbacks("callbacksFailed")).as("every callback answered OK").isZero();
        await().atMost(WAIT).untilAsserted(() -> assertThat(h.inboxCount(CallbackInbox.NEW)).isZero());

        assertThat(h.callbacks("callbacksFired")).isEqualTo(300 + 150 + 6);
        assertThat(h.inboxCount(CallbackInbox.APPLIED)).isEqualTo(h.callbacks("callbacksFired"));
        assertThat(h.inboxCount(CallbackInbox.DEAD)).isZero();
        assertThat(h.legacyC2c()).isEqualTo(c2c);
        assertThat(h.groupTexts("grp-1")).isEqualTo(group);
        Map<String, Object> grp1 = h.legacyRows("SELECT name, notification, owner_id, dismissed_at_ms, bridge_origin"
                + " FROM im_groups WHERE group_id = 'grp-1'").get(0);
        assertThat(grp1).containsEntry("name", "Team 2").containsEntry("notification", "rules")
                .containsEntry("owner_id", "u1").containsEntry("dismissed_at_ms", null);
        assertThat((String) grp1.get("bridge_origin")).startsWith("tim");
        assertThat(h.legacyRows("SELECT user_id, role FROM group_members WHERE group_id = 'grp-1' ORDER BY user_id"))
                .containsExactly(Map.of("user_id", "u1", "role", "owner"), Map.of("user_id", "u2", "role", "member"));
        assertThat(h.legacyCount("SELECT COUNT(*) FROM group_members WHERE group_id = 'grp-2'")).isEqualTo(1);
        assertThat(h.legacyCount("SELECT COUNT(DISTINCT bridge_origin) FROM c2c_messages WHERE bridge_origin LIKE 'tim:%'"))
                .as("each message marked as the bridge's, with its own mark").isEqualTo(300);
        assertThat(h.legacyCount("SELECT COUNT(DISTINCT bridge_origin) FROM group_messages WHERE bridge_origin LIKE 'tim:%'"))
                .isEqualTo(150);
        assertThat(SyncHarness.rows(h.state, "SELECT COUNT(*) AS n FROM tb_id_map WHERE direction = 'L'"
                + " AND kind IN ('c2c_msg', 'group_msg')"))
                .containsExactly(Map.of("n", 450L));
    }

    @Test
    void replayedCallbacksAddNothing() throws Exception {
        h.startBridge(h.settings());
        Map<String, List<String>> c2c = sendC2c("once", 30);
        await().atMost(WAIT).until(() -> h.legacyCount("SELECT COUNT(*) FROM c2c_messages") == 30);
        long storedRows = ((Number) SyncHarness.rows(h.state, "SELECT COUNT(*) AS n FROM tb_callback_inbox").get(0).get("n")).longValue();

        int replayed = 0;
        for (JsonNode entry : h.sandbox.inspect().callbacks()) {
            HttpResponse<String> answer = post(entry.path("Url").asText(), entry.path("Body").toString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(JSON.readTree(answer.body()).path("ActionStatus").asText()).isEqualTo("OK");
            replayed++;
        }

        assertThat(replayed).isEqualTo(30);
        assertThat(((Number) SyncHarness.rows(h.state, "SELECT COUNT(*) AS n FROM tb_callback_inbox").get(0).get("n"))
                .longValue()).isEqualTo(storedRows);
        await().atMost(WAIT).until(() -> h.inboxCount(CallbackInbox.NEW) == 0);
        assertThat(h.legacyC2c()).isEqualTo(c2c);
    }

    /**
     * The state a crash leaves between the legacy insert and the id map: the messages are in the legacy
     * database, but neither the id map nor the inbox says so. The restarted bridge applies them again and
     * adds no second row.
     */
    @Test
    void callbacksAppliedAgainAfterACrashBeforeTheIdMapAddNoSecondRow() throws Exception {
        h.startBridge(h.settings());
        ok(h.sandbox.user("u1").createGroup(JSON.readTree("{\"Type\":\"Public\",\"Name\":\"Team\","
                + "\"GroupId\":\"grp-c\",\"MemberList\":[{\"Member_Account\":\"u2\"}]}")));
        Map<String, List<String>> c2c = sendC2c("crash", 30);
        for (int i = 0; i < 10; i++) {
            ok(h.sandbox.user("u" + (1 + i % 2)).sendGroupMsg("grp-c", text("group-" + i)));
        }
        await().atMost(WAIT).until(() -> h.legacyCount("SELECT COUNT(*) FROM group_messages") == 10
                && h.inboxCount(CallbackInbox.NEW) == 0);
        assertThat(h.legacyC2c()).isEqualTo(c2c);
        h.stopBridge();

        try (var c = h.state.getConnection(); var st = c.createStatement()) {
            assertThat(st.executeUpdate("DELETE FROM tb_id_map WHERE direction = 'L'"
                    + " AND kind IN ('c2c_msg', 'group_msg')")).isEqualTo(40);
            assertThat(st.executeUpdate("UPDATE tb_callback_inbox SET status = 'NEW', done_at = NULL"
                    + " WHERE status = 'APPLIED'")).isGreaterThanOrEqualTo(40);
        }
        h.startBridge(h.settings());
        await().atMost(WAIT).until(() -> h.inboxCount(CallbackInbox.NEW) == 0);

        assertThat(h.legacyC2c()).isEqualTo(c2c);
        assertThat(h.groupTexts("grp-c")).containsExactly(
                "group-0", "group-1", "group-2", "group-3", "group-4", "group-5", "group-6", "group-7", "group-8", "group-9");
        assertThat(SyncHarness.rows(h.state, "SELECT COUNT(*) AS n FROM tb_id_map WHERE direction = 'L'"
                + " AND kind IN ('c2c_msg', 'group_msg')"))
                .as("the id map learns the rows found written").containsExactly(Map.of("n", 40L));
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String url(String appId, String command, long requestTime, String sign) {
        return "http://127.0.0.1:" + h.bridgePort + "/tim/callback?SdkAppid=" + appId + "&CallbackCommand=" + command
                + "&contenttype=json&ClientIP=127.0.0.1&OptPlatform=Android&RequestTime=" + requestTime + "&Sign=" + sign;
    }

    private static String sign(String token, long requestTime) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest((token + requestTime).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void badRequestsAreRefusedAndSqlLookingTextIsStoredVerbatim() throws Exception {
        h.startBridge(h.settings());
        long now = System.currentTimeMillis() / 1000;
        String command = "C2C.CallbackAfterSendMsg";
        String good = "{\"CallbackCommand\":\"C2C.CallbackAfterSendMsg\",\"From_Account\":\"u1\",\"To_Account\":\"u2\","
                + "\"MsgSeq\":1,\"MsgRandom\":2,\"MsgTime\":" + now + ",\"MsgKey\":\"1_2_" + now + "\",\"SendMsgResult\":0,"
                + "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"forged\"}}]}";
        String signed = url(SyncHarness.APP_ID, command, now, sign(SyncHarness.TOKEN, now));

        assertThat(post(url(SyncHarness.APP_ID, command, now, sign("not-the-token", now)), good).statusCode())
                .as("bad Sign").isEqualTo(401);
        assertThat(post(url(SyncHarness.APP_ID, command, now - 120, sign(SyncHarness.TOKEN, now - 120)), good).statusCode())
                .as("stale RequestTime").isEqualTo(401);
        assertThat(post(url("1400000001", command, now, sign(SyncHarness.TOKEN, now)), good).statusCode())
                .as("wrong SdkAppid").isEqualTo(403);
        assertThat(post(signed, "{\"CallbackCommand\":").statusCode()).as("malformed JSON").isEqualTo(400);
        assertThat(post(url(SyncHarness.APP_ID, "Sns.CallbackFriendAdd", now, sign(SyncHarness.TOKEN, now)),
                "{\"CallbackCommand\":\"Sns.CallbackFriendAdd\"}").statusCode()).as("unknown command").isEqualTo(400);
        assertThat(post(signed, good.replace("forged", "x".repeat(2_000_000))).statusCode()).as("huge body").isEqualTo(413);
        assertThat(SyncHarness.rows(h.state, "SELECT COUNT(*) AS n FROM tb_callback_inbox")).containsExactly(Map.of("n", 0L));

        String sqlText = "x'); DROP TABLE c2c_messages; -- :#content ${body} \" OR 1=1";
        ok(h.sandbox.user("u1").sendC2c("u2", text(sqlText)));
        await().atMost(WAIT).until(() -> h.legacyCount("SELECT COUNT(*) FROM c2c_messages") == 1);
        assertThat(h.legacyRows("SELECT content FROM c2c_messages")).containsExactly(Map.of("content", sqlText));
        assertThat(SyncHarness.rows(h.state, "SELECT COUNT(*) AS n FROM tb_callback_inbox")).containsExactly(Map.of("n", 1L));
    }

    @Test
    void whileTheLegacyDatabaseIsDownCallbacksFillTheInboxAndArriveInOrderAfterItRecovers() throws Exception {
        h.startBridge(h.settings());
        Map<String, List<String>> before = sendC2c("before", 6);
        await().atMost(WAIT).until(() -> h.legacyCount("SELECT COUNT(*) FROM c2c_messages") == 6);

        h.stopLegacy();
        Map<String, List<String>> during = sendC2c("during", 150);
        await().atMost(WAIT).until(h::callbacksAnswered);
        assertThat(h.callbacks("callbacksFailed")).as("answered OK while the legacy database is down").isZero();
        await().atMost(WAIT).untilAsserted(() -> assertThat(h.inboxCount(CallbackInbox.NEW)).isEqualTo(150));
        h.restartLegacy();

        // The circuit breaker lets a write through again after its open time; the pool drops the dead connections.
        await().atMost(WAIT).untilAsserted(() -> assertThat(h.inboxCount(CallbackInbox.NEW)).isZero());
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (Map<String, List<String>> part : List.of(before, during)) {
            part.forEach((pair, texts) -> expected.computeIfAbsent(pair, k -> new ArrayList<>()).addAll(texts));
        }
        assertThat(h.legacyC2c()).isEqualTo(expected);
        assertThat(h.inboxCount(CallbackInbox.DEAD)).isZero();
    }

    @Test
    void theSweepRepairsCallbacksLostWhileTheBridgeWasDown() throws Exception {
        Map<String, String> settings = h.settings();
        h.startBridge(settings);
        AppUser u1 = h.sandbox.user("u1");
        ok(u1.createGroup(JSON.readTree("{\"Type\":\"Public\",\"Name\":\"Team\",\"GroupId\":\"grp-s\","
                + "\"MemberList\":[{\"Member_Account\":\"u2\"}]}")));
        List<String> group = new ArrayList<>();
        Map<String, List<String>> c2c = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            ok(u1.sendC2c("u2", text("up-" + i)));
            ok(u1.sendGroupMsg("grp-s", text("group-up-" + i)));
            c2c.computeIfAbsent("u1|u2", k -> new ArrayList<>()).add("up-" + i);
            group.add("group-up-" + i);
        }
        await().atMost(WAIT).until(() -> h.legacyCount("SELECT COUNT(*) FROM group_messages") == 3
                && h.legacyCount("SELECT COUNT(*) FROM c2c_messages") == 3);
        h.stopBridge();

        for (int i = 0; i < 25; i++) {
            ok(h.sandbox.user("u2").sendC2c("u1", text("down-" + i)));
            ok(h.sandbox.user("u2").sendGroupMsg("grp-s", text("group-down-" + i)));
            c2c.get("u1|u2").add("down-" + i);
            group.add("group-down-" + i);
        }
        await().atMost(WAIT).until(() -> h.callbacks("callbacksFailed") == 50);

        settings.put("bridge.callback.sweep.initial-delay-ms", "200");
        settings.put("bridge.callback.sweep.delay-ms", "500");
        h.startBridge(settings);
        await().atMost(WAIT).until(() -> h.legacyCount("SELECT COUNT(*) FROM group_messages") == 28
                && h.legacyCount("SELECT COUNT(*) FROM c2c_messages") == 28);
        long sweeps = h.sandbox.inspect().counts().path("requests").path("group_msg_get_simple").asLong();
        await().atMost(WAIT).until(() -> h.sandbox.inspect().counts().path("requests").path("group_msg_get_simple")
                .asLong() >= sweeps + 2 && h.inboxCount(CallbackInbox.NEW) == 0);

        assertThat(h.legacyC2c()).isEqualTo(c2c);
        assertThat(h.groupTexts("grp-s")).isEqualTo(group);
    }

    @Test
    void aBodyTheLegacySchemaCannotHoldIsADeadLetterAndItsConversationGoesOn() throws Exception {
        h.startBridge(h.settings());
        AppUser u1 = h.sandbox.user("u1");
        ok(u1.sendC2c("u2", text("before")));
        ObjectNode location = JSON.createObjectNode().put("MsgType", "TIMLocationElem");
        location.putObject("MsgContent").put("Desc", "here").put("Latitude", 1.5).put("Longitude", 2.5);
        ObjectNode face = JSON.createObjectNode().put("MsgType", "TIMFaceElem");
        face.putObject("MsgContent").put("Index", 1).put("Data", "smile");
        ObjectNode twoElements = u1.sendC2c("u2", JSON.createArrayNode().add(location).add(face));
        ok(twoElements);
        ok(u1.sendC2c("u2", text("after")));

        await().atMost(WAIT).untilAsserted(() -> assertThat(h.inboxCount(CallbackInbox.NEW)).isZero());
        assertThat(h.legacyC2c()).isEqualTo(Map.of("u1|u2", List.of("before", "after")));
        assertThat(h.inboxCount(CallbackInbox.DEAD)).isEqualTo(1);
        var dead = SyncHarness.rows(h.state,
                "SELECT route_id, item_key, reason, CAST(payload AS VARCHAR(100000)) AS payload FROM tb_dead_letter");
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0)).containsEntry("route_id", "callback-c2c-after-send-msg")
                .containsEntry("item_key", twoElements.path("MsgKey").asText());
        assertThat((String) dead.get(0).get("reason")).isNotBlank();
        assertThat(String.valueOf(dead.get(0).get("payload"))).contains("TIMLocationElem");
    }
}
