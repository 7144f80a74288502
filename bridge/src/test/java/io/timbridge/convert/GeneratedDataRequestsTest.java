package io.timbridge.convert;

import static org.assertj.core.api.Assertions.assertThat;

import io.timbridge.legacy.generator.BadRow;
import io.timbridge.legacy.generator.GeneratorOptions;
import io.timbridge.legacy.generator.SampleDataGenerator;
import io.timbridge.testsupport.TestDatabases;
import io.timbridge.testsupport.TestDatabases.Kind;
import io.timbridge.testsupport.TestDatabases.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every builder over the sample data, read with the keyset-paged SQL the import routes are configured
 * with: each row read becomes an item of a call or a refusal (or is skipped where the mapping says so),
 * and the refusals are exactly the rows the generator planted a defect in.
 */
class GeneratedDataRequestsTest {

    static final String ACCOUNTS_SQL = """
            SELECT user_id, nickname, avatar_url
            FROM users
            WHERE user_id > :#after_user_id
            ORDER BY user_id
            LIMIT :#limit""";

    /** Pages by user (the derived table), so a user's custom fields never straddle two pages. */
    static final String PROFILES_SQL = """
            SELECT u.user_id, u.nickname, u.avatar_url, u.gender, u.birthday, u.signature, u.location,
                   f.field_key, f.field_value
            FROM (SELECT user_id, nickname, avatar_url, gender, birthday, signature, location
                  FROM users
                  WHERE user_id > :#after_user_id
                  ORDER BY user_id
                  LIMIT :#limit) u
            LEFT JOIN user_custom_fields f ON f.user_id = u.user_id
            ORDER BY u.user_id, f.field_key""";

    static final String FRIENDS_SQL = """
            SELECT user_id, friend_id, remark, group_name, add_source, added_at_ms
            FROM friendships
            WHERE user_id >= :#after_user_id
              AND (user_id > :#after_user_id OR friend_id > :#after_friend_id)
            ORDER BY user_id, friend_id
            LIMIT :#limit""";

    static final String C2C_HISTORY_SQL = """
            SELECT id, sender_id, receiver_id, msg_type, content, created_at_ms
            FROM c2c_messages
            WHERE bridge_origin IS NULL AND id > :#after_id
            ORDER BY id
            LIMIT :#limit""";

    static final String GROUPS_SQL = """
            SELECT g.group_id, g.owner_id, g.group_type, g.name, g.introduction, g.notification, g.avatar_url,
                   LEAST(g.created_at_ms,
                         COALESCE((SELECT MIN(j.joined_at_ms) FROM group_members j WHERE j.group_id = g.group_id),
                                  g.created_at_ms),
                         COALESCE((SELECT MIN(x.created_at_ms) FROM group_messages x WHERE x.group_id = g.group_id),
                                  g.created_at_ms)) AS first_event_at_ms
            FROM im_groups g
            WHERE g.dismissed_at_ms IS NULL AND g.bridge_origin IS NULL AND g.group_id > :#after_group_id
            ORDER BY g.group_id
            LIMIT :#limit""";

    /**
     * first_event_at_ms is computed once per group, for at most :#limit groups that still have members after
     * the cursor (the EXISTS), so the page is complete and a big group's history is not scanned per member.
     */
    static final String GROUP_MEMBERS_SQL = """
            SELECT m.group_id, m.user_id, m.role, m.joined_at_ms, g.group_type, g.first_event_at_ms
            FROM (SELECT gg.group_id, gg.group_type,
                         LEAST(gg.created_at_ms,
                               COALESCE((SELECT MIN(j.joined_at_ms) FROM group_members j
                                         WHERE j.group_id = gg.group_id), gg.created_at_ms),
                               COALESCE((SELECT MIN(x.created_at_ms) FROM group_messages x
                                         WHERE x.group_id = gg.group_id), gg.created_at_ms)) AS first_event_at_ms
                  FROM im_groups gg
                  WHERE gg.dismissed_at_ms IS NULL AND gg.bridge_origin IS NULL
                    AND gg.group_id >= :#after_group_id
                    AND EXISTS (SELECT 1 FROM group_members e
                                WHERE e.group_id = gg.group_id AND e.bridge_origin IS NULL
                                  AND (e.group_id > :#after_group_id OR e.user_id > :#after_user_id))
                  ORDER BY gg.group_id
                  LIMIT :#limit) g
            JOIN group_members m ON m.group_id = g.group_id
            WHERE m.bridge_origin IS NULL
              AND (m.group_id > :#after_group_id OR m.user_id > :#after_user_id)
            ORDER BY m.group_id, m.user_id
            LIMIT :#limit""";

    static final String GROUP_HISTORY_SQL = """
            SELECT x.id, x.group_id, x.sender_id, x.msg_type, x.content, x.created_at_ms, g.group_type
            FROM group_messages x
            JOIN im_groups g ON g.group_id = x.group_id
            WHERE x.bridge_origin IS NULL AND g.dismissed_at_ms IS NULL AND g.bridge_origin IS NULL
              AND x.group_id >= :#after_group_id
              AND (x.group_id > :#after_group_id
                   OR x.created_at_ms > :#after_created_at_ms
                   OR (x.created_at_ms = :#after_created_at_ms AND x.id > :#after_id))
            ORDER BY x.group_id, x.created_at_ms, x.id
            LIMIT :#limit""";

    static final String MEMBER_UNREAD_SQL = """
            SELECT m.group_id, m.user_id, m.unread_count, g.group_type
            FROM group_members m
            JOIN im_groups g ON g.group_id = m.group_id
            WHERE m.unread_count > 0 AND m.bridge_origin IS NULL
              AND g.dismissed_at_ms IS NULL AND g.bridge_origin IS NULL
              AND m.group_id >= :#after_group_id
              AND (m.group_id > :#after_group_id OR m.user_id > :#after_user_id)
            ORDER BY m.group_id, m.user_id
            LIMIT :#limit""";

    private static final String LIVE_GROUPS = "g.dismissed_at_ms IS NULL AND g.bridge_origin IS NULL";
    private static final int LIMIT = 23;
    private static final Set<String> MESSAGE_TYPES =
            Set.of("text", "image", "voice", "video", "file", "location", "emoji", "custom");

    private static final GeneratorOptions OPTIONS = GeneratorOptions.parse("--users=300", "--friends-per-user=4",
            "--conversations=300", "--groups=80", "--messages=2500", "--group-message-share=0.5", "--seed=2",
            "--bad-share=0.05", "--batch-size=500");

    private final MessageConverter converter = new MessageConverter();

    /** What one data type's run produced, with the rows read in SQL order. */
    private record Run(List<Map<String, Object>> rows, List<Requests> pages) {

        List<String> itemKeys() {
            return pages.stream().flatMap(p -> p.calls().stream()).flatMap(c -> c.itemKeys().stream()).toList();
        }

        Map<String, String> refusals() {
            Map<String, String> rules = new LinkedHashMap<>();
            pages.stream().flatMap(p -> p.refusals().stream()).forEach(r -> rules.put(r.itemKey(), r.rule()));
            return rules;
        }

        List<TimCall> calls() {
            return pages.stream().flatMap(p -> p.calls().stream()).toList();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyGeneratedRowBecomesAnItemOrTheRefusalOfItsPlantedDefect(Kind kind) throws SQLException {
        try (TestDatabase db = TestDatabases.create(kind); Connection c = db.connection()) {
            SampleDataGenerator.Summary summary = new SampleDataGenerator(OPTIONS).generate(c);
            c.setAutoCommit(true);
            markersAreTheGeneratorsBadRows(c, summary);

            Run accounts = pageByLastRow(c, ACCOUNTS_SQL, new AccountRequests(100), Map.of("after_user_id", ""),
                    Map.of("after_user_id", "user_id"));
            expect(accounts, count(c, "SELECT COUNT(*) FROM users"), row -> text(row, "user_id"), row -> true,
                    row -> badUser(text(row, "user_id")) ? Refusal.USER_ID : null);

            Run profiles = profiles(c);
            List<Map<String, Object>> firstRowOfEachUser = firstOfEach(profiles.rows(), "user_id");
            assertThat(firstRowOfEachUser).hasSize((int) count(c, "SELECT COUNT(*) FROM users"));
            expect(new Run(firstRowOfEachUser, profiles.pages()), firstRowOfEachUser.size(),
                    row -> text(row, "user_id"), row -> true,
                    row -> badUser(text(row, "user_id")) ? Refusal.USER_ID : null);

            Run friends = pageByLastRow(c, FRIENDS_SQL, new FriendRequests(100),
                    Map.of("after_user_id", "", "after_friend_id", ""),
                    Map.of("after_user_id", "user_id", "after_friend_id", "friend_id"));
            expect(friends, count(c, "SELECT COUNT(*) FROM friendships"),
                    row -> text(row, "user_id") + ":" + text(row, "friend_id"), row -> true,
                    row -> badUser(text(row, "user_id")) || badUser(text(row, "friend_id")) ? Refusal.USER_ID : null);

            Run c2c = pageByLastRow(c, C2C_HISTORY_SQL, new C2cHistoryRequests(converter, 0), Map.of("after_id", 0L),
                    Map.of("after_id", "id"));
            expect(c2c, count(c, "SELECT COUNT(*) FROM c2c_messages WHERE bridge_origin IS NULL"),
                    row -> text(row, "id"), row -> true,
                    row -> badUser(text(row, "sender_id")) || badUser(text(row, "receiver_id")) ? Refusal.USER_ID
                            : messageDefect(row));

            Run groups = pageByLastRow(c, GROUPS_SQL, new GroupRequests(), Map.of("after_group_id", ""),
                    Map.of("after_group_id", "group_id"));
            expect(groups, count(c, "SELECT COUNT(*) FROM im_groups g WHERE " + LIVE_GROUPS),
                    row -> text(row, "group_id"), row -> true, GeneratedDataRequestsTest::groupDefect);

            Run members = pageByLastRow(c, GROUP_MEMBERS_SQL, new GroupMemberRequests(20),
                    Map.of("after_group_id", "", "after_user_id", ""),
                    Map.of("after_group_id", "group_id", "after_user_id", "user_id"));
            expect(members, count(c, "SELECT COUNT(*) FROM group_members m JOIN im_groups g ON g.group_id = m.group_id"
                            + " WHERE m.bridge_origin IS NULL AND " + LIVE_GROUPS),
                    row -> text(row, "group_id") + ":" + text(row, "user_id"), row -> !"owner".equals(text(row, "role")),
                    row -> badUser(text(row, "user_id")) ? Refusal.USER_ID
                            : "live".equals(text(row, "group_type")) ? Refusal.GROUP_TYPE : null);

            Run history = pageByLastRow(c, GROUP_HISTORY_SQL, new GroupHistoryRequests(converter, 7, 0),
                    Map.of("after_group_id", "", "after_created_at_ms", 0L, "after_id", 0L),
                    Map.of("after_group_id", "group_id", "after_created_at_ms", "created_at_ms", "after_id", "id"));
            expect(history, count(c, "SELECT COUNT(*) FROM group_messages x JOIN im_groups g ON g.group_id = x.group_id"
                            + " WHERE x.bridge_origin IS NULL AND " + LIVE_GROUPS),
                    row -> text(row, "id"), row -> true,
                    row -> badUser(text(row, "sender_id")) ? Refusal.USER_ID
                            : messageDefect(row) != null ? messageDefect(row)
                            : "live".equals(text(row, "group_type")) ? Refusal.GROUP_TYPE : null);

            Run unread = pageByLastRow(c, MEMBER_UNREAD_SQL, new UnreadRequests(),
                    Map.of("after_group_id", "", "after_user_id", ""),
                    Map.of("after_group_id", "group_id", "after_user_id", "user_id"));
            expect(unread, count(c, "SELECT COUNT(*) FROM group_members m JOIN im_groups g ON g.group_id = m.group_id"
                            + " WHERE m.unread_count > 0 AND m.bridge_origin IS NULL AND " + LIVE_GROUPS),
                    row -> text(row, "group_id") + ":" + text(row, "user_id"), row -> true,
                    row -> badUser(text(row, "user_id")) ? Refusal.USER_ID
                            : "live".equals(text(row, "group_type")) ? Refusal.GROUP_TYPE : null);

            joinsAndMessagesAreLaterThanTheirGroupsCreateTime(groups, members, history);
        }
    }

    // ---- what the generator planted ------------------------------------------------------

    /** A WeChat openid kept as account id: the generator's over-long user ids. */
    private static boolean badUser(String userId) {
        return userId.startsWith("wx_o");
    }

    private static boolean oversize(String content) {
        return TimRules.utf8Length(content) > MessageConverter.MAX_BODY_BYTES;
    }

    private static boolean longGroupName(String name) {
        return name.contains("官方认证");
    }

    private static String messageDefect(Map<String, Object> row) {
        return !MESSAGE_TYPES.contains(text(row, "msg_type")) ? Refusal.MESSAGE_BODY
                : oversize(text(row, "content")) ? Refusal.BODY_SIZE : null;
    }

    private static String groupDefect(Map<String, Object> row) {
        return badUser(text(row, "owner_id")) ? Refusal.USER_ID
                : longGroupName(text(row, "name")) ? Refusal.GROUP_PROFILE
                : "live".equals(text(row, "group_type")) ? Refusal.GROUP_TYPE : null;
    }

    /** The markers above find exactly the bad rows the generator reports, so the expectations below are its. */
    private static void markersAreTheGeneratorsBadRows(Connection c, SampleDataGenerator.Summary summary)
            throws SQLException {
        Map<BadRow, Long> found = new HashMap<>();
        for (Map<String, Object> row : query(c, "SELECT user_id FROM users", Map.of())) {
            found.merge(BadRow.LONG_USER_ID, badUser(text(row, "user_id")) ? 1L : 0L, Long::sum);
        }
        for (String table : List.of("c2c_messages", "group_messages")) {
            for (Map<String, Object> row : query(c, "SELECT msg_type, content FROM " + table, Map.of())) {
                found.merge(BadRow.UNKNOWN_MESSAGE_TYPE, MESSAGE_TYPES.contains(text(row, "msg_type")) ? 0L : 1L, Long::sum);
                found.merge(BadRow.OVERSIZE_BODY, oversize(text(row, "content")) ? 1L : 0L, Long::sum);
            }
        }
        for (Map<String, Object> row : query(c, "SELECT group_type, name FROM im_groups", Map.of())) {
            found.merge(BadRow.UNIMPORTABLE_GROUP_TYPE, "live".equals(text(row, "group_type")) ? 1L : 0L, Long::sum);
            found.merge(BadRow.LONG_GROUP_NAME, longGroupName(text(row, "name")) ? 1L : 0L, Long::sum);
        }
        assertThat(found).isEqualTo(summary.badRows());
        assertThat(summary.badRows()).as("every kind of bad row is planted").allSatisfy((kind, n) -> assertThat(n).isPositive());
    }

    // ---- checks ------------------------------------------------------------------------

    /**
     * Rows read = rows in the table (keyset paging lost or repeated none); each row is skipped, an item or
     * refused with its expected rule; items come in row order and nothing else is refused.
     */
    private static void expect(Run run, long tableRows, Function<Map<String, Object>, String> key,
            Function<Map<String, Object>, Boolean> imported, Function<Map<String, Object>, String> expectedRule) {
        assertThat(run.rows()).hasSize((int) tableRows);
        List<String> expectedItems = new ArrayList<>();
        Map<String, String> expectedRefusals = new LinkedHashMap<>();
        for (Map<String, Object> row : run.rows()) {
            if (!imported.apply(row)) {
                continue;
            }
            String rule = expectedRule.apply(row);
            if (rule == null) {
                expectedItems.add(key.apply(row));
            } else {
                expectedRefusals.put(key.apply(row), rule);
            }
        }
        // Each item once; the order across a page's lanes is theirs to choose (longest first), a lane's own order
        // is each builder's test.
        assertThat(run.itemKeys()).containsExactlyInAnyOrderElementsOf(expectedItems);
        assertThat(run.refusals()).containsExactlyEntriesOf(expectedRefusals);
        assertThat(run.pages().stream().mapToInt(p -> p.refusals().size()).sum())
                .as("one refusal per row").isEqualTo(expectedRefusals.size());
    }

    /** TIM's rule that import_group's CreateTime precedes every join and message, across pages. */
    private static void joinsAndMessagesAreLaterThanTheirGroupsCreateTime(Run groups, Run members, Run history) {
        Map<String, Long> createTime = new HashMap<>();
        for (TimCall call : groups.calls()) {
            createTime.put((String) call.request().get("GroupId"), (Long) call.request().get("CreateTime"));
        }
        assertThat(members.calls()).isNotEmpty().allSatisfy(call -> {
            Long created = createTime.get((String) call.request().get("GroupId"));
            if (created != null) {
                assertThat(Rows.list(call.request().get("MemberList")))
                        .allSatisfy(m -> assertThat((Long) m.get("JoinTime")).isGreaterThan(created));
            }
        });
        Map<String, Long> newest = new HashMap<>();
        for (TimCall call : history.calls()) {
            String group = (String) call.request().get("GroupId");
            Long created = createTime.get(group);
            assertThat(Rows.list(call.request().get("MsgList")).size()).isBetween(1, 7);
            for (Map<String, Object> message : Rows.list(call.request().get("MsgList"))) {
                long sendTime = (Long) message.get("SendTime");
                if (created != null) {
                    assertThat(sendTime).isGreaterThan(created);
                }
                assertThat(sendTime).as("ascending within group " + group)
                        .isGreaterThanOrEqualTo(newest.getOrDefault(group, Long.MIN_VALUE));
                newest.put(group, sendTime);
            }
        }
    }

    // ---- paging, as the import routes do it -----------------------------------------------

    /** Keyset paging: the next page starts after the last row of this one; a short page is the last. */
    private static Run pageByLastRow(Connection c, String sql, RequestBuilder builder, Map<String, Object> start,
            Map<String, String> cursorColumns) throws SQLException {
        List<Map<String, Object>> all = new ArrayList<>();
        List<Requests> pages = new ArrayList<>();
        Map<String, Object> params = new HashMap<>(start);
        while (true) {
            params.put("limit", LIMIT);
            List<Map<String, Object>> page = query(c, sql, params);
            all.addAll(page);
            pages.add(builder.build(page));
            if (page.size() < LIMIT) {
                return new Run(all, pages);
            }
            Map<String, Object> last = page.get(page.size() - 1);
            cursorColumns.forEach((param, column) -> params.put(param, LegacyRow.value(last, column, "cursor")));
        }
    }

    /** Profiles page by user: the cursor is the last user, and a page with fewer users than the limit is the last. */
    private Run profiles(Connection c) throws SQLException {
        ProfileRequests builder = new ProfileRequests(
                ProfileRequests.parseCustomTags("level:Tag_Profile_Custom_Level, vip:Tag_Profile_Custom_Vip"));
        List<Map<String, Object>> all = new ArrayList<>();
        List<Requests> pages = new ArrayList<>();
        String after = "";
        while (true) {
            List<Map<String, Object>> page = query(c, PROFILES_SQL, Map.of("after_user_id", after, "limit", LIMIT));
            all.addAll(page);
            pages.add(builder.build(page));
            if (firstOfEach(page, "user_id").size() < LIMIT) {
                return new Run(all, pages);
            }
            after = text(page.get(page.size() - 1), "user_id");
        }
    }

    private static List<Map<String, Object>> firstOfEach(List<Map<String, Object>> rows, String column) {
        Set<String> seen = new LinkedHashSet<>();
        List<Map<String, Object>> first = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            if (seen.add(text(row, column))) {
                first.add(row);
            }
        }
        return first;
    }

    private static final Pattern NAMED = Pattern.compile(":#(\\w+)");

    /** Runs SQL with camel-sql's {@code :#name} parameters; rows keyed by the labels the database reports. */
    private static List<Map<String, Object>> query(Connection c, String sql, Map<String, Object> params)
            throws SQLException {
        List<String> names = new ArrayList<>();
        Matcher m = NAMED.matcher(sql);
        while (m.find()) {
            names.add(m.group(1));
        }
        try (PreparedStatement ps = c.prepareStatement(m.replaceAll("?"))) {
            for (int i = 0; i < names.size(); i++) {
                assertThat(params).containsKey(names.get(i));
                ps.setObject(i + 1, params.get(names.get(i)));
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int col = 1; col <= meta.getColumnCount(); col++) {
                        row.put(meta.getColumnLabel(col), rs.getObject(col));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String text(Map<String, Object> row, String column) {
        return LegacyRow.text(row, column, "test");
    }
}
