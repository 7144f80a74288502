package io.timbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.timbridge.legacy.LegacySchema;
import io.timbridge.legacy.generator.GeneratorOptions;
import io.timbridge.legacy.generator.SampleDataGenerator;
import io.timbridge.sandbox.TimSandbox;
import io.timbridge.state.DeadLetters;
import org.apache.camel.CamelContext;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code demo}: the main job on the embedded default. Fills the H2 legacy database with sample data (once;
 * a second run reuses it), imports it into the in-process TIM sandbox, and shows what each side holds.
 */
public final class DemoJob implements Job {

    @Override
    public int run(CamelContext context, Map<String, String> options, PrintStream out) throws Exception {
        DataSource legacy = context.getRegistry().lookupByNameAndType("legacyDataSource", DataSource.class);
        TimSandbox sandbox = context.getRegistry().lookupByNameAndType("timSandbox", TimSandbox.class);
        if (sandbox == null) {
            throw new IllegalStateException("demo needs the embedded sandbox (bridge.embedded-sandbox=true)");
        }
        try (Connection c = legacy.getConnection()) {
            if (LegacySchema.isPresent(c) && count(c, "SELECT COUNT(*) FROM users") > 0) {
                out.println("Legacy sample already present: importing it (again; nothing is doubled).");
            } else {
                GeneratorOptions generate = GeneratorOptions.parse(
                        "--users=" + options.getOrDefault("users", "1000"),
                        "--messages=" + options.getOrDefault("messages", "10000"));
                out.print(new SampleDataGenerator(generate).generate(c).describe());
            }
        }
        // The embedded sandbox starts empty in every process: import everything into it, not only what is new.
        Map<String, String> importOptions = new LinkedHashMap<>(options);
        importOptions.put("restart", "true");
        int code = new ImportJob().run(context, importOptions, out);

        out.println();
        out.println("What each side holds:");
        JsonNode tim = sandbox.inspect().counts();
        Map<String, long[]> sides = new LinkedHashMap<>();
        try (Connection c = legacy.getConnection()) {
            sides.put("accounts", new long[]{count(c, "SELECT COUNT(*) FROM users"),
                    tim.path("accounts").asLong() - 1});
            sides.put("friendships (one way)", new long[]{count(c, "SELECT COUNT(*) FROM friendships"),
                    tim.path("friendships").asLong()});
            sides.put("one-to-one messages", new long[]{count(c, "SELECT COUNT(*) FROM c2c_messages"),
                    tim.path("c2cMessages").asLong()});
            sides.put("groups", new long[]{count(c, "SELECT COUNT(*) FROM im_groups WHERE dismissed_at_ms IS NULL"),
                    tim.path("groups").asLong()});
            sides.put("group members", new long[]{count(c, "SELECT COUNT(*) FROM group_members"),
                    tim.path("groupMembers").asLong()});
            sides.put("group messages", new long[]{count(c, "SELECT COUNT(*) FROM group_messages"),
                    tim.path("groupMessages").asLong()});
        }
        out.printf("%-24s %12s %12s%n", "", "legacy", "TIM");
        sides.forEach((what, n) -> out.printf("%-24s %,12d %,12d%n", what, n[0], n[1]));
        DeadLetters deadLetters = context.getRegistry().lookupByNameAndType("deadLetters", DeadLetters.class);
        out.println("Dead letters (rows TIM must refuse, by design of the sample): " + deadLetters.openCounts());
        return code == ImportJob.EXIT_DEAD_LETTERS ? 0 : code;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
