package io.timbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.timbridge.Timbridge;
import io.timbridge.sandbox.TimSandbox;
import io.timbridge.testsupport.TestSandboxes;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The operator's ordinary mistakes, made on the real main class in a child JVM started in an empty
 * directory: each is refused before anything runs (exit 2, one message naming the fix, no stack
 * trace), the directory stays empty (no state database, no legacy file, no report) and TIM (a sandbox
 * the commands are pointed at) receives no request.
 */
class OperatorMistakesTest {
    private static final String[] COMMANDS = {
        "demo", "import", "replay", "verify", "sync", "sandbox", "status", "hawtio", "generate"};

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

    @BeforeEach
    void nothingYet() {
        assertThat(timRequests()).isZero();
    }

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Run run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Timbridge.class.getName()));
        cmd.addAll(List.of(args));
        File out = File.createTempFile("out", ".txt");
        File err = File.createTempFile("err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectOutput(out).redirectError(err).start();
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
        assertThat(timRequests()).as("no TIM request").isZero();
    }

    private void assertRefused(Run run, String message) throws Exception {
        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.err()).contains(message);
        assertTouchedNothing(run);
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "import", "replay", "verify", "sync", "sandbox", "status", "hawtio", "generate"})
    void helpPrintsTheUsageAndRunsNothing(String command) throws Exception {
        Run run = run(command, "--help", timUrl());

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).startsWith("Usage: timbridge " + command);
        assertTouchedNothing(run);
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "import", "replay", "verify", "sync", "sandbox", "status"})
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

    @Test
    void replayNamesTheRoutesItKnows() throws Exception {
        assertRefused(run("replay", "--route=import-acc", timUrl()),
                "'import-acc' is not an import route; choose from import-accounts");
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
        Run run = run("import", "--bridge.routes-dir=" + missing, timUrl());

        assertThat(run.exit()).as(run.all()).isEqualTo(1);
        assertThat(run.err()).contains("there is no route folder " + missing.resolve("common"));
        assertTouchedNothing(run);
    }
}
