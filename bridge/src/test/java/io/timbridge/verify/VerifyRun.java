package io.timbridge.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbridge.Timbridge;
import io.timbridge.config.Command;
import io.timbridge.testsupport.TestDatabases.TestDatabase;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** One run of the real {@code verify} command: its exit code, its JSON report and what it printed. */
record VerifyRun(int exitCode, JsonNode report, String terminal) {
    static final String APP_ID = "1400000000";
    static final String ADMIN = "administrator";
    static final String TAGS = "level:Tag_Profile_Custom_Level,vip:Tag_Profile_Custom_Vip,"
            + "hobby:Tag_Profile_Custom_Hobby,company:Tag_Profile_Custom_Company";

    /** The settings an import and a verify of the legacy database into the sandbox at the port share. */
    static Map<String, String> settings(TestDatabase legacy, String stateUrl, String secretKey, int sandboxPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("legacy.datasource.url", legacy.url());
        p.put("legacy.datasource.username", legacy.user());
        p.put("legacy.datasource.password", legacy.password());
        p.put("state.datasource.url", stateUrl);
        p.put("tim.sdk-app-id", APP_ID);
        p.put("tim.admin-identifier", ADMIN);
        p.put("tim.secret-key", secretKey);
        p.put("tim.base-url", "http://127.0.0.1:" + sandboxPort);
        p.put("camel.management.enabled", "false");
        p.put("bridge.import.page-size", "50");
        p.put("bridge.import.retry-delay-ms", "20");
        p.put("bridge.import.retry-max-delay-ms", "200");
        p.put("bridge.import.profiles.custom-tags", TAGS);
        p.put("bridge.verify.roaming-window-days", "0");
        return p;
    }

    /** Runs verify with the settings and options such as {@code --only=accounts}, reporting into a new directory. */
    static VerifyRun of(Map<String, String> settings, Path reports, String... options) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String o : options) {
            opts.put(o.substring(2, o.indexOf('=')), o.substring(o.indexOf('=') + 1));
        }
        Path dir = Files.createTempDirectory(reports, "run");
        opts.put("report-dir", dir.toString());
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        int code = Timbridge.runJob(Timbridge.newMain(Command.VERIFY, settings), Command.VERIFY, opts,
                new PrintStream(terminal, true, StandardCharsets.UTF_8));
        String text = terminal.toString(StandardCharsets.UTF_8);
        assertThat(dir.resolve("verify-report.html")).as(text).exists();
        return new VerifyRun(code, new ObjectMapper().readTree(dir.resolve("verify-report.json").toFile()), text);
    }

    JsonNode type(String name) {
        for (JsonNode t : report.path("types")) {
            if (t.path("type").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no " + name + " in " + report);
    }

    List<String> keys(String type, String kind) {
        List<String> keys = new ArrayList<>();
        type(type).path("differences").forEach(d -> {
            if (d.path("kind").asText().equals(kind)) {
                keys.add(d.path("key").asText());
            }
        });
        return keys;
    }
}
