package io.timbridge.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A Tinode database as its server writes it (schemas/tinode/schema.sql): users with snowflake ids and JSON
 * public data, p2p and grp topics with their subscriptions, messages as JSON strings or Drafty. It holds one
 * conversation and one group larger than any page the test reads, and a few rows TIM must refuse.
 */
final class TinodeSample {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final String[] NAMES = {"张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄晓明", "周杰",
        "吴婷", "徐鹏", "孙丽", "马超", "朱琳", "胡军", "郭靖", "何欢", "高飞", "林峰", "罗兰", "Alice Hatter",
        "Bob Smith", "Carol Xmas", "Dave Goliathsson"};
    private static final String[] LINES = {"你好，在吗？", "今天晚上一起吃饭吧 🍜", "收到，马上处理。", "会议改到下午三点了",
        "这个方案我觉得还可以再优化一下", "哈哈哈哈 😂", "周末去爬山吗？", "文件已经发到你邮箱了", "好的，谢谢！",
        "明天记得带伞，预报有雨 ☔", "Sounds good, see you there.", "我在地铁上，等下回你", "晚安 🌙"};

    /** The snowflake ids Tinode keeps in users.id; the first account's is shorter, from the service's first days. */
    final List<Long> users = new ArrayList<>();
    /** The conversation with more messages than a page, its first user, second user and a plain text message. */
    String bigConversation;
    long bigA;
    long bigB;
    long bigConversationTextId;
    int bigConversationSize;
    /** The group with more members than a page, a plain member of it with nothing unread, its current members. */
    String bigGroup;
    long bigGroupQuietMember;
    int bigGroupSize;
    /** A group TIM refuses (its name is over 30 bytes) and a soft-deleted one. */
    String refusedGroup;
    String deletedGroup;
    /** Messages TIM refuses: a video call, an in-band image, a text over TIM's 8000 bytes, an audio record. */
    long videoCallId;
    long inBandImageId;
    long hugeTextId;
    long audioId;

    private final Random random = new Random(20240917);
    private final Connection c;
    private LocalDateTime clock = LocalDateTime.now(ZoneOffset.UTC).minusDays(20).truncatedTo(ChronoUnit.SECONDS);

    private TinodeSample(Connection c) {
        this.c = c;
    }

    static TinodeSample fill(Connection c) throws SQLException {
        TinodeSample s = new TinodeSample(c);
        s.fill();
        return s;
    }

    private void fill() throws SQLException {
        users.add(987_654_321_012L);
        for (int i = 1; i < NAMES.length; i++) {
            users.add(7_212_345_678_900_000_000L + i * 4_194_304_123L);
        }
        for (int i = 0; i < users.size(); i++) {
            ObjectNode pub = JSON.createObjectNode().put("fn", NAMES[i]);
            if (i % 3 == 0) {
                pub.putObject("photo").put("type", "jpg").put("ref", "/v0/file/s/avatar" + i + ".jpg");
            }
            if (i % 4 == 1) {
                pub.put("note", "热爱生活，热爱工作");
            }
            insertUser(users.get(i), pub);
        }
        // Tinode's own system topic: not a conversation, not a group.
        exec("INSERT INTO topics (createdat, updatedat, touchedat, name, access, public) VALUES (?, ?, ?, 'sys', ?, ?)",
                clock, clock, clock, "{\"Auth\":\"N\",\"Anon\":\"N\"}", "{\"fn\":\"System\"}");

        bigA = users.get(0);
        bigB = users.get(5);
        bigConversation = conversation(bigA, bigB, 40, "老同学");
        bigConversationSize = 40;
        exec("UPDATE messages SET deletedat = updatedat, delid = 1, content = NULL, head = NULL"
                + " WHERE topic = ? AND seqid = 7", bigConversation);
        bigConversationSize--;
        bigConversationTextId = longOf("SELECT MIN(id) FROM messages WHERE topic = ? AND seqid > 10"
                + " AND JSON_TYPE(content) = 'STRING'", bigConversation);
        for (int i = 1; i < 14; i++) {
            conversation(users.get(i), users.get(i + 10), 5 + random.nextInt(16),
                    i % 2 == 0 ? "同事" + NAMES[i] : null);
        }
        String calls = conversation(users.get(2), users.get(9), 6, null);
        videoCallId = message(calls, users.get(2), "{\"webrtc\":\"finished\",\"webrtc-duration\":62000}",
                drafty(" ", "VC", JSON.createObjectNode()));
        inBandImageId = message(calls, users.get(9), "{\"mime\":\"text/x-drafty\"}", drafty(" ", "IM",
                JSON.createObjectNode().put("mime", "image/png").put("val", "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB")
                        .put("width", 1).put("height", 1).put("name", "dot.png")));
        hugeTextId = message(calls, users.get(2), null, quoted("长".repeat(3000)));

        bigGroup = group("技术交流群", "后端、前端、运维都欢迎", users.get(2), users.subList(0, 24), 70);
        bigGroupQuietMember = longOf("SELECT MAX(s.userid) FROM subscriptions s JOIN topics t ON t.name = s.topic"
                + " WHERE s.topic = ? AND s.userid <> t.owner AND LOCATE('A', s.modegiven) = 0"
                + " AND s.readseqid = t.seqid AND s.deletedat IS NULL", bigGroup);
        String family = group("相亲相爱一家人", null, users.get(7), users.subList(5, 15), 40);
        audioId = message(family, users.get(8), "{\"mime\":\"text/x-drafty\"}", drafty(" ", "AU",
                JSON.createObjectNode().put("mime", "audio/aac").put("ref", "/v0/file/s/voice.m4a")
                        .put("duration", 4200)));
        refusedGroup = group("上海浦东新区软件园篮球爱好者交流群", "每周三晚上打球", users.get(3), users.subList(3, 9), 10);
        deletedGroup = group("临时项目组", null, users.get(11), users.subList(10, 15), 5);
        exec("UPDATE topics SET state = 20, stateat = ? WHERE name = ?", tick(), deletedGroup);
        group("周末读书会", "每月一本书", users.get(20), users.subList(18, 22), 8);
        bigGroupSize = (int) longOf("SELECT COUNT(*) FROM subscriptions WHERE topic = ? AND deletedat IS NULL", bigGroup);
    }

    /** A p2p topic of two users with {@code n} messages; {@code comment} is what b calls a (b's private data). */
    private String conversation(long a, long b, int n, String comment) throws SQLException {
        String name = "p2p" + randomId(22);
        LocalDateTime created = tick();
        exec("INSERT INTO topics (createdat, updatedat, touchedat, name, access, seqid) VALUES (?, ?, ?, ?, ?, 0)",
                created, created, created, name, "{\"Auth\":\"JRWPA\",\"Anon\":\"N\"}");
        subscribe(name, a, "JRWPAS", created, null);
        subscribe(name, b, "JRWPAS", created, comment == null ? null : JSON.createObjectNode().put("comment", comment));
        for (int i = 0; i < n; i++) {
            long from = random.nextBoolean() ? a : b;
            content(name, from);
        }
        return name;
    }

    /** A grp topic owned by {@code owner} with the users as members (some approvers), then {@code n} messages. */
    private String group(String fn, String note, long owner, List<Long> members, int n) throws SQLException {
        String name = "grp" + randomId(11);
        LocalDateTime created = tick();
        ObjectNode pub = JSON.createObjectNode().put("fn", fn);
        if (note != null) {
            pub.put("note", note);
        }
        pub.putObject("photo").put("type", "png").put("ref", "/v0/file/s/" + name + ".png");
        exec("INSERT INTO topics (createdat, updatedat, touchedat, name, owner, access, seqid, public)"
                + " VALUES (?, ?, ?, ?, ?, ?, 0, ?)", created, created, created, name, owner,
                "{\"Auth\":\"JRWP\",\"Anon\":\"N\"}", pub.toString());
        subscribe(name, owner, "JRWPASDO", created, null);
        int k = 0;
        for (long m : members) {
            if (m != owner) {
                subscribe(name, m, k++ % 7 == 0 ? "JRWPAS" : "JRWPS", tick(), null);
            }
        }
        for (int i = 0; i < n; i++) {
            content(name, members.get(random.nextInt(members.size())));
        }
        // Each member has read some of it; about one in three all of it.
        exec("UPDATE subscriptions s JOIN topics t ON t.name = s.topic SET s.readseqid = CASE WHEN MOD(s.id, 3) = 0"
                + " THEN t.seqid ELSE FLOOR(t.seqid * MOD(s.id, 5) / 5) END, s.recvseqid = t.seqid WHERE s.topic = ?", name);
        if (members.size() > 3) {
            // A member who left: their messages stay in the history, they are no longer a member.
            exec("UPDATE subscriptions SET deletedat = ? WHERE topic = ? AND userid = ?", tick(), name,
                    members.get(members.size() - 1) == owner ? members.get(0) : members.get(members.size() - 1));
        }
        return name;
    }

    /** One message of the kinds Tinode clients send: mostly plain strings, some Drafty text, images, files. */
    private void content(String topic, long from) throws SQLException {
        int kind = random.nextInt(20);
        String line = LINES[random.nextInt(LINES.length)];
        if (kind < 14) {
            message(topic, from, null, quoted(line));
        } else if (kind < 16) {
            ObjectNode d = JSON.createObjectNode().put("txt", line);
            d.putArray("fmt").addObject().put("at", 0).put("len", 2).put("tp", "ST");
            message(topic, from, "{\"mime\":\"text/x-drafty\"}", d.toString());
        } else if (kind < 17) {
            String text = "看看这个 https://tinode.co";
            ObjectNode d = JSON.createObjectNode().put("txt", text);
            d.putArray("fmt").addObject().put("at", 5).put("len", 17).put("key", 0);
            d.putArray("ent").addObject().put("tp", "LN").putObject("data").put("url", "https://tinode.co");
            message(topic, from, "{\"mime\":\"text/x-drafty\"}", d.toString());
        } else if (kind < 19) {
            message(topic, from, "{\"mime\":\"text/x-drafty\"}", drafty(" ", "IM", JSON.createObjectNode()
                    .put("mime", "image/jpeg").put("ref", "/v0/file/s/" + randomId(11) + ".jpg")
                    .put("width", 1024).put("height", 768).put("size", 20_000 + random.nextInt(90_000))
                    .put("name", "IMG_" + random.nextInt(10_000) + ".jpg")));
        } else {
            message(topic, from, "{\"mime\":\"text/x-drafty\"}", drafty(" ", "EX", JSON.createObjectNode()
                    .put("mime", "application/pdf").put("ref", "/v0/file/s/" + randomId(11) + ".pdf")
                    .put("size", 350_123).put("name", "季度报告.pdf")));
        }
    }

    /** A JSON string: Tinode's content of a plain text message. */
    private static String quoted(String text) {
        return JSON.getNodeFactory().textNode(text).toString();
    }

    /** A Drafty document of one entity, as Tinode's clients send an attachment alone. */
    private static String drafty(String txt, String tp, ObjectNode data) {
        ObjectNode d = JSON.createObjectNode().put("txt", txt);
        d.putArray("fmt").addObject().put("at", -1).put("len", 0).put("key", 0);
        ArrayNode ent = d.putArray("ent");
        ent.addObject().put("tp", tp).set("data", data);
        return d.toString();
    }

    /** Appends a message to the topic as Tinode does: the next seqid, and the topic's seqid moves on. */
    private long message(String topic, long from, String head, String content) throws SQLException {
        LocalDateTime at = tick();
        int seq = (int) longOf("SELECT seqid FROM topics WHERE name = ?", topic) + 1;
        exec("INSERT INTO messages (createdat, updatedat, seqid, topic, `from`, head, content) VALUES (?, ?, ?, ?, ?, ?, ?)",
                at, at, seq, topic, from, head, content);
        exec("UPDATE topics SET seqid = ?, touchedat = ? WHERE name = ?", seq, at, topic);
        return longOf("SELECT id FROM messages WHERE topic = ? AND seqid = ?", topic, seq);
    }

    private void insertUser(long id, ObjectNode pub) throws SQLException {
        LocalDateTime at = tick();
        exec("INSERT INTO users (id, createdat, updatedat, state, access, lastseen, useragent, public, tags)"
                + " VALUES (?, ?, ?, 0, ?, ?, 'TinodeWeb/0.22', ?, ?)", id, at, at,
                "{\"Auth\":\"JRWPAS\",\"Anon\":\"N\"}", at, pub.toString(), "[\"basic:user" + id + "\"]");
    }

    private void subscribe(String topic, long user, String mode, LocalDateTime at, ObjectNode priv) throws SQLException {
        exec("INSERT INTO subscriptions (createdat, updatedat, userid, topic, modewant, modegiven, private)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", at, at, user, topic, mode, mode, priv == null ? null : priv.toString());
    }

    private LocalDateTime tick() {
        clock = clock.plusSeconds(5 + random.nextInt(300)).plusNanos(random.nextInt(1000) * 1_000_000L);
        return clock;
    }

    private String randomId(int length) {
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < length; i++) {
            id.append(B64.charAt(random.nextInt(B64.length())));
        }
        return id.toString();
    }

    private void exec(String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }

    private long longOf(String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getObject(1) == null) {
                    throw new IllegalStateException("the sample has no row for " + sql);
                }
                return rs.getLong(1);
            }
        }
    }

    /** Counts rows of a query, for the test's own checks of what the sample holds. */
    static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
