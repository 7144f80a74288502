package io.timbridge.callback;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbridge.Timbridge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.timbridge.callback.SyncHarness.JSON;
import static io.timbridge.testsupport.TestSandboxes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kill -9} of the bridge while it drains the callback inbox into the legacy database, then the same
 * {@code sync} command again: every message app 2.0 users sent is in the legacy database exactly once, in
 * order per conversation, none is a dead letter and none comes back to TIM.
 *
 * <p>The bridge runs as a child JVM. The sandbox (which sends the real signed callbacks), the legacy H2
 * database (served over TCP, so it can be stopped) and the state H2 database (AUTO_SERVER, opened by this JVM
 * first so that this JVM serves the file) live in this test and survive the kills. The scenario:
 * <ol>
 * <li>The legacy server is stopped while app users send a few hundred one-to-one messages over four pairs and
 * a group's messages: every callback is answered OK from the durable inbox and waits there, the drain held
 * by the circuit breaker.</li>
 * <li>That bridge is killed while holding, and the legacy server started again. (A bridge that lives through
 * the H2 restart went on failing for over a minute after it: its pooled connections, closed by the restart,
 * fail with H2 error 90121, an SQLState Hikari does not take for a broken connection, so it keeps handing
 * them out; {@code TimToLegacySyncTest} allows minutes for that. A fresh process drains at once.)</li>
 * <li>A second bridge drains the inbox, in small batches on two lanes, and is killed once some but not all of
 * the messages are in the legacy database. The kill lands somewhere in a callback's writes: before its legacy
 * insert, between the insert and its id map entry, or between that and marking the inbox row APPLIED (the
 * test prints the counts it left).</li>
 * <li>A third bridge applies every row still NEW: it finds the messages written already by the id map or by
 * their {@code bridge_origin} mark and inserts only the missing ones.</li>
 * </ol>
 *
 * <p>What it does not prove: a kill of the process that serves the state database itself (the inbox's own
 * durability then rests on {@code WRITE_DELAY=0} in the state URL, as the default configuration has it), and
 * callbacks TIM sends while the bridge is down (TIM does not retry them; the gap sweep repairs those).
 */
class TimToLegacyCrashTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String[]> PAIRS = List.of(
            new String[] {"u1", "u2"}, new String[] {"u3", "u4"}, new String[] {"u1", "u3"}, new String[] {"u2", "u4"});
    private static final String GROUP = "grp-k";
    private static final int MESSAGES = 320;

    @TempDir
    Path dir;

    private SyncHarness h;
    private Process bridge;
    private Connection stateHost;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() throws Exception {
        if (bridge != null) {
            bridge.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (stateHost != null) {
            stateHost.close();
        }
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aBridgeKilledWhileDrainingTheInboxAndStartedAgainWritesEveryMessageOnceAndInOrder() throws Exception {
        h = new SyncHarness(dir);
        h.importAccounts("u1", "u2", "u3", "u4");
        stateHost = h.state.getConnection();
        Map<String, String> settings = h.settings();
        // Small batches on two lanes: the drain of a few hundred messages takes long enough to be killed in.
        settings.put("bridge.callback.lanes", "2");
        settings.put("bridge.callback.drain.batch-size", "20");
        bridge = start(settings, "first.log");
        awaitEndpoint("first.log");

        ok(h.sandbox.user("u1").createGroup(JSON.readTree("{\"Type\":\"Public\",\"Name\":\"Team\",\"GroupId\":\""
                + GROUP + "\",\"MemberList\":[{\"Member_Account\":\"u2\"},{\"Member_Account\":\"u3\"}]}")));
        await().atMost(WAIT).until(() -> h.legacyCount("SELECT COUNT(*) FROM im_groups WHERE group_id = '" + GROUP + "'") == 1
                && h.inboxCount(CallbackInbox.NEW) == 0);

        h.stopLegacy();
        Map<String, List<String>> c2c = new LinkedHashMap<>();
        List<String> group = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            if (i % 4 == 3) {
                String content = "group-" + i;
                ok(h.sandbox.user("u" + (1 + i % 3)).sendGroupMsg(GROUP, text(content)));
                group.add(content);
            } else {
                String[] pair = PAIRS.get(i % PAIRS.size());
                boolean flip = (i / PAIRS.size()) % 2 == 1;
                String content = "c2c-" + i;
                ok(h.sandbox.user(flip ? pair[1] : pair[0]).sendC2c(flip ? pair[0] : pair[1], text(content)));
                c2c.computeIfAbsent(pair[0] + "|" + pair[1], k -> new ArrayList<>()).add(content);
            }
        }
        assertThat(h.callbacks("callbacksFailed")).as("every callback answered OK while the legacy database is down")
                .isZero();
        assertThat(h.inboxCount(CallbackInbox.NEW)).as("every message waits in the inbox").isEqualTo(MESSAGES);

        // Killed while its drain is held; a fresh process drains after the outage (see the class comment).
        assertThat(bridge.isAlive()).as("the bridge holds the drain while the legacy database is down\n%s",
                log("first.log")).isTrue();
        kill();
        h.restartLegacy();

        bridge = start(settings, "second.log");
        long written;
        try (Connection legacy = h.legacy.getConnection(); PreparedStatement st = legacy.prepareStatement(
                "SELECT (SELECT COUNT(*) FROM c2c_messages) + (SELECT COUNT(*) FROM group_messages)")) {
            await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                    .until(() -> single(st) >= MESSAGES / 4 || !bridge.isAlive());
            assertThat(bridge.isAlive()).as("the bridge is still running when it is killed\n%s", log("second.log"))
                    .isTrue();
            kill();
            written = single(st);
        }
        long mapped = stateCount("SELECT COUNT(*) FROM tb_id_map WHERE direction = 'L'");
        long applied = stateCount("SELECT COUNT(*) FROM tb_callback_inbox WHERE status = 'APPLIED'"
                + " AND command IN ('C2C.CallbackAfterSendMsg', 'Group.CallbackAfterSendMsg')");
        System.out.printf("Killed mid-drain: %d of %d messages written, %d in the id map, %d marked applied%n",
                written, MESSAGES, mapped, applied);
        assertThat(written).as("killed mid-drain: some but not all messages written").isBetween(1L, MESSAGES - 1L);
        assertThat(h.inboxCount(CallbackInbox.NEW)).as("callbacks left for the restarted bridge").isPositive();

        bridge = start(settings, "third.log");
        await().atMost(WAIT).untilAsserted(() -> assertThat(h.inboxCount(CallbackInbox.NEW))
                .as("inbox drained after the restart\n%s", log("third.log")).isZero());

        assertThat(h.legacyC2c()).isEqualTo(c2c);
        assertThat(h.groupTexts(GROUP)).isEqualTo(group);
        assertThat(h.legacyCount("SELECT COUNT(DISTINCT bridge_origin) FROM c2c_messages WHERE bridge_origin LIKE 'tim:%'")
                + h.legacyCount("SELECT COUNT(DISTINCT bridge_origin) FROM group_messages WHERE bridge_origin LIKE 'tim:%'"))
                .as("each message written once, with its own mark").isEqualTo(MESSAGES);
        assertThat(h.inboxCount(CallbackInbox.DEAD)).isZero();
        assertThat(stateCount("SELECT COUNT(*) FROM tb_dead_letter")).isZero();
        assertThat(h.inboxCount(CallbackInbox.APPLIED)).isEqualTo(h.callbacks("callbacksFired"));
        assertThat(stateCount("SELECT COUNT(*) FROM tb_id_map WHERE direction = 'L' AND kind IN ('c2c_msg', 'group_msg')"))
                .as("the id map knows every message, also those found written after the kill").isEqualTo(MESSAGES);
        ObjectNode tim = h.sandbox.inspect().counts();
        assertThat(tim.path("c2cMessages").asLong() + tim.path("groupMessages").asLong())
                .as("no message came back to TIM as an echo: %s", tim).isEqualTo(MESSAGES);
        assertThat(tim.path("requests").path("importmsg").asLong() + tim.path("requests").path("send_group_msg").asLong())
                .as("no legacy -> TIM send: %s", tim).isZero();
    }

    /** Starts {@code sync} in a child JVM with {@code settings}, its output in {@code log}. */
    private Process start(Map<String, String> settings, String log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Timbridge.class.getName(), "sync"));
        settings.forEach((k, v) -> cmd.add("--" + k + "=" + v));
        return new ProcessBuilder(cmd).directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
    }

    /** Waits until the bridge's callback endpoint answers (a refused warm-up request, so TIM's callbacks meet warm code). */
    private void awaitEndpoint(String log) {
        HttpRequest warmUp = HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + h.bridgePort + "/tim/callback?SdkAppid=0&CallbackCommand=warm-up"))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
            assertThat(bridge.isAlive()).as("the bridge started\n%s", log(log)).isTrue();
            return http.send(warmUp, HttpResponse.BodyHandlers.discarding()).statusCode() == 403;
        });
    }

    /** {@code kill -9}. */
    private void kill() throws InterruptedException {
        bridge.destroyForcibly();
        assertThat(bridge.waitFor(30, TimeUnit.SECONDS)).as("the bridge ended").isTrue();
    }

    /**
     * Checks TIM's answer to an app user's action and waits until its callbacks were answered (one user after
     * the other, as in {@link TimToLegacySyncTest}).
     */
    private void ok(ObjectNode answer) {
        assertThat(answer.path("ErrorCode").asInt()).as(answer.toString()).isZero();
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).until(h::callbacksAnswered);
    }

    private long stateCount(String sql) throws SQLException {
        return ((Number) SyncHarness.rows(h.state, sql).get(0).values().iterator().next()).longValue();
    }

    private static long single(PreparedStatement st) throws SQLException {
        try (ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String log(String name) {
        try {
            String log = Files.readString(dir.resolve(name));
            return log.length() <= 20_000 ? log : "..." + log.substring(log.length() - 20_000);
        } catch (IOException e) {
            return "(no " + name + ": " + e + ")";
        }
    }
}
