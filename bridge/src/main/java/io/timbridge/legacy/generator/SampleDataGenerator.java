package io.timbridge.legacy.generator;

import io.timbridge.config.Database;
import io.timbridge.convert.LegacyMessageType;
import io.timbridge.convert.TimGroupType;
import io.timbridge.legacy.LegacySchema;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Fills the reference legacy schema with realistic IM data: accounts with CJK profiles,
 * mutual friendships, one-to-one conversations whose sizes follow a Zipf law, groups whose
 * sizes follow a Pareto law, and message history of all eight types in time order, with a
 * configured share of rows TIM must refuse ({@link BadRow}).
 *
 * <p>Deterministic: each entity draws from its own random stream derived from the seed, so the
 * same options give the same rows on any database. Ids are written explicitly (1, 2, …) because
 * generated keys depend on the server: MariaDB's bulk batches leave gaps in AUTO_INCREMENT. Streaming: rows go out in JDBC batches;
 * memory grows with users, conversations and group members, never with messages.
 *
 * <p>Edge cases are planted in the busiest conversation and the busiest group: their first
 * eight messages have the eight types, and the first three share one second, two of them one
 * millisecond, so importers must order by id, not by time alone.
 */
public final class SampleDataGenerator {

    private static final long DAY_MS = 86_400_000L;
    private static final double ZIPF_EXPONENT = 1.1;
    private static final double GROUP_SIZE_ALPHA = 1.3;
    private static final int MIN_GROUP_SIZE = 3;
    private static final int MAX_GROUP_SIZE = 2000;
    private static final int MAX_COMMUNITY_SIZE = 5000;
    private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    // Independent random streams, so changing one entity's draws never shifts another's.
    private static final long USERS = 1;
    private static final long FRIEND_COUNT = 2;
    private static final long OFFSETS = 3;
    private static final long FRIENDS = 4;
    private static final long CONVERSATION_RANK = 5;
    private static final long CONVERSATION = 6;
    private static final long GROUP = 7;
    private static final long GROUP_ACTIVITY = 8;
    private static final long UNREAD = 9;
    private static final long GROUP_CHAT = 10;

    private final GeneratorOptions options;
    private final long start;
    private final long end;
    private final MessageFactory messageFactory = new MessageFactory();
    private final Map<String, Long> rows = new LinkedHashMap<>();
    private final Map<BadRow, Long> badRows = new EnumMap<>(BadRow.class);
    private String[] userIds;
    private long[] userCreated;
    private int[] conversationPartner;

    /** What one run wrote: rows per table and bad rows per kind. */
    public record Summary(Map<String, Long> rows, Map<BadRow, Long> badRows, Duration elapsed) {

        public long totalRows() {
            return rows.values().stream().mapToLong(Long::longValue).sum();
        }

        public String describe() {
            StringBuilder text = new StringBuilder();
            rows.forEach((table, n) -> text.append(String.format("  %-20s %,12d rows%n", table, n)));
            text.append(String.format("  %-20s %,12d rows in %.1f s (%,.0f rows/s)%n", "total", totalRows(),
                    elapsed.toMillis() / 1000.0, totalRows() * 1000.0 / Math.max(1, elapsed.toMillis())));
            text.append("  rows TIM must refuse:\n");
            badRows.forEach((kind, n) -> text.append(String.format("  %-24s %,8d%n", kind, n)));
            return text.toString();
        }
    }

    public SampleDataGenerator(GeneratorOptions options) {
        this.options = options;
        this.start = options.startDate().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        this.end = start + options.days() * DAY_MS;
        for (BadRow kind : BadRow.values()) {
            badRows.put(kind, 0L);
        }
    }

    /** {@code generate --users=... --messages=...}: see {@link GeneratorOptions#usage()}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Parses the arguments, generates, prints a summary; returns the process exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        GeneratorOptions options;
        try {
            options = GeneratorOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        Properties props = new Properties();
        props.setProperty("user", options.user());
        props.setProperty("password", options.password());
        if (options.url().startsWith("jdbc:postgresql:")) {
            // Send a batch as one multi-row INSERT: several times faster.
            props.setProperty("reWriteBatchedInserts", "true");
        }
        try (Connection connection = DriverManager.getConnection(Database.driverUrl(options.url()), props)) {
            out.println("generating into " + options.url() + " (seed " + options.seed() + ")");
            Summary summary = new SampleDataGenerator(options).generate(connection);
            out.print(summary.describe());
            return 0;
        } catch (SQLException | IllegalStateException e) {
            err.println("generate failed: " + e.getMessage());
            return 1;
        }
    }

    /** Creates the schema if absent and writes all rows; the tables must be empty (or use --reset). */
    public Summary generate(Connection connection) throws SQLException {
        long began = System.nanoTime();
        connection.setAutoCommit(false);
        if (options.reset()) {
            LegacySchema.drop(connection);
        }
        if (!LegacySchema.isPresent(connection)) {
            LegacySchema.apply(connection);
        }
        requireEmpty(connection);

        writeUsers(connection);
        writeFriendships(connection);
        long groupMessages = Math.round(options.messages() * options.groupMessageShare());
        GroupPlan[] groups = planGroups();
        long[] groupMessageCounts = groupMessageCounts(groups, groupMessages);
        writeGroups(connection, groups, groupMessageCounts);
        writeC2cMessages(connection, options.messages() - groupMessages);
        writeGroupMessages(connection, groups, groupMessageCounts);
        LegacySchema.continueIdentities(connection);
        return new Summary(Collections.unmodifiableMap(new LinkedHashMap<>(rows)),
                Collections.unmodifiableMap(new EnumMap<>(badRows)), Duration.ofNanos(System.nanoTime() - began));
    }

    private void requireEmpty(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.setMaxRows(1);
            for (String table : LegacySchema.TABLES) {
                try (ResultSet rs = st.executeQuery("SELECT 1 FROM " + table)) {
                    if (rs.next()) {
                        throw new IllegalStateException("table " + table
                                + " already holds rows; run with --reset to replace the legacy data");
                    }
                }
            }
        }
    }

    // ---- users -----------------------------------------------------------------------------

    private void writeUsers(Connection c) throws SQLException {
        int n = options.users();
        userIds = new String[n];
        userCreated = new long[n];
        try (BatchWriter users = new BatchWriter(c, "users", options.batchSize(),
                "user_id", Types.VARCHAR, "nickname", Types.VARCHAR, "avatar_url", Types.VARCHAR,
                "gender", Types.SMALLINT, "birthday", Types.DATE, "signature", Types.VARCHAR,
                "location", Types.VARCHAR, "created_at_ms", Types.BIGINT, "updated_at_ms", Types.BIGINT);
             BatchWriter fields = new BatchWriter(c, "user_custom_fields", options.batchSize(),
                     "user_id", Types.VARCHAR, "field_key", Types.VARCHAR, "field_value", Types.VARCHAR)) {
            for (int i = 0; i < n; i++) {
                SplittableRandom r = rng(USERS, i);
                String id;
                if (r.nextDouble() < options.badShare()) {
                    // A WeChat openid kept as the account id: 34+ bytes, over TIM's 32.
                    id = "wx_o" + randomChars(r, 27) + "_" + i;
                    count(BadRow.LONG_USER_ID);
                } else {
                    id = "u" + (1_000_000 + i);
                }
                userIds[i] = id;
                // Accounts exist before the history starts.
                userCreated[i] = start - 1 - r.nextLong(365 * DAY_MS);
                int genderRoll = r.nextInt(100);
                users.row(id,
                        SampleText.nickname(r),
                        r.nextInt(10) == 0 ? null : "https://cdn.example.com/avatar/" + id + ".jpg",
                        genderRoll < 10 ? 0 : genderRoll < 55 ? 1 : 2,
                        r.nextInt(5) == 0 ? null : LocalDate.of(1960, 1, 1).plusDays(r.nextInt(48 * 365)),
                        r.nextInt(5) < 2 ? null : SampleText.pick(r, SampleText.SIGNATURES),
                        r.nextInt(10) < 3 ? null : SampleText.pick(r, SampleText.LOCATIONS),
                        userCreated[i],
                        userCreated[i] + r.nextLong(end - userCreated[i]));
                fields.row(id, "level", Integer.toString(1 + r.nextInt(60)));
                if (r.nextInt(10) < 3) {
                    fields.row(id, "vip", "1");
                }
                if (r.nextInt(10) < 4) {
                    fields.row(id, "hobby", SampleText.pick(r, SampleText.HOBBIES) + "、" + SampleText.pick(r, SampleText.HOBBIES));
                }
                if (r.nextInt(10) < 2) {
                    fields.row(id, "company", SampleText.pick(r, SampleText.COMPANIES));
                }
            }
            rows.put("users", users.written());
            rows.put("user_custom_fields", fields.written());
        }
    }

    // ---- friendships and one-to-one conversation pairs ------------------------------------

    /**
     * Pairs are (a, a + d mod n) with 1 ≤ d ≤ (n-1)/2: the same pair can never come from b's side
     * (that would need d' = n - d > (n-1)/2), so pairs are unique without remembering them.
     * The first offsets of each user are its friends; one-to-one conversations reuse the same
     * offsets, so most conversations are between friends.
     */
    private void writeFriendships(Connection c) throws SQLException {
        int n = options.users();
        int maxOffset = (n - 1) / 2;
        int conversations = (int) Math.min(options.conversations(), (long) n * maxOffset);
        conversationPartner = new int[conversations];
        double half = options.friendsPerUser() / 2.0;
        try (BatchWriter friends = new BatchWriter(c, "friendships", options.batchSize(), "id", Types.BIGINT,
                "user_id", Types.VARCHAR, "friend_id", Types.VARCHAR, "remark", Types.VARCHAR,
                "group_name", Types.VARCHAR, "add_source", Types.VARCHAR, "added_at_ms", Types.BIGINT)) {
            for (int a = 0; a < n; a++) {
                SplittableRandom countRandom = rng(FRIEND_COUNT, a);
                int k = Math.min(maxOffset, (int) half + (countRandom.nextDouble() < half - (int) half ? 1 : 0));
                int rounds = conversations / n + (a < conversations % n ? 1 : 0);
                int[] offsets = offsets(rng(OFFSETS, a), Math.max(k, rounds), maxOffset);
                for (int round = 0; round < rounds; round++) {
                    conversationPartner[round * n + a] = (a + offsets[round]) % n;
                }
                SplittableRandom r = rng(FRIENDS, a);
                for (int j = 0; j < k; j++) {
                    int b = (a + offsets[j]) % n;
                    long from = Math.max(userCreated[a], userCreated[b]);
                    long added = from + 1 + r.nextLong(Math.max(1, end - from));
                    String source = SampleText.pick(r, SampleText.ADD_SOURCES);
                    friends.row(friends.nextId(), userIds[a], userIds[b], remark(r), friendGroup(r), source, added);
                    friends.row(friends.nextId(), userIds[b], userIds[a], remark(r), friendGroup(r), source, added);
                }
            }
            rows.put("friendships", friends.written());
        }
    }

    /** {@code count} distinct offsets in 1..max, small ones likelier (people befriend their circle). */
    private static int[] offsets(SplittableRandom r, int count, int max) {
        int[] result = new int[count];
        int found = 0;
        for (int attempt = 0; found < count && attempt < 20 * count; attempt++) {
            double u = r.nextDouble();
            int candidate = 1 + (int) (max * u * u);
            if (!contains(result, found, candidate)) {
                result[found++] = candidate;
            }
        }
        // Dense requests (count close to max): fill with the smallest unused offsets.
        for (int candidate = 1; found < count; candidate++) {
            if (!contains(result, found, candidate)) {
                result[found++] = candidate;
            }
        }
        return result;
    }

    private static boolean contains(int[] values, int length, int value) {
        for (int i = 0; i < length; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    private static String remark(SplittableRandom r) {
        return r.nextInt(10) < 3 ? SampleText.pick(r, SampleText.REMARKS) : null;
    }

    private static String friendGroup(SplittableRandom r) {
        return r.nextInt(10) < 6 ? SampleText.pick(r, SampleText.FRIEND_GROUPS) : null;
    }

    // ---- groups and members ---------------------------------------------------------------

    /** One group with its members in join order. */
    private record GroupPlan(String id, String type, String name, String introduction, String notification,
            String avatar, int owner, long created, long updated, Long dismissed, int[] members, long[] joined,
            String[] roles) {

        /** Members who joined at or before {@code time}: a prefix of {@link #members}. */
        int joinedBy(long time) {
            int i = Arrays.binarySearch(joined, time);
            if (i < 0) {
                return -i - 1;
            }
            while (i + 1 < joined.length && joined[i + 1] == time) {
                i++;
            }
            return i + 1;
        }

        /** Owner's join time: the first message comes after it. */
        long ownerJoined() {
            for (int i = 0; i < members.length; i++) {
                if (members[i] == owner) {
                    return joined[i];
                }
            }
            throw new IllegalStateException("owner is always a member");
        }
    }

    private GroupPlan[] planGroups() {
        int n = options.users();
        GroupPlan[] plans = new GroupPlan[options.groups()];
        for (int g = 0; g < plans.length; g++) {
            SplittableRandom r = rng(GROUP, g);
            String id = "g" + (100_000 + g);
            int typeRoll = r.nextInt(100);
            TimGroupType type = typeRoll < 45 ? TimGroupType.PRIVATE
                    : typeRoll < 75 ? TimGroupType.PUBLIC
                    : typeRoll < 90 ? TimGroupType.CHAT_ROOM
                    : TimGroupType.COMMUNITY;
            String name = SampleText.groupName(r, type == TimGroupType.PRIVATE);
            if (r.nextDouble() < options.badShare()) {
                if (r.nextBoolean()) {
                    type = TimGroupType.AV_CHAT_ROOM;
                    count(BadRow.UNIMPORTABLE_GROUP_TYPE);
                } else {
                    name = name + "（" + SampleText.pick(r, SampleText.GROUP_PLACES) + "分群·官方认证）";
                    count(BadRow.LONG_GROUP_NAME);
                }
            }
            int cap = Math.min(type == TimGroupType.COMMUNITY ? MAX_COMMUNITY_SIZE : MAX_GROUP_SIZE,
                    Math.max(2, n * 3 / 4));
            int size = (int) Math.min(cap, MIN_GROUP_SIZE / Math.pow(1 - r.nextDouble(), 1 / GROUP_SIZE_ALPHA));
            long created = start + r.nextLong((end - start) * 6 / 10);
            // TIM wants JoinTime > CreateTime in seconds: members join from the next second on.
            long firstSecond = (created / 1000 + 1) * 1000;
            int owner = r.nextInt(n);
            Set<Integer> chosen = new HashSet<>();
            chosen.add(owner);
            int[] members = new int[size];
            long[] joined = new long[size];
            members[0] = owner;
            joined[0] = firstSecond + r.nextInt(1000);
            int founders = Math.min(size - 1, 2 + r.nextInt(10));
            for (int m = 1; m < size; m++) {
                int user;
                do {
                    user = r.nextInt(n);
                } while (!chosen.add(user));
                members[m] = user;
                joined[m] = m <= founders
                        ? joined[0] + 1 + r.nextLong(3_600_000)
                        : firstSecond + r.nextLong(Math.max(1, (end - firstSecond) * 8 / 10));
            }
            sortByJoinTime(members, joined);
            String[] roles = new String[size];
            int admins = size >= 10 ? Math.min(10, 1 + size / 50) : size >= 5 ? 1 : 0;
            for (int m = 0; m < size; m++) {
                roles[m] = members[m] == owner ? "owner" : admins-- > 0 ? "admin" : "member";
            }
            plans[g] = new GroupPlan(id, type.legacyName(), name,
                    r.nextInt(10) < 7 ? SampleText.pick(r, SampleText.INTRODUCTIONS) : null,
                    r.nextInt(10) < 5 ? SampleText.pick(r, SampleText.NOTIFICATIONS) : null,
                    r.nextInt(10) < 8 ? "https://cdn.example.com/group/" + id + ".png" : null,
                    owner, created, created + r.nextLong(end - created),
                    r.nextInt(100) < 3 ? end + r.nextLong(30 * DAY_MS) : null,
                    members, joined, roles);
        }
        return plans;
    }

    private static void sortByJoinTime(int[] members, long[] joined) {
        Integer[] order = new Integer[members.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingLong(i -> joined[i]).thenComparingInt(i -> members[i]));
        int[] m = members.clone();
        long[] j = joined.clone();
        for (int i = 0; i < order.length; i++) {
            members[i] = m[order[i]];
            joined[i] = j[order[i]];
        }
    }

    /** Busier groups are bigger, times a heavy-tailed activity factor. */
    private long[] groupMessageCounts(GroupPlan[] groups, long total) {
        double[] weights = new double[groups.length];
        for (int g = 0; g < groups.length; g++) {
            weights[g] = groups[g].members().length / Math.pow(1 - rng(GROUP_ACTIVITY, g).nextDouble(), 1 / 1.5);
        }
        return apportion(weights, total);
    }

    private void writeGroups(Connection c, GroupPlan[] groups, long[] messageCounts) throws SQLException {
        try (BatchWriter groupWriter = new BatchWriter(c, "im_groups", options.batchSize(),
                "group_id", Types.VARCHAR, "owner_id", Types.VARCHAR, "group_type", Types.VARCHAR,
                "name", Types.VARCHAR, "introduction", Types.VARCHAR, "notification", Types.VARCHAR,
                "avatar_url", Types.VARCHAR, "created_at_ms", Types.BIGINT, "updated_at_ms", Types.BIGINT,
                "dismissed_at_ms", Types.BIGINT)) {
            for (GroupPlan g : groups) {
                groupWriter.row(g.id(), userIds[g.owner()], g.type(), g.name(), g.introduction(), g.notification(),
                        g.avatar(), g.created(), g.updated(), g.dismissed());
            }
            rows.put("im_groups", groupWriter.written());
        }
        try (BatchWriter memberWriter = new BatchWriter(c, "group_members", options.batchSize(), "id", Types.BIGINT,
                "group_id", Types.VARCHAR, "user_id", Types.VARCHAR, "role", Types.VARCHAR,
                "joined_at_ms", Types.BIGINT, "unread_count", Types.INTEGER)) {
            for (int gi = 0; gi < groups.length; gi++) {
                GroupPlan g = groups[gi];
                SplittableRandom r = rng(UNREAD, gi);
                int maxUnread = (int) Math.min(messageCounts[gi], 200);
                for (int m = 0; m < g.members().length; m++) {
                    int unread = r.nextInt(10) < 7 ? 0 : r.nextInt(maxUnread + 1);
                    memberWriter.row(memberWriter.nextId(), g.id(), userIds[g.members()[m]], g.roles()[m], g.joined()[m], unread);
                }
            }
            rows.put("group_members", memberWriter.written());
        }
    }

    // ---- messages --------------------------------------------------------------------------

    /** One conversation (or group) emitting its messages; the queue merges them in time order. */
    private static final class Cursor {
        final int key;
        final SplittableRandom random;
        final boolean scripted;
        int remaining;
        int sequence;
        long next;
        int lastSender;

        Cursor(int key, SplittableRandom random, boolean scripted, int remaining, long first) {
            this.key = key;
            this.random = random;
            this.scripted = scripted;
            this.remaining = remaining;
            this.next = scripted ? first / 1000 * 1000 + 100 : first;
        }
    }

    private static final Comparator<Cursor> BY_TIME =
            Comparator.<Cursor>comparingLong(c -> c.next).thenComparingInt(c -> c.key);

    private void writeC2cMessages(Connection c, long total) throws SQLException {
        int conversations = conversationPartner.length;
        long[] sizes = apportion(zipfWeights(conversations, rng(CONVERSATION_RANK, 0)), conversations == 0 ? 0 : total);
        int busiest = indexOfMax(sizes);
        PriorityQueue<Cursor> queue = new PriorityQueue<>(BY_TIME);
        for (int conv = 0; conv < conversations; conv++) {
            if (sizes[conv] > 0) {
                SplittableRandom r = rng(CONVERSATION, conv);
                long first = start + r.nextLong((end - start) * 7 / 10);
                Cursor cursor = new Cursor(conv, r, conv == busiest, (int) sizes[conv], first);
                cursor.lastSender = r.nextBoolean() ? conv % options.users() : conversationPartner[conv];
                queue.add(cursor);
            }
        }
        try (BatchWriter writer = messageWriter(c, "c2c_messages", "receiver_id")) {
            while (!queue.isEmpty()) {
                Cursor cur = queue.poll();
                int a = cur.key % options.users();
                int b = conversationPartner[cur.key];
                // People reply more often than they keep talking.
                if (cur.random.nextInt(100) < 55) {
                    cur.lastSender = cur.lastSender == a ? b : a;
                }
                int receiver = cur.lastSender == a ? b : a;
                MessageFactory.Message m = message(cur);
                writer.row(writer.nextId(), userIds[cur.lastSender], userIds[receiver], m.type(), m.content(), cur.next);
                advance(cur, queue);
            }
            rows.put("c2c_messages", writer.written());
        }
    }

    private void writeGroupMessages(Connection c, GroupPlan[] groups, long[] counts) throws SQLException {
        int busiest = indexOfMax(counts);
        PriorityQueue<Cursor> queue = new PriorityQueue<>(BY_TIME);
        for (int g = 0; g < groups.length; g++) {
            if (counts[g] > 0) {
                SplittableRandom r = rng(GROUP_CHAT, g);
                long first = groups[g].ownerJoined() + 1000 + r.nextLong(DAY_MS);
                queue.add(new Cursor(g, r, g == busiest, (int) counts[g], first));
            }
        }
        try (BatchWriter writer = messageWriter(c, "group_messages", "group_id")) {
            while (!queue.isEmpty()) {
                Cursor cur = queue.poll();
                GroupPlan g = groups[cur.key];
                // Early members are the core that talks most; only members who have joined can speak.
                double u = cur.random.nextDouble();
                int sender = g.members()[(int) (g.joinedBy(cur.next) * u * u)];
                MessageFactory.Message m = message(cur);
                writer.row(writer.nextId(), userIds[sender], g.id(), m.type(), m.content(), cur.next);
                advance(cur, queue);
            }
            rows.put("group_messages", writer.written());
        }
    }

    private BatchWriter messageWriter(Connection c, String table, String targetColumn) throws SQLException {
        return new BatchWriter(c, table, options.batchSize(), "id", Types.BIGINT,
                "sender_id", Types.VARCHAR, targetColumn, Types.VARCHAR, "msg_type", Types.VARCHAR,
                "content", Types.VARCHAR, "created_at_ms", Types.BIGINT);
    }

    private MessageFactory.Message message(Cursor cur) {
        MessageFactory.Message m = cur.scripted && cur.sequence < LegacyMessageType.values().length
                ? messageFactory.of(LegacyMessageType.values()[cur.sequence], cur.random)
                : messageFactory.next(cur.random, options.badShare());
        if (m.bad() != null) {
            count(m.bad());
        }
        return m;
    }

    /** Moves the cursor to its next message time, or drops it when done; never past the end of history. */
    private void advance(Cursor cur, PriorityQueue<Cursor> queue) {
        cur.sequence++;
        if (--cur.remaining == 0) {
            return;
        }
        long gap;
        if (cur.scripted && cur.sequence <= 2) {
            // Message 2 in the same millisecond as message 1, message 3 in the same second.
            gap = cur.sequence == 1 ? 0 : 300;
        } else {
            long mean = Math.max(1, (end - cur.next) / (cur.remaining + 1));
            int roll = cur.random.nextInt(100);
            gap = roll < 3 ? 0
                    : roll < 15 ? 1 + cur.random.nextInt(999)
                    : 1 + (long) Math.min(3.0 * mean, -Math.log(1 - cur.random.nextDouble()) * mean);
        }
        cur.next = Math.min(cur.next + gap, end - 1);
        queue.add(cur);
    }

    // ---- distributions and helpers ---------------------------------------------------------

    /** Weights 1/rank^s over a random permutation of ranks. */
    private static double[] zipfWeights(int n, SplittableRandom r) {
        int[] rank = new int[n];
        for (int i = 0; i < n; i++) {
            rank[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = rank[i];
            rank[i] = rank[j];
            rank[j] = t;
        }
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            weights[i] = 1 / Math.pow(rank[i] + 1, ZIPF_EXPONENT);
        }
        return weights;
    }

    /** Splits {@code total} in proportion to the weights; rounding the running sum keeps the total exact. */
    private static long[] apportion(double[] weights, long total) {
        double sum = Arrays.stream(weights).sum();
        long[] parts = new long[weights.length];
        double running = 0;
        long assigned = 0;
        for (int i = 0; i < weights.length; i++) {
            running += weights[i];
            long upTo = i == weights.length - 1 ? total : Math.round(total * (running / sum));
            parts[i] = upTo - assigned;
            assigned = upTo;
        }
        return parts;
    }

    private static int indexOfMax(long[] values) {
        int best = -1;
        for (int i = 0; i < values.length; i++) {
            if (best < 0 || values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private void count(BadRow kind) {
        badRows.merge(kind, 1L, Long::sum);
    }

    private static String randomChars(SplittableRandom r, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(BASE64URL.charAt(r.nextInt(BASE64URL.length())));
        }
        return s.toString();
    }

    private SplittableRandom rng(long stream, long index) {
        return new SplittableRandom(mix(mix(options.seed() ^ stream * 0x9E3779B97F4A7C15L) + index));
    }

    /** SplitMix64's finalizer: spreads nearby inputs over the whole 64-bit range. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
