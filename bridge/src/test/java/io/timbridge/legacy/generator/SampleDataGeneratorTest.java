package io.timbridge.legacy.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timbridge.convert.ConversionException;
import io.timbridge.convert.LegacyMessageType;
import io.timbridge.convert.MessageConverter;
import io.timbridge.convert.TimRules;
import io.timbridge.testsupport.TableChecksum;
import io.timbridge.testsupport.TestDatabases;
import io.timbridge.testsupport.TestDatabases.Kind;
import io.timbridge.testsupport.TestDatabases.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SampleDataGeneratorTest {

    /** Table → ORDER BY that reads it in a unique order. */
    private static final Map<String, String> TABLE_KEYS = new LinkedHashMap<>();

    static {
        TABLE_KEYS.put("users", "user_id");
        TABLE_KEYS.put("user_custom_fields", "user_id, field_key");
        TABLE_KEYS.put("friendships", "id");
        TABLE_KEYS.put("c2c_messages", "id");
        TABLE_KEYS.put("im_groups", "group_id");
        TABLE_KEYS.put("group_members", "id");
        TABLE_KEYS.put("group_messages", "id");
    }

    private static final GeneratorOptions OPTIONS = GeneratorOptions.parse(
            "--users=500", "--friends-per-user=6", "--conversations=800", "--groups=200", "--messages=6000",
            "--seed=20240501", "--bad-share=0.03", "--batch-size=250");

    private static Map<String, String> h2Checksums;
    private static SampleDataGenerator.Summary h2Summary;

    @BeforeAll
    static void generateReferenceOnH2() throws SQLException {
        try (TestDatabase db = TestDatabases.create(Kind.H2); Connection c = db.connection()) {
            h2Summary = generate(c, OPTIONS);
            h2Checksums = checksums(c);
        }
    }

    @Test
    void sameSeedGivesIdenticalTablesAndAnotherSeedDoesNot() throws SQLException {
        try (TestDatabase db = TestDatabases.create(Kind.H2); Connection c = db.connection()) {
            generate(c, OPTIONS);
            assertThat(checksums(c)).isEqualTo(h2Checksums);
        }
        GeneratorOptions otherSeed = GeneratorOptions.parse("--users=500", "--friends-per-user=6",
                "--conversations=800", "--groups=200", "--messages=6000", "--seed=20240502", "--bad-share=0.03");
        try (TestDatabase db = TestDatabases.create(Kind.H2); Connection c = db.connection()) {
            generate(c, otherSeed);
            Map<String, String> other = checksums(c);
            for (String table : TABLE_KEYS.keySet()) {
                assertThat(other.get(table)).as(table).isNotEqualTo(h2Checksums.get(table));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"MARIADB", "POSTGRESQL"})
    void sameSeedGivesTheSameRowsOnEveryDatabase(Kind kind) throws SQLException {
        try (TestDatabase db = TestDatabases.create(kind); Connection c = db.connection()) {
            SampleDataGenerator.Summary summary = generate(c, OPTIONS);
            assertThat(summary.rows()).isEqualTo(h2Summary.rows());
            assertThat(checksums(c)).isEqualTo(h2Checksums);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void generatedHistoryHasTheShapeImportersRelyOn(Kind kind) throws SQLException {
        try (TestDatabase db = TestDatabases.create(kind); Connection c = db.connection()) {
            SampleDataGenerator.Summary summary = generate(c, OPTIONS);

            rowCountsMatchTheSummary(c, summary);
            badRowsArePresentAndRefusedForTheirReason(c, summary);
            friendshipsAreMutual(c);
            conversationsHaveZipfSizesAndOrderingEdgeCases(c);
            groupsHaveRealisticSizesAndConsistentTimes(c);
            appInsertsContinueAfterTheGeneratedIds(c, summary);
        }
    }

    @Test
    void refusesTablesThatHoldRowsUnlessReset() throws SQLException {
        try (TestDatabase db = TestDatabases.create(Kind.H2); Connection c = db.connection()) {
            GeneratorOptions small = GeneratorOptions.parse("--users=20", "--messages=100", "--seed=1");
            generate(c, small);

            assertThatThrownBy(() -> generate(c, small))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("--reset");

            GeneratorOptions reset = GeneratorOptions.parse("--users=20", "--messages=100", "--seed=1", "--reset");
            generate(c, reset);
            assertThat(count(c, "SELECT COUNT(*) FROM users")).isEqualTo(20);
            assertThat(count(c, "SELECT MIN(id) FROM c2c_messages")).isEqualTo(1);
        }
    }

    @Test
    void commandLineGeneratesAndPrintsASummary() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String url = "jdbc:h2:mem:cli_" + System.nanoTime();

        int code = SampleDataGenerator.run(new String[] {"--url=" + url, "--users=50", "--messages=500"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("users", "c2c_messages", "group_messages", "rows/s", "LONG_USER_ID");
        assertThat(SampleDataGenerator.run(new String[] {"--users=x"}, new PrintStream(out), new PrintStream(err)))
                .isEqualTo(2);
    }

    // ---- checks -------------------------------------------------------------------------

    private static void rowCountsMatchTheSummary(Connection c, SampleDataGenerator.Summary summary) throws SQLException {
        for (String table : TABLE_KEYS.keySet()) {
            assertThat(count(c, "SELECT COUNT(*) FROM " + table)).as(table).isEqualTo(summary.rows().get(table));
        }
        assertThat(summary.rows().get("users")).isEqualTo(500);
        assertThat(summary.rows().get("c2c_messages") + summary.rows().get("group_messages")).isEqualTo(6000);
        assertThat(summary.rows().get("im_groups")).isEqualTo(200);
    }

    private static void badRowsArePresentAndRefusedForTheirReason(Connection c, SampleDataGenerator.Summary summary)
            throws SQLException {
        long longIds = 0;
        for (String id : strings(c, "SELECT user_id FROM users")) {
            if (!TimRules.checkUserId(id).isEmpty()) {
                longIds++;
                assertThat(TimRules.checkUserId(id)).extracting(TimRules.Violation::reason)
                        .containsExactly(TimRules.Reason.USER_ID_TOO_LONG);
            }
        }
        assertThat(longIds).isEqualTo(summary.badRows().get(BadRow.LONG_USER_ID)).isBetween(5L, 40L);

        MessageConverter converter = new MessageConverter();
        Map<ConversionException.Reason, Long> refused = new EnumMap<>(ConversionException.Reason.class);
        for (String table : List.of("c2c_messages", "group_messages")) {
            Set<LegacyMessageType> converted = EnumSet.noneOf(LegacyMessageType.class);
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT msg_type, content FROM " + table)) {
                while (rs.next()) {
                    try {
                        converter.toTimBody(rs.getString(1), rs.getString(2));
                        converted.add(converter.legacyType(rs.getString(1)));
                    } catch (ConversionException e) {
                        refused.merge(e.reason(), 1L, Long::sum);
                    }
                }
            }
            assertThat(converted).as(table + " has every type").containsExactlyInAnyOrder(LegacyMessageType.values());
        }
        assertThat(refused).containsOnlyKeys(ConversionException.Reason.UNKNOWN_TYPE, ConversionException.Reason.BODY_TOO_LARGE);
        assertThat(refused.get(ConversionException.Reason.UNKNOWN_TYPE))
                .isEqualTo(summary.badRows().get(BadRow.UNKNOWN_MESSAGE_TYPE)).isPositive();
        assertThat(refused.get(ConversionException.Reason.BODY_TOO_LARGE))
                .isEqualTo(summary.badRows().get(BadRow.OVERSIZE_BODY)).isPositive();
        // 3 % of 6000 messages, give or take chance.
        long badMessages = refused.values().stream().mapToLong(Long::longValue).sum();
        assertThat(badMessages).isBetween(120L, 240L);

        long refusedGroups = 0;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT group_id, group_type, name, introduction, notification, avatar_url FROM im_groups")) {
            while (rs.next()) {
                if (!TimRules.checkGroupId(rs.getString(1)).isEmpty()
                        || !TimRules.checkImportableGroupType(rs.getString(2)).isEmpty()
                        || !TimRules.checkGroupProfile(rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6)).isEmpty()) {
                    refusedGroups++;
                }
            }
        }
        assertThat(refusedGroups).isEqualTo(summary.badRows().get(BadRow.UNIMPORTABLE_GROUP_TYPE)
                + summary.badRows().get(BadRow.LONG_GROUP_NAME)).isPositive();
    }

    private static void friendshipsAreMutual(Connection c) throws SQLException {
        assertThat(count(c, "SELECT COUNT(*) FROM friendships f LEFT JOIN friendships r"
                + " ON r.user_id = f.friend_id AND r.friend_id = f.user_id WHERE r.id IS NULL")).isZero();
        assertThat(count(c, "SELECT COUNT(*) FROM friendships WHERE user_id = friend_id")).isZero();
        // About 6 friends per user on average.
        assertThat(count(c, "SELECT COUNT(*) FROM friendships")).isBetween(2500L, 3500L);
    }

    private static void conversationsHaveZipfSizesAndOrderingEdgeCases(Connection c) throws SQLException {
        Map<String, List<Long>> times = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT sender_id, receiver_id, created_at_ms FROM c2c_messages ORDER BY id")) {
            while (rs.next()) {
                String a = rs.getString(1);
                String b = rs.getString(2);
                String conversation = a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
                times.computeIfAbsent(conversation, k -> new ArrayList<>()).add(rs.getLong(3));
            }
        }
        boolean sameMillisecond = false;
        boolean sameSecond = false;
        for (List<Long> t : times.values()) {
            for (int i = 1; i < t.size(); i++) {
                assertThat(t.get(i)).as("id order is time order within a conversation").isGreaterThanOrEqualTo(t.get(i - 1));
                sameMillisecond |= t.get(i).equals(t.get(i - 1));
                sameSecond |= !t.get(i).equals(t.get(i - 1)) && t.get(i) / 1000 == t.get(i - 1) / 1000;
            }
        }
        assertThat(sameMillisecond).isTrue();
        assertThat(sameSecond).isTrue();

        List<Integer> sizes = times.values().stream().map(List::size).sorted().toList();
        int total = sizes.stream().mapToInt(Integer::intValue).sum();
        assertThat(sizes.get(sizes.size() - 1)).as("the busiest conversation").isGreaterThan(total / 20);
        assertThat(sizes.get(sizes.size() / 2)).as("the median conversation").isLessThan(10);
    }

    private static void groupsHaveRealisticSizesAndConsistentTimes(Connection c) throws SQLException {
        List<Long> sizes = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM group_members GROUP BY group_id ORDER BY COUNT(*)")) {
            while (rs.next()) {
                sizes.add(rs.getLong(1));
            }
        }
        assertThat(sizes).hasSize(200);
        assertThat(sizes.get(0)).isGreaterThanOrEqualTo(3);
        assertThat(sizes.get(100)).as("median group").isLessThanOrEqualTo(10);
        assertThat(sizes.get(199)).as("largest group").isGreaterThanOrEqualTo(50);

        assertThat(count(c, "SELECT COUNT(*) FROM im_groups g JOIN group_members m ON m.group_id = g.group_id"
                + " WHERE m.role = 'owner' AND m.user_id = g.owner_id")).isEqualTo(200);
        assertThat(count(c, "SELECT COUNT(*) FROM im_groups g JOIN group_members m ON m.group_id = g.group_id"
                + " WHERE m.joined_at_ms / 1000 <= g.created_at_ms / 1000")).as("joined in a later second").isZero();
        assertThat(count(c, "SELECT COUNT(*) FROM im_groups g JOIN group_messages m ON m.group_id = g.group_id"
                + " WHERE m.created_at_ms / 1000 <= g.created_at_ms / 1000")).as("sent after creation").isZero();
        assertThat(count(c, "SELECT COUNT(*) FROM group_messages m LEFT JOIN group_members gm"
                + " ON gm.group_id = m.group_id AND gm.user_id = m.sender_id AND gm.joined_at_ms <= m.created_at_ms"
                + " WHERE gm.id IS NULL")).as("senders had joined").isZero();
        assertThat(count(c, "SELECT COUNT(*) FROM group_messages a JOIN group_messages b"
                + " ON b.group_id = a.group_id AND b.id > a.id AND b.created_at_ms < a.created_at_ms"))
                .as("ascending time within a group").isZero();
        assertThat(count(c, "SELECT COUNT(*) FROM group_members gm JOIN ("
                + "SELECT group_id, COUNT(*) n FROM group_messages GROUP BY group_id) m ON m.group_id = gm.group_id"
                + " WHERE gm.unread_count > m.n")).as("unread within the group's history").isZero();
    }

    private static void appInsertsContinueAfterTheGeneratedIds(Connection c, SampleDataGenerator.Summary summary)
            throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO c2c_messages (sender_id, receiver_id, msg_type, content, created_at_ms, bridge_origin)"
                    + " VALUES ('u1000000', 'u1000001', 'text', 'hi', 1, 'tim')");
            st.executeUpdate("INSERT INTO group_members (group_id, user_id, role, joined_at_ms, unread_count)"
                    + " VALUES ('g100000', 'someone-new', 'member', 1, 0)");
        }
        c.commit();
        assertThat(count(c, "SELECT MAX(id) FROM c2c_messages")).isEqualTo(summary.rows().get("c2c_messages") + 1);
        assertThat(count(c, "SELECT MAX(id) FROM group_members")).isEqualTo(summary.rows().get("group_members") + 1);
    }

    // ---- helpers ------------------------------------------------------------------------

    private static SampleDataGenerator.Summary generate(Connection c, GeneratorOptions options) throws SQLException {
        return new SampleDataGenerator(options).generate(c);
    }

    private static Map<String, String> checksums(Connection c) throws SQLException {
        Map<String, String> sums = new LinkedHashMap<>();
        for (Map.Entry<String, String> table : TABLE_KEYS.entrySet()) {
            sums.put(table.getKey(), TableChecksum.of(c, table.getKey(), table.getValue()));
        }
        return sums;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
