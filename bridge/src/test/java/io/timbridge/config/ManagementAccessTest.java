package io.timbridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Who can reach the management port, checked before anything starts. */
class ManagementAccessTest {
    private static final Properties RAW = new Properties();

    static {
        RAW.setProperty("camel.management.host", "{{env:MANAGEMENT_HOST:127.0.0.1}}");
        RAW.setProperty("bridge.management.password", "{{env:MANAGEMENT_PASSWORD:}}");
        RAW.setProperty("bridge.management.jolokia-policy", "classpath:/jolokia-access.xml");
    }

    private static List<RequiredSettings.Problem> check(Command command, Map<String, String> changes) {
        Map<String, String> values = new HashMap<>(Map.of("camel.management.enabled", "true",
                "camel.management.host", "127.0.0.1", "camel.management.jolokia-enabled", "true",
                "bridge.management.jolokia-policy", "classpath:/jolokia-access.xml"));
        values.putAll(changes);
        return ManagementAccess.problems(command, key -> Optional.ofNullable(values.get(key)).filter(v -> !v.isEmpty()), RAW);
    }

    @Test
    void loopbackNeedsNoPassword() {
        assertThat(check(Command.SYNC, Map.of())).isEmpty();
        assertThat(check(Command.SYNC, Map.of("camel.management.host", "localhost"))).isEmpty();
        assertThat(check(Command.SYNC, Map.of("camel.management.host", "::1"))).isEmpty();
    }

    @Test
    void anyOtherAddressWithoutAPasswordIsRefusedNamingTheSettingAndTheWayOut() {
        List<RequiredSettings.Problem> problems = check(Command.SYNC, Map.of("camel.management.host", "0.0.0.0"));

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).key()).isEqualTo("camel.management.host");
        assertThat(problems.get(0).env()).isEqualTo("MANAGEMENT_HOST");
        assertThat(problems.get(0).reason()).contains("'0.0.0.0'",
                "set bridge.management.password (environment variable MANAGEMENT_PASSWORD)", "or bind it to 127.0.0.1");
        assertThat(check(Command.IMPORT, Map.of("camel.management.host", "10.1.2.3"))).hasSize(1);
    }

    @Test
    void aPasswordOrCamelsOwnAuthenticationMakesAnyAddressAcceptable() {
        assertThat(check(Command.SYNC, Map.of("camel.management.host", "0.0.0.0",
                "bridge.management.password", "s3cret"))).isEmpty();
        assertThat(check(Command.SYNC, Map.of("camel.management.host", "0.0.0.0",
                "camel.management.authentication-enabled", "true"))).isEmpty();
    }

    @Test
    void aCommandWithoutTheManagementServerIsNotChecked() {
        assertThat(check(Command.SANDBOX, Map.of("camel.management.host", "0.0.0.0"))).isEmpty();
        assertThat(check(Command.SYNC, Map.of("camel.management.host", "0.0.0.0",
                "camel.management.enabled", "false"))).isEmpty();
    }

    @Test
    void aPolicyThatCannotBeReadIsRefused() {
        List<RequiredSettings.Problem> problems = check(Command.SYNC,
                Map.of("bridge.management.jolokia-policy", "file:/nowhere/jolokia-access.xml"));

        assertThat(problems).extracting(RequiredSettings.Problem::key).containsExactly("bridge.management.jolokia-policy");
        assertThat(problems.get(0).reason()).contains("/nowhere/jolokia-access.xml", "file:/path/jolokia-access.xml");
    }
}
