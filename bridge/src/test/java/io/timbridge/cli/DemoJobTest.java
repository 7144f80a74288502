package io.timbridge.cli;

import io.timbridge.Timbridge;
import io.timbridge.config.Command;
import io.timbridge.testsupport.FreePorts;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first command on a small sample: generate, import into the in-process sandbox, then the
 * two-way sync with one message each way, one-to-one and in a group, each arriving once.
 */
class DemoJobTest {
    @TempDir
    Path dir;

    @Test
    void theDemoImportsThenShowsMessagesCrossingBothWaysOnce() throws Exception {
        String legacyUrl = "jdbc:h2:file:" + dir.resolve("legacy").toAbsolutePath() + ";AUTO_SERVER=TRUE";
        String stateUrl = "jdbc:h2:file:" + dir.resolve("state").toAbsolutePath() + ";AUTO_SERVER=TRUE";
        Map<String, String> overrides = Map.of(
                "legacy.datasource.url", legacyUrl,
                "state.datasource.url", stateUrl,
                "sandbox.port", String.valueOf(FreePorts.next()),
                "camel.server.port", String.valueOf(FreePorts.next()),
                "camel.management.port", String.valueOf(FreePorts.next()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        int code = Timbridge.runJob(Timbridge.newMain(Command.DEMO, overrides), Command.DEMO,
                Map.of("users", "60", "messages", "600", "exit", "true"), out);

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed).isZero();
        assertThat(printed).contains("What each side holds:", "Two-way sync started");
        assertThat(printed.lines().filter(l -> l.contains("arrived after"))).as(printed).hasSize(4);
        JdbcDataSource legacy = new JdbcDataSource();
        legacy.setURL(legacyUrl);
        try (Connection c = legacy.getConnection()) {
            assertThat(count(c, "SELECT COUNT(*) FROM c2c_messages WHERE content LIKE 'Hi from app 2.0 #%'")).isEqualTo(1);
            assertThat(count(c, "SELECT COUNT(*) FROM group_messages WHERE content LIKE 'Hello group from app 2.0 #%'"))
                    .isEqualTo(1);
            assertThat(count(c, "SELECT COUNT(*) FROM c2c_messages WHERE content LIKE '你好 from app 1.0 #%'")).isEqualTo(1);
            // Every member row is accounted for: sent, refused, or in TIM already (a group's owner comes with it).
            long members = count(c, "SELECT COUNT(*) FROM group_members m JOIN im_groups g ON g.group_id = m.group_id"
                    + " WHERE g.dismissed_at_ms IS NULL AND g.bridge_origin IS NULL AND m.bridge_origin IS NULL");
            java.util.regex.Matcher row = java.util.regex.Pattern.compile(
                    "import-group-members\\s+([\\d,]+)\\s+([\\d,]+)\\s+([\\d,]+)").matcher(printed);
            assertThat(row.find()).as(printed).isTrue();
            assertThat(IntStream.rangeClosed(1, 3).mapToLong(i -> Long.parseLong(row.group(i).replace(",", ""))).sum())
                    .as(printed).isEqualTo(members);
        }
        JdbcDataSource state = new JdbcDataSource();
        state.setURL(stateUrl);
        try (Connection c = state.getConnection()) {
            assertThat(count(c, "SELECT COUNT(*) FROM tb_dead_letter WHERE route_id = 'import-group-history'"))
                    .as("the sample holds group messages TIM must refuse").isPositive();
            assertThat(count(c, "SELECT COUNT(*) FROM tb_dead_letter WHERE route_id LIKE 'sync-%'"))
                    .as("rows the import refused are its dead letters, not the sync's").isZero();
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

}
