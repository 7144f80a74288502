package io.timbridge.synctotim;

import com.fasterxml.jackson.databind.JsonNode;
import io.timbridge.sandbox.FaultSpec;
import io.timbridge.state.DeadLetters;
import io.timbridge.testsupport.TestDatabases.Kind;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Coexistence, legacy side → TIM: an app 1.0 backend writes into the legacy database while the real
 * {@code sync} command runs against the TIM sandbox; what arrives in TIM is compared message by message.
 */
class SyncToTimCoexistenceTest {
    @AutoClose
    private SyncHarness harness;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyAppMessageReachesTimOnceAndInOrderAndTheBridgesOwnRowsNever(Kind kind) throws Exception {
        harness = new SyncHarness(kind).importSample();
        long c2cBefore = harness.count("c2cMessages");
        long groupBefore = harness.count("groupMessages");
        harness.startSync();

        harness.appWrites(100, "live");
        for (int i = 0; i < 20; i++) {
            harness.app.c2c("u00", "u04", "from TIM " + i, "tim");
            harness.app.groupMessage("g0", "u01", "from TIM " + i, "tim");
        }
        harness.appWrites(25, "more");

        harness.awaitEverythingInTim(c2cBefore + 4 * 125, groupBefore + 4 * 125);
        harness.assertExactlyTheLegacyMessagesInOrder();
        assertThat(harness.requests("importmsg")).as("one importmsg per app message, none for the bridge's rows")
                .isEqualTo(c2cBefore + 4 * 125);
        assertThat(harness.requests("send_group_msg")).isEqualTo(4 * 125);
        JsonNode u04 = harness.sandbox.inspect().c2c("u00", "u04");
        assertThat(u04.path("MsgList").findValuesAsText("Source")).contains("importmsg-5");
        assertThat(harness.deadLetters().list(DeadLetters.OPEN, null, 100)).isEmpty();
    }

    /**
     * A group dismissed before the cut-over (the import left it out) and a group the import refused (a name TIM
     * cannot take), both with history: their live messages cost no TIM call; the refused group's is a dead letter
     * at once, naming why, and neither holds a lane while the other groups' messages go on.
     */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"H2", "MARIADB"})
    void dismissedAndRefusedGroupsGetNoTimCallAndHoldNoLane(Kind kind) throws Exception {
        harness = new SyncHarness(kind);
        LegacyApp app = harness.app;
        for (String u : SyncHarness.USERS) {
            app.user(u);
        }
        for (String[] g : List.of(new String[]{"g0", "Team"}, new String[]{"gx", "Gone"},
                new String[]{"gbad", "N".repeat(40)})) {
            app.group(g[0], "u00", g[1]);
            app.member(g[0], "u01");
            for (int i = 0; i < 3; i++) {
                app.groupMessage(g[0], "u01", "history " + i);
            }
        }
        app.dismiss("gx");
        // The cut-over starts here: the changes so far are the import's to carry.
        app.execute("DELETE FROM bridge_changelog");
        int code = io.timbridge.Timbridge.runJob(io.timbridge.Timbridge.newMain(io.timbridge.config.Command.IMPORT,
                harness.settings), io.timbridge.config.Command.IMPORT, java.util.Map.of());
        assertThat(code).as("gbad is refused").isEqualTo(3);
        assertThat(harness.deadLetters().isOpen("import-groups", "gbad")).isTrue();
        long sends = harness.requests("send_group_msg");
        harness.startSync();

        app.groupMessage("gx", "u01", "to a dismissed group");
        app.groupMessage("gbad", "u01", "to a refused group");
        app.groupMessage("g0", "u01", "live");
        long live = app.ids("SELECT id FROM group_messages WHERE content LIKE '%to a refused group%'").get(0);

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(harness.groupMarkers("g0")).hasSize(1);
            assertThat(harness.deadLetters().list(DeadLetters.OPEN, "sync-group-messages-to-tim", 10))
                    .singleElement().satisfies(d -> {
                        assertThat(d.itemKey()).isEqualTo(String.valueOf(live));
                        assertThat(d.reason()).contains("group gbad is not in TIM", "import-groups");
                    });
        });
        assertThat(harness.requests("send_group_msg") - sends).as("only g0's live message was sent").isEqualTo(1);
        assertThat(harness.groupMessageCount("gx")).isZero();
        assertThat(harness.groupMessageCount("gbad")).isZero();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void groupsCreatedRenamedDismissedJoinedAndLeftInLegacyFollowInTim(Kind kind) throws Exception {
        harness = new SyncHarness(kind).importSample();
        harness.startSync();

        harness.app.group("n1", "u01", "New team");
        harness.app.member("n1", "u02");
        harness.app.member("n1", "u03");
        harness.app.rename("n1", "Renamed team", "what we do");
        harness.app.member("n1", "u09");
        harness.app.leave("n1", "u02");
        harness.app.member("g1", "u11");
        harness.app.leave("g1", "u03");
        harness.app.dismiss("g3");
        harness.app.groupMessage("n1", "u09", "hello new team");
        // What the bridge itself wrote from TIM's callbacks: marked, and never sent back.
        harness.app.execute("INSERT INTO im_groups (group_id, owner_id, group_type, name, created_at_ms, updated_at_ms,"
                + " bridge_origin) VALUES ('fromtim', 'u05', 'work', 'Made in TIM', 1, 1, 'tim')");
        harness.app.execute("INSERT INTO group_members (group_id, user_id, role, joined_at_ms, bridge_origin)"
                + " VALUES ('g2', 'u11', 'member', 1, 'tim')");
        harness.app.member("g0", "u10");

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            JsonNode n1 = harness.sandbox.inspect().group("n1");
            assertThat(n1).isNotNull();
            assertThat(n1.path("Name").asText()).isEqualTo("Renamed team");
            assertThat(n1.path("Introduction").asText()).isEqualTo("what we do");
            assertThat(n1.path("Owner_Account").asText()).isEqualTo("u01");
            assertThat(n1.path("MemberList").findValuesAsText("Member_Account"))
                    .containsExactlyInAnyOrder("u01", "u03", "u09");
            assertThat(harness.sandbox.inspect().group("g1").path("MemberList").findValuesAsText("Member_Account"))
                    .contains("u11").doesNotContain("u03");
            assertThat(harness.sandbox.inspect().group("g3")).isNull();
            assertThat(harness.groupMarkers("n1")).hasSize(1);
            assertThat(harness.sandbox.inspect().group("g0").path("MemberList").findValuesAsText("Member_Account"))
                    .contains("u10");
        });
        assertThat(harness.sandbox.inspect().group("fromtim")).isNull();
        assertThat(harness.sandbox.inspect().group("g2").path("MemberList").findValuesAsText("Member_Account"))
                .doesNotContain("u11");
        assertThat(harness.deadLetters().list(DeadLetters.OPEN, null, 100)).isEmpty();
    }

    /**
     * The purge deletes change-log entries TIM has once they are old enough, and keeps the ones still on
     * their way: here a rename TIM keeps failing holds its entry (and everything after it) in the log.
     */
    @Test
    void theChangeLogIsPurgedOfWhatTimHasAndKeepsWhatIsStillOnItsWay() throws Exception {
        harness = new SyncHarness(Kind.H2).importSample();
        harness.settings.put("bridge.sync.changelog.purge-interval-ms", "200");
        harness.settings.put("bridge.sync.changelog.retention-ms", "1");
        harness.sandbox.faults().set("modify_group_base_info", FaultSpec.http5xx(502, 1.0, false));
        harness.startSync();

        harness.app.group("p1", "u01", "Purged team");
        harness.app.member("p1", "u02");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            JsonNode p1 = harness.sandbox.inspect().group("p1");
            assertThat(p1).isNotNull();
            assertThat(p1.path("MemberList").findValuesAsText("Member_Account")).containsExactlyInAnyOrder("u01", "u02");
        });
        List<Long> sent = harness.app.ids("SELECT id FROM bridge_changelog ORDER BY id");
        harness.app.rename("p1", "Renamed", "held by TIM");
        harness.app.member("p1", "u03");
        List<Long> waiting = harness.app.ids("SELECT id FROM bridge_changelog WHERE id > ? ORDER BY id",
                sent.get(sent.size() - 1));
        assertThat(waiting).hasSize(2);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(harness.app.ids("SELECT id FROM bridge_changelog ORDER BY id")).isEqualTo(waiting));
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(harness.app.ids("SELECT id FROM bridge_changelog ORDER BY id")).isEqualTo(waiting));

        harness.sandbox.faults().clearAll();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            JsonNode p1 = harness.sandbox.inspect().group("p1");
            assertThat(p1.path("Name").asText()).isEqualTo("Renamed");
            assertThat(p1.path("MemberList").findValuesAsText("Member_Account")).contains("u03");
            assertThat(harness.app.ids("SELECT id FROM bridge_changelog")).isEmpty();
        });
    }

    @Test
    void aRowTimCannotTakeIsADeadLetterWithItsReasonAndItsConversationGoesOn() throws Exception {
        harness = new SyncHarness(Kind.H2).importSample();
        harness.startSync();

        harness.app.c2c("u00", "u04", "before");
        harness.app.execute("INSERT INTO c2c_messages (sender_id, receiver_id, msg_type, content, created_at_ms)"
                + " VALUES ('u00', 'u04', 'hologram', '{}', " + harness.app.now() + ")");
        harness.app.execute("INSERT INTO group_messages (group_id, sender_id, msg_type, content, created_at_ms)"
                + " VALUES ('g0', 'u01', 'text', '" + "x".repeat(9000) + "', " + harness.app.now() + ")");
        harness.app.c2c("u04", "u00", "after");
        harness.app.groupMessage("g0", "u01", "after");

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            // three imported history messages, then "before" and "after"
            assertThat(harness.c2cMarkers("u00", "u04")).hasSize(3 + 2);
            assertThat(harness.groupMarkers("g0")).hasSize(1);
        });
        List<DeadLetters.DeadLetter> dead = harness.deadLetters().list(DeadLetters.OPEN, null, 100);
        assertThat(dead).extracting(DeadLetters.DeadLetter::routeId)
                .containsExactlyInAnyOrder("sync-c2c-messages-to-tim", "sync-group-messages-to-tim");
        assertThat(dead).extracting(DeadLetters.DeadLetter::reason)
                .anySatisfy(r -> assertThat(r).contains("hologram"))
                .anySatisfy(r -> assertThat(r).contains("8000"));
    }

    @Test
    void aGroupWhoseHistoryImportIsUnfinishedHoldsItsLiveMessagesUntilItFinishes() throws Exception {
        harness = new SyncHarness(Kind.H2).importSample();
        // The history import is at group g1: g0 is done, g1 (still at it), g2 and g3 are not.
        harness.checkpoints().advance("import-group-history", "", "[\"g1\",0,0]", 0);
        harness.startSync();

        harness.appWrites(20, "live");

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(harness.groupMarkers("g0")).isEqualTo(harness.legacyLiveGroupIds("g0")));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (String held : List.of("g1", "g2", "g3")) {
                assertThat(harness.groupMessageCount(held)).as("group %s holds its live messages", held).isEqualTo(5);
            }
        });

        harness.checkpoints().finish("import-group-history", "", "[\"g3\",0,0]");
        harness.awaitEverythingInTim(10 + 4 * 20, 4 * 5 + 4 * 20);
        harness.assertExactlyTheLegacyMessagesInOrder();
    }

    @Test
    void aSyncStoppedMidStreamAndStartedAgainSendsNothingTwice() throws Exception {
        harness = new SyncHarness(Kind.H2).importSample();
        long c2cBefore = harness.count("c2cMessages");
        harness.settings.put("camel.main.shutdown-timeout", "1");
        harness.sandbox.faults().set("importmsg", FaultSpec.slow(50, 1.0));
        harness.sandbox.faults().set("send_group_msg", FaultSpec.slow(50, 1.0));
        harness.startSync();
        harness.appWrites(60, "live");

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> harness.requests("send_group_msg") >= 40);
        harness.stopSync();
        long[] lastSeen = {-1};
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
            long n = harness.requests("send_group_msg") + harness.requests("importmsg");
            boolean quiet = n == lastSeen[0];
            lastSeen[0] = n;
            return quiet;
        });
        long sentBeforeRestart = harness.requests("send_group_msg");
        assertThat(sentBeforeRestart).as("stopped mid-stream").isLessThan(4 * 60);
        harness.sandbox.faults().clearAll();
        harness.startSync();

        harness.awaitEverythingInTim(c2cBefore + 4 * 60, 4 * 5 + 4 * 60);
        harness.assertExactlyTheLegacyMessagesInOrder();
        assertThat(harness.requests("send_group_msg") - 4 * 60).as("calls repeated after the restart")
                .isLessThanOrEqualTo(16);
    }

    @Test
    void retryableFaultsInTimStillGiveAnExactResult() throws Exception {
        harness = new SyncHarness(Kind.H2).importSample();
        long c2cBefore = harness.count("c2cMessages");
        harness.sandbox.faults().set("importmsg", new FaultSpec(70169, 0.1, 0.1, 502, 0.05, 100, 0.05, true));
        harness.sandbox.faults().set("send_group_msg", new FaultSpec(10002, 0.1, 0.1, 502, 0.05, 100, 0.05, true));
        harness.startSync();

        harness.appWrites(60, "live");

        harness.awaitEverythingInTim(c2cBefore + 4 * 60, 4 * 5 + 4 * 60);
        harness.assertExactlyTheLegacyMessagesInOrder();
        assertThat(harness.sandbox.inspect().counts().path("failures").path("send_group_msg").asLong()).isPositive();
        assertThat(harness.deadLetters().list(DeadLetters.OPEN, null, 100)).isEmpty();
    }
}
