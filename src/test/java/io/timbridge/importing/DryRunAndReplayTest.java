package io.timbridge.importing;

import io.timbridge.Timbridge;
import io.timbridge.cli.ImportJob;
import io.timbridge.config.Command;
import io.timbridge.convert.ProfileRequests;
import io.timbridge.legacy.generator.GeneratorOptions;
import io.timbridge.legacy.generator.SampleDataGenerator;
import io.timbridge.sandbox.FaultSpec;
import io.timbridge.sandbox.TimSandbox;
import io.timbridge.state.DeadLetters;
import io.timbridge.testsupport.ImportComparison;
import io.timbridge.testsupport.TestDatabases;
import io.timbridge.testsupport.TestDatabases.Kind;
import io.timbridge.testsupport.TestDatabases.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DryRunAndReplayTest {
    private TestDatabase legacy;
    private TimSandbox sandbox;
    private String stateUrl;
    private Map<String, String> settings;

    @BeforeEach
    void generate() throws Exception {
        legacy = TestDatabases.create(Kind.H2);
        try (Connection c = legacy.connection()) {
            new SampleDataGenerator(GeneratorOptions.parse("--users=80", "--messages=1200", "--seed=5",
                    "--bad-share=0.03")).generate(c);
        }
        sandbox = ImportHarness.standaloneSandbox();
        stateUrl = ImportHarness.h2StateUrl();
        settings = ImportHarness.unlimited(ImportHarness.base(legacy.url(), legacy.user(), legacy.password(),
                stateUrl));
        settings.put("tim.base-url", "http://127.0.0.1:" + sandbox.port());
    }

    @AfterEach
    void close() throws Exception {
        sandbox.stop();
        legacy.close();
    }

    private int run(Command command, Map<String, String> options, ByteArrayOutputStream out) {
        return Timbridge.runJob(Timbridge.newMain(command, settings), command, options,
                new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private ImportComparison.Report compare() {
        return ImportComparison.compare(legacy.dataSource(), sandbox,
                ProfileRequests.parseCustomTags(ImportHarness.CUSTOM_TAGS));
    }

    @Test
    void aDryRunCountsEveryRowTimWouldRefuseByRuleAndCallsNothing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = run(Command.IMPORT, Map.of("dry-run", "true"), out);

        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(ImportJob.EXIT_DEAD_LETTERS);
        assertThat(report).contains("refused by rule 'message-body'").contains("refused by rule 'body-size'")
                .contains("Dry run: " + compare().expectedRefusals().size() + " rows would become dead letters");
        long calls = 0;
        for (var it = sandbox.inspect().counts().path("requests").elements(); it.hasNext(); ) {
            calls += it.next().asLong();
        }
        assertThat(calls).as("TIM calls made by a dry run").isZero();
        assertThat(ImportHarness.deadLetters(stateUrl).openCounts()).isEmpty();
    }

    /** A group TIM will refuse takes its members, messages and unread counts with it: the dry run counts them too. */
    @Test
    void theDryRunCountsWhatARefusedGroupTakesWithItAsTheImportThenDoes() throws Exception {
        try (Connection c = legacy.connection(); var st = c.createStatement()) {
            st.executeUpdate("UPDATE im_groups SET name = '" + "N".repeat(40) + "' WHERE group_id ="
                    + " (SELECT MIN(g.group_id) FROM im_groups g JOIN group_messages x ON x.group_id = g.group_id"
                    + " WHERE g.dismissed_at_ms IS NULL)");
        }
        ByteArrayOutputStream dry = new ByteArrayOutputStream();
        run(Command.IMPORT, Map.of("dry-run", "true"), dry);
        String report = dry.toString(StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Dry run: (\\d+) rows would become dead letters")
                .matcher(report);
        assertThat(m.find()).as(report).isTrue();
        assertThat(report).contains("refused by rule 'group-not-in-tim'");

        run(Command.IMPORT, Map.of(), new ByteArrayOutputStream());

        long deadLetters = ImportHarness.deadLetters(stateUrl).openCounts().values().stream()
                .mapToLong(Long::longValue).sum();
        assertThat(deadLetters).as("the import's dead letters, as the dry run said\n" + report)
                .isEqualTo(Long.parseLong(m.group(1)));
    }

    @Test
    void deadLettersOfAFixedCauseGoThroughOnReplayAndTheRestStayOpen() {
        sandbox.faults().set("portrait_set", FaultSpec.error(70402, 0.4));
        run(Command.IMPORT, Map.of(), new ByteArrayOutputStream());
        DeadLetters deadLetters = ImportHarness.deadLetters(stateUrl);
        long profilesFailed = deadLetters.openCounts().getOrDefault("import-profiles", 0L);
        assertThat(profilesFailed).as("the injected 70402 made profile dead letters").isGreaterThan(5);
        assertThat(deadLetters.list(DeadLetters.OPEN, "import-profiles", 1).get(0).errorCode()).isIn(70402, null);

        deadLetters.record("sync-c2c-messages-to-tim", "42", null, null, "a sync dead letter replay does not handle", "{}");
        sandbox.faults().clearAll();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        run(Command.REPLAY, Map.of(), out);

        assertThat(compare().isClean()).as(compare().describe()).isTrue();
        assertThat(ImportHarness.deadLetters(stateUrl).list(DeadLetters.OPEN, null, 10_000).stream()
                .map(d -> d.routeId() + "/" + d.itemKey()).toList())
                .containsExactlyInAnyOrderElementsOf(concat(compare().expectedRefusals(), "sync-c2c-messages-to-tim/42"));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("went through")
                .contains((compare().expectedRefusals().size() + 1) + " still open (1 of them sync rows refused before"
                        + " any call");
    }

    /**
     * A live message the sync could not send (TIM refused it then) is replayed like an import item, from the
     * call it stored; --list shows what is open and sends nothing.
     */
    @Test
    void aSyncDeadLetterIsReplayedFromItsStoredCallAndListedBefore() throws Exception {
        run(Command.IMPORT, Map.of("only", "accounts"), new ByteArrayOutputStream());
        String request = "{\"SyncFromOldSystem\":5,\"From_Account\":\"u1000001\",\"To_Account\":\"u1000002\","
                + "\"MsgSeq\":4242,\"MsgRandom\":4242,\"MsgTimeStamp\":1700000000,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
                + "\"MsgContent\":{\"Text\":\"live, refused once\"}}]}";
        DeadLetters deadLetters = ImportHarness.deadLetters(stateUrl);
        deadLetters.record("sync-c2c-messages-to-tim", "4242", "openim/importmsg", 91000, "internal error", request);
        long importmsg = sandbox.inspect().counts().path("requests").path("importmsg").asLong();

        ByteArrayOutputStream listed = new ByteArrayOutputStream();
        assertThat(run(Command.REPLAY, Map.of("list", "true", "route", "sync-c2c-messages-to-tim"), listed)).isZero();
        assertThat(listed.toString(StandardCharsets.UTF_8))
                .contains("sync-c2c-messages-to-tim\t4242\topenim/importmsg\t91000\tinternal error", "1 dead letters open");
        assertThat(sandbox.inspect().counts().path("requests").path("importmsg").asLong()).isEqualTo(importmsg);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = run(Command.REPLAY, Map.of("route", "sync-c2c-messages-to-tim"), out);

        assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(deadLetters.isOpen("sync-c2c-messages-to-tim", "4242")).isFalse();
        assertThat(sandbox.inspect().c2c("u1000001", "u1000002").path("MsgList").toString()).contains("live, refused once");
    }

    private static java.util.List<String> concat(java.util.Collection<String> keys, String more) {
        java.util.List<String> all = new java.util.ArrayList<>(keys);
        all.add(more);
        return all;
    }
}
