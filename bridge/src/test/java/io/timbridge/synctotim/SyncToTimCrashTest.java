package io.timbridge.synctotim;

import io.timbridge.Timbridge;
import io.timbridge.sandbox.FaultSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kill -9} of the sync process while it sends, then the same command again: TIM ends with every app
 * message exactly once and in order. The sync runs as a child JVM; the sandbox and both H2 databases
 * (shared through AUTO_SERVER) live in this test, so they survive the kill.
 */
class SyncToTimCrashTest {
    @TempDir
    Path dir;

    private SyncHarness harness;
    private Process sync;

    @AfterEach
    void close() throws Exception {
        if (sync != null) {
            sync.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (harness != null) {
            harness.close();
        }
    }

    private Process start(String log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), Timbridge.class.getName(), "sync"));
        harness.settings.forEach((k, v) -> cmd.add("--" + k + "=" + v));
        return new ProcessBuilder(cmd).directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
    }

    @Test
    void aSyncKilledWhileSendingAndStartedAgainSendsEveryMessageOnceAndInOrder() throws Exception {
        harness = SyncHarness.h2Files(dir).importSample();
        long c2cBefore = harness.count("c2cMessages");
        harness.sandbox.faults().set("importmsg", FaultSpec.slow(50, 1.0));
        harness.sandbox.faults().set("send_group_msg", FaultSpec.slow(50, 1.0));
        harness.appWrites(60, "live");

        sync = start("first.log");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> harness.requests("send_group_msg") >= 40 || !sync.isAlive());
        assertThat(sync.isAlive()).as("the sync is still running when it is killed").isTrue();
        sync.destroyForcibly();
        assertThat(sync.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long groupCallsBeforeKill = harness.requests("send_group_msg");
        assertThat(groupCallsBeforeKill).as("killed mid-stream").isLessThan(4 * 60);

        harness.sandbox.faults().clearAll();
        sync = start("second.log");
        harness.awaitEverythingInTim(c2cBefore + 4 * 60, 4 * 5 + 4 * 60);
        harness.assertExactlyTheLegacyMessagesInOrder();
        assertThat(harness.requests("send_group_msg") - 4 * 60)
                .as("group messages sent again after the kill: at most those in flight, one per group lane")
                .isLessThanOrEqualTo(4);
    }
}
