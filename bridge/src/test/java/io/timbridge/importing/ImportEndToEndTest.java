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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generate a legacy sample, import it into the sandbox with the real routes, and compare every item on
 * both sides; rows TIM must refuse are exactly the dead letters.
 */
class ImportEndToEndTest {
    private TestDatabase legacy;
    private TimSandbox sandbox;
    private String stateUrl;

    @AfterEach
    void close() throws Exception {
        if (sandbox != null) {
            sandbox.stop();
        }
        if (legacy != null) {
            legacy.close();
        }
    }

    private void generate(Kind kind, int users, int messages) throws Exception {
        legacy = TestDatabases.create(kind);
        try (Connection c = legacy.connection()) {
            new SampleDataGenerator(GeneratorOptions.parse("--users=" + users, "--messages=" + messages,
                    "--seed=7")).generate(c);
        }
    }

    private static int runImport(Map<String, String> overrides, Map<String, String> options) {
        return Timbridge.runJob(Timbridge.newMain(Command.IMPORT, overrides), Command.IMPORT, options);
    }

    /** The import pointed at the test's legacy database, a fresh state database and the test's sandbox. */
    private Map<String, String> settings() {
        sandbox = ImportHarness.standaloneSandbox();
        stateUrl = ImportHarness.h2StateUrl();
        Map<String, String> p = ImportHarness.unlimited(ImportHarness.base(legacy.url(), legacy.user(),
                legacy.password(), stateUrl));
        p.put("tim.base-url", "http://127.0.0.1:" + sandbox.port());
        return p;
    }

    private Set<String> openDeadLetterKeys() {
        return ImportHarness.deadLetters(stateUrl).list(DeadLetters.OPEN, null, 100_000).stream()
                .map(d -> d.routeId() + "/" + d.itemKey()).collect(Collectors.toSet());
    }

    private void assertBothSidesMatch() {
        ImportComparison.Report report = ImportComparison.compare(legacy.dataSource(), sandbox,
                ProfileRequests.parseCustomTags(ImportHarness.CUSTOM_TAGS));
        assertThat(report.isClean()).as(report.describe()).isTrue();
        assertThat(openDeadLetterKeys()).as("dead letters are exactly the rows TIM must refuse")
                .isEqualTo(report.expectedRefusals());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyLegacyItemIsInTimAndEveryRefusedRowIsADeadLetter(Kind kind) throws Exception {
        generate(kind, 120, 2_500);

        int code = runImport(settings(), Map.of());

        assertThat(code).isEqualTo(ImportJob.EXIT_DEAD_LETTERS);
        assertBothSidesMatch();
    }

    @Test
    void reRunningAFinishedImportChangesNothingEvenWithTheBridgeStateDeleted() throws Exception {
        generate(Kind.H2, 80, 1_500);
        Map<String, String> settings = settings();
        runImport(settings, Map.of());
        String afterFirst = countsButThePreflight();

        // Same state: every route resumes after its last row, so no import call is made at all (only the
        // preflight's account_check of the admin, which reads).
        runImport(settings, Map.of());
        assertThat(countsButThePreflight()).isEqualTo(afterFirst);

        // State lost: everything is sent again; TIM's dedup keys and the group-history check against
        // TIM make every copy a no-op, and nothing TIM holds is turned into a dead letter.
        stateUrl = ImportHarness.h2StateUrl();
        settings.put("state.datasource.url", stateUrl);
        runImport(settings, Map.of());
        var counts = sandbox.inspect().counts();
        assertThat(counts.path("c2cMessages").asLong())
                .isEqualTo(ImportHarness.json(afterFirst).path("c2cMessages").asLong());
        assertThat(counts.path("groupMessages").asLong())
                .isEqualTo(ImportHarness.json(afterFirst).path("groupMessages").asLong());
        assertBothSidesMatch();
    }

    private String countsButThePreflight() {
        var counts = sandbox.inspect().counts();
        ((com.fasterxml.jackson.databind.node.ObjectNode) counts.path("requests")).remove("account_check");
        return counts.toString();
    }

    @Test
    void withTenPercentRetryableFaultsAndSlowAnswersTheResultIsStillExact() throws Exception {
        generate(Kind.H2, 80, 1_500);
        Map<String, String> settings = settings();
        sandbox.faults().set("*", new FaultSpec(70169, 0.05, 0.03, 502, 0.02, 300, 0.0, true));
        settings.put("bridge.import.retries", "20");

        runImport(settings, Map.of());
        sandbox.faults().clearAll();

        assertThat(sandbox.inspect().counts().path("failures").toString()).isNotEqualTo("{}");
        assertBothSidesMatch();
    }

    @Test
    void onlyTheSelectedDataTypesRun() throws Exception {
        generate(Kind.H2, 60, 500);

        runImport(settings(), Map.of("only", "accounts,groups"));

        var counts = sandbox.inspect().counts();
        assertThat(counts.path("accounts").asLong()).isGreaterThan(1);
        assertThat(counts.path("groups").asLong()).isPositive();
        assertThat(counts.path("c2cMessages").asLong()).isZero();
        assertThat(counts.path("groupMembers").asLong()).isEqualTo(counts.path("groups").asLong());
    }

}
