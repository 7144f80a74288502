package io.timbridge.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.timbridge.convert.DedupKeys;
import io.timbridge.convert.LegacyRow;
import io.timbridge.convert.Refusal;
import io.timbridge.convert.Requests;
import io.timbridge.convert.TimCall;
import io.timbridge.importing.DataType;
import io.timbridge.state.IdMap;
import io.timbridge.sync.LegacyWrites;
import io.timbridge.tim.TimApi;
import io.timbridge.verify.MessageComparator.Msg;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Compares one data type on both sides. The legacy rows stream page by page through the import's SQL and
 * request builder ({@link LegacyPages}); what the import would send is collected up to the read API's batch
 * size (or one owner, group or conversation at a time), read back from TIM ({@link TimReads}) and compared
 * ({@link FieldComparator}, {@link MessageComparator}). Rows the builder refuses are dead letters, not
 * differences. Memory holds one batch, or one group's or conversation's messages within TIM's roaming window.
 * <p>
 * Messages read from both sides are paired by an identity ({@link Msg#identity()}). The id map, read once per
 * page of legacy rows, knows the TIM identity of every message the bridge moved: a legacy row sync wrote from
 * TIM is expected under that identity (one-to-one: its MsgKey; group: its MsgSeq), a group message the import or
 * sync sent under the MsgSeq TIM gave it. Without an entry, a one-to-one message is expected under its legacy id
 * (given back by the MsgSeq and MsgRandom of the bridge's marked copy), a group message under the Random derived
 * from its legacy id.
 * <p>
 * Groups and members the bridge created on the other side during sync carry two clocks' readings of one event: a
 * group or member sync sent to TIM gets TIM's CreateTime or JoinTime of the moment the call arrived, later than
 * the legacy row's time; one created in TIM is written with the callback's EventTime, at or after TIM's time. For
 * those alone (the id map's {@link IdMap#GROUP} and {@link IdMap#GROUP_MEMBER} entries, and member rows the bridge
 * wrote, bridge_origin 'tim') the TIM time may lie up to the sync delay on that side of the legacy second; all
 * others must match exactly. A dismissed legacy group (dismissed_at_ms set) must be gone from TIM.
 */
public final class Verifier {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private static final List<String> GROUP_FIELDS = List.of("Type", "Name", "Introduction", "Notification",
            "FaceUrl", "Owner_Account", "CreateTime");

    private final LegacyPages legacy;
    private final TimReads tim;
    private final long windowStart;
    private final C2cSpill.Factory spills;
    private final IdMap idMap;
    private final long syncDelaySeconds;

    public Verifier(LegacyPages legacy, TimReads tim, long windowStart, C2cSpill.Factory spills, IdMap idMap) {
        this(legacy, tim, windowStart, spills, idMap, 300);
    }

    /**
     * @param windowStart Unix seconds: messages older than this are beyond TIM's roaming window (0 = none)
     * @param spills      scratch storage that sorts one-to-one messages by conversation
     * @param idMap       the bridge's id map: the TIM identities of the messages it moved in either direction
     * @param syncDelaySeconds how far TIM's CreateTime or JoinTime of a group or member the bridge created on the
     *                    other side may lie from the legacy time (bridge.verify.sync-delay-seconds)
     */
    public Verifier(LegacyPages legacy, TimReads tim, long windowStart, C2cSpill.Factory spills, IdMap idMap,
            long syncDelaySeconds) {
        this.legacy = legacy;
        this.tim = tim;
        this.windowStart = windowStart;
        this.spills = spills;
        this.idMap = idMap;
        this.syncDelaySeconds = syncDelaySeconds;
    }

    /**
     * How a TIM time compares with the legacy second of an item: equal; or, for an item the bridge created on the
     * other side, within the sync delay after it (sent to TIM) or before it (written from TIM).
     *
     * @param moved the id map direction of the item, {@link IdMap#TO_TIM} or {@link IdMap#TO_LEGACY}, or 0
     */
    private boolean timeMatches(long legacySecond, long timSecond, char moved) {
        long late = timSecond - legacySecond;
        return switch (moved) {
            case IdMap.TO_TIM -> late >= 0 && late <= syncDelaySeconds;
            case IdMap.TO_LEGACY -> late <= 0 && -late <= syncDelaySeconds;
            default -> late == 0;
        };
    }

    private static String key(Map<String, Object> row, String... columns) {
        StringBuilder out = new StringBuilder();
        for (String column : columns) {
            out.append(out.length() == 0 ? "" : ":").append(LegacyRow.optionalValue(row, column));
        }
        return out.toString();
    }

    /** Identity of a one-to-one message the bridge put into TIM: its legacy id. */
    static String idIdentity(long legacyId) {
        return "id " + legacyId;
    }

    /** Identity of a one-to-one message that came from TIM: its MsgKey. */
    static String msgKeyIdentity(String msgKey) {
        return "MsgKey " + msgKey;
    }

    private static String seqIdentity(long msgSeq) {
        return "MsgSeq " + msgSeq;
    }

    private static String randomIdentity(long random) {
        return "Random " + random;
    }

    /** The id map's entries of the legacy ids the calls carry (one page of rows). */
    private Map<String, IdMap.Entry> mapped(String kind, Requests requests) {
        List<String> ids = new ArrayList<>();
        requests.calls().forEach(call -> ids.addAll(call.itemKeys()));
        return idMap.entries(kind, ids);
    }

    /**
     * @param selected the unit keys to check (user, owner, conversation or group), or null for all
     */
    public void verify(DataType type, TypeResult result, Predicate<String> selected) {
        Predicate<String> take = selected == null ? k -> true : selected;
        switch (type) {
            case ACCOUNTS -> accounts(result, take);
            case PROFILES -> profiles(result, take);
            case FRIENDS -> friends(result, take);
            case C2C_HISTORY -> c2c(result, take);
            case GROUPS -> groups(result, take);
            case GROUP_MEMBERS -> members(result, take);
            case GROUP_HISTORY -> groupHistory(result, take);
            case MEMBER_UNREAD -> unread(result, take);
            default -> throw new IllegalArgumentException("verify does not know data type " + type);
        }
    }

    /** The key that selects a legacy row for a sample: its user, owner, conversation or group. */
    public static String unitOf(DataType type, Map<String, Object> row) {
        Map<String, Object> r = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        r.putAll(row);
        return switch (type) {
            case ACCOUNTS, PROFILES, FRIENDS -> String.valueOf(r.get("user_id"));
            case C2C_HISTORY -> conversation(String.valueOf(r.get("sender_id")), String.valueOf(r.get("receiver_id")));
            default -> String.valueOf(r.get("group_id"));
        };
    }

    static String conversation(String a, String b) {
        return a.compareTo(b) <= 0 ? a + ":" + b : b + ":" + a;
    }

    private static void refusals(Requests requests, TypeResult result) {
        for (Refusal r : requests.refusals()) {
            result.deadLetter(r.itemKey(), r.rule() + ": " + r.reason());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(TimCall call, String field) {
        return (List<Map<String, Object>>) call.request().get(field);
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }

    // ---- accounts: account_check, 100 per call ------------------------------------------------------------

    private void accounts(TypeResult result, Predicate<String> take) {
        int batch = tim.batchSize(TimApi.ACCOUNT_CHECK);
        List<String> pending = new ArrayList<>();
        legacy.forEach(DataType.ACCOUNTS, (rows, requests) -> {
            refusals(requests, result);
            for (TimCall call : requests.calls()) {
                for (Map<String, Object> account : list(call, "AccountList")) {
                    String user = text(account.get("UserID"));
                    if (take.test(user)) {
                        pending.add(user);
                        if (pending.size() == batch) {
                            checkAccounts(pending, result);
                        }
                    }
                }
            }
        });
        checkAccounts(pending, result);
        result.note("TIM has no API that lists every account: accounts only TIM holds are not counted.");
    }

    private void checkAccounts(List<String> users, TypeResult result) {
        if (users.isEmpty()) {
            return;
        }
        Set<String> imported = new LinkedHashSet<>(tim.importedAccounts(users));
        for (String user : users) {
            if (imported.contains(user)) {
                result.matched();
            } else {
                result.missingInTim(user);
            }
        }
        users.clear();
    }

    // ---- profiles: portrait_get, 100 users per call ---------------------------------------------------------

    private void profiles(TypeResult result, Predicate<String> take) {
        int batch = tim.batchSize(TimApi.PORTRAIT_GET);
        Map<String, Map<String, Object>> pending = new LinkedHashMap<>();
        legacy.forEach(DataType.PROFILES, (rows, requests) -> {
            refusals(requests, result);
            for (TimCall call : requests.calls()) {
                String user = text(call.request().get("From_Account"));
                if (!take.test(user)) {
                    continue;
                }
                Map<String, Object> values = new LinkedHashMap<>();
                for (Map<String, Object> item : list(call, "ProfileItem")) {
                    values.put(text(item.get("Tag")), item.get("Value"));
                }
                pending.put(user, values);
                if (pending.size() == batch) {
                    checkProfiles(pending, result);
                }
            }
        });
        checkProfiles(pending, result);
    }

    private void checkProfiles(Map<String, Map<String, Object>> expected, TypeResult result) {
        if (expected.isEmpty()) {
            return;
        }
        Set<String> tags = new LinkedHashSet<>();
        expected.values().forEach(v -> tags.addAll(v.keySet()));
        Map<String, Map<String, String>> actual = tim.profiles(new ArrayList<>(expected.keySet()), new ArrayList<>(tags));
        expected.forEach((user, values) -> FieldComparator.compare(user, values, actual.get(user), result));
        expected.clear();
    }

    // ---- friends: friend_check per owner, 1000 per call -----------------------------------------------------

    private void friends(TypeResult result, Predicate<String> take) {
        int batch = tim.batchSize(TimApi.FRIEND_CHECK);
        String[] owner = {null};
        List<String> pending = new ArrayList<>();
        legacy.forEach(DataType.FRIENDS, (rows, requests) -> {
            refusals(requests, result);
            for (TimCall call : requests.calls()) {
                String from = text(call.request().get("From_Account"));
                if (!take.test(from)) {
                    continue;
                }
                for (Map<String, Object> item : list(call, "AddFriendItem")) {
                    if (!Objects.equals(owner[0], from) || pending.size() == batch) {
                        checkFriends(owner[0], pending, result);
                        owner[0] = from;
                    }
                    pending.add(text(item.get("To_Account")));
                }
            }
        });
        checkFriends(owner[0], pending, result);
        result.note("friend_check tells whether a friendship exists; friendships only TIM holds are not counted.");
    }

    private void checkFriends(String owner, List<String> friends, TypeResult result) {
        if (friends.isEmpty()) {
            return;
        }
        Set<String> present = new LinkedHashSet<>(tim.friendsOf(owner, friends));
        for (String friend : friends) {
            if (present.contains(friend)) {
                result.matched();
            } else {
                result.missingInTim(owner + ":" + friend);
            }
        }
        friends.clear();
    }

    // ---- groups: get_group_info, 50 per call ------------------------------------------------------------------

    private void groups(TypeResult result, Predicate<String> take) {
        int batch = tim.batchSize(TimApi.GET_GROUP_INFO);
        Map<String, Map<String, Object>> pending = new LinkedHashMap<>();
        Map<String, Character> moved = new HashMap<>();
        Map<String, Long> dismissed = new LinkedHashMap<>();
        legacy.forEach(DataType.GROUPS, (rows, requests) -> {
            Set<String> gone = new HashSet<>();
            List<String> ids = new ArrayList<>();
            for (Map<String, Object> row : rows) {
                String group = key(row, "group_id");
                ids.add(group);
                Long at = LegacyRow.has(row, "dismissed_at_ms")
                        ? LegacyRow.optionalLong(row, "dismissed_at_ms", "groups") : null;
                if (at != null) {
                    gone.add(group);
                    if (take.test(group)) {
                        dismissed.put(group, at);
                        if (dismissed.size() == batch) {
                            checkDismissed(dismissed, result);
                        }
                    }
                }
            }
            idMap.entries(IdMap.GROUP, ids).forEach((group, entry) -> moved.put(group, entry.direction()));
            for (Refusal r : requests.refusals()) {
                if (!gone.contains(r.itemKey())) {
                    result.deadLetter(r.itemKey(), r.rule() + ": " + r.reason());
                }
            }
            for (TimCall call : requests.calls()) {
                String group = text(call.request().get("GroupId"));
                if (!take.test(group) || gone.contains(group)) {
                    continue;
                }
                Map<String, Object> values = new LinkedHashMap<>(call.request());
                values.keySet().retainAll(GROUP_FIELDS);
                pending.put(group, values);
                if (pending.size() == batch) {
                    checkGroups(pending, moved, result);
                }
            }
        });
        checkGroups(pending, moved, result);
        checkDismissed(dismissed, result);
        result.note("A dismissed legacy group matches when TIM no longer has it. The CreateTime of a group the"
                + " bridge created on the other side during sync may lie up to " + syncDelaySeconds + " s from the"
                + " legacy time (after it in TIM when sync sent it, before it when it came from TIM).");
    }

    private void checkGroups(Map<String, Map<String, Object>> expected, Map<String, Character> moved,
            TypeResult result) {
        if (expected.isEmpty()) {
            return;
        }
        Map<String, JsonNode> actual = tim.groups(new ArrayList<>(expected.keySet()), GROUP_FIELDS);
        expected.forEach((group, values) -> {
            JsonNode info = actual.get(group);
            if (info == null) {
                result.missingInTim(group);
                return;
            }
            Map<String, Object> have = new LinkedHashMap<>();
            for (String field : GROUP_FIELDS) {
                have.put(field, info.get(field));
            }
            Map<String, Object> want = new LinkedHashMap<>(values);
            Object createTime = want.remove("CreateTime");
            List<Difference> differences = new ArrayList<>(FieldComparator.differences(group, want, have));
            // The import's CreateTime is a second before the group's first event; the bridge's, that event's time.
            char direction = moved.getOrDefault(group, (char) 0);
            long legacySecond = ((Number) createTime).longValue() + (direction == 0 ? 0 : 1);
            if (!timeMatches(legacySecond, info.path("CreateTime").asLong(), direction)) {
                differences.add(Difference.different(group, "CreateTime", createTime.toString(),
                        FieldComparator.text(info.get("CreateTime"))));
            }
            if (differences.isEmpty()) {
                result.matched();
            } else {
                result.different(differences);
            }
        });
        expected.keySet().forEach(moved::remove);
        expected.clear();
    }

    /** Dismissed legacy groups (group id → dismissed_at_ms): each must be gone from TIM. */
    private void checkDismissed(Map<String, Long> dismissed, TypeResult result) {
        if (dismissed.isEmpty()) {
            return;
        }
        Map<String, JsonNode> actual = tim.groups(new ArrayList<>(dismissed.keySet()), List.of("Name"));
        dismissed.forEach((group, at) -> {
            if (actual.containsKey(group)) {
                result.different(List.of(Difference.different(group, "dismissed",
                        "dismissed at " + java.time.Instant.ofEpochMilli(at), "exists")));
            } else {
                result.matched();
            }
        });
        dismissed.clear();
    }

    // ---- group members: get_group_member_info, one group at a time ------------------------------------------

    private void members(TypeResult result, Predicate<String> take) {
        Group<Map<String, Object>> current = new Group<>();
        Map<String, Character> moved = new HashMap<>();
        legacy.forEach(DataType.GROUP_MEMBERS, (rows, requests) -> {
            refusals(requests, result);
            // Members the bridge wrote from TIM (bridge_origin 'tim'), and those it put into TIM (the id map).
            Map<String, Character> page = new HashMap<>();
            for (Map<String, Object> row : rows) {
                if (LegacyRow.has(row, "bridge_origin") && LegacyWrites.INSERT_MARK.equals(
                        LegacyRow.optionalText(row, "bridge_origin", "group-members"))) {
                    page.put(key(row, "group_id", "user_id"), IdMap.TO_LEGACY);
                }
            }
            List<String> keys = new ArrayList<>();
            requests.calls().forEach(call -> keys.addAll(call.itemKeys()));
            idMap.entries(IdMap.GROUP_MEMBER, keys).forEach((key, entry) -> page.putIfAbsent(key, entry.direction()));
            // Every group of the page in order, also one whose only legacy row left is its owner's (the import
            // sends no call for it, yet TIM must then hold no other member); not a group the import refuses.
            Map<String, List<TimCall>> calls = new LinkedHashMap<>();
            rows.forEach(row -> calls.put(key(row, "group_id"), new ArrayList<>()));
            requests.calls().forEach(call -> calls.computeIfAbsent(text(call.request().get("GroupId")),
                    g -> new ArrayList<>()).add(call));
            for (Refusal r : requests.refusals()) {
                String group = r.itemKey().substring(0, Math.max(0, r.itemKey().lastIndexOf(':')));
                if (calls.containsKey(group) && calls.get(group).isEmpty()) {
                    calls.remove(group);
                }
            }
            calls.forEach((group, groupCalls) -> {
                if (!take.test(group)) {
                    return;
                }
                if (!group.equals(current.id)) {
                    checkMembers(current, moved, result);
                    current.id = group;
                }
                for (TimCall call : groupCalls) {
                    for (Map<String, Object> m : list(call, "MemberList")) {
                        Map<String, Object> values = new LinkedHashMap<>();
                        values.put("Role", Objects.requireNonNullElse(m.get("Role"), "Member"));
                        values.put("JoinTime", m.get("JoinTime"));
                        String user = text(m.get("Member_Account"));
                        current.items.put(user, values);
                        Character direction = page.get(group + ":" + user);
                        if (direction != null) {
                            moved.put(user, direction);
                        }
                    }
                }
            });
        });
        checkMembers(current, moved, result);
        result.note("Owners are checked with their group (Owner_Account); a group whose only legacy member is its"
                + " owner must have no other member in TIM. The JoinTime of a member the bridge added on the other side during sync"
                + " may lie up to " + syncDelaySeconds + " s from the legacy time (after it in TIM when sync sent"
                + " it, before it when it came from TIM).");
    }

    /** @param moved the members of the group the bridge added on the other side, by user, with the direction */
    private void checkMembers(Group<Map<String, Object>> group, Map<String, Character> moved, TypeResult result) {
        if (group.id == null) {
            return;
        }
        List<JsonNode> members = tim.members(group.id, List.of("Role", "JoinTime"));
        Map<String, Map<String, Object>> actual = new LinkedHashMap<>();
        if (members != null) {
            for (JsonNode m : members) {
                if (!"Owner".equals(m.path("Role").asText())) {
                    Map<String, Object> values = new LinkedHashMap<>();
                    values.put("Role", m.get("Role"));
                    values.put("JoinTime", m.get("JoinTime"));
                    actual.put(m.path("Member_Account").asText(), values);
                }
            }
        }
        Set<String> users = new LinkedHashSet<>(group.items.keySet());
        users.addAll(actual.keySet());
        for (String user : users) {
            String key = group.id + ":" + user;
            Map<String, Object> want = group.items.get(user);
            Map<String, Object> have = actual.get(user);
            if (want == null || have == null) {
                FieldComparator.compare(key, want, have, result);
                continue;
            }
            List<Difference> differences = new ArrayList<>(FieldComparator.differences(key,
                    Map.of("Role", want.get("Role")), have));
            long joinTime = ((Number) want.get("JoinTime")).longValue();
            if (!timeMatches(joinTime, ((JsonNode) have.get("JoinTime")).asLong(), moved.getOrDefault(user, (char) 0))) {
                differences.add(Difference.different(key, "JoinTime", Long.toString(joinTime),
                        FieldComparator.text(have.get("JoinTime"))));
            }
            if (differences.isEmpty()) {
                result.matched();
            } else {
                result.different(differences);
            }
        }
        group.clear();
        moved.clear();
    }

    // ---- member unread counts: get_group_info (NextMsgSeq) + get_group_member_info (last read MsgSeq) --------

    private void unread(TypeResult result, Predicate<String> take) {
        Group<Long> current = new Group<>();
        legacy.forEach(DataType.MEMBER_UNREAD, (rows, requests) -> {
            refusals(requests, result);
            for (TimCall call : inRowOrder(rows, requests).values().stream().flatMap(List::stream).toList()) {
                String group = text(call.request().get("GroupId"));
                if (!take.test(group)) {
                    continue;
                }
                if (!group.equals(current.id)) {
                    checkUnread(current, result);
                    current.id = group;
                }
                current.items.put(text(call.request().get("Member_Account")),
                        ((Number) call.request().get("UnreadMsgNum")).longValue());
            }
        });
        checkUnread(current, result);
        result.note("TIM's unread count of a member is the group's NextMsgSeq - 1 minus the member's last read"
                + " MsgSeq; TIM caps it at the group's message count, and so does the expected value.");
    }

    private void checkUnread(Group<Long> group, TypeResult result) {
        if (group.id == null) {
            return;
        }
        JsonNode info = tim.groups(List.of(group.id), List.of("NextMsgSeq")).get(group.id);
        List<JsonNode> members = info == null ? null : tim.members(group.id, List.of("MsgSeq"));
        Map<String, Long> actual = new LinkedHashMap<>();
        long messages = info == null ? 0 : Math.max(0, info.path("NextMsgSeq").asLong() - 1);
        if (members != null) {
            for (JsonNode m : members) {
                actual.put(m.path("Member_Account").asText(), Math.max(0, messages - m.path("MsgSeq").asLong()));
            }
        }
        group.items.forEach((user, unread) -> {
            String key = group.id + ":" + user;
            Long have = actual.get(user);
            if (have == null) {
                result.missingInTim(key);
                return;
            }
            long want = Math.min(unread, messages);
            if (want == have) {
                result.matched();
            } else {
                result.different(List.of(Difference.different(key, "UnreadMsgNum", Long.toString(want),
                        Long.toString(have))));
            }
        });
        actual.forEach((user, have) -> {
            if (!group.items.containsKey(user) && have > 0) {
                result.different(List.of(Difference.different(group.id + ":" + user, "UnreadMsgNum", "0",
                        Long.toString(have))));
            }
        });
        group.clear();
    }

    /**
     * The page's calls by group, the groups in the order of the legacy rows (the query's, by group): each group
     * is then compared once, when all its rows are read, also when they span pages. The calls' own order is by
     * lane, longest first, which would split a group's comparison in parts.
     */
    private static Map<String, List<TimCall>> inRowOrder(List<Map<String, Object>> rows, Requests requests) {
        Map<String, List<TimCall>> byGroup = new LinkedHashMap<>();
        rows.forEach(row -> byGroup.putIfAbsent(key(row, "group_id"), new ArrayList<>()));
        requests.calls().forEach(call -> byGroup.computeIfAbsent(text(call.request().get("GroupId")),
                g -> new ArrayList<>()).add(call));
        byGroup.values().removeIf(List::isEmpty);
        return byGroup;
    }

    // ---- group history: group_msg_get_simple, one group at a time --------------------------------------------

    private void groupHistory(TypeResult result, Predicate<String> take) {
        GroupMessages current = new GroupMessages();
        legacy.forEach(DataType.GROUP_HISTORY, (rows, requests) -> {
            refusals(requests, result);
            Map<String, IdMap.Entry> mapped = mapped(IdMap.GROUP_MSG, requests);
            for (Map.Entry<String, List<TimCall>> byGroup : inRowOrder(rows, requests).entrySet()) {
                String group = byGroup.getKey();
                if (!take.test(group)) {
                    continue;
                }
                if (!group.equals(current.id)) {
                    checkGroupHistory(current, result);
                    current.id = group;
                }
                for (TimCall call : byGroup.getValue()) {
                    List<Map<String, Object>> msgs = list(call, "MsgList");
                    for (int i = 0; i < msgs.size(); i++) {
                        Map<String, Object> m = msgs.get(i);
                        long time = ((Number) m.get("SendTime")).longValue();
                        if (time < windowStart) {
                            result.beyondWindow();
                            continue;
                        }
                        String id = call.itemKeys().get(i);
                        IdMap.Entry entry = mapped.get(id);
                        String random = randomIdentity(((Number) m.get("Random")).longValue());
                        String identity = entry != null && entry.timKey().startsWith(group + ":")
                                ? seqIdentity(Long.parseLong(entry.timKey().substring(group.length() + 1)))
                                : random;
                        Msg msg = Msg.of(identity, group + ":" + id, id, time, text(m.get("From_Account")),
                                m.get("MsgBody"));
                        current.messages.add(msg);
                        if (entry != null && entry.direction() == IdMap.TO_TIM) {
                            current.sentRandom.put(msg.key(), random);
                        }
                    }
                }
            }
        });
        checkGroupHistory(current, result);
        noteWindow(result);
    }

    private void noteWindow(TypeResult result) {
        if (windowStart > 0 && result.outOfReach() > 0) {
            result.note("Messages older than TIM's roaming window (before " + java.time.Instant.ofEpochSecond(
                    windowStart) + ") cannot be read back from TIM: counted as out of reach, not as differences.");
        } else if (result.missingOutsideDefaultWindow() > 0) {
            result.note(String.format("%,d of the %,d messages missing in TIM are older than 7 days, TIM's default"
                    + " roaming period. bridge.verify.roaming-window-days = 0 compares all history; if the app keeps"
                    + " messages for fewer days, TIM no longer returns those: set bridge.verify.roaming-window-days"
                    + " to the app's roaming period.", result.missingOutsideDefaultWindow(), result.missingInTim()));
        }
    }

    private void checkGroupHistory(GroupMessages group, TypeResult result) {
        if (group.id == null) {
            return;
        }
        List<JsonNode> messages = tim.groupMessages(group.id, windowStart);
        Map<String, String> randomAtSeq = new HashMap<>();
        if (messages != null) {
            messages.forEach(m -> randomAtSeq.put(seqIdentity(m.path("MsgSeq").asLong()),
                    randomIdentity(m.path("MsgRandom").asLong())));
        }
        // A MsgSeq the id map holds for a message the bridge sent is trusted only while TIM's message there has the
        // Random the bridge gave it: after a TIM reset (same app, state kept) the seqs belong to other messages.
        group.messages.replaceAll(m -> {
            String sent = group.sentRandom.get(m.key());
            return sent == null || sent.equals(randomAtSeq.get(m.identity())) ? m
                    : m.withIdentity(sent);
        });
        List<Msg> actual = new ArrayList<>();
        Set<String> claimed = new HashSet<>();
        group.messages.forEach(m -> claimed.add(m.identity()));
        Map<String, String> seqByRandom = new HashMap<>();
        if (messages != null) {
            for (JsonNode m : messages) {
                String identity = seqIdentity(m.path("MsgSeq").asLong());
                actual.add(Msg.of(identity, group.id + ":MsgSeq " + m.path("MsgSeq").asLong(),
                        null, groupMessageTime(m), m.path("From_Account").asText(), m.path("MsgBody")));
                if (!claimed.contains(identity)) {
                    seqByRandom.putIfAbsent(randomIdentity(m.path("MsgRandom").asLong()), identity);
                }
            }
        }
        // A legacy message the id map does not know is the TIM message with the Random derived from its id.
        List<Msg> expected = new ArrayList<>();
        for (Msg m : group.messages) {
            String seq = seqByRandom.get(m.identity());
            expected.add(seq == null ? m : m.withIdentity(seq));
        }
        MessageComparator.compare(expected, actual, result);
        group.id = null;
        group.messages.clear();
        group.sentRandom.clear();
    }

    // ---- one-to-one history: admin_getroammsg, one conversation at a time -----------------------------------

    private void c2c(TypeResult result, Predicate<String> take) {
        try (C2cSpill spill = spills.open()) {
            legacy.forEach(DataType.C2C_HISTORY, (rows, requests) -> {
                refusals(requests, result);
                Map<String, IdMap.Entry> mapped = mapped(IdMap.C2C_MSG, requests);
                for (TimCall call : requests.calls()) {
                    Map<String, Object> r = call.request();
                    String from = text(r.get("From_Account"));
                    String conversation = conversation(from, text(r.get("To_Account")));
                    long time = ((Number) r.get("MsgTimeStamp")).longValue();
                    if (!take.test(conversation)) {
                        continue;
                    }
                    if (time < windowStart) {
                        result.beyondWindow();
                        continue;
                    }
                    String id = call.itemKeys().get(0);
                    IdMap.Entry entry = mapped.get(id);
                    spill.add(conversation, time, ((Number) r.get("MsgSeq")).longValue(), Long.parseLong(id), from,
                            MessageChecksum.of(r.get("MsgBody")), MessageChecksum.excerpt(r.get("MsgBody")),
                            entry != null && entry.direction() == IdMap.TO_LEGACY ? entry.timKey() : null);
                }
            });
            spill.forEachConversation((conversation, expected) -> checkConversation(conversation, expected, result));
        }
        noteWindow(result);
    }

    private void checkConversation(String conversation, List<Msg> expected, TypeResult result) {
        int colon = conversation.indexOf(':');
        String a = conversation.substring(0, colon);
        String b = conversation.substring(colon + 1);
        long now = System.currentTimeMillis() / 1000;
        List<Msg> actual = new ArrayList<>();
        for (JsonNode m : tim.c2cMessages(a, b, windowStart, now + 1)) {
            boolean fromBridge = bridgeId(m) != null;
            long id = DedupKeys.c2cLegacyId(m.path("MsgSeq").asLong(), m.path("MsgRandom").asLong());
            String msgKey = m.path("MsgKey").asText();
            String key = fromBridge ? conversation + ":" + id : conversation + ":MsgKey " + msgKey;
            actual.add(Msg.of(fromBridge ? idIdentity(id) : msgKeyIdentity(msgKey), key, null,
                    m.path("MsgTimeStamp").asLong(), m.path("From_Account").asText(), m.path("MsgBody")));
        }
        MessageComparator.compare(expected, actual, result);
    }

    /** The legacy id in the CloudCustomData marker the import writes, or null for a message from elsewhere. */
    private static String bridgeId(JsonNode message) {
        JsonNode marker = marker(message);
        return marker == null ? null : marker.path("id").asText(null);
    }

    /** The CloudCustomData marker the bridge writes ({@code {"timbridge":..., "id":...}}), or null. */
    private static JsonNode marker(JsonNode message) {
        String custom = message.path("CloudCustomData").asText("");
        if (!custom.contains("\"timbridge\"")) {
            return null;
        }
        try {
            return JSON.readTree(custom);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    /**
     * A group message's time in seconds: the legacy time in the marker of a message sync sent live (TIM stamps
     * send_group_msg with the moment it arrives, a little after the app wrote it), else TIM's MsgTimeStamp.
     */
    private static long groupMessageTime(JsonNode message) {
        JsonNode marker = marker(message);
        if (marker != null && marker.path("time").isNumber()) {
            return Math.floorDiv(marker.path("time").asLong(), 1000);
        }
        return message.path("MsgTimeStamp").asLong();
    }

    /** The expected items of the group being collected. */
    private static final class Group<V> {
        String id;
        final Map<String, V> items = new LinkedHashMap<>();

        void clear() {
            id = null;
            items.clear();
        }
    }

    private static final class GroupMessages {
        String id;
        final List<Msg> messages = new ArrayList<>();
        /** Legacy messages the bridge sent to TIM: the Random it gave them, by message key. */
        final Map<String, String> sentRandom = new HashMap<>();
    }
}
