package io.timbridge;

import io.timbridge.config.Command;
import io.timbridge.sandbox.TimSandbox;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimClient;
import io.timbridge.tim.TimClientConfig;
import io.timbridge.tim.TimException;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code sandbox} command as the jar runs it: configuration files, profile and --name=value overrides. */
class SandboxCommandTest {
    private Main main;

    @AfterEach
    void stop() {
        if (main != null) {
            main.stop();
        }
    }

    private TimSandbox start(Map<String, String> overrides) {
        main = Timbridge.newMain(Command.SANDBOX, overrides);
        main.start();
        return main.getCamelContext().getRegistry().lookupByNameAndType("timSandbox", TimSandbox.class);
    }

    private static TimClient client(int port, String secretKey) {
        Properties p = new Properties();
        p.setProperty("tim.base-url", "http://127.0.0.1:" + port);
        p.setProperty("tim.sdk-app-id", "1400000001");
        p.setProperty("tim.admin-identifier", "ops_admin");
        p.setProperty("tim.secret-key", secretKey);
        return new TimClient(TimClientConfig.from(p));
    }

    @Test
    void commandLineOverridesConfigureTheSandboxAndItServesSignedCalls() throws Exception {
        TimSandbox sandbox = start(Map.of(
                "tim.sdk-app-id", "1400000001",
                "tim.admin-identifier", "ops_admin",
                "tim.secret-key", "rehearsal-key",
                "sandbox.port", "0",
                "camel.management.port", "0"));

        TimClient client = client(sandbox.port(), "rehearsal-key");
        var answer = client.call(TimApi.MULTIACCOUNT_IMPORT,
                Map.of("AccountList", List.of(Map.of("UserID", "alice", "Nick", "Alice"))));

        assertThat(answer.errorCode()).isZero();
        assertThat(answer.failedItems()).isEmpty();
        assertThat(sandbox.inspect().account("alice")).isNotNull();
    }

    @Test
    void aClientSigningWithAnotherKeyIsRefusedWithTimsCode() {
        TimSandbox sandbox = start(Map.of(
                "tim.sdk-app-id", "1400000001",
                "tim.admin-identifier", "ops_admin",
                "tim.secret-key", "rehearsal-key",
                "sandbox.port", "0",
                "camel.management.port", "0"));

        assertThatThrownBy(() -> client(sandbox.port(), "some-other-key").call(TimApi.ACCOUNT_CHECK,
                Map.of("CheckItem", List.of(Map.of("UserID", "alice")))))
                .isInstanceOfSatisfying(TimException.class, e -> assertThat(e.errorCode()).isEqualTo(70009));
    }

    @Test
    void theDevProfileSuppliesTheDemoAppAndSigningKey() {
        TimSandbox sandbox = start(Map.of(
                "camel.main.profile", "dev",
                "sandbox.port", "0",
                "camel.management.port", "0"));

        assertThat(main.getCamelContext().resolvePropertyPlaceholders("{{tim.sdk-app-id}}")).isEqualTo("1400000000");
        assertThat(sandbox.port()).isPositive();
    }
}
