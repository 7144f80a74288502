package io.timbridge.importing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbridge.testsupport.TestSandboxes;
import io.timbridge.state.DeadLetters;
import org.h2.jdbcx.JdbcDataSource;
import io.timbridge.sandbox.TimSandbox;
import io.timbridge.tim.TimApi;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Property overrides that point the import command at a test legacy database and an embedded sandbox. */
final class ImportHarness {
    static final String APP_ID = "1400000000";
    static final String ADMIN = "administrator";
    static final String KEY = "import-test-key";
    static final String CUSTOM_TAGS = "level:Tag_Profile_Custom_Level,vip:Tag_Profile_Custom_Vip,"
            + "hobby:Tag_Profile_Custom_Hobby,company:Tag_Profile_Custom_Company";

    private ImportHarness() {
    }

    /** Settings shared by every import test: the TIM app, no management port, fast retries. */
    static Map<String, String> base(String legacyUrl, String legacyUser, String legacyPassword, String stateUrl) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("legacy.datasource.url", legacyUrl);
        p.put("legacy.datasource.username", legacyUser);
        p.put("legacy.datasource.password", legacyPassword);
        p.put("state.datasource.url", stateUrl);
        p.put("tim.sdk-app-id", APP_ID);
        p.put("tim.admin-identifier", ADMIN);
        p.put("tim.secret-key", KEY);
        p.put("camel.management.enabled", "false");
        p.put("bridge.import.page-size", "200");
        p.put("bridge.import.retry-delay-ms", "20");
        p.put("bridge.import.retry-max-delay-ms", "200");
        p.put("bridge.import.profiles.custom-tags", CUSTOM_TAGS);
        p.put("tim.rate-limit.backoff-initial-ms", "20");
        p.put("tim.rate-limit.backoff-max-ms", "200");
        return p;
    }

    static Map<String, String> unlimited(Map<String, String> p) {
        p.put("sandbox.rate-limits.enabled", "false");
        for (TimApi api : TimApi.values()) {
            p.put("tim.limits." + api.command() + ".qps", "0");
        }
        return p;
    }

    /** A sandbox of the test's own, which outlives the import processes that call it. */
    static TimSandbox standaloneSandbox() {
        return TestSandboxes.standalone(APP_ID, ADMIN, KEY, Map.of());
    }

    static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The dead letters of a finished import, read from its state database. */
    static DeadLetters deadLetters(String stateUrl) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(stateUrl);
        return new DeadLetters(ds);
    }

    static String h2StateUrl() {
        return "jdbc:h2:mem:state_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    }

    static String h2FileUrl(Path dir, String name) {
        return "jdbc:h2:file:" + dir.resolve(name).toAbsolutePath() + ";AUTO_SERVER=TRUE";
    }
}
