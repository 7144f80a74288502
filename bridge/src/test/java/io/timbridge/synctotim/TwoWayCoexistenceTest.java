package io.timbridge.synctotim;

import com.fasterxml.jackson.databind.JsonNode;
import io.timbridge.state.DeadLetters;
import io.timbridge.testsupport.TestDatabases.Kind;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.timbridge.testsupport.TestSandboxes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Both directions at once, thousands of messages: app 1.0 writes legacy rows (to TIM by the pollers) while app 2.0
 * users send in TIM through the sandbox (back to legacy by signed callbacks), in the same conversations and groups.
 * Every message must end up on both sides exactly once, in its side's order, and nothing the bridge wrote on one
 * side may come back to the other.
 */
class TwoWayCoexistenceTest {
    /** Messages each of the four writers sends per direction, one-to-one and in its group: 4 × 2 × 250 each way. */
    private static final int PER_WRITER = 250;

    @AutoClose
    private SyncHarness harness;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void thousandsOfMessagesEachWayArriveOnceInOrderWithNoEcho(Kind kind) throws Exception {
        harness = SyncHarness.twoWay(kind).importSample();
        // The sandbox posts callbacks from two threads while thousands a second cross on two shared cores, so one
        // can reach the bridge well after the next; the drain orders what arrives within its settle time.
        harness.settings.put("bridge.callback.drain.settle-ms", "2000");
        long c2cBefore = harness.count("c2cMessages");
        long groupBefore = harness.count("groupMessages");
        long importmsgBefore = harness.requests("importmsg");
        harness.startSync();

        ExecutorService timApp = Executors.newFixedThreadPool(4);
        List<Future<?>> sent = new ArrayList<>();
        try {
            for (int w = 0; w < 4; w++) {
                String[] pair = SyncHarness.PAIRS.get(w);
                String group = SyncHarness.GROUPS.get(w);
                String member = SyncHarness.USERS.get(w + 1);
                sent.add(timApp.submit(() -> {
                    for (int i = 0; i < PER_WRITER; i++) {
                        ok(harness.sandbox.user(pair[1]).sendC2c(pair[0], text(fromTim(pair[1], i))));
                        ok(harness.sandbox.user(member).sendGroupMsg(group, text(fromTim(group, i))));
                    }
                    return null;
                }));
            }
            harness.appWrites(PER_WRITER, "app 1.0");
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            timApp.shutdown();
        }

        long eachWay = 4L * 2 * PER_WRITER;
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(harness.count("c2cMessages") + harness.count("groupMessages"))
                    .isEqualTo(c2cBefore + groupBefore + 2 * eachWay);
            assertThat(legacyFromTim()).isEqualTo(eachWay);
        });
        // A little longer: an echo would arrive after the messages it echoes.
        Thread.sleep(3000);

        assertThat(harness.count("c2cMessages")).as("TIM one-to-one: imported, app 1.0's and app 2.0's, none twice")
                .isEqualTo(c2cBefore + 2L * 4 * PER_WRITER);
        assertThat(harness.count("groupMessages")).as("TIM groups: imported, app 1.0's and app 2.0's, none twice")
                .isEqualTo(groupBefore + 2L * 4 * PER_WRITER);
        assertThat(harness.requests("importmsg") - importmsgBefore)
                .as("one importmsg per app 1.0 message, none for a row the bridge wrote from a callback")
                .isEqualTo(4L * PER_WRITER);
        assertThat(harness.requests("send_group_msg")).isEqualTo(4L * PER_WRITER);
        for (int w = 0; w < 4; w++) {
            String[] pair = SyncHarness.PAIRS.get(w);
            String group = SyncHarness.GROUPS.get(w);
            assertThat(harness.c2cMarkers(pair[0], pair[1])).as("TIM conversation %s-%s: app 1.0's rows in legacy order",
                    pair[0], pair[1]).isEqualTo(harness.legacyC2cIds(pair));
            assertThat(harness.groupMarkers(group)).as("TIM group %s: app 1.0's rows in legacy order", group)
                    .isEqualTo(harness.legacyLiveGroupIds(group));
            assertThat(harness.groupMessageCount(group)).as("TIM group %s: history, app 1.0's and app 2.0's", group)
                    .isEqualTo(5 + 2L * PER_WRITER);
        }

        assertThat(legacyFromTim()).as("legacy: app 2.0's messages, none twice, no app 1.0 message echoed back")
                .isEqualTo(eachWay);
        for (int w = 0; w < 4; w++) {
            String[] pair = SyncHarness.PAIRS.get(w);
            String group = SyncHarness.GROUPS.get(w);
            assertThat(harness.app.texts("SELECT content FROM c2c_messages WHERE bridge_origin IS NOT NULL"
                    + " AND sender_id = ? AND receiver_id = ? ORDER BY id", pair[1], pair[0]))
                    .as("legacy conversation %s-%s: app 2.0's messages in send order", pair[1], pair[0])
                    .isEqualTo(expected(pair[1]));
            assertThat(harness.app.texts("SELECT content FROM group_messages WHERE bridge_origin IS NOT NULL"
                    + " AND group_id = ? ORDER BY id", group))
                    .as("legacy group %s: app 2.0's messages in send order", group)
                    .isEqualTo(expected(group));
        }
        assertThat(harness.deadLetters().list(DeadLetters.OPEN, null, 100)).isEmpty();
    }

    private long legacyFromTim() throws Exception {
        return harness.app.ids("SELECT COUNT(*) FROM c2c_messages WHERE bridge_origin IS NOT NULL").get(0)
                + harness.app.ids("SELECT COUNT(*) FROM group_messages WHERE bridge_origin IS NOT NULL").get(0);
    }

    private static List<String> expected(String conversation) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < PER_WRITER; i++) {
            texts.add(fromTim(conversation, i));
        }
        return texts;
    }

    private static String fromTim(String conversation, int i) {
        return "app 2.0 " + conversation + " " + i;
    }


    private static void ok(JsonNode answer) {
        assertThat(answer.path("ErrorCode").asInt()).as(answer.toString()).isZero();
    }
}
