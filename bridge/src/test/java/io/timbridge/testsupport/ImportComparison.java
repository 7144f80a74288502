package io.timbridge.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbridge.convert.DedupKeys;
import io.timbridge.sandbox.Inspection;
import io.timbridge.sandbox.SandboxConfig;
import io.timbridge.sandbox.TimSandbox;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * The import's test oracle: reads the legacy database (reference schema) and the TIM sandbox, and reports per data
 * type every way TIM's state differs from what {@code docs/import-mapping.md} says the import must produce, plus
 * the legacy items the spec says must be refused, by rule. It encodes the spec independently of the import's
 * request builders; only message bodies ({@code MessageConverter}), dedup keys and TIM's id and length rules are
 * shared with the import.
 *
 * <p>Tables are streamed in key order and TIM is inspected one account, conversation or group at a time, so
 * memory follows the largest conversation or group rather than the whole history.
 */
public final class ImportComparison {
    private static final int PAGE = 1000;
    private static final String NICK = "Tag_Profile_IM_Nick";
    private static final String IMAGE = "Tag_Profile_IM_Image";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The data types of the spec, in import order. */
    public enum DataType {
        ACCOUNTS("accounts"),
        PROFILES("profiles"),
        FRIENDS("friends"),
        C2C_HISTORY("c2c-history"),
        GROUPS("groups"),
        GROUP_MEMBERS("group-members"),
        GROUP_HISTORY("group-history"),
        MEMBER_UNREAD("member-unread");

        private final String label;

        DataType(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One difference: the spec's item key (user id, {@code user:friend}, message id, group id, …) and what differs. */
    public record Difference(String key, String what) {
        @Override
        public String toString() {
            return key + ": " + what;
        }
    }

    /** What one data type should be and is: counts, differences, and the item keys the spec refuses, by rule. */
    public static final class Section {
        private final DataType type;
        private long expected;
        private long found;
        private final List<Difference> differences = new ArrayList<>();
        private final Map<String, Set<String>> refused = new TreeMap<>();

        Section(DataType type) {
            this.type = type;
        }

        public DataType type() {
            return type;
        }

        /** Items the spec says TIM must hold. */
        public long expected() {
            return expected;
        }

        /** Items TIM holds. */
        public long found() {
            return found;
        }

        public List<Difference> differences() {
            return Collections.unmodifiableList(differences);
        }

        /** Rule → keys of the legacy items that must not reach TIM (in legacy order). */
        public Map<String, Set<String>> refused() {
            return Collections.unmodifiableMap(refused);
        }

        void refuse(String rule, String key) {
            refused.computeIfAbsent(rule, r -> new LinkedHashSet<>()).add(key);
        }

        void differ(String key, String what) {
            differences.add(new Difference(key, what));
        }

        void missing(String key) {
            differ(key, "missing in TIM");
        }

        /** An item TIM should not hold; names the rule when the spec refuses it. */
        void unexpected(String key, String where) {
            String rule = refused.entrySet().stream().filter(e -> e.getValue().contains(key))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            differ(key, "unexpected in TIM" + (rule == null ? "" : " (refused: " + rule + ")")
                    + (where == null ? "" : " " + where));
        }

        /** A field difference, values compared as JSON (integers by value). */
        void field(String key, String field, JsonNode legacy, JsonNode tim) {
            if (!sameValue(legacy, tim)) {
                differ(key, "field " + field + ": legacy " + show(legacy, "(not set)") + " vs TIM " + show(tim, "(absent)"));
            }
        }
    }

    /** Every data type's section; clean when no type has a difference. */
    public static final class Report {
        private static final int SHOWN_PER_TYPE = 20;
        private final Map<DataType, Section> sections;

        Report(Map<DataType, Section> sections) {
            this.sections = sections;
        }

        public Section section(DataType type) {
            return sections.get(type);
        }

        public boolean isClean() {
            return sections.values().stream().allMatch(s -> s.differences.isEmpty());
        }

        /** Every item the spec says cannot be in TIM, as {@code import-<type>/<item key>} (dead letter keys). */
        public Set<String> expectedRefusals() {
            Set<String> keys = new TreeSet<>();
            sections.values().forEach(s -> s.refused.values().forEach(items ->
                    items.forEach(item -> keys.add("import-" + s.type.label + "/" + item))));
            return keys;
        }

        /** One line per data type, then its first differences: what a failing assertion should print. */
        public String describe() {
            long total = sections.values().stream().mapToLong(s -> s.differences.size()).sum();
            StringBuilder text = new StringBuilder("legacy vs TIM: ")
                    .append(total == 0 ? "no differences" : total + " difference(s)").append('\n');
            for (Section s : sections.values()) {
                text.append(String.format("  %-14s expected %d, found %d, %d difference(s)", s.type.label, s.expected,
                        s.found, s.differences.size()));
                if (!s.refused.isEmpty()) {
                    text.append(", refused");
                    s.refused.forEach((rule, keys) -> text.append(' ').append(rule).append('=').append(keys.size()));
                }
                text.append('\n');
                s.differences.stream().limit(SHOWN_PER_TYPE).forEach(d -> text.append("      ").append(d).append('\n'));
                if (s.differences.size() > SHOWN_PER_TYPE) {
                    text.append("      … and ").append(s.differences.size() - SHOWN_PER_TYPE).append(" more\n");
                }
            }
            return text.toString();
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    /**
     * Compares the legacy data with the sandbox's state.
     *
     * @param customTags {@code bridge.import.profiles.custom-tags} as a map: legacy {@code field_key} → tag name
     *                   ({@code Level} or {@code Tag_Profile_Custom_Level}); keys not listed must not reach TIM
     */
    public static Report compare(DataSource legacy, TimSandbox sandbox, Map<String, String> customTags) {
        Map<String, String> tags = new HashMap<>();
        customTags.forEach((key, tag) -> tags.put(key, ImportSpec.customTag(tag)));
        try (Connection connection = legacy.getConnection()) {
            ImportComparison run = new ImportComparison(connection, sandbox.inspect(), adminIdentifier(sandbox), tags);
            run.accountsAndProfiles();
            run.friends();
            run.c2cHistory();
            Map<String, LegacyGroup> groups = run.groups();
            Map<String, Integer> imported = run.groupHistory(groups);
            run.groupMembers(groups, imported);
            run.explainCounts();
            return new Report(run.sections);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the legacy database", e);
        }
    }

    private final Connection db;
    private final Inspection tim;
    private final String admin;
    private final Map<String, String> customTags;
    private final Map<DataType, Section> sections = new EnumMap<>(DataType.class);

    private ImportComparison(Connection db, Inspection tim, String admin, Map<String, String> customTags) {
        this.db = db;
        this.tim = tim;
        this.admin = admin;
        this.customTags = customTags;
        for (DataType type : DataType.values()) {
            sections.put(type, new Section(type));
        }
    }

    private Section section(DataType type) {
        return sections.get(type);
    }

    /** TimSandbox keeps its config package-private; the admin account is TIM's own, never imported. */
    private static String adminIdentifier(TimSandbox sandbox) {
        try {
            Method config = TimSandbox.class.getDeclaredMethod("config");
            config.setAccessible(true);
            return ((SandboxConfig) config.invoke(sandbox)).adminIdentifier();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the sandbox's admin identifier", e);
        }
    }

    // ---- accounts and profiles --------------------------------------------------------------

    private record UserRow(String id, String nickname, String avatar, int gender, LocalDate birthday,
                           String signature, String location, String fieldKey, String fieldValue) {
    }

    private void accountsAndProfiles() throws SQLException {
        Set<String> expected = new HashSet<>();
        runs("SELECT u.user_id, u.nickname, u.avatar_url, u.gender, u.birthday, u.signature, u.location,"
                        + " f.field_key, f.field_value FROM users u LEFT JOIN user_custom_fields f ON f.user_id = u.user_id"
                        + " ORDER BY u.user_id, f.field_key",
                rs -> new UserRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                        rs.getObject(5, LocalDate.class), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)),
                UserRow::id,
                (id, rows) -> checkUser(rows, expected));
        Section accounts = section(DataType.ACCOUNTS);
        Section profiles = section(DataType.PROFILES);
        for (String id : timAccounts()) {
            if (id.equals(admin)) {
                continue;
            }
            accounts.found++;
            if (!expected.contains(id)) {
                accounts.unexpected(id, null);
                if (hasProfileTags(tim.account(id).path("Profile"))) {
                    profiles.found++;
                }
            }
        }
    }

    private void checkUser(List<UserRow> rows, Set<String> expectedAccounts) {
        Section accounts = section(DataType.ACCOUNTS);
        Section profiles = section(DataType.PROFILES);
        UserRow u = rows.get(0);
        String idRule = ImportSpec.userIdRule(u.id());
        if (idRule != null) {
            accounts.refuse(idRule, u.id());
            profiles.refuse(idRule, u.id());
            return;
        }
        expectedAccounts.add(u.id());
        accounts.expected++;
        Map<String, JsonNode> accountTags = new LinkedHashMap<>();
        putText(accountTags, NICK, u.nickname());
        putText(accountTags, IMAGE, u.avatar());

        // Nick and Image are checked once, under accounts: portrait_set resends the values the account import set.
        Map<String, JsonNode> profileTags = new LinkedHashMap<>();
        // Every string portrait_set would send (nulls are not sent, and the rule skips them).
        List<String> sent = new ArrayList<>();
        sent.add(u.nickname());
        sent.add(u.avatar());
        profileTags.put("Tag_Profile_IM_Gender", NODES.textNode(ImportSpec.gender(u.gender())));
        if (u.birthday() != null) {
            profileTags.put("Tag_Profile_IM_BirthDay", NODES.numberNode(ImportSpec.birthday(u.birthday())));
        }
        putText(profileTags, "Tag_Profile_IM_SelfSignature", u.signature());
        putText(profileTags, "Tag_Profile_IM_Location", u.location());
        sent.add(u.signature());
        sent.add(u.location());
        for (UserRow row : rows) {
            String tag = row.fieldKey() == null ? null : customTags.get(row.fieldKey());
            if (tag != null && row.fieldValue() != null) {
                profileTags.put(tag, NODES.textNode(row.fieldValue()));
                sent.add(row.fieldValue());
            }
        }
        String profileRule = ImportSpec.profileValueRule(sent);
        if (profileRule != null) {
            profiles.refuse(profileRule, u.id());
            profileTags.clear();
        } else {
            profiles.expected++;
        }

        ObjectNode view = tim.account(u.id());
        if (view == null) {
            accounts.missing(u.id());
            if (profileRule == null) {
                profiles.missing(u.id());
            }
            return;
        }
        JsonNode profile = view.path("Profile");
        compareTags(accounts, u.id(), accountTags, profile, tag -> tag.equals(NICK) || tag.equals(IMAGE));
        compareTags(profiles, u.id(), profileTags, profile, tag -> !tag.equals(NICK) && !tag.equals(IMAGE));
        if (hasProfileTags(profile)) {
            profiles.found++;
        }
    }

    /** Each expected tag's value, and no other tag in {@code scope}. */
    private static void compareTags(Section section, String key, Map<String, JsonNode> expected, JsonNode profile,
            Predicate<String> scope) {
        expected.forEach((tag, value) -> section.field(key, tag, value, profile.get(tag)));
        profile.fieldNames().forEachRemaining(tag -> {
            if (scope.test(tag) && !expected.containsKey(tag)) {
                section.field(key, tag, null, profile.get(tag));
            }
        });
    }

    /** Whether portrait_set wrote anything: tags beyond the account import's Nick and Image. */
    private static boolean hasProfileTags(JsonNode profile) {
        for (var it = profile.fieldNames(); it.hasNext(); ) {
            String tag = it.next();
            if (!tag.equals(NICK) && !tag.equals(IMAGE)) {
                return true;
            }
        }
        return false;
    }

    private List<String> timAccounts() {
        List<String> ids = new ArrayList<>();
        for (int offset = 0; ; offset += PAGE) {
            ObjectNode page = tim.accounts(offset, PAGE);
            page.path("UserIDs").forEach(id -> ids.add(id.asText()));
            if (offset + PAGE >= page.path("total").asInt()) {
                return ids;
            }
        }
    }

    // ---- friends ---------------------------------------------------------------------------

    private record FriendRow(String user, String friend, String remark, String groupName, String addSource,
                             long addedMillis) {
    }

    private void friends() throws SQLException {
        Section s = section(DataType.FRIENDS);
        Set<String> visited = new HashSet<>();
        long[] seen = {0};
        runs("SELECT user_id, friend_id, remark, group_name, add_source, added_at_ms FROM friendships"
                        + " ORDER BY user_id, friend_id",
                rs -> new FriendRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6)),
                FriendRow::user,
                (user, rows) -> {
                    visited.add(user);
                    Map<String, FriendRow> expected = new LinkedHashMap<>();
                    for (FriendRow row : rows) {
                        String rule = ImportSpec.userIdRule(row.user(), row.friend());
                        if (rule != null) {
                            s.refuse(rule, row.user() + ":" + row.friend());
                        } else {
                            expected.put(row.friend(), row);
                        }
                    }
                    s.expected += expected.size();
                    JsonNode friends = friendsOf(user);
                    seen[0] += friends.size();
                    compareFriends(s, user, expected, friends);
                });
        s.found = tim.counts().path("friendships").asLong() - friendsOf(admin).size();
        if (s.found > seen[0]) {
            for (String id : timAccounts()) {
                if (!id.equals(admin) && !visited.contains(id)) {
                    compareFriends(s, id, Map.of(), friendsOf(id));
                }
            }
        }
    }

    private JsonNode friendsOf(String user) {
        ObjectNode view = tim.account(user);
        return view == null ? NODES.arrayNode() : view.path("Friends");
    }

    private static void compareFriends(Section s, String user, Map<String, FriendRow> expected, JsonNode friends) {
        Map<String, FriendRow> open = new LinkedHashMap<>(expected);
        for (JsonNode friend : friends) {
            String to = friend.path("To_Account").asText();
            String key = user + ":" + to;
            FriendRow row = open.remove(to);
            if (row == null) {
                s.unexpected(key, null);
                continue;
            }
            Map<String, JsonNode> values = new HashMap<>();
            friend.path("ValueItem").forEach(v -> values.put(v.path("Tag").asText(), v.get("Value")));
            ArrayNode group = NODES.arrayNode();
            if (row.groupName() != null) {
                group.add(row.groupName());
            }
            // friend_get shows an unset remark as "".
            s.field(key, "Remark", NODES.textNode(row.remark() == null ? "" : row.remark()), values.get("Tag_SNS_IM_Remark"));
            s.field(key, "GroupName", group, values.get("Tag_SNS_IM_Group"));
            s.field(key, "AddSource", NODES.textNode(ImportSpec.addSource(row.addSource())), values.get("Tag_SNS_IM_AddSource"));
            s.field(key, "AddTime", NODES.numberNode(ImportSpec.seconds(row.addedMillis())), values.get("Tag_SNS_IM_AddTime"));
        }
        open.keySet().forEach(friend -> s.missing(user + ":" + friend));
    }

    // ---- messages --------------------------------------------------------------------------

    /** One legacy message as TIM should hold it; {@code to} is null for group messages. */
    private record ExpectedMessage(long id, String from, String to, long time, long seq, long random, Body body) {
    }

    private record Body(String canonicalJson, String checksum) {
    }

    private record C2cRow(long id, String sender, String receiver, String msgType, String content, long createdMillis,
                          String lo, String hi) {
    }

    private void c2cHistory() throws SQLException {
        Section s = section(DataType.C2C_HISTORY);
        long[] seen = {0};
        runs("SELECT id, sender_id, receiver_id, msg_type, content, created_at_ms,"
                        + " CASE WHEN sender_id <= receiver_id THEN sender_id ELSE receiver_id END AS lo,"
                        + " CASE WHEN sender_id <= receiver_id THEN receiver_id ELSE sender_id END AS hi"
                        + " FROM c2c_messages WHERE bridge_origin IS NULL ORDER BY lo, hi, created_at_ms, id",
                rs -> new C2cRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getLong(6), rs.getString(7), rs.getString(8)),
                row -> row.lo() + '\n' + row.hi(),
                (pair, rows) -> {
                    String lo = rows.get(0).lo();
                    String hi = rows.get(0).hi();
                    List<ExpectedMessage> expected = new ArrayList<>();
                    for (C2cRow row : rows) {
                        String rule = ImportSpec.userIdRule(row.sender(), row.receiver());
                        ImportSpec.Body body = rule == null ? ImportSpec.body(row.msgType(), row.content()) : null;
                        rule = rule != null ? rule : body.rule();
                        if (rule != null) {
                            s.refuse(rule, Long.toString(row.id()));
                            continue;
                        }
                        DedupKeys.C2cKey key = DedupKeys.c2c(row.id(), row.createdMillis());
                        expected.add(new ExpectedMessage(row.id(), row.sender(), row.receiver(), key.msgTimeStamp(),
                                key.msgSeq(), key.msgRandom(), new Body(body.canonicalJson(), body.checksum())));
                    }
                    s.expected += expected.size();
                    ObjectNode view = tim.c2c(lo, hi);
                    List<JsonNode> messages = new ArrayList<>();
                    if (view != null) {
                        view.path("MsgList").forEach(messages::add);
                    }
                    seen[0] += messages.size();
                    compareMessages(s, lo + "|" + hi, expected, messages, true);
                });
        s.found = tim.counts().path("c2cMessages").asLong();
        if (s.found > seen[0]) {
            s.differ("(other conversations)", "unexpected in TIM: " + (s.found - seen[0])
                    + " message(s) in conversations without legacy messages");
        }
    }

    /**
     * One conversation or group: TIM's messages (in TIM's order) against the expected ones (in legacy order).
     * A TIM message is identified by its CloudCustomData id (C2C) or dedup key (C2C triple, group Random).
     */
    private static void compareMessages(Section s, String container, List<ExpectedMessage> expected,
            List<JsonNode> messages, boolean c2c) {
        Map<Long, ExpectedMessage> byId = new HashMap<>();
        Map<String, Long> byKey = new HashMap<>();
        for (ExpectedMessage e : expected) {
            byId.put(e.id(), e);
            byKey.put(c2c ? e.seq() + "_" + e.random() + "_" + e.time() : Long.toString(e.random()), e.id());
        }
        Map<Long, Integer> positions = new HashMap<>();
        List<Long> timOrder = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            int position = i + 1;
            if (!c2c && m.path("MsgSeq").asLong() != position) {
                s.differ(container, "MsgSeq: position " + position + " holds MsgSeq " + m.path("MsgSeq").asLong());
            }
            Long cloudId = c2c ? cloudCustomDataId(m) : null;
            String dedupKey = c2c
                    ? m.path("MsgSeq").asLong() + "_" + m.path("MsgRandom").asLong() + "_" + m.path("MsgTimeStamp").asLong()
                    : Long.toString(m.path("MsgRandom").asLong());
            Long id = cloudId != null && byId.containsKey(cloudId) ? cloudId : byKey.get(dedupKey);
            if (id == null) {
                String key = cloudId != null ? Long.toString(cloudId)
                        : container + (c2c ? " MsgKey " : " MsgSeq ") + (c2c ? dedupKey : m.path("MsgSeq").asText());
                s.unexpected(key, "(" + container + " position " + position + ")");
                continue;
            }
            Integer first = positions.putIfAbsent(id, position);
            if (first != null) {
                s.differ(Long.toString(id), "duplicate in TIM: positions " + first + " and " + position + " of " + container);
                continue;
            }
            timOrder.add(id);
            compareMessage(s, byId.get(id), m, c2c);
        }
        List<Long> legacyOrder = new ArrayList<>();
        for (ExpectedMessage e : expected) {
            if (positions.containsKey(e.id())) {
                legacyOrder.add(e.id());
            } else {
                s.missing(Long.toString(e.id()));
            }
        }
        int firstOut = -1;
        int outOfOrder = 0;
        for (int i = 0; i < legacyOrder.size(); i++) {
            if (!legacyOrder.get(i).equals(timOrder.get(i))) {
                firstOut = firstOut < 0 ? i : firstOut;
                outOfOrder++;
            }
        }
        if (outOfOrder > 0) {
            s.differ(container, "order: position " + (firstOut + 1) + " legacy id " + legacyOrder.get(firstOut)
                    + " vs TIM " + timOrder.get(firstOut) + " (" + outOfOrder + " position(s) differ)");
        }
    }

    private static void compareMessage(Section s, ExpectedMessage e, JsonNode m, boolean c2c) {
        String key = Long.toString(e.id());
        s.field(key, "From_Account", NODES.textNode(e.from()), m.get("From_Account"));
        if (c2c) {
            s.field(key, "To_Account", NODES.textNode(e.to()), m.get("To_Account"));
            s.field(key, "MsgSeq", NODES.numberNode(e.seq()), m.get("MsgSeq"));
        }
        s.field(key, "MsgRandom", NODES.numberNode(e.random()), m.get("MsgRandom"));
        s.field(key, "MsgTimeStamp", NODES.numberNode(e.time()), m.get("MsgTimeStamp"));
        if (!e.body().checksum().equals(m.path("BodyChecksum").asText())) {
            JsonNode body = m.path("MsgBody");
            // In checksum mode the sandbox keeps no body, only its checksum.
            if (body.isArray() && !body.isEmpty()) {
                s.differ(key, "field MsgBody: legacy '" + clip(e.body().canonicalJson()) + "' vs TIM '"
                        + clip(ImportSpec.canonical(body)) + "'");
            } else {
                s.differ(key, "field BodyChecksum: legacy '" + e.body().checksum() + "' vs TIM '"
                        + m.path("BodyChecksum").asText() + "'");
            }
        }
        if (c2c) {
            JsonNode cloud = parse(m.path("CloudCustomData").asText(""));
            s.field(key, "CloudCustomData", ImportSpec.c2cCloudCustomData(e.id()),
                    cloud != null ? cloud : m.get("CloudCustomData"));
            // SyncFromOldSystem 2 is history; the sandbox names how each message arrived.
            s.field(key, "Source", NODES.textNode("importmsg-2"), m.get("Source"));
        }
    }

    private static Long cloudCustomDataId(JsonNode message) {
        JsonNode cloud = parse(message.path("CloudCustomData").asText(""));
        if (cloud == null || !cloud.path("id").isTextual()) {
            return null;
        }
        try {
            return Long.parseLong(cloud.path("id").asText());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---- groups ----------------------------------------------------------------------------

    /** An im_groups row, its earliest event, and the rule refusing it (null when importable). */
    private static final class LegacyGroup {
        final String id;
        final String owner;
        final String type;
        final String name;
        final String introduction;
        final String notification;
        final String faceUrl;
        final String rule;
        long firstEventMillis;

        LegacyGroup(String id, String owner, String type, String name, String introduction, String notification,
                String faceUrl, long createdMillis) {
            this.id = id;
            this.owner = owner;
            this.type = type;
            this.name = name;
            this.introduction = introduction;
            this.notification = notification;
            this.faceUrl = faceUrl;
            this.firstEventMillis = createdMillis;
            this.rule = ImportSpec.groupRule(id, owner, type, name, introduction, notification, faceUrl);
        }

        boolean importable() {
            return rule == null;
        }

        long createTime() {
            return ImportSpec.createTime(firstEventMillis);
        }
    }

    private Map<String, LegacyGroup> groups() throws SQLException {
        Map<String, LegacyGroup> groups = new LinkedHashMap<>();
        stream("SELECT group_id, owner_id, group_type, name, introduction, notification, avatar_url, created_at_ms"
                + " FROM im_groups WHERE dismissed_at_ms IS NULL ORDER BY group_id", rs -> groups.put(rs.getString(1), new LegacyGroup(rs.getString(1),
                rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                rs.getLong(8))));
        // first_event_at_ms: the earliest of creation, any member's join and any message, refused rows included.
        for (String sql : List.of("SELECT group_id, MIN(joined_at_ms) FROM group_members GROUP BY group_id",
                "SELECT group_id, MIN(created_at_ms) FROM group_messages GROUP BY group_id")) {
            stream(sql, rs -> {
                LegacyGroup g = groups.get(rs.getString(1));
                if (g != null) {
                    g.firstEventMillis = Math.min(g.firstEventMillis, rs.getLong(2));
                }
            });
        }
        Section s = section(DataType.GROUPS);
        for (LegacyGroup g : groups.values()) {
            if (!g.importable()) {
                s.refuse(g.rule, g.id);
                continue;
            }
            s.expected++;
            ObjectNode view = tim.group(g.id);
            if (view == null) {
                s.missing(g.id);
                continue;
            }
            s.field(g.id, "Type", NODES.textNode(ImportSpec.timGroupType(g.type)), view.get("Type"));
            s.field(g.id, "Name", NODES.textNode(g.name), view.get("Name"));
            // get_group_info shows unset strings (and an ownerless group's owner) as "".
            s.field(g.id, "Introduction", textOrEmpty(g.introduction), view.get("Introduction"));
            s.field(g.id, "Notification", textOrEmpty(g.notification), view.get("Notification"));
            s.field(g.id, "FaceUrl", textOrEmpty(g.faceUrl), view.get("FaceUrl"));
            s.field(g.id, "Owner_Account", textOrEmpty(g.owner), view.get("Owner_Account"));
            s.field(g.id, "CreateTime", NODES.numberNode(g.createTime()), view.get("CreateTime"));
        }
        List<String> timGroups = tim.groupIds();
        s.found = timGroups.size();
        for (String id : timGroups) {
            LegacyGroup g = groups.get(id);
            if (g == null || !g.importable()) {
                s.unexpected(id, null);
                reportContentsOfUnexpectedGroup(id);
            }
        }
        return groups;
    }

    /** Members and messages of a group TIM should not have, so the other sections' counts add up. */
    private void reportContentsOfUnexpectedGroup(String groupId) {
        ObjectNode view = tim.group(groupId);
        view.path("MemberList").forEach(m ->
                section(DataType.GROUP_MEMBERS).unexpected(groupId + ":" + m.path("Member_Account").asText(), null));
        long messages = view.path("MsgCnt").asLong();
        if (messages > 0) {
            section(DataType.GROUP_HISTORY).differ(groupId, "unexpected in TIM: " + messages
                    + " message(s) in a group TIM should not have");
        }
    }

    private record GroupMessageRow(long id, String group, String sender, String msgType, String content,
                                   long createdMillis) {
    }

    /** Compares each importable group's history; answers the number of messages each one should hold. */
    private Map<String, Integer> groupHistory(Map<String, LegacyGroup> groups) throws SQLException {
        Section s = section(DataType.GROUP_HISTORY);
        Map<String, Integer> imported = new HashMap<>();
        runs("SELECT x.id, x.group_id, x.sender_id, x.msg_type, x.content, x.created_at_ms FROM group_messages x"
                        + " JOIN im_groups g ON g.group_id = x.group_id"
                        + " WHERE x.bridge_origin IS NULL AND g.dismissed_at_ms IS NULL"
                        + " ORDER BY x.group_id, x.created_at_ms, x.id",
                rs -> new GroupMessageRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6)),
                GroupMessageRow::group,
                (groupId, rows) -> {
                    LegacyGroup g = groups.get(groupId);
                    boolean importable = g != null && g.importable();
                    List<ExpectedMessage> expected = new ArrayList<>();
                    for (GroupMessageRow row : rows) {
                        // The row's own rule first: it is refused before any call, whatever its group.
                        String rule = ImportSpec.userIdRule(row.sender());
                        ImportSpec.Body body = rule == null ? ImportSpec.body(row.msgType(), row.content()) : null;
                        rule = rule != null ? rule : body.rule();
                        rule = rule != null || importable ? rule : ImportSpec.GROUP_NOT_IMPORTED;
                        if (rule != null) {
                            s.refuse(rule, Long.toString(row.id()));
                            continue;
                        }
                        // TIM assigns group MsgSeq itself: only their contiguity is checked, not a value per message.
                        expected.add(new ExpectedMessage(row.id(), row.sender(), null,
                                ImportSpec.seconds(row.createdMillis()), 0, DedupKeys.groupRandom(row.id()),
                                new Body(body.canonicalJson(), body.checksum())));
                    }
                    if (importable) {
                        imported.put(groupId, expected.size());
                        s.expected += expected.size();
                        compareMessages(s, groupId, expected, groupMessages(groupId), false);
                    }
                });
        for (LegacyGroup g : groups.values()) {
            if (g.importable() && !imported.containsKey(g.id)) {
                imported.put(g.id, 0);
                compareMessages(s, g.id, List.of(), groupMessages(g.id), false);
            }
        }
        s.found = tim.counts().path("groupMessages").asLong();
        return imported;
    }

    private List<JsonNode> groupMessages(String groupId) {
        List<JsonNode> messages = new ArrayList<>();
        for (int offset = 0; ; offset += PAGE) {
            ObjectNode page = tim.groupMessages(groupId, offset, PAGE);
            if (page == null) {
                return messages;
            }
            page.path("MsgList").forEach(messages::add);
            if (offset + PAGE >= page.path("MsgCnt").asInt()) {
                return messages;
            }
        }
    }

    // ---- group members and unread counts ----------------------------------------------------

    private record MemberRow(String group, String user, String role, long joinedMillis, int unread) {
    }

    /** A member TIM should have: role, JoinTime (null for the owner, whom TIM adds itself) and unread count. */
    private static final class ExpectedMember {
        final String role;
        final Long joinTime;
        long unread;

        ExpectedMember(String role, Long joinTime, long unread) {
            this.role = role;
            this.joinTime = joinTime;
            this.unread = unread;
        }
    }

    private void groupMembers(Map<String, LegacyGroup> groups, Map<String, Integer> imported) throws SQLException {
        Set<String> visited = new HashSet<>();
        runs("SELECT x.group_id, x.user_id, x.role, x.joined_at_ms, x.unread_count FROM group_members x"
                        + " JOIN im_groups g ON g.group_id = x.group_id WHERE g.dismissed_at_ms IS NULL"
                        + " ORDER BY x.group_id, x.user_id",
                rs -> new MemberRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getInt(5)),
                MemberRow::group,
                (groupId, rows) -> {
                    visited.add(groupId);
                    checkMembers(groupId, groups.get(groupId), rows, imported.getOrDefault(groupId, 0));
                });
        for (LegacyGroup g : groups.values()) {
            if (g.importable() && !visited.contains(g.id)) {
                checkMembers(g.id, g, List.of(), imported.getOrDefault(g.id, 0));
            }
        }
        Section members = section(DataType.GROUP_MEMBERS);
        Section unread = section(DataType.MEMBER_UNREAD);
        for (String id : tim.groupIds()) {
            for (JsonNode m : tim.group(id).path("MemberList")) {
                members.found++;
                unread.found += m.path("UnreadMsgNum").asLong() > 0 ? 1 : 0;
            }
        }
    }

    private void checkMembers(String groupId, LegacyGroup g, List<MemberRow> rows, int messages) {
        Section members = section(DataType.GROUP_MEMBERS);
        Section unread = section(DataType.MEMBER_UNREAD);
        boolean importable = g != null && g.importable();
        Map<String, ExpectedMember> expected = new LinkedHashMap<>();
        if (importable && g.owner != null) {
            expected.put(g.owner, new ExpectedMember("Owner", null, 0));
        }
        for (MemberRow row : rows) {
            String key = groupId + ":" + row.user();
            // TIM clamps an unread count to the group's message count (groups.md; set_unread_msg_num alike).
            long unreadCount = Math.min(row.unread(), messages);
            if (importable && row.user().equals(g.owner)) {
                expected.get(g.owner).unread = unreadCount;
                continue;
            }
            if (!"owner".equals(row.role())) {
                String rule = ImportSpec.userIdRule(row.user());
                rule = rule != null || importable ? rule : ImportSpec.GROUP_TYPE;
                if (rule == null) {
                    expected.put(row.user(), new ExpectedMember("admin".equals(row.role()) ? "Admin" : "Member",
                            ImportSpec.joinTime(row.joinedMillis(), g.createTime()), unreadCount));
                    continue;
                }
                members.refuse(rule, key);
            }
            if (row.unread() > 0) {
                unread.refuse(ImportSpec.MEMBER_NOT_IMPORTED, key);
            }
        }
        members.expected += expected.size();
        unread.expected += expected.values().stream().filter(m -> m.unread > 0).count();
        if (!importable) {
            return;
        }
        ObjectNode view = tim.group(groupId);
        JsonNode timMembers = view == null ? NODES.arrayNode() : view.path("MemberList");
        for (JsonNode m : timMembers) {
            String account = m.path("Member_Account").asText();
            String key = groupId + ":" + account;
            ExpectedMember e = expected.remove(account);
            if (e == null) {
                members.unexpected(key, null);
                continue;
            }
            members.field(key, "Role", NODES.textNode(e.role), m.get("Role"));
            if (e.joinTime != null) {
                members.field(key, "JoinTime", NODES.numberNode(e.joinTime), m.get("JoinTime"));
            }
            unread.field(key, "UnreadMsgNum", NODES.numberNode(e.unread), m.get("UnreadMsgNum"));
        }
        expected.forEach((account, e) -> {
            members.missing(groupId + ":" + account);
            if (e.unread > 0) {
                unread.missing(groupId + ":" + account);
            }
        });
    }

    /** A count mismatch no item difference explains is still a difference. */
    private void explainCounts() {
        for (Section s : sections.values()) {
            if (s.expected != s.found && s.differences.isEmpty()) {
                s.differ("(count)", "expected " + s.expected + " item(s), TIM holds " + s.found);
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    @FunctionalInterface
    private interface RowReader<R> {
        R read(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    private interface RowConsumer {
        void accept(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    private interface RunHandler<R> {
        void run(String key, List<R> rows);
    }

    /** Streams a query: a forward-only cursor fetching in pages (PostgreSQL streams only inside a transaction). */
    private void stream(String sql, RowConsumer consumer) throws SQLException {
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(false);
        try (Statement st = db.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            st.setFetchSize(PAGE);
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    consumer.accept(rs);
                }
            }
        } finally {
            db.rollback();
            db.setAutoCommit(autoCommit);
        }
    }

    /** Streams a query ordered by {@code key} and hands over each run of consecutive rows with the same key. */
    private <R> void runs(String sql, RowReader<R> reader, Function<R, String> key, RunHandler<R> handler)
            throws SQLException {
        List<R> run = new ArrayList<>();
        String[] current = {null};
        stream(sql, rs -> {
            R row = reader.read(rs);
            String k = key.apply(row);
            if (!run.isEmpty() && !k.equals(current[0])) {
                handler.run(current[0], run);
                run.clear();
            }
            current[0] = k;
            run.add(row);
        });
        if (!run.isEmpty()) {
            handler.run(current[0], run);
        }
    }

    private static void putText(Map<String, JsonNode> tags, String tag, String value) {
        if (value != null) {
            tags.put(tag, NODES.textNode(value));
        }
    }

    private static JsonNode textOrEmpty(String value) {
        return NODES.textNode(value == null ? "" : value);
    }

    private static JsonNode parse(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return ImportSpec.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Equal as JSON, numbers by value (TIM's integers come back as int or long nodes). */
    private static boolean sameValue(JsonNode a, JsonNode b) {
        boolean aAbsent = a == null || a.isNull() || a.isMissingNode();
        boolean bAbsent = b == null || b.isNull() || b.isMissingNode();
        if (aAbsent || bAbsent) {
            return aAbsent == bAbsent;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static String show(JsonNode value, String absent) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return absent;
        }
        return "'" + clip(value.isTextual() ? value.asText() : value.toString()) + "'";
    }

    private static String clip(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
