package io.timbridge.importing;

import io.timbridge.Timbridge;
import io.timbridge.convert.ProfileRequests;
import io.timbridge.legacy.generator.GeneratorOptions;
import io.timbridge.legacy.generator.SampleDataGenerator;
import io.timbridge.sandbox.TimSandbox;
import io.timbridge.testsupport.ImportComparison;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kill -9} of the import process at several points, then the same command again: the final TIM
 * state is exactly the legacy data, with no duplicates. The import runs as a child JVM; the sandbox lives
 * in this test so it survives the kills.
 */
class ImportCrashTest {
    @TempDir
    Path dir;

    private Process start(Map<String, String> settings, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), Timbridge.class.getName(), "import"));
        settings.forEach((k, v) -> cmd.add("--" + k + "=" + v));
        return new ProcessBuilder(cmd).directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static long importCalls(TimSandbox sandbox) {
        long n = 0;
        for (var it = sandbox.inspect().counts().path("requests").fields(); it.hasNext(); ) {
            n += it.next().getValue().asLong();
        }
        return n;
    }

    @Test
    void anImportKilledAtSeveralPointsAndRestartedEndsExactlyLikeAnUninterruptedOne() throws Exception {
        String legacyUrl = ImportHarness.h2FileUrl(dir, "legacy");
        JdbcDataSource legacy = new JdbcDataSource();
        legacy.setURL(legacyUrl);
        try (Connection c = legacy.getConnection()) {
            new SampleDataGenerator(GeneratorOptions.parse("--users=100", "--messages=3000", "--seed=11")).generate(c);
        }
        try (TimSandbox sandbox = ImportHarness.standaloneSandbox()) {
            Map<String, String> settings = ImportHarness.unlimited(ImportHarness.base(legacyUrl, "", "",
                    ImportHarness.h2FileUrl(dir, "state")));
            settings.put("tim.base-url", "http://127.0.0.1:" + sandbox.port());
            settings.put("bridge.import.page-size", "50");
            // A moderate pace, so that each kill lands while pages and batches are in flight.
            settings.put("tim.limits.importmsg.qps", "400");
            settings.put("tim.limits.import_group_msg.qps", "150");

            for (long killAfter : new long[]{40, 400, 1_200}) {
                long before = importCalls(sandbox);
                Process p = start(settings, dir.resolve("run-" + killAfter + ".log"));
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                        .until(() -> importCalls(sandbox) - before >= killAfter || !p.isAlive());
                assertThat(p.isAlive()).as("the import is still running when it is killed").isTrue();
                p.destroyForcibly();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            Process last = start(settings, dir.resolve("final.log"));
            assertThat(last.waitFor(180, TimeUnit.SECONDS)).as("the import finishes after the kills").isTrue();
            assertThat(last.exitValue()).as(java.nio.file.Files.readString(dir.resolve("final.log")))
                    .isIn(0, 3);

            ImportComparison.Report report = ImportComparison.compare(legacy, sandbox,
                    ProfileRequests.parseCustomTags(ImportHarness.CUSTOM_TAGS));
            assertThat(report.isClean()).as(report.describe()).isTrue();
        }
    }

    /**
     * Ctrl+C (SIGINT) mid-import: the process ends within 5 s with its summary and exit 130, and the same
     * command then finishes the import exactly.
     */
    @Test
    void anImportStoppedWithCtrlCPrintsItsSummarySoonAndTheSameCommandFinishesIt() throws Exception {
        String legacyUrl = ImportHarness.h2FileUrl(dir, "legacy");
        JdbcDataSource legacy = new JdbcDataSource();
        legacy.setURL(legacyUrl);
        try (Connection c = legacy.getConnection()) {
            new SampleDataGenerator(GeneratorOptions.parse("--users=100", "--messages=3000", "--seed=12")).generate(c);
        }
        try (TimSandbox sandbox = ImportHarness.standaloneSandbox()) {
            Map<String, String> settings = ImportHarness.unlimited(ImportHarness.base(legacyUrl, "", "",
                    ImportHarness.h2FileUrl(dir, "state")));
            settings.put("tim.base-url", "http://127.0.0.1:" + sandbox.port());
            settings.put("bridge.import.page-size", "500");
            settings.put("tim.limits.importmsg.qps", "100");
            settings.put("tim.limits.import_group_msg.qps", "50");
            Path log = dir.resolve("stopped.log");
            Process p = start(settings, log);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                    .until(() -> importCalls(sandbox) >= 150 || !p.isAlive());
            assertThat(p.isAlive()).as("the import is still running when Ctrl+C comes\n%s",
                    p.isAlive() ? "" : java.nio.file.Files.readString(log)).isTrue();

            long signalled = System.nanoTime();
            new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - signalled);

            String output = java.nio.file.Files.readString(log);
            assertThat(took).as(output).isLessThan(Duration.ofSeconds(5));
            assertThat(p.exitValue()).as(output).isEqualTo(130);
            assertThat(output).contains("Import stopped (Ctrl+C) after", "Run the same command again to go on")
                    .doesNotContain("Forcing shutdown").doesNotContain("\tat ");

            Process last = start(settings, dir.resolve("final.log"));
            assertThat(last.waitFor(180, TimeUnit.SECONDS)).as("the import finishes after Ctrl+C").isTrue();
            assertThat(last.exitValue()).as(java.nio.file.Files.readString(dir.resolve("final.log"))).isIn(0, 3);
            ImportComparison.Report report = ImportComparison.compare(legacy, sandbox,
                    ProfileRequests.parseCustomTags(ImportHarness.CUSTOM_TAGS));
            assertThat(report.isClean()).as(report.describe()).isTrue();
        }
    }
}
