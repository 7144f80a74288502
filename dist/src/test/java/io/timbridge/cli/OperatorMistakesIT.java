package io.timbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.timbridge.sandbox.TimSandbox;
import io.timbridge.testsupport.TestSandboxes;
import io.timbridge.legacy.generator.GeneratorOptions;
import io.timbridge.legacy.generator.SampleDataGenerator;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator's ordinary mistakes, made on the packaged jar in a child JVM started in an empty
 * directory: each is refused before anything runs (exit 2, one message naming the fix, no stack
 * trace), the directory stays empty (no state database, no legacy file, no report) and TIM (a sandbox
 * the commands are pointed at) receives no request. And the failures an operator meets: a wrong secret, TIM
 * refusing the app mid-run, a database out of reach, a state database of another migration, a missing change log.
 */
class OperatorMistakesIT {
    private static final String[] COMMANDS = {
        "demo", "import", "replay", "verify", "sync", "sandbox", "status", "dead-letters", "hawtio", "generate"};

    static TimSandbox tim;

    @TempDir
    Path dir;

    @BeforeAll
    static void startTim() {
        tim = TestSandboxes.standalone("1400000000", "administrator", "operator-mistakes-key", Map.of());
    }

    @AfterAll
    static void stopTim() {
        tim.stop();
    }

    long requestsBefore;

    @BeforeEach
    void countTimRequests() {
        requestsBefore = timRequests();
    }

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** The packaged jar, as the README runs it (failsafe names it; the IDE can too: -Dtimbridge.jar=...). */
    private static List<String> timbridge() {
        String jar = System.getProperty("timbridge.jar");
        assertThat(jar).as("the jar under test (-Dtimbridge.jar; mvn verify builds and names it)").isNotBlank();
        assertThat(Path.of(jar)).as("built by mvn package").isRegularFile();
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", Path.of(jar).toAbsolutePath().toString()));
    }

    private Run run(String... args) throws Exception {
        List<String> cmd = timbridge();
        cmd.addAll(List.of(args));
        File out = File.createTempFile("out", ".txt");
        File err = File.createTempFile("err", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out).redirectError(err);
            // As on a fresh machine: none of the settings' environment variables is set.
            builder.environment().keySet().removeIf(k -> k.startsWith("TIM_") || k.startsWith("LEGACY_DB_")
                    || k.startsWith("STATE_DB_") || k.startsWith("TIMBRIDGE_") || k.startsWith("MANAGEMENT_"));
            Process p = builder.start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished: " + String.join(" ", args)).isTrue();
            return new Run(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } finally {
            out.delete();
            err.delete();
        }
    }

    private String timUrl() {
        return "--tim.base-url=http://127.0.0.1:" + tim.port();
    }

    private static long timRequests() {
        long n = 0;
        for (var it = tim.inspect().counts().path("requests").fields(); it.hasNext(); ) {
            n += it.next().getValue().asLong();
        }
        return n;
    }

    private void assertTouchedNothing(Run run) throws Exception {
        assertThat(run.all()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception in thread");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("nothing written where it ran").isEmpty();
        }
        assertThat(timRequests() - requestsBefore).as("no TIM request").isZero();
    }

    private void assertRefused(Run run, String message) throws Exception {
        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.err()).contains(message);
        assertTouchedNothing(run);
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "import", "replay", "verify", "sync", "sandbox", "status", "dead-letters", "hawtio",
            "generate"})
    void helpPrintsTheUsageAndRunsNothing(String command) throws Exception {
        Run run = run(command, "--help", timUrl());

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).startsWith("Usage: timbridge " + command);
        assertTouchedNothing(run);
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "import", "replay", "verify", "sync", "sandbox", "status", "dead-letters"})
    void anUnknownOptionIsRefused(String command) throws Exception {
        assertRefused(run(command, "--bogus", timUrl()), "Unknown option: '--bogus'");
    }

    @Test
    void everyCommandIsCoveredAndTheTopLevelHelpListsThem() throws Exception {
        Run run = run("--help");

        assertThat(run.exit()).isZero();
        for (String command : COMMANDS) {
            assertThat(run.out()).contains("  " + command + " ");
        }
        assertTouchedNothing(run);
    }

    @Test
    void aMisspelledCommandIsRefusedWithTheNearestOne() throws Exception {
        assertRefused(run("imprt", timUrl()), "Did you mean: timbridge import?");
    }

    @Test
    void noCommandIsAMistakeThatListsTheCommands() throws Exception {
        assertRefused(run(), "Missing command: choose one of demo, import, replay, verify");
    }

    @Test
    void aMisspelledOptionIsRefusedWithTheOneMeant() throws Exception {
        Run run = run("import", "--dryrun", timUrl());

        assertRefused(run, "Unknown option: '--dryrun'");
        assertThat(run.err()).contains("--dry-run");
    }

    @Test
    void aMisspelledSettingIsRefusedWithTheKeyMeant() throws Exception {
        assertRefused(run("import", "--tim.base-ur=http://127.0.0.1:1"),
                "Unknown setting '--tim.base-ur'. Did you mean --tim.base-url?");
    }

    @Test
    void anUnknownDataTypeIsRefusedWithTheChoices() throws Exception {
        assertRefused(run("import", "--only=accounts,acounts", timUrl()),
                "'acounts' is not a data type; choose from accounts,profiles,friends,c2c-history");
        assertRefused(run("verify", "--only=friend", timUrl()), "'friend' is not a data type");
    }

    @Test
    void numbersAreChecked() throws Exception {
        assertRefused(run("verify", "--sample=0", timUrl()), "--sample must be at least 1, got 0");
        assertRefused(run("import", "--progress-seconds=soon", timUrl()), "'soon' is not an int");
        assertRefused(run("demo", "--users=-5"), "--users must be at least 1, got -5");
    }

    /** Every missing setting in one message, each with its environment variable; nothing starts. */
    @ParameterizedTest
    @ValueSource(strings = {"import", "replay", "verify", "sync"})
    void missingSettingsAreListedAtOnceWithTheirEnvironmentVariables(String command) throws Exception {
        Run run = run(command, timUrl());

        assertRefused(run, command + " cannot start: 3 settings are missing or invalid");
        assertThat(run.err()).contains(
                "tim.sdk-app-id (environment variable TIM_SDK_APP_ID): not set",
                "tim.secret-key (environment variable TIM_SECRET_KEY): not set",
                "legacy.datasource.url (environment variable LEGACY_DB_URL): not set");
        assertThat(run.all()).doesNotContain("SIGTERM").doesNotContain("Property with key");
    }

    @Test
    void theSandboxNamesTheAppSettingsItNeeds() throws Exception {
        Run run = run("sandbox");

        assertRefused(run, "sandbox cannot start: 2 settings are missing or invalid");
        assertThat(run.err()).contains("tim.sdk-app-id (environment variable TIM_SDK_APP_ID): not set",
                "tim.secret-key (environment variable TIM_SECRET_KEY): not set");
    }

    @Test
    void invalidSettingsAreNamedWithWhatTheyMustBe() throws Exception {
        Run run = run("import", timUrl(), "--tim.sdk-app-id=14000x", "--tim.secret-key=k",
                "--legacy.datasource.url=mysql://db:3306/im", "--state.datasource.url=jdbc:oracle:thin:@db");

        assertRefused(run, "import cannot start: 3 settings are missing or invalid");
        assertThat(run.err()).contains("tim.sdk-app-id (environment variable TIM_SDK_APP_ID): must be a number, was '14000x'",
                "legacy.datasource.url (environment variable LEGACY_DB_URL): must be a jdbc:mysql://",
                "state.datasource.url (environment variable STATE_DB_URL): must be a jdbc:mysql://");
    }

    /** A dry run reads the legacy database and calls nothing: it needs no TIM setting. */
    @Test
    void aDryRunNeedsNoTimSettingAndCallsNoTimApi() throws Exception {
        String legacyUrl = "jdbc:h2:file:" + dir.resolve("legacy").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(legacyUrl, "sa", "")) {
            new SampleDataGenerator(GeneratorOptions.parse("--users=20", "--messages=40", "--bad-share=0")).generate(c);
        }

        Run run = run("import", "--dry-run", timUrl(), "--legacy.datasource.url=" + legacyUrl,
                "--legacy.datasource.username=sa", "--camel.management.enabled=false",
                "--state.datasource.url=jdbc:h2:file:" + dir.resolve("state").toAbsolutePath());

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.all()).doesNotContain("cannot start").doesNotContain("TIM_SECRET_KEY");
        assertThat(timRequests() - requestsBefore).as("no TIM request").isZero();
    }

    @Test
    void deadLettersWithoutAStateDatabaseSaysWhichAndCreatesNone() throws Exception {
        Run run = run("dead-letters", "--state.datasource.url=jdbc:h2:file:" + dir.resolve("state").toAbsolutePath());

        assertThat(run.exit()).as(run.all()).isEqualTo(1);
        assertThat(run.out()).contains("the state database jdbc:h2:file:" + dir.resolve("state").toAbsolutePath()
                + " cannot be read").contains("state.datasource.url (STATE_DB_URL)");
        assertTouchedNothing(run);
    }

    @Test
    void deadLettersRefusesAStatusItDoesNotKnow() throws Exception {
        assertRefused(run("dead-letters", "--status=opn"), "--status must be open, skipped, resolved or all");
    }

    @Test
    void replayNamesTheRoutesItKnows() throws Exception {
        assertRefused(run("replay", "--route=import-acc", timUrl()),
                "'import-acc' is not a route replay sends; choose from import-accounts");
    }

    @Test
    void theGeneratorRefusesAnUnknownOption() throws Exception {
        Run run = run("generate", "--userz=5");

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.err()).contains("unknown option(s) [userz]");
        assertTouchedNothing(run);
    }

    @Test
    void aRoutesDirectoryThatIsNotThereIsNamedAndNothingRuns() throws Exception {
        Path missing = dir.resolve("my-routes");
        Run run = run("import", "--bridge.routes-dir=" + missing, timUrl(), "--tim.sdk-app-id=1400000000",
                "--tim.secret-key=operator-mistakes-key", "--legacy.datasource.url=jdbc:h2:mem:legacy");

        assertThat(run.exit()).as(run.all()).isEqualTo(1);
        assertThat(run.err()).contains("there is no route folder " + missing.resolve("common"));
        assertTouchedNothing(run);
    }

    /** application.properties is read as UTF-8: SQL with Chinese text and '…' reaches TIM as written. */
    @Test
    void chineseTextInTheSqlOfApplicationPropertiesReachesTimIntact() throws Exception {
        String legacyUrl = "jdbc:h2:file:" + dir.resolve("legacy").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(legacyUrl, "sa", "")) {
            new SampleDataGenerator(GeneratorOptions.parse("--users=5", "--messages=10", "--bad-share=0")).generate(c);
        }
        Files.writeString(dir.resolve("application.properties"), """
                legacy.import.accounts.sql = SELECT user_id, CONCAT('用户…', user_id) AS nickname, avatar_url \\
                  FROM users WHERE user_id > :#after_user_id ORDER BY user_id LIMIT :#limit
                """, StandardCharsets.UTF_8);

        Run run = importAccounts(legacyUrl);

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(tim.inspect().account("u1000000").path("Profile").path("Tag_Profile_IM_Nick").asText())
                .isEqualTo("用户…u1000000");
    }

    /** Run where a routes/ folder lies (a checkout, an old copy): the jar's routes run, that folder is not read. */
    @Test
    void aRoutesFolderInTheWorkingDirectoryIsNotLoadedBesideThePackagedRoutes() throws Exception {
        String legacyUrl = "jdbc:h2:file:" + dir.resolve("legacy").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(legacyUrl, "sa", "")) {
            new SampleDataGenerator(GeneratorOptions.parse("--users=5", "--messages=10", "--bad-share=0")).generate(c);
        }
        Files.createDirectories(dir.resolve("routes/common"));
        Files.createDirectories(dir.resolve("routes/import"));
        Files.writeString(dir.resolve("routes/common/import-errors.camel.yaml"), "- this is not a route\n");
        Files.writeString(dir.resolve("routes/import/import-accounts.camel.yaml"), "- this is not a route\n");

        Run run = importAccounts(legacyUrl);

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(tim.inspect().account("u1000004")).as("imported").isNotNull();
    }

    /**
     * TIM refuses the app mid-run (the host is not on the IP allow-list once friends start): the import stops
     * with exit 1 and the reason, no row becomes a dead letter, and after the fix the same command finishes
     * with every friendship in TIM.
     */
    @Test
    void aRefusalOfTheAppMidRunStopsTheImportWithoutDeadLettersAndTheSameCommandFinishesIt() throws Exception {
        String legacyUrl = "jdbc:h2:file:" + dir.resolve("legacy").toAbsolutePath();
        Map<String, Integer> friends = new java.util.TreeMap<>();
        try (Connection c = DriverManager.getConnection(legacyUrl, "sa", "")) {
            new SampleDataGenerator(GeneratorOptions.parse("--users=40", "--messages=60", "--bad-share=0")).generate(c);
            try (var rs = c.createStatement().executeQuery(
                    "SELECT user_id, COUNT(*) FROM friendships GROUP BY user_id")) {
                while (rs.next()) {
                    friends.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        assertThat(friends).isNotEmpty();
        tim.faults().set("friend_import", io.timbridge.sandbox.FaultSpec.error(60021, 1));
        Run stopped;
        try {
            stopped = importAll(legacyUrl);
        } finally {
            tim.faults().clearAll();
        }

        assertThat(stopped.exit()).as(stopped.all()).isEqualTo(1);
        assertThat(stopped.err()).contains("import stopped:", "sns/friend_import", "60021", "IP allow-list",
                "run the same command again");
        assertThat(stopped.all()).doesNotContain("\tat ");
        assertThat(stateCount("SELECT COUNT(*) FROM tb_dead_letter")).as("no dead letter").isZero();

        Run resumed = importAll(legacyUrl);

        assertThat(resumed.exit()).as(resumed.all()).isZero();
        friends.forEach((user, n) -> assertThat(tim.inspect().account(user).path("Friends").size())
                .as("friends of %s", user).isEqualTo(n));
    }

    /** The state of one migration is never used for another: refused before any TIM call, with the way out. */
    @Test
    void aStateDatabaseOfAnotherMigrationIsRefusedWithTheWayOut() throws Exception {
        String first = "jdbc:h2:file:" + dir.resolve("legacy").toAbsolutePath();
        String second = "jdbc:h2:file:" + dir.resolve("other-legacy").toAbsolutePath();
        for (String url : List.of(first, second)) {
            try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                new SampleDataGenerator(GeneratorOptions.parse("--users=5", "--messages=10", "--bad-share=0")).generate(c);
            }
        }
        assertThat(importAccounts(first).exit()).isZero();
        long requests = timRequests();

        Run run = importAccounts(second);

        assertThat(run.exit()).as(run.all()).isEqualTo(1);
        assertThat(run.err()).contains("import cannot start: the state database",
                "holds the progress of another migration (legacy " + first + ", TIM app 1400000000)",
                "this run is for legacy " + second, "STATE_DB_URL or --state.datasource.url");
        assertThat(run.all()).doesNotContain("\tat ");
        assertThat(timRequests()).as("no TIM request").isEqualTo(requests);
        assertThat(stateCount("SELECT COUNT(*) FROM tb_dead_letter")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"legacy", "state"})
    void aDatabaseOutOfReachIsNamedWithWhatToCheck(String which) throws Exception {
        String down = "jdbc:mariadb://127.0.0.1:1/im";
        String legacyUrl = which.equals("legacy") ? down : "jdbc:h2:mem:legacy";
        String stateUrl = which.equals("state") ? down : "jdbc:h2:mem:state";

        Run run = run("import", timUrl(), "--tim.sdk-app-id=1400000000", "--tim.secret-key=operator-mistakes-key",
                "--legacy.datasource.url=" + legacyUrl, "--state.datasource.url=" + stateUrl,
                "--camel.management.enabled=false");

        assertThat(run.exit()).as(run.all()).isEqualTo(1);
        assertThat(run.err()).contains("import cannot start: "
                + (which.equals("legacy") ? "the legacy database" : "the bridge's state database")
                + " cannot be reached at " + down, which.toUpperCase() + "_DB_URL");
        assertTouchedNothing(run);
    }

    /**
     * A command with the management port up: Jolokia runs under its access policy (no "NEVER use this in a
     * production environment" warning), and the endpoint summary names the address bound, not 0.0.0.0.
     */
    @Test
    void theManagementPortRunsUnderThePolicyAndItsSummaryNamesTheBoundAddress() throws Exception {
        String legacyUrl = "jdbc:h2:file:" + dir.resolve("legacy").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(legacyUrl, "sa", "")) {
            new SampleDataGenerator(GeneratorOptions.parse("--users=5", "--messages=10", "--bad-share=0")).generate(c);
        }
        int managementPort = io.timbridge.testsupport.FreePorts.next();
        Run run = run("import", "--only=accounts", timUrl(), "--tim.sdk-app-id=1400000000",
                "--tim.secret-key=operator-mistakes-key", "--legacy.datasource.url=" + legacyUrl,
                "--legacy.datasource.username=sa", "--state.datasource.url=jdbc:h2:file:" + dir.resolve("state").toAbsolutePath(),
                "--camel.management.port=" + managementPort, "--verbose");

        assertThat(run.exit()).as(run.all()).isZero();

        assertThat(run.all()).as(run.all()).contains("HTTP Management endpoints: http://127.0.0.1:" + managementPort
                + "/observe/health").doesNotContain("0.0.0.0:" + managementPort);
        assertThat(run.all()).doesNotContain("NEVER use this in a production").doesNotContain("No access restrictor");
    }

    @Test
    void aManagementPortReachableFromElsewhereWithoutAPasswordIsRefused() throws Exception {
        Run run = run("import", timUrl(), "--tim.sdk-app-id=1400000000", "--tim.secret-key=operator-mistakes-key",
                "--legacy.datasource.url=jdbc:h2:mem:legacy", "--camel.management.host=0.0.0.0");

        assertRefused(run, "import cannot start: 1 setting is missing or invalid");
        assertThat(run.err()).contains("camel.management.host (environment variable MANAGEMENT_HOST): is '0.0.0.0'",
                "set bridge.management.password (environment variable MANAGEMENT_PASSWORD)", "or bind it to 127.0.0.1");
    }

    /** The sandbox serves TIM's API only: the bridge's management port stays free for the bridge. */
    @Test
    void theSandboxLeavesTheBridgesManagementPortFree() throws Exception {
        int sandboxPort = io.timbridge.testsupport.FreePorts.next();
        int managementPort = io.timbridge.testsupport.FreePorts.next();
        List<String> cmd = timbridge();
        cmd.addAll(List.of("sandbox", "--tim.sdk-app-id=1400000000", "--tim.secret-key=k", "--sandbox.port=" + sandboxPort,
                "--camel.management.port=" + managementPort));
        Process sandbox = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sandbox.log").toFile()).start();
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> answers(sandboxPort));
            assertThat(answers(managementPort)).as("nothing on the management port").isFalse();
        } finally {
            sandbox.destroy();
            sandbox.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSandboxPortInUseIsRefusedWithTheWayOut() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Run run = run("sandbox", "--tim.sdk-app-id=1400000000", "--tim.secret-key=k",
                    "--sandbox.port=" + taken.getLocalPort());

            assertThat(run.exit()).as(run.all()).isEqualTo(1);
            assertThat(run.err()).contains("sandbox cannot start: TIM sandbox cannot listen on 127.0.0.1:"
                    + taken.getLocalPort() + ": the port is in use", "SANDBOX_PORT");
            assertTouchedNothing(run);
        }
    }

    private static boolean answers(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void statusRefusesToReportASandboxAsABridge() throws Exception {
        Run run = run("status", "--url=http://127.0.0.1:" + tim.port());

        assertThat(run.exit()).as(run.all()).isEqualTo(1);
        assertThat(run.out()).contains("answers, but not as a timbridge bridge").doesNotContain("Health: UP");
    }

    /** Without its change log, sync refuses to start, in one line naming the query, instead of failing every poll. */
    @Test
    void syncWithoutItsChangeLogRefusesToStart() throws Exception {
        String legacyUrl = "jdbc:h2:file:" + dir.resolve("legacy").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(legacyUrl, "sa", "")) {
            new SampleDataGenerator(GeneratorOptions.parse("--users=5", "--messages=10", "--bad-share=0")).generate(c);
        }

        Run run = run("sync", timUrl(), "--tim.sdk-app-id=1400000000", "--tim.secret-key=operator-mistakes-key",
                "--legacy.datasource.url=" + legacyUrl, "--legacy.datasource.username=sa",
                "--state.datasource.url=jdbc:h2:file:" + dir.resolve("state").toAbsolutePath(),
                "--camel.management.enabled=false", "--camel.server.port=" + io.timbridge.testsupport.FreePorts.next());

        assertThat(run.exit()).as(run.all()).isEqualTo(1);
        assertThat(run.err()).contains("sync cannot start: the legacy query legacy.sync.poll.changelog.sql fails:",
                "BRIDGE_CHANGELOG", "Install the change log and its triggers");
        assertThat(run.all()).doesNotContain("\tat ");
        assertThat(run.all().lines().filter(l -> l.contains("BRIDGE_CHANGELOG")).count()).as("said once").isEqualTo(1);
        assertThat(timRequests() - requestsBefore).as("no TIM request").isZero();
    }

    /** A wrong secret is found by one cheap call before any row is sent: no import call, no dead letter. */
    @Test
    void aWrongSecretStopsTheImportBeforeAnyRowIsSent() throws Exception {
        String legacyUrl = "jdbc:h2:file:" + dir.resolve("legacy").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(legacyUrl, "sa", "")) {
            new SampleDataGenerator(GeneratorOptions.parse("--users=5", "--messages=10", "--bad-share=0")).generate(c);
        }
        long imports = tim.inspect().counts().path("requests").path("multiaccount_import").asLong();

        Run run = run("import", timUrl(), "--tim.sdk-app-id=1400000000", "--tim.secret-key=not-the-apps-key",
                "--legacy.datasource.url=" + legacyUrl, "--legacy.datasource.username=sa",
                "--state.datasource.url=jdbc:h2:file:" + dir.resolve("state").toAbsolutePath(),
                "--camel.management.enabled=false");

        assertThat(run.exit()).as(run.all()).isEqualTo(1);
        assertThat(run.err()).contains("import stopped:", "70009", "tim.secret-key does not belong to tim.sdk-app-id",
                "run the same command again");
        assertThat(run.all()).doesNotContain("\tat ");
        assertThat(tim.inspect().counts().path("requests").path("multiaccount_import").asLong()).isEqualTo(imports);
        assertThat(stateCount("SELECT COUNT(*) FROM tb_dead_letter")).isZero();
    }

    @Test
    void aTimThatCannotBeReachedIsNamedBeforeAnyRowIsRead() throws Exception {
        Run run = run("import", "--tim.base-url=http://127.0.0.1:1", "--tim.sdk-app-id=1400000000",
                "--tim.secret-key=k", "--legacy.datasource.url=jdbc:h2:mem:legacy",
                "--state.datasource.url=jdbc:h2:mem:state", "--camel.management.enabled=false");

        assertThat(run.exit()).as(run.all()).isEqualTo(1);
        assertThat(run.err()).contains("import cannot start: TIM cannot be reached at http://127.0.0.1:1",
                "TIM_BASE_URL");
        assertThat(run.all()).doesNotContain("\tat ");
    }

    /** A verify query the legacy schema cannot run is refused before comparing, naming the property to adapt. */
    @Test
    void verifyNamesTheQueryToAdaptWhenTheSchemaDiffers() throws Exception {
        String legacyUrl = "jdbc:h2:file:" + dir.resolve("legacy").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(legacyUrl, "sa", "")) {
            new SampleDataGenerator(GeneratorOptions.parse("--users=5", "--messages=10", "--bad-share=0")).generate(c);
        }

        Run run = run("verify", "--only=groups", "--report-dir=" + dir.resolve("reports"), timUrl(),
                "--tim.sdk-app-id=1400000000", "--tim.secret-key=operator-mistakes-key",
                "--legacy.datasource.url=" + legacyUrl, "--legacy.datasource.username=sa",
                "--state.datasource.url=jdbc:h2:file:" + dir.resolve("state").toAbsolutePath(),
                "--camel.management.enabled=false",
                "--legacy.verify.groups.sql=SELECT gid AS group_id FROM t_group WHERE gid > :#after_group_id"
                        + " ORDER BY gid LIMIT :#limit");

        assertThat(run.exit()).as(run.all()).isEqualTo(1);
        assertThat(run.err()).contains("verify cannot start: verify's legacy query legacy.verify.groups.sql fails:",
                "T_GROUP", "If you adapted legacy.import.groups.sql to your schema, adapt legacy.verify.groups.sql");
        assertThat(run.all()).doesNotContain("\tat ");
    }

    private Run importAll(String legacyUrl) throws Exception {
        return run("import", timUrl(), "--tim.sdk-app-id=1400000000",
                "--tim.admin-identifier=administrator", "--tim.secret-key=operator-mistakes-key",
                "--legacy.datasource.url=" + legacyUrl, "--legacy.datasource.username=sa",
                "--state.datasource.url=jdbc:h2:file:" + dir.resolve("state").toAbsolutePath(),
                "--camel.management.enabled=false");
    }

    private long stateCount(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("state").toAbsolutePath(), "", "");
             var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Run importAccounts(String legacyUrl) throws Exception {
        return run("import", "--only=accounts", timUrl(), "--tim.sdk-app-id=1400000000",
                "--tim.admin-identifier=administrator", "--tim.secret-key=operator-mistakes-key",
                "--legacy.datasource.url=" + legacyUrl, "--legacy.datasource.username=sa",
                "--state.datasource.url=jdbc:h2:file:" + dir.resolve("state").toAbsolutePath(),
                "--camel.management.enabled=false");
    }
}
