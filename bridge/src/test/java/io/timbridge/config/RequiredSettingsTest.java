package io.timbridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RequiredSettingsTest {
    private static final Properties RAW = new Properties();

    static {
        RAW.setProperty("tim.sdk-app-id", "{{env:TIM_SDK_APP_ID}}");
        RAW.setProperty("tim.secret-key", "{{env:TIM_SECRET_KEY}}");
        RAW.setProperty("tim.admin-identifier", "{{env:TIM_ADMIN_IDENTIFIER:administrator}}");
        RAW.setProperty("tim.base-url", "https://console.tim.qq.com");
        RAW.setProperty("legacy.datasource.url", "{{env:LEGACY_DB_URL}}");
        RAW.setProperty("state.datasource.url", "{{env:STATE_DB_URL:jdbc:h2:file:./data/timbridge-state}}");
    }

    private static List<RequiredSettings.Problem> check(Command command, boolean dryRun, Map<String, String> values) {
        return RequiredSettings.check(command, dryRun, key -> Optional.ofNullable(values.get(key)), RAW);
    }

    @Test
    void everyMissingSettingIsListedWithItsEnvironmentVariable() {
        List<RequiredSettings.Problem> problems = check(Command.IMPORT, false, Map.of(
                "tim.admin-identifier", "administrator", "tim.base-url", "https://console.tim.qq.com",
                "state.datasource.url", "jdbc:h2:file:./data/timbridge-state"));

        assertThat(problems).extracting(RequiredSettings.Problem::key)
                .containsExactly("tim.sdk-app-id", "tim.secret-key", "legacy.datasource.url");
        assertThat(problems).extracting(RequiredSettings.Problem::env)
                .containsExactly("TIM_SDK_APP_ID", "TIM_SECRET_KEY", "LEGACY_DB_URL");
        assertThat(RequiredSettings.describe("import", problems))
                .startsWith("import cannot start: 3 settings are missing or invalid\n")
                .contains("  tim.secret-key (environment variable TIM_SECRET_KEY): not set; the app's secret key");
    }

    @Test
    void aDryRunAsksOnlyForTheDatabases() {
        assertThat(check(Command.IMPORT, true, Map.of("legacy.datasource.url", "jdbc:mariadb://127.0.0.1/im",
                "state.datasource.url", "jdbc:h2:mem:state"))).isEmpty();
        assertThat(check(Command.IMPORT, true, Map.of())).extracting(RequiredSettings.Problem::key)
                .containsExactly("legacy.datasource.url", "state.datasource.url");
    }

    @Test
    void valuesOfTheWrongShapeAreRefused() {
        List<RequiredSettings.Problem> problems = check(Command.SYNC, false, Map.of(
                "tim.sdk-app-id", "app-1400", "tim.secret-key", "k", "tim.admin-identifier", "admin",
                "tim.base-url", "console.tim.qq.com", "legacy.datasource.url", "jdbc:mysql://db:3306/im",
                "state.datasource.url", "jdbc:sqlserver://db"));

        assertThat(problems).extracting(RequiredSettings.Problem::key)
                .containsExactly("tim.sdk-app-id", "tim.base-url", "state.datasource.url");
        assertThat(problems.get(0).reason()).isEqualTo("must be a number, was 'app-1400'");
    }

    @Test
    void theSandboxNeedsTheAppItStandsInFor() {
        assertThat(check(Command.SANDBOX, false, Map.of("tim.admin-identifier", "administrator")))
                .extracting(RequiredSettings.Problem::key).containsExactly("tim.sdk-app-id", "tim.secret-key");
    }

    @Test
    void commandsWithoutTimOrDatabasesNeedNothing() {
        assertThat(check(Command.DEMO, false, Map.of())).isEmpty();
        assertThat(check(Command.STATUS, false, Map.of())).isEmpty();
    }
}
