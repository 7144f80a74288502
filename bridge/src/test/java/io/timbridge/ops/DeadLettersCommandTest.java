package io.timbridge.ops;

import io.timbridge.state.DeadLetters;
import io.timbridge.state.StateSchema;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLettersCommandTest {
    @TempDir
    Path dir;
    private String stateUrl;
    private DeadLetters deadLetters;

    @BeforeEach
    void state() {
        stateUrl = "jdbc:h2:file:" + dir.resolve("state").toAbsolutePath();
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(stateUrl);
        StateSchema.migrate(ds);
        deadLetters = new DeadLetters(ds);
        deadLetters.record("import-groups", "g1", null, null, "group-profile: Name is 40 bytes, at most 30",
                "{\"group_id\":\"g1\"}", "[\"\"]");
        deadLetters.record("import-profiles", "u1", "v4/profile/portrait_set", 40001, "a profile value, \"quoted\"\nover two lines",
                "{\"From_Account\":\"u1\"}");
        deadLetters.record("import-profiles", "u2", "v4/profile/portrait_set", 70402, "invalid parameter", "{}");
        deadLetters.record("sync-c2c-messages-to-tim", "42", "v4/openim/sendmsg", 90012, "account not imported", "{}");
        deadLetters.resolve("sync-c2c-messages-to-tim", "42");
    }

    private String run(DeadLettersCommand.Options options, int expectedExit) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = DeadLettersCommand.run(options, Map.of("state.datasource.url", stateUrl),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isEqualTo(expectedExit);
        return text;
    }

    private static DeadLettersCommand.Options filter(String route, Integer code, String reason, String status) {
        return new DeadLettersCommand.Options(route, code, reason, status, null, null, 50);
    }

    @Test
    void listsTheOpenOnesWithCountsPerRouteCodeAndRule() throws Exception {
        String out = run(filter(null, null, null, DeadLetters.OPEN), 0);

        assertThat(out).contains("g1", "u1", "u2").doesNotContain("sync-c2c-messages-to-tim")
                .contains("3 open dead letters")
                .containsPattern("1\\s+import-groups\\s+-\\s+group-profile")
                .containsPattern("1\\s+import-profiles\\s+40001")
                .contains("dead-letters --show=ID", "replay");
    }

    @Test
    void filtersByRouteCodeReasonAndStatus() throws Exception {
        assertThat(run(filter("import-profiles", 70402, null, DeadLetters.OPEN), 0))
                .contains("u2").doesNotContain("u1 ").contains("1 open dead letters");
        assertThat(run(filter(null, null, "QUOTED", DeadLetters.OPEN), 0)).contains("import-profiles")
                .contains("1 open dead letters");
        assertThat(run(filter(null, null, null, DeadLetters.RESOLVED), 0)).contains("sync-c2c-messages-to-tim")
                .contains("1 resolved dead letters");
        assertThat(run(filter("import-accounts", null, null, DeadLetters.OPEN), 0)).contains("No open dead letters match.");
    }

    @Test
    void showsOneWithItsPayload() throws Exception {
        long id = deadLetters.list(DeadLetters.OPEN, "import-groups", 1).get(0).id();

        String out = run(new DeadLettersCommand.Options(null, null, null, null, id, null, 50), 0);

        assertThat(out).contains("route     import-groups", "item      g1", "refused before any call",
                "{\"group_id\":\"g1\"}", "the page after [\"\"]");
        assertThat(run(new DeadLettersCommand.Options(null, null, null, null, 9999L, null, 50), 1))
                .contains("no dead letter has id 9999");
    }

    @Test
    void exportsEveryMatchAsCsvAQuotingReaderParses() throws Exception {
        Path csv = dir.resolve("out/dead.csv");

        String out = run(new DeadLettersCommand.Options(null, null, null, null, null, csv, 1), 0);

        assertThat(out).contains("4 dead letters written to " + csv.toAbsolutePath());
        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(Files.newBufferedReader(csv)).getRecords();
        assertThat(rows).extracting(r -> r.get("item_key")).containsExactly("g1", "u1", "u2", "42");
        assertThat(rows.get(1).get("reason")).isEqualTo("a profile value, \"quoted\"\nover two lines");
        assertThat(rows.get(1).get("error_code")).isEqualTo("40001");
        assertThat(rows.get(3).get("status")).isEqualTo("RESOLVED");
    }

    @Test
    void aMissingStateDatabaseIsNamedAndNotCreated() throws Exception {
        stateUrl = "jdbc:h2:file:" + dir.resolve("nothing-here").toAbsolutePath();

        assertThat(run(filter(null, null, null, DeadLetters.OPEN), 1)).contains("cannot be read", "state.datasource.url");
        assertThat(dir.resolve("nothing-here.mv.db")).doesNotExist();
    }
}
