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
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path reports;

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
        settings.put("bridge.import.dry-run-report", reports.resolve("dry-run-refusals.csv").toString());
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
                .containsPattern("import-c2c-history: [\\d,]+ of [\\d,]+ messages are older than the app's roaming"
                        + " period \\(7 days")
                .contains("Dry run: " + compare().expectedRefusals().size() + " rows would become dead letters");
        long calls = 0;
        for (var it = sandbox.inspect().counts().path("requests").elements(); it.hasNext(); ) {
            calls += it.next().asLong();
        }
        assertThat(calls).as("TIM calls made by a dry run").isZero();
        assertThat(ImportHarness.deadLetters(stateUrl).openCounts()).isEmpty();
    }

    /**
     * A group TIM will refuse takes its members, messages and unread counts with it: the dry run predicts every
     * dead letter the import then makes, the same keys, with pages smaller than the group.
     */
    @Test
    void theDryRunPredictsTheImportsDeadLettersKeyByKey(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        settings.put("bridge.import.page-size", "9");
        java.nio.file.Path listing = dir.resolve("dry-run.csv");
        settings.put("bridge.import.dry-run-report", listing.toString());
        refuseAGroupByItsName();
        ByteArrayOutputStream dry = new ByteArrayOutputStream();
        run(Command.IMPORT, Map.of("dry-run", "true"), dry);
        String report = dry.toString(StandardCharsets.UTF_8);
        assertThat(report).contains("refused by rule 'group-not-in-tim'").contains("listed in " + listing);
        java.util.Set<String> predicted = new java.util.HashSet<>();
        try (var parser = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .build().parse(java.nio.file.Files.newBufferedReader(listing))) {
            parser.forEach(r -> predicted.add(r.get("route") + "/" + r.get("item_key")));
        }
        assertThat(report).contains("Dry run: " + predicted.size() + " rows would become dead letters");

        run(Command.IMPORT, Map.of(), new ByteArrayOutputStream());

        assertThat(openKeys()).as("the import's dead letters, as the dry run said\n" + report)
                .containsExactlyInAnyOrderElementsOf(predicted);
    }

    /** The group with messages and members the tests refuse by giving it a name over TIM's 30 bytes. */
    private String refuseAGroupByItsName() throws Exception {
        try (Connection c = legacy.connection(); var st = c.createStatement()) {
            var rs = st.executeQuery("SELECT MIN(g.group_id) FROM im_groups g JOIN group_messages x"
                    + " ON x.group_id = g.group_id JOIN group_members m ON m.group_id = g.group_id"
                    + " WHERE g.dismissed_at_ms IS NULL AND m.unread_count > 0");
            rs.next();
            String group = rs.getString(1);
            st.executeUpdate("UPDATE im_groups SET name = '" + "N".repeat(40) + "' WHERE group_id = '" + group + "'");
            return group;
        }
    }

    private java.util.Set<String> openKeys() {
        return ImportHarness.deadLetters(stateUrl).list(DeadLetters.OPEN, null, 100_000).stream()
                .map(d -> d.routeId() + "/" + d.itemKey()).collect(java.util.stream.Collectors.toSet());
    }

    /**
     * The import holds back what a refused group takes with it, without a TIM call for the group; a fix in the
     * legacy data followed by replay brings the group, its members, its messages and its unread counts, with
     * pages smaller than the group so the rows are read back across pages.
     */
    @Test
    void aDataFixFollowedByReplayClosesTheGroupAndEverythingItHeld() throws Exception {
        settings.put("bridge.import.page-size", "7");
        String group = refuseAGroupByItsName();
        run(Command.IMPORT, Map.of(), new ByteArrayOutputStream());
        DeadLetters deadLetters = ImportHarness.deadLetters(stateUrl);
        var held = deadLetters.list(DeadLetters.OPEN, null, 100_000).stream()
                .filter(d -> d.reason().contains("group " + group + " is not in TIM")).toList();
        assertThat(held).extracting(DeadLetters.DeadLetter::routeId)
                .contains("import-group-members", "import-group-history", "import-member-unread");
        assertThat(held).allSatisfy(d -> assertThat(d.timApi()).as("held back, never sent").isNull());
        assertThat(sandbox.inspect().groupIds()).doesNotContain(group);

        try (Connection c = legacy.connection(); var st = c.createStatement()) {
            st.executeUpdate("UPDATE im_groups SET name = 'Fixed name' WHERE group_id = '" + group + "'");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        run(Command.REPLAY, Map.of(), out);

        ImportComparison.Report report = compare();
        assertThat(report.isClean()).as(report.describe()).isTrue();
        assertThat(openKeys()).as(out.toString(StandardCharsets.UTF_8))
                .containsExactlyInAnyOrderElementsOf(report.expectedRefusals());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(held.size() + 1 + " went through");
    }

    /**
     * A fix in the import's SQL (names cut to TIM's limit) is what replay sends: the group is rebuilt from its row
     * as the current query reads it, not from the row stored with the dead letter.
     */
    @Test
    void aConfigurationFixIsWhatReplaySends() throws Exception {
        String group = refuseAGroupByItsName();
        run(Command.IMPORT, Map.of(), new ByteArrayOutputStream());
        assertThat(openKeys()).contains("import-groups/" + group);

        java.util.Properties packaged = new java.util.Properties();
        try (var in = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of("application.properties"))) {
            packaged.load(in);
        }
        String fixed = packaged.getProperty("legacy.import.groups.sql")
                .replace("g.name,", "SUBSTRING(g.name, 1, 12) AS name,");
        assertThat(fixed).contains("SUBSTRING(g.name");
        settings.put("legacy.import.groups.sql", fixed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = run(Command.REPLAY, Map.of("route", "import-groups"), out);

        assertThat(openKeys()).as(out.toString(StandardCharsets.UTF_8)).doesNotContain("import-groups/" + group);
        assertThat(sandbox.inspect().group(group).path("Name").asText()).isEqualTo("N".repeat(12));
        assertThat(code).as("every dead letter of the replayed route closed").isZero();
        assertThat(openKeys()).as("the group's held rows wait for a replay of their own routes")
                .anyMatch(k -> k.startsWith("import-group-members/" + group + ":"));
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        run(Command.REPLAY, Map.of(), rest);
        assertThat(openKeys()).as(rest.toString(StandardCharsets.UTF_8)).noneMatch(k -> k.contains(group));
    }

    /** A row deleted in legacy since it became a dead letter is closed as skipped, not sent and not left open. */
    @Test
    void aRowGoneFromLegacyIsSkippedOnReplay() throws Exception {
        String group = refuseAGroupByItsName();
        run(Command.IMPORT, Map.of("only", "accounts,groups"), new ByteArrayOutputStream());
        try (Connection c = legacy.connection(); var st = c.createStatement()) {
            st.executeUpdate("UPDATE im_groups SET dismissed_at_ms = 1 WHERE group_id = '" + group + "'");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        run(Command.REPLAY, Map.of("route", "import-groups"), out);

        assertThat(openKeys()).doesNotContain("import-groups/" + group);
        assertThat(ImportHarness.deadLetters(stateUrl).list(DeadLetters.SKIPPED, "import-groups", 10))
                .extracting(DeadLetters.DeadLetter::itemKey).containsExactly(group);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 skipped");
        assertThat(sandbox.inspect().groupIds()).doesNotContain(group);
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
