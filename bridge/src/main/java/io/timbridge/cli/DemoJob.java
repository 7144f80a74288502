package io.timbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.timbridge.legacy.LegacySchema;
import io.timbridge.legacy.generator.GeneratorOptions;
import io.timbridge.legacy.generator.SampleDataGenerator;
import io.timbridge.sandbox.TimSandbox;
import io.timbridge.state.DeadLetters;
import io.timbridge.sync.ChangeLogSchema;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code demo}: the main job on the embedded default. Fills the H2 legacy database with sample data (once;
 * a second run reuses it), imports it into the in-process TIM sandbox, shows what each side holds, then
 * starts the two-way sync and shows messages crossing both ways: an app 1.0 user writes into the legacy
 * database, an app 2.0 user sends through the sandbox. The sync then runs until the process is stopped
 * ({@code --exit}: stop after the crossing).
 */
public final class DemoJob implements Job {
    /** Routes that start only once the import is done: the pollers, the gap sweep and the change-log purge. */
    public static final String SYNC_ROUTE_PREFIX = "sync-";

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
        Map<String, Long> open = deadLetters.openCounts();
        out.printf("Dead letters (rows TIM must refuse, by design of the sample): %,d%n",
                open.values().stream().mapToLong(Long::longValue).sum());
        open.forEach((route, n) -> out.printf("  %-22s %,8d%n", route, n));
        out.println("  'dead-letters --camel.main.profile=dev' lists them with their reasons.");
        if (code != 0 && code != ImportJob.EXIT_DEAD_LETTERS) {
            return code;
        }

        out.println();
        try (Connection c = legacy.getConnection()) {
            // The group-changes poller reads the app's group and membership changes from the change log.
            ChangeLogSchema.apply(c);
        }
        out.println("Two-way sync started. Messages crossing:");
        for (Route route : context.getRoutes()) {
            if (route.getRouteId().startsWith(SYNC_ROUTE_PREFIX)) {
                context.getRouteController().startRoute(route.getRouteId());
            }
        }
        if (!new Crossing(legacy, sandbox, out).show()) {
            return 1;
        }
        if (Boolean.parseBoolean(options.getOrDefault("exit", "false"))) {
            return 0;
        }
        out.println();
        out.println("The sync keeps running: write rows into the legacy database or act as an app 2.0 user through");
        out.println("the sandbox (POST /sandbox/client/c2c/send on port " + sandbox.port() + "). Ctrl+C stops it.");
        Runtime.getRuntime().addShutdownHook(new Thread(context::stop, "demo-stop"));
        while (context.getStatus().isStarted()) {
            Thread.sleep(500);
        }
        return 0;
    }

    /** One message each way, one-to-one and in a group, between users and a group both sides hold. */
    private static final class Crossing {
        private static final ObjectMapper JSON = new ObjectMapper();
        private static final Duration WAIT = Duration.ofSeconds(30);
        private final DataSource legacy;
        private final TimSandbox sandbox;
        private final PrintStream out;

        Crossing(DataSource legacy, TimSandbox sandbox, PrintStream out) {
            this.legacy = legacy;
            this.sandbox = sandbox;
            this.out = out;
        }

        boolean show() throws Exception {
            List<String> users = new ArrayList<>();
            String groupId = null;
            String member = null;
            try (Connection c = legacy.getConnection()) {
                for (String user : strings(c, "SELECT user_id FROM users ORDER BY user_id", 100)) {
                    if (users.size() < 2 && sandbox.inspect().account(user) != null) {
                        users.add(user);
                    }
                }
                for (String row : strings(c, "SELECT m.group_id || ' ' || m.user_id FROM group_members m"
                        + " JOIN im_groups g ON g.group_id = m.group_id WHERE g.dismissed_at_ms IS NULL"
                        + " AND g.group_type IN ('work', 'public') ORDER BY m.group_id, m.user_id", 1000)) {
                    String[] gm = row.split(" ", 2);
                    JsonNode group = sandbox.inspect().group(gm[0]);
                    if (group != null && group.path("MemberList").findValuesAsText("Member_Account").contains(gm[1])) {
                        groupId = gm[0];
                        member = gm[1];
                        break;
                    }
                }
            }
            if (users.size() < 2 || groupId == null) {
                out.println("  (the sample holds no users and group both sides have: nothing to show)");
                return true;
            }
            String a = users.get(0);
            String b = users.get(1);
            String g = groupId;
            String nonce = Long.toString(System.currentTimeMillis() % 100_000);
            boolean ok = true;

            String text = "你好 from app 1.0 #" + nonce;
            long start = System.nanoTime();
            legacyInsert("INSERT INTO c2c_messages (sender_id, receiver_id, msg_type, content, created_at_ms)"
                    + " VALUES (?, ?, 'text', ?, ?)", a, b, text, System.currentTimeMillis());
            ok &= report("app 1.0 -> TIM   ", "one-to-one " + a + " -> " + b, text, start,
                    () -> conversation(a, b).contains(text));

            String groupText = "大家好 from app 1.0 #" + nonce;
            start = System.nanoTime();
            legacyInsert("INSERT INTO group_messages (group_id, sender_id, msg_type, content, created_at_ms)"
                    + " VALUES (?, ?, 'text', ?, ?)", g, member, groupText, System.currentTimeMillis());
            ok &= report("app 1.0 -> TIM   ", "group " + g + " from " + member, groupText, start,
                    () -> lastGroupMessages(g).contains(groupText));

            String reply = "Hi from app 2.0 #" + nonce;
            start = System.nanoTime();
            sandbox.user(b).sendC2c(a, text(reply));
            ok &= report("app 2.0 -> legacy", "one-to-one " + b + " -> " + a, reply, start,
                    () -> legacyHas("SELECT COUNT(*) FROM c2c_messages WHERE content = ?", reply));

            String groupReply = "Hello group from app 2.0 #" + nonce;
            start = System.nanoTime();
            sandbox.user(member).sendGroupMsg(g, text(groupReply));
            ok &= report("app 2.0 -> legacy", "group " + g + " from " + member, groupReply, start,
                    () -> legacyHas("SELECT COUNT(*) FROM group_messages WHERE content = ?", groupReply));
            return ok;
        }

        private boolean report(String direction, String where, String text, long startNanos, Check arrived)
                throws Exception {
            long deadline = startNanos + WAIT.toNanos();
            while (!arrived.done()) {
                if (System.nanoTime() > deadline) {
                    out.printf("  %s  %-40s \"%s\"  NOT there after %d s%n", direction, where, text, WAIT.toSeconds());
                    return false;
                }
                Thread.sleep(20);
            }
            out.printf("  %s  %-40s \"%s\"  arrived after %d ms%n", direction, where, text,
                    (System.nanoTime() - startNanos) / 1_000_000);
            return true;
        }

        /** The pair's conversation in TIM as text; empty while they have none. */
        private String conversation(String a, String b) {
            JsonNode conversation = sandbox.inspect().c2c(a, b);
            return conversation == null ? "" : conversation.toString();
        }

        private String lastGroupMessages(String groupId) {
            long count = sandbox.inspect().group(groupId).path("MsgCnt").asLong();
            return sandbox.inspect().groupMessages(groupId, (int) Math.max(0, count - 20), 20).toString();
        }

        private void legacyInsert(String sql, Object... params) throws SQLException {
            try (Connection c = legacy.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                ps.executeUpdate();
            }
        }

        private boolean legacyHas(String sql, String value) throws SQLException {
            try (Connection c = legacy.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, value);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getLong(1) > 0;
                }
            }
        }

        private static List<String> strings(Connection c, String sql, int max) throws SQLException {
            List<String> values = new ArrayList<>();
            try (Statement st = c.createStatement()) {
                st.setMaxRows(max);
                try (ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        values.add(rs.getString(1));
                    }
                }
            }
            return values;
        }

        private static ArrayNode text(String text) {
            ArrayNode body = JSON.createArrayNode();
            body.addObject().put("MsgType", "TIMTextElem").putObject("MsgContent").put("Text", text);
            return body;
        }

        private interface Check {
            boolean done() throws Exception;
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
