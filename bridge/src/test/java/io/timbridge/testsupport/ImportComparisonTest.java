package io.timbridge.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbridge.legacy.LegacySchema;
import io.timbridge.sandbox.SandboxConfig;
import io.timbridge.sandbox.TimSandbox;
import io.timbridge.testsupport.ImportComparison.DataType;
import io.timbridge.testsupport.ImportComparison.Difference;
import io.timbridge.testsupport.ImportComparison.Report;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimClient;
import io.timbridge.tim.TimClientConfig;
import io.timbridge.tim.TimResponse;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The oracle against a tiny legacy database and a sandbox filled by hand with exactly what
 * docs/import-mapping.md asks for: clean first, then one broken thing at a time, each of which must be named.
 * The requests below are written out from the spec (times in seconds, dedup keys worked out by hand), not
 * produced by the oracle's own code.
 */
class ImportComparisonTest {
    private static final long APP = 1_400_000_001L;
    private static final String ADMIN = "administrator";
    private static final String KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
    /** A WeChat openid kept as account id: 34 bytes, over TIM's 32. */
    private static final String LONG_ID = "wx_oABCDEFGHIJKLMNOPQRSTUVWXYZ01_1";
    private static final Map<String, String> CUSTOM_TAGS = Map.of("level", "Level", "vip", "Tag_Profile_Custom_Vip");

    private static TestDatabases.TestDatabase legacy;
    private static TimSandbox sandbox;
    private static TimClient tim;

    @BeforeAll
    static void start() throws SQLException {
        legacy = TestDatabases.create(TestDatabases.Kind.H2);
        try (Connection c = legacy.connection()) {
            LegacySchema.apply(c);
            fillLegacy(c);
        }
        Properties p = new Properties();
        p.setProperty("tim.sdk-app-id", Long.toString(APP));
        p.setProperty("tim.admin-identifier", ADMIN);
        p.setProperty("tim.secret-key", KEY);
        p.setProperty("sandbox.port", "0");
        p.setProperty("sandbox.roaming-retention-days", "0");
        p.setProperty("sandbox.rate-limits.enabled", "false");
        sandbox = new TimSandbox(SandboxConfig.from(p)).start();
        p.setProperty("tim.base-url", "http://127.0.0.1:" + sandbox.port());
        tim = new TimClient(TimClientConfig.from(p));
    }

    @AfterAll
    static void stop() throws SQLException {
        sandbox.stop();
        legacy.close();
    }

    @BeforeEach
    void emptySandbox() {
        sandbox.reset();
    }

    // ---- legacy data -----------------------------------------------------------------------

    private static void fillLegacy(Connection c) throws SQLException {
        String user = "INSERT INTO users (user_id, nickname, avatar_url, gender, birthday, signature, location,"
                + " created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, 1600000000000, 1600000000000)";
        insert(c, user, "u1", "阿丽", "https://cdn.example.com/avatar/u1.jpg", 2, Date.valueOf(LocalDate.of(1990, 5, 6)),
                "今天也要加油", "深圳");
        insert(c, user, "u2", "Bob", null, 1, null, null, null);
        insert(c, user, "u3", null, null, 0, null, null, null);
        // A 600-byte signature: the profile is refused (profile-value), the account is not.
        insert(c, user, "u4", "Dora", "https://cdn.example.com/avatar/u4.jpg", 2, null, "长".repeat(200), null);
        insert(c, user, LONG_ID, "openid", null, 0, null, null, null);

        String field = "INSERT INTO user_custom_fields (user_id, field_key, field_value) VALUES (?, ?, ?)";
        insert(c, field, "u1", "level", "7");
        insert(c, field, "u1", "vip", "1");
        insert(c, field, "u1", "hobby", "爬山");
        insert(c, field, "u2", "level", "12");

        String friend = "INSERT INTO friendships (user_id, friend_id, remark, group_name, add_source, added_at_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?)";
        insert(c, friend, "u1", "u2", "老同学", "同学", "search", 1679000000500L);
        insert(c, friend, "u2", "u1", null, null, "search", 1679000000500L);
        insert(c, friend, "u1", "u3", null, "同事", null, 1679100000999L);
        insert(c, friend, "u1", LONG_ID, null, null, "qrcode", 1679200000000L);

        String c2c = "INSERT INTO c2c_messages (id, sender_id, receiver_id, msg_type, content, created_at_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?)";
        insert(c, c2c, 1, "u1", "u2", "text", "你好 👋", 1680000000123L);
        insert(c, c2c, 2, "u2", "u1", "image", "{\"url\":\"https://cdn.example.com/img/1.jpg\",\"width\":800,"
                + "\"height\":600,\"size\":12345,\"format\":\"jpg\",\"uuid\":\"img-1\"}", 1680000000123L);
        insert(c, c2c, 3, "u1", "u2", "text", "在吗", 1680000000423L);
        insert(c, c2c, 4, "u2", "u1", "sticker", "{}", 1680000001000L);
        insert(c, c2c, 5, "u2", "u1", "custom", "{\"data\":\"{\\\"kind\\\":\\\"order\\\"}\",\"desc\":\"订单\"}",
                1680000100000L);
        insert(c, c2c, 6, "u1", LONG_ID, "text", "hi", 1680000200000L);
        insert(c, c2c, 7, "u3", "u2", "location", "{\"lat\":22.543096,\"lng\":114.057865,\"desc\":\"深圳市民中心\"}",
                1680000300000L);
        insert(c, c2c, 8, "u1", "u3", "text", "x".repeat(8100), 1680000400000L);

        String group = "INSERT INTO im_groups (group_id, owner_id, group_type, name, introduction, notification,"
                + " avatar_url, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1680009000000)";
        insert(c, group, "g1", "u1", "work", "家人群", "一家人", "周末聚餐", "https://cdn.example.com/group/g1.png",
                1680000900500L);
        insert(c, group, "g2", "u2", "live", "直播间", null, null, null, 1680002500000L);
        insert(c, group, "g3", "u2", "public", "这是一个名字非常非常长的公开群组啊", null, null, null, 1680002600000L);
        insert(c, group, "g4", null, "meeting", "周会", null, null, null, 1680005000000L);

        String member = "INSERT INTO group_members (group_id, user_id, role, joined_at_ms, unread_count)"
                + " VALUES (?, ?, ?, ?, ?)";
        insert(c, member, "g1", "u1", "owner", 1680000900500L, 2);
        // Joined before the group's recorded creation (migrated data): CreateTime follows the earliest event.
        insert(c, member, "g1", "u2", "admin", 1680000800200L, 5);
        insert(c, member, "g1", "u3", "member", 1680000950000L, 1);
        insert(c, member, "g2", "u2", "owner", 1680002500000L, 0);
        insert(c, member, "g2", "u3", "member", 1680002500500L, 1);
        insert(c, member, "g4", "u1", "member", 1680005000000L, 3);
        insert(c, member, "g4", LONG_ID, "member", 1680005000000L, 2);

        String groupMessage = "INSERT INTO group_messages (id, group_id, sender_id, msg_type, content, created_at_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?)";
        insert(c, groupMessage, 1, "g1", "u1", "text", "大家好", 1680001000100L);
        insert(c, groupMessage, 2, "g1", "u2", "text", "好久不见", 1680001000900L);
        insert(c, groupMessage, 3, "g1", "u3", "sticker", "{}", 1680001500000L);
        insert(c, groupMessage, 4, "g1", "u3", "emoji", "{\"index\":12,\"code\":\"[微笑]\"}", 1680002000000L);
        insert(c, groupMessage, 5, "g2", "u2", "text", "开播了", 1680002500900L);
    }

    private static void insert(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                st.setObject(i + 1, values[i]);
            }
            st.executeUpdate();
        }
    }

    // ---- TIM state as the spec wants it ------------------------------------------------------

    /** Sends the correct import, each request passed through its tweak first (null = not sent). */
    private static void importCorrectly(Map<String, UnaryOperator<ObjectNode>> tweaks) {
        List<String[]> requests = List.of(
                r("accounts", TimApi.MULTIACCOUNT_IMPORT, """
                        {"AccountList":[{"UserID":"u1","Nick":"阿丽","FaceUrl":"https://cdn.example.com/avatar/u1.jpg"},
                          {"UserID":"u2","Nick":"Bob"},{"UserID":"u3"},
                          {"UserID":"u4","Nick":"Dora","FaceUrl":"https://cdn.example.com/avatar/u4.jpg"}]}"""),
                r("profile u1", TimApi.PORTRAIT_SET, """
                        {"From_Account":"u1","ProfileItem":[{"Tag":"Tag_Profile_IM_Nick","Value":"阿丽"},
                          {"Tag":"Tag_Profile_IM_Image","Value":"https://cdn.example.com/avatar/u1.jpg"},
                          {"Tag":"Tag_Profile_IM_Gender","Value":"Gender_Type_Female"},
                          {"Tag":"Tag_Profile_IM_BirthDay","Value":19900506},
                          {"Tag":"Tag_Profile_IM_SelfSignature","Value":"今天也要加油"},
                          {"Tag":"Tag_Profile_IM_Location","Value":"深圳"},
                          {"Tag":"Tag_Profile_Custom_Level","Value":"7"},{"Tag":"Tag_Profile_Custom_Vip","Value":"1"}]}"""),
                r("profile u2", TimApi.PORTRAIT_SET, """
                        {"From_Account":"u2","ProfileItem":[{"Tag":"Tag_Profile_IM_Nick","Value":"Bob"},
                          {"Tag":"Tag_Profile_IM_Gender","Value":"Gender_Type_Male"},
                          {"Tag":"Tag_Profile_Custom_Level","Value":"12"}]}"""),
                r("profile u3", TimApi.PORTRAIT_SET, """
                        {"From_Account":"u3","ProfileItem":[{"Tag":"Tag_Profile_IM_Gender","Value":"Gender_Type_Unknown"}]}"""),
                r("friends u1", TimApi.FRIEND_IMPORT, """
                        {"From_Account":"u1","AddFriendItem":[
                          {"To_Account":"u2","Remark":"老同学","GroupName":["同学"],"AddSource":"AddSource_Type_search","AddTime":1679000000},
                          {"To_Account":"u3","GroupName":["同事"],"AddSource":"AddSource_Type_Unknown","AddTime":1679100000}]}"""),
                r("friends u2", TimApi.FRIEND_IMPORT, """
                        {"From_Account":"u2","AddFriendItem":[{"To_Account":"u1","AddSource":"AddSource_Type_search","AddTime":1679000000}]}"""),
                // MsgSeq = millisecond × 4294967 + id, MsgRandom = 0 for these small ids (DedupKeys).
                c2c("c2c 1", "u1", "u2", 528280942, 1680000000, 1, """
                        [{"MsgType":"TIMTextElem","MsgContent":{"Text":"你好 👋"}}]"""),
                c2c("c2c 2", "u2", "u1", 528280943, 1680000000, 2, """
                        [{"MsgType":"TIMImageElem","MsgContent":{"UUID":"img-1","ImageFormat":1,"ImageInfoArray":[
                          {"Type":1,"Size":12345,"Width":800,"Height":600,"URL":"https://cdn.example.com/img/1.jpg"}]}}]"""),
                c2c("c2c 3", "u1", "u2", 1816771044, 1680000000, 3, """
                        [{"MsgType":"TIMTextElem","MsgContent":{"Text":"在吗"}}]"""),
                c2c("c2c 5", "u2", "u1", 5, 1680000100, 5, """
                        [{"MsgType":"TIMCustomElem","MsgContent":{"Data":"{\\"kind\\":\\"order\\"}","Desc":"订单"}}]"""),
                c2c("c2c 7", "u3", "u2", 7, 1680000300, 7, """
                        [{"MsgType":"TIMLocationElem","MsgContent":{"Desc":"深圳市民中心","Latitude":22.543096,"Longitude":114.057865}}]"""),
                // CreateTime = floor(first event / 1000) - 1; g1's first event is u2 joining at 1680000800.200.
                r("group g1", TimApi.IMPORT_GROUP, """
                        {"GroupId":"g1","Type":"Private","Name":"家人群","Owner_Account":"u1","Introduction":"一家人",
                         "Notification":"周末聚餐","FaceUrl":"https://cdn.example.com/group/g1.png","CreateTime":1680000799}"""),
                r("group g4", TimApi.IMPORT_GROUP, """
                        {"GroupId":"g4","Type":"ChatRoom","Name":"周会","CreateTime":1680004999}"""),
                r("members g1", TimApi.IMPORT_GROUP_MEMBER, """
                        {"GroupId":"g1","MemberList":[{"Member_Account":"u2","Role":"Admin","JoinTime":1680000800},
                          {"Member_Account":"u3","JoinTime":1680000950}]}"""),
                r("members g4", TimApi.IMPORT_GROUP_MEMBER, """
                        {"GroupId":"g4","MemberList":[{"Member_Account":"u1","JoinTime":1680005000}]}"""),
                r("history g1", TimApi.IMPORT_GROUP_MSG, """
                        {"GroupId":"g1","MsgList":[
                          {"From_Account":"u1","SendTime":1680001000,"Random":1,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"大家好"}}]},
                          {"From_Account":"u2","SendTime":1680001000,"Random":2,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"好久不见"}}]},
                          {"From_Account":"u3","SendTime":1680002000,"Random":4,"MsgBody":[{"MsgType":"TIMFaceElem","MsgContent":{"Index":12,"Data":"[微笑]"}}]}]}"""),
                unread("unread g1 u1", "g1", "u1", 2),
                unread("unread g1 u2", "g1", "u2", 5),
                unread("unread g1 u3", "g1", "u3", 1),
                unread("unread g4 u1", "g4", "u1", 3));
        for (String[] request : requests) {
            ObjectNode body = json(request[2]);
            UnaryOperator<ObjectNode> tweak = tweaks.get(request[0]);
            body = tweak == null ? body : tweak.apply(body);
            if (body != null) {
                send(TimApi.valueOf(request[1]), body);
            }
        }
    }

    private static String[] r(String label, TimApi api, String body) {
        return new String[] {label, api.name(), body};
    }

    private static String[] c2c(String label, String from, String to, long seq, long time, long id, String msgBody) {
        return r(label, TimApi.IMPORTMSG, "{\"SyncFromOldSystem\":2,\"From_Account\":\"" + from + "\",\"To_Account\":\"" + to
                + "\",\"MsgSeq\":" + seq + ",\"MsgRandom\":0,\"MsgTimeStamp\":" + time + ",\"MsgBody\":" + msgBody
                + ",\"CloudCustomData\":\"{\\\"timbridge\\\":\\\"legacy\\\",\\\"id\\\":\\\"" + id + "\\\"}\"}");
    }

    private static String[] unread(String label, String group, String member, int count) {
        return r(label, TimApi.SET_UNREAD_MSG_NUM, "{\"GroupId\":\"" + group + "\",\"Member_Account\":\"" + member
                + "\",\"UnreadMsgNum\":" + count + "}");
    }

    private static void send(TimApi api, String body) {
        send(api, json(body));
    }

    private static void send(TimApi api, ObjectNode body) {
        TimResponse response = tim.call(api, body);
        assertThat(response.failedItems()).as("%s %s", api, body).isEmpty();
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) ImportSpec.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static Report compare() {
        return ImportComparison.compare(legacy.dataSource(), sandbox, CUSTOM_TAGS);
    }

    /** The report holds exactly these differences (as "key: what"), all of one type. */
    private static void assertOnly(Report report, DataType type, String... differences) {
        Map<DataType, List<String>> expected = new EnumMap<>(DataType.class);
        expected.put(type, List.of(differences));
        assertDifferences(report, expected);
    }

    private static void assertDifferences(Report report, Map<DataType, List<String>> expected) {
        for (DataType t : DataType.values()) {
            assertThat(report.section(t).differences()).extracting(Difference::toString).as(report.describe())
                    .containsExactlyElementsOf(expected.getOrDefault(t, List.of()));
        }
    }

    // ---- tests -----------------------------------------------------------------------------

    @Test
    void correctImportIsCleanAndRefusalsFollowTheRules() {
        importCorrectly(Map.of());

        Report report = compare();

        assertThat(report.isClean()).as(report.describe()).isTrue();
        Map<DataType, Map<String, Set<String>>> refused = new EnumMap<>(DataType.class);
        refused.put(DataType.ACCOUNTS, Map.of("user-id", Set.of(LONG_ID)));
        refused.put(DataType.PROFILES, Map.of("user-id", Set.of(LONG_ID), "profile-value", Set.of("u4")));
        refused.put(DataType.FRIENDS, Map.of("user-id", Set.of("u1:" + LONG_ID)));
        refused.put(DataType.C2C_HISTORY, Map.of("message-body", Set.of("4"), "user-id", Set.of("6"), "body-size", Set.of("8")));
        refused.put(DataType.GROUPS, Map.of("group-type", Set.of("g2"), "group-profile", Set.of("g3")));
        refused.put(DataType.GROUP_MEMBERS, Map.of("group-type", Set.of("g2:u3"), "user-id", Set.of("g4:" + LONG_ID)));
        refused.put(DataType.GROUP_HISTORY, Map.of("message-body", Set.of("3"), "group-not-imported", Set.of("5")));
        refused.put(DataType.MEMBER_UNREAD, Map.of("member-not-imported", Set.of("g2:u3", "g4:" + LONG_ID)));
        long[][] counts = {{4, 4}, {3, 3}, {3, 3}, {5, 5}, {2, 2}, {4, 4}, {3, 3}, {3, 3}};
        for (DataType t : DataType.values()) {
            assertThat(report.section(t).refused()).as(t.label()).isEqualTo(refused.get(t));
            assertThat(new long[] {report.section(t).expected(), report.section(t).found()}).as(t.label())
                    .containsExactly(counts[t.ordinal()]);
        }
    }

    @Test
    void emptySandboxMissesEverything() {
        Report report = compare();

        assertThat(report.isClean()).isFalse();
        assertThat(report.section(DataType.ACCOUNTS).differences()).extracting(Difference::toString)
                .containsExactly("u1: missing in TIM", "u2: missing in TIM", "u3: missing in TIM", "u4: missing in TIM");
        assertThat(report.section(DataType.C2C_HISTORY).differences()).extracting(Difference::toString)
                .containsExactly("1: missing in TIM", "2: missing in TIM", "3: missing in TIM", "5: missing in TIM",
                        "7: missing in TIM");
        assertThat(report.section(DataType.GROUPS).differences()).extracting(Difference::toString)
                .containsExactly("g1: missing in TIM", "g4: missing in TIM");
        assertThat(report.describe()).contains("accounts       expected 4, found 0, 4 difference(s), refused user-id=1",
                "      u1: missing in TIM");
    }

    @Test
    void missingAccount() {
        importCorrectly(Map.of("accounts", body -> {
            ((ArrayNode) body.get("AccountList")).remove(3);
            return body;
        }));

        assertOnly(compare(), DataType.ACCOUNTS, "u4: missing in TIM");
    }

    @Test
    void changedProfileValue() {
        importCorrectly(Map.of());
        send(TimApi.PORTRAIT_SET, """
                {"From_Account":"u1","ProfileItem":[{"Tag":"Tag_Profile_IM_Location","Value":"北京"}]}""");

        assertOnly(compare(), DataType.PROFILES, "u1: field Tag_Profile_IM_Location: legacy '深圳' vs TIM '北京'");
    }

    @Test
    void unmappedCustomFieldInTim() {
        importCorrectly(Map.of());
        send(TimApi.PORTRAIT_SET, """
                {"From_Account":"u1","ProfileItem":[{"Tag":"Tag_Profile_Custom_Hobby","Value":"爬山"}]}""");

        assertOnly(compare(), DataType.PROFILES, "u1: field Tag_Profile_Custom_Hobby: legacy (not set) vs TIM '爬山'");
    }

    @Test
    void missingFriendDirection() {
        importCorrectly(Map.of("friends u2", body -> null));

        assertOnly(compare(), DataType.FRIENDS, "u2:u1: missing in TIM");
    }

    @Test
    void missingMessage() {
        importCorrectly(Map.of("c2c 5", body -> null));

        assertOnly(compare(), DataType.C2C_HISTORY, "5: missing in TIM");
    }

    @Test
    void changedMessageBody() {
        importCorrectly(Map.of("c2c 7", body -> {
            ((ObjectNode) body.at("/MsgBody/0/MsgContent")).put("Desc", "深圳");
            return body;
        }));

        Report report = compare();

        assertThat(report.section(DataType.C2C_HISTORY).differences()).extracting(Difference::toString).as(report.describe())
                .singleElement().asString()
                .startsWith("7: field MsgBody: legacy '[{\"MsgContent\":{\"Desc\":\"深圳市民中心\"")
                .contains("vs TIM '[{\"MsgContent\":{\"Desc\":\"深圳\"");
    }

    @Test
    void duplicatedMessage() {
        importCorrectly(Map.of());
        // The same legacy message again under another dedup key, so TIM keeps both.
        send(TimApi.IMPORTMSG, c2c("again", "u1", "u2", 528280942, 1680000000, 1, """
                [{"MsgType":"TIMTextElem","MsgContent":{"Text":"你好 👋"}}]""")[2].replace("\"MsgRandom\":0", "\"MsgRandom\":9"));

        assertOnly(compare(), DataType.C2C_HISTORY, "1: duplicate in TIM: positions 1 and 2 of u1|u2");
    }

    @Test
    void swappedGroupMessages() {
        // Messages 1 and 2 share a second, so TIM takes them in either order.
        importCorrectly(Map.of("history g1", body -> {
            ArrayNode list = (ArrayNode) body.get("MsgList");
            list.insert(0, list.remove(1));
            return body;
        }));

        assertOnly(compare(), DataType.GROUP_HISTORY, "g1: order: position 1 legacy id 1 vs TIM 2 (2 position(s) differ)");
    }

    @Test
    void groupWithWrongName() {
        importCorrectly(Map.of());
        send(TimApi.MODIFY_GROUP_BASE_INFO, """
                {"GroupId":"g1","Name":"改名了"}""");

        assertOnly(compare(), DataType.GROUPS, "g1: field Name: legacy '家人群' vs TIM '改名了'");
    }

    @Test
    void memberWithWrongJoinTime() {
        importCorrectly(Map.of("members g1", body -> {
            ((ObjectNode) body.at("/MemberList/1")).put("JoinTime", 1680000951);
            return body;
        }));

        assertOnly(compare(), DataType.GROUP_MEMBERS, "g1:u3: field JoinTime: legacy '1680000950' vs TIM '1680000951'");
    }

    @Test
    void memberImportedAsAdmin() {
        importCorrectly(Map.of("members g1", body -> {
            ((ObjectNode) body.at("/MemberList/1")).put("Role", "Admin");
            return body;
        }));

        assertOnly(compare(), DataType.GROUP_MEMBERS, "g1:u3: field Role: legacy 'Member' vs TIM 'Admin'");
    }

    @Test
    void wrongUnreadCount() {
        importCorrectly(Map.of());
        send(TimApi.SET_UNREAD_MSG_NUM, """
                {"GroupId":"g1","Member_Account":"u3","UnreadMsgNum":2}""");

        assertOnly(compare(), DataType.MEMBER_UNREAD, "g1:u3: field UnreadMsgNum: legacy '1' vs TIM '2'");
    }

    @Test
    void extraGroup() {
        importCorrectly(Map.of());
        send(TimApi.IMPORT_GROUP, """
                {"GroupId":"g9","Type":"Public","Name":"多出来的群","CreateTime":1680000000}""");

        assertOnly(compare(), DataType.GROUPS, "g9: unexpected in TIM");
    }

    @Test
    void refusedGroupImportedAnyway() {
        importCorrectly(Map.of());
        send(TimApi.IMPORT_GROUP, """
                {"GroupId":"g3","Type":"Public","Name":"公开群","Owner_Account":"u2","CreateTime":1680002599}""");

        Map<DataType, List<String>> expected = new EnumMap<>(DataType.class);
        expected.put(DataType.GROUPS, List.of("g3: unexpected in TIM (refused: group-profile)"));
        expected.put(DataType.GROUP_MEMBERS, List.of("g3:u2: unexpected in TIM"));
        assertDifferences(compare(), expected);
    }

    @Test
    void describeShowsTheFirstTwentyDifferencesPerType() {
        ImportComparison.Section accounts = new ImportComparison.Section(DataType.ACCOUNTS);
        for (int i = 1; i <= 25; i++) {
            accounts.missing("u" + i);
        }
        Map<DataType, ImportComparison.Section> sections = new EnumMap<>(DataType.class);
        for (DataType t : DataType.values()) {
            sections.put(t, t == DataType.ACCOUNTS ? accounts : new ImportComparison.Section(t));
        }

        String text = new Report(sections).describe();

        assertThat(text).startsWith("legacy vs TIM: 25 difference(s)\n")
                .contains("      u20: missing in TIM\n      … and 5 more\n").doesNotContain("u21:");
        List<String> lines = new ArrayList<>(List.of(text.split("\n")));
        assertThat(lines).hasSize(1 + DataType.values().length + 20 + 1);
    }
}
