package io.timbridge.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbridge.Timbridge;
import io.timbridge.config.Command;

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
