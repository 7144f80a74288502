package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Groups, members and group messages (groups.md): the import APIs with their ordering and unread rules,
 * lifecycle and membership APIs with their callbacks, send_group_msg with server-assigned MsgSeq and the
 * Random dedup window, and the read APIs. Each group is guarded by its own monitor.
 */
final class Groups {
    static final Set<String> TYPES = Set.of("Private", "Public", "ChatRoom", "AVChatRoom", "Community");
    static final String AV = "AVChatRoom";
    static final int MAX_GROUP_ID_BYTES = 48;
    private static final Set<String> APPLY_OPTIONS = Set.of("FreeAccess", "NeedPermission", "DisableApply");
    private static final Set<String> INVITE_OPTIONS = Set.of("FreeAccess", "NeedPermission", "DisableInvite");
    private static final List<String> PRIORITIES = List.of("High", "Normal", "Low", "Lowest");
    private static final List<String> BASE_FIELDS = List.of("Type", "Name", "Introduction", "Notification", "FaceUrl",
            "Owner_Account", "CreateTime", "InfoSeq", "LastInfoTime", "LastMsgTime", "NextMsgSeq", "MemberNum",
            "MaxMemberNum", "ApplyJoinOption", "InviteJoinOption", "MuteAllMember", "AppDefinedData");
    private static final List<String> MEMBER_FIELDS = List.of("Role", "JoinTime", "MsgSeq", "MsgFlag",
            "LastSendMsgTime", "MuteUntil", "NameCard", "AppMemberDefinedData");

    static final class Member {
        final String account;
        String role;
        final long joinTime;
        int unread;
        long lastSendMsgTime;

        Member(String account, String role, long joinTime, int unread) {
            this.account = account;
            this.role = role;
            this.joinTime = joinTime;
            this.unread = unread;
        }
    }

    /** One stored group message; u32 values packed into ints. Its MsgSeq is its index + 1. */
    static final class GroupMsg {
        final int time;
        final int random;
        final String from;
        final byte priority;
        final long fingerprint;
        final byte[] body;
        final String cloudCustomData;

        GroupMsg(long time, long random, String from, int priority, long fingerprint, byte[] body, String cloud) {
            this.time = (int) time;
            this.random = (int) random;
            this.from = from;
            this.priority = (byte) priority;
            this.fingerprint = fingerprint;
            this.body = body;
            this.cloudCustomData = cloud;
        }

        long time() {
            return Integer.toUnsignedLong(time);
        }

        long random() {
            return Integer.toUnsignedLong(random);
        }
    }

    private record RecentSend(long arrivalMillis, long seq, long time) {
    }

    static final class Group {
        final String id;
        final String type;
        final long createTime;
        String name;
        String introduction = "";
        String notification = "";
        String faceUrl = "";
        String owner;
        long maxMemberNum;
        String applyJoinOption;
        String inviteJoinOption;
        String muteAllMember = "Off";
        final Map<String, String> appDefinedData = new LinkedHashMap<>();
        long infoSeq;
        long lastInfoTime;
        long lastMsgTime;
        long nextMsgSeq = 1;
        long newestMsgTime;
        final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
        final ArrayList<GroupMsg> msgs = new ArrayList<>();
        final LinkedHashMap<String, RecentSend> recentSends = new LinkedHashMap<>();

        Group(String id, String type, long createTime) {
            this.id = id;
            this.type = type;
            this.createTime = createTime;
        }

        boolean isAv() {
            return AV.equals(type);
        }

        boolean isAdminOrOwner(String account) {
            Member m = members.get(account);
            return m != null && !m.role.equals("Member");
        }
    }

    private final SandboxConfig config;
    private final Clock clock;
    private final Accounts accounts;
    private final Callbacks callbacks;
    private final MessageBodies bodies;
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final AtomicLong idCounter = new AtomicLong(0x2A00000L);
    private final AtomicLong messages = new AtomicLong();

    Groups(SandboxConfig config, Clock clock, Accounts accounts, Callbacks callbacks, MessageBodies bodies) {
        this.config = config;
        this.clock = clock;
        this.accounts = accounts;
        this.callbacks = callbacks;
        this.bodies = bodies;
    }

    void reset() {
        groups.clear();
        messages.set(0);
    }

    long groupCount() {
        return groups.size();
    }

    long memberCount() {
        long n = 0;
        for (Group g : groups.values()) {
            synchronized (g) {
                n += g.members.size();
            }
        }
        return n;
    }

    long messageCount() {
        return messages.get();
    }

    private long now() {
        return clock.millis() / 1000;
    }

    private Group require(String id) {
        Group g = id == null ? null : groups.get(id);
        if (g == null) {
            throw new TimException(10010, "group " + id + " does not exist or was destroyed");
        }
        return g;
    }

    private static String checked(JsonNode body, String field, int maxBytes) {
        String v = Fields.optText(body, field, 10004);
        if (v != null && Fields.bytes(v) > maxBytes) {
            throw new TimException(10004, field + " is longer than " + maxBytes + " bytes");
        }
        return v;
    }

    private static String option(JsonNode body, String field, Set<String> allowed) {
        String v = Fields.optText(body, field, 10004);
        if (v != null && !allowed.contains(v)) {
            throw new TimException(10004, field + " must be one of " + allowed);
        }
        return v;
    }

    /** Null when {@code id} is a usable custom GroupId, else why not (README §3). */
    static String invalidGroupId(String id) {
        if (id.isEmpty() || Fields.bytes(id) > MAX_GROUP_ID_BYTES) {
            return "GroupId must be 1 to " + MAX_GROUP_ID_BYTES + " bytes";
        }
        for (int i = 0; i < id.length(); i++) {
            char ch = id.charAt(i);
            if (ch < 0x20 || ch > 0x7e) {
                return "GroupId must be printable ASCII";
            }
        }
        if (id.startsWith("@TGS#")) {
            return "GroupId must not start with @TGS# (reserved for server-assigned IDs)";
        }
        return null;
    }

    /** import_group, create_group and a client's create: the shared validation and the new group. */
    private Group newGroup(JsonNode body, Caller caller, boolean isImport, int memberBatch, List<Member> initial) {
        String type = Fields.text(body, "Type", 10004);
        if (!TYPES.contains(type)) {
            throw new TimException(10004, "Type must be one of " + TYPES);
        }
        if (isImport && type.equals(AV)) {
            throw new TimException(10007, "AVChatRoom groups cannot be imported");
        }
        String name = Fields.text(body, "Name", 10004);
        if (name.isEmpty() || Fields.bytes(name) > 30) {
            throw new TimException(10004, "Name must be 1 to 30 bytes");
        }
        String groupId = Fields.optText(body, "GroupId", 10004);
        if (groupId != null && invalidGroupId(groupId) != null) {
            throw new TimException(10004, invalidGroupId(groupId));
        }
        String owner = caller.rest() ? Fields.optText(body, "Owner_Account", 10004) : caller.operator();
        String intro = checked(body, "Introduction", 240);
        String notification = checked(body, "Notification", 300);
        String face = checked(body, "FaceUrl", 100);
        Long maxMembers = Fields.optInteger(body, "MaxMemberCount", 10004);
        String apply = option(body, "ApplyJoinOption", APPLY_OPTIONS);
        String invite = isImport ? null : option(body, "InviteJoinOption", INVITE_OPTIONS);
        Map<String, String> appData = keyValues(body, "AppDefinedData");
        long supportTopic = Objects.requireNonNullElse(Fields.optInteger(body, "SupportTopic", 10004), 0L);
        long createTime = now();
        if (isImport) {
            createTime = Objects.requireNonNullElse(Fields.optInteger(body, "CreateTime", 10004), createTime);
            if (createTime <= 0 || createTime > now()) {
                throw new TimException(10004, "CreateTime must be a past Unix time");
            }
        }
        if (owner != null) {
            accounts.require(owner, 10019);
        }
        if (!isImport && body.has("MemberList")) {
            ArrayNode list = Fields.array(body, "MemberList", 10004);
            if (type.equals(AV) && !list.isEmpty()) {
                throw new TimException(10007, "an AVChatRoom is created without members");
            }
            if (list.size() > memberBatch) {
                throw new TimException(10005, "at most " + memberBatch + " initial members");
            }
            for (JsonNode m : list) {
                String account = Fields.text(m, "Member_Account", 10004);
                accounts.require(account, 10019);
                String role = Fields.optText(m, "Role", 10004);
                if (!account.equals(owner)) {
                    initial.add(new Member(accounts.get(account).id, "Admin".equals(role) ? "Admin" : "Member", createTime, 0));
                }
            }
        }
        String id = groupId != null ? groupId : assignId(type.equals("Community") && supportTopic == 1);
        Group g = new Group(id, type, createTime);
        g.name = name;
        g.introduction = Objects.requireNonNullElse(intro, "");
        g.notification = Objects.requireNonNullElse(notification, "");
        g.faceUrl = Objects.requireNonNullElse(face, "");
        g.owner = owner;
        g.maxMemberNum = maxMembers != null ? maxMembers : type.equals("Community") ? 100_000 : type.equals(AV) ? 0 : 2000;
        g.applyJoinOption = Objects.requireNonNullElse(apply, "NeedPermission");
        g.inviteJoinOption = Objects.requireNonNullElse(invite, "FreeAccess");
        g.appDefinedData.putAll(appData);
        g.lastInfoTime = createTime;
        if (!g.isAv()) {
            if (owner != null) {
                g.members.put(owner, new Member(accounts.get(owner).id, "Owner", createTime, 0));
            }
            for (Member m : initial) {
                g.members.putIfAbsent(m.account, m);
            }
        }
        Group existing = groups.putIfAbsent(id, g);
        if (existing != null) {
            String claimant = owner != null ? owner : caller.operator();
            throw new TimException(Objects.equals(existing.owner, claimant) ? 10025 : 10021,
                    "group ID " + id + " is already in use");
        }
        return g;
    }

    private String assignId(boolean topics) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        while (true) {
            long n = idCounter.incrementAndGet();
            StringBuilder sb = new StringBuilder(topics ? "@TGS#_2" : "@TGS#2");
            for (int i = 0; i < 8; i++) {
                sb.append(alphabet.charAt((int) ((n >>> (5 * (7 - i))) & 31)));
            }
            if (!groups.containsKey(sb.toString())) {
                return sb.toString();
            }
        }
    }

    private static Map<String, String> keyValues(JsonNode body, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body.has(field)) {
            for (JsonNode kv : Fields.array(body, field, 10004)) {
                out.put(Fields.text(kv, "Key", 10004), Objects.requireNonNullElse(Fields.optText(kv, "Value", 10004), ""));
            }
        }
        return out;
    }

    ObjectNode importGroup(JsonNode body, Caller caller) {
        Group g = newGroup(body, caller, true, 0, new ArrayList<>());
        return Accounts.ok().put("GroupId", g.id);
    }

    ObjectNode createGroup(JsonNode body, Caller caller, int memberBatch) {
        List<Member> initial = new ArrayList<>();
        Group g = newGroup(body, caller, false, memberBatch, initial);
        ObjectNode cb = MessageBodies.JSON.createObjectNode().put("GroupId", g.id)
                .put("Operator_Account", caller.operator()).put("Owner_Account", Objects.requireNonNullElse(g.owner, ""))
                .put("Type", g.type).put("Name", g.name);
        // Like TIM (tencentcloud.com 1047/34369): the fields set at creation, only when they were set.
        putUnlessEmpty(cb, "Introduction", g.introduction);
        putUnlessEmpty(cb, "Notification", g.notification);
        putUnlessEmpty(cb, "FaceUrl", g.faceUrl);
        ArrayNode list = cb.putArray("MemberList");
        initial.forEach(m -> list.addObject().put("Member_Account", m.account));
        ArrayNode data = cb.putArray("UserDefinedDataList");
        g.appDefinedData.forEach((k, v) -> data.addObject().put("Key", k).put("Value", v));
        cb.put("EventTime", clock.millis());
        callbacks.fire(SandboxConfig.GROUP_AFTER_CREATE, cb, caller.platform(), caller.clientIp());
        return Accounts.ok().put("GroupId", g.id).put("Type", g.type);
    }

    private static void putUnlessEmpty(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }

    ObjectNode destroyGroup(JsonNode body, Caller caller) {
        Group g = require(Fields.text(body, "GroupId", 10004));
        ObjectNode cb;
        synchronized (g) {
            if (!caller.rest() && !caller.operator().equals(g.owner)) {
                throw new TimException(10007, "only the owner may destroy the group");
            }
            if (!groups.remove(g.id, g)) {
                throw new TimException(10010, "group " + g.id + " was destroyed");
            }
            cb = MessageBodies.JSON.createObjectNode().put("GroupId", g.id).put("Type", g.type)
                    .put("Owner_Account", Objects.requireNonNullElse(g.owner, "")).put("Name", g.name);
            if (!g.type.equals("Community")) {
                ArrayNode list = cb.putArray("MemberList");
                g.members.keySet().forEach(m -> list.addObject().put("Member_Account", m));
            }
            messages.addAndGet(-g.msgs.size());
        }
        cb.put("EventTime", clock.millis());
        callbacks.fire(SandboxConfig.GROUP_AFTER_DESTROYED, cb, caller.platform(), caller.clientIp());
        return Accounts.ok();
    }

    ObjectNode modifyGroupBaseInfo(JsonNode body, Caller caller) {
        Group g = require(Fields.text(body, "GroupId", 10004));
        String name = checked(body, "Name", 30);
        if (name != null && name.isEmpty()) {
            throw new TimException(10004, "Name must not be empty");
        }
        String intro = checked(body, "Introduction", 240);
        String notification = checked(body, "Notification", 300);
        String face = checked(body, "FaceUrl", 100);
        Long maxMembers = Fields.optInteger(body, "MaxMemberNum", 10004);
        String apply = option(body, "ApplyJoinOption", APPLY_OPTIONS);
        String invite = option(body, "InviteJoinOption", INVITE_OPTIONS);
        String mute = option(body, "MuteAllMember", Set.of("On", "Off"));
        Map<String, String> appData = keyValues(body, "AppDefinedData");
        String operator = caller.operator();
        if (caller.rest()) {
            String from = Fields.optText(body, "From_Account", 10004);
            if (from != null) {
                operator = accounts.require(from, 10019).id;
            }
        }
        ObjectNode cb = MessageBodies.JSON.createObjectNode().put("GroupId", g.id).put("Type", g.type)
                .put("Operator_Account", operator);
        synchronized (g) {
            if (groups.get(g.id) != g) {
                throw new TimException(10010, "group " + g.id + " was destroyed");
            }
            if (!caller.rest() && !g.isAdminOrOwner(caller.operator())) {
                throw new TimException(10007, "only the owner or an admin may change the group");
            }
            if (name != null) {
                g.name = name;
                cb.put("Name", name);
            }
            if (intro != null) {
                g.introduction = intro;
                cb.put("Introduction", intro);
            }
            if (notification != null) {
                g.notification = notification;
                cb.put("Notification", notification);
            }
            if (face != null) {
                g.faceUrl = face;
                cb.put("FaceUrl", face);
            }
            if (maxMembers != null) {
                g.maxMemberNum = maxMembers;
            }
            if (apply != null) {
                g.applyJoinOption = apply;
            }
            if (invite != null) {
                g.inviteJoinOption = invite;
            }
            if (mute != null) {
                g.muteAllMember = mute;
            }
            appData.forEach((k, v) -> {
                if (v.isEmpty()) {
                    g.appDefinedData.remove(k);
                } else {
                    g.appDefinedData.put(k, v);
                }
            });
            g.infoSeq++;
            g.lastInfoTime = now();
        }
        // The callback reports only name, introduction, notification and face; other changes fire none.
        if (cb.size() > 3) {
            cb.put("EventTime", clock.millis());
            callbacks.fire(SandboxConfig.GROUP_AFTER_INFO_CHANGED, cb, caller.platform(), caller.clientIp());
        }
        return Accounts.ok();
    }

    ObjectNode addGroupMember(JsonNode body, Caller caller, int batch) {
        Group g = require(Fields.text(body, "GroupId", 10004));
        ArrayNode list = Fields.array(body, "MemberList", 10004);
        Fields.optInteger(body, "Silence", 10004);
        if (list.isEmpty() || list.size() > batch) {
            throw new TimException(10005, "MemberList must hold 1 to " + batch + " members");
        }
        if (g.isAv()) {
            throw new TimException(10007, "members cannot be added to an AVChatRoom");
        }
        List<String> wanted = new ArrayList<>();
        for (JsonNode m : list) {
            wanted.add(Fields.text(m, "Member_Account", 10004));
        }
        ArrayNode results = MessageBodies.JSON.createArrayNode();
        ArrayNode added = MessageBodies.JSON.createArrayNode();
        synchronized (g) {
            if (groups.get(g.id) != g) {
                throw new TimException(10010, "group " + g.id + " was destroyed");
            }
            for (String account : wanted) {
                Accounts.Account a = accounts.get(account);
                int result;
                if (a == null) {
                    result = 0;
                } else if (g.members.containsKey(account)) {
                    result = 2;
                } else if (g.maxMemberNum > 0 && g.members.size() >= g.maxMemberNum) {
                    result = 0;
                } else {
                    g.members.put(account, new Member(a.id, "Member", now(), 0));
                    added.addObject().put("Member_Account", account);
                    result = 1;
                }
                results.addObject().put("Member_Account", account).put("Result", result);
            }
        }
        if (!added.isEmpty()) {
            fireJoin(g, "Invited", caller, added);
        }
        ObjectNode out = Accounts.ok();
        out.set("MemberList", results);
        return out;
    }

    private void fireJoin(Group g, String joinType, Caller caller, ArrayNode members) {
        ObjectNode cb = MessageBodies.JSON.createObjectNode().put("GroupId", g.id).put("Type", g.type)
                .put("JoinType", joinType).put("Operator_Account", caller.operator());
        cb.set("NewMemberList", members);
        cb.put("EventTime", clock.millis());
        callbacks.fire(SandboxConfig.GROUP_AFTER_JOIN, cb, caller.platform(), caller.clientIp());
    }

    private void fireExit(Group g, String exitType, Caller caller, ArrayNode members) {
        ObjectNode cb = MessageBodies.JSON.createObjectNode().put("GroupId", g.id).put("Type", g.type)
                .put("ExitType", exitType).put("Operator_Account", caller.operator());
        cb.set("ExitMemberList", members);
        cb.put("EventTime", clock.millis());
        callbacks.fire(SandboxConfig.GROUP_AFTER_EXIT, cb, caller.platform(), caller.clientIp());
    }

    ObjectNode deleteGroupMember(JsonNode body, Caller caller, int batch) {
        Group g = require(Fields.text(body, "GroupId", 10004));
        List<String> gone = Fields.texts(body, "MemberToDel_Account", 10004);
        Fields.optInteger(body, "Silence", 10004);
        Fields.optText(body, "Reason", 10004);
        if (gone.isEmpty() || gone.size() > batch) {
            throw new TimException(10005, "MemberToDel_Account must hold 1 to " + batch + " accounts");
        }
        if (g.isAv()) {
            throw new TimException(10004, "an AVChatRoom has no member list");
        }
        ArrayNode removed = MessageBodies.JSON.createArrayNode();
        synchronized (g) {
            if (groups.get(g.id) != g) {
                throw new TimException(10010, "group " + g.id + " was destroyed");
            }
            if (g.owner != null && gone.contains(g.owner)) {
                throw new TimException(10004, "the owner cannot be removed");
            }
            for (String account : gone) {
                if (g.members.remove(account) != null) {
                    removed.addObject().put("Member_Account", account);
                }
            }
        }
        if (!removed.isEmpty()) {
            fireExit(g, "Kicked", caller, removed);
        }
        return Accounts.ok();
    }

    /** A client user joins (an approved application; NeedPermission groups approve at once). */
    ObjectNode clientJoin(String groupId, Caller caller) {
        Group g = require(groupId);
        ArrayNode added = MessageBodies.JSON.createArrayNode();
        synchronized (g) {
            if (groups.get(g.id) != g) {
                throw new TimException(10010, "group " + g.id + " was destroyed");
            }
            if (g.type.equals("Private") || g.applyJoinOption.equals("DisableApply")) {
                throw new TimException(10007, "this group takes no applications to join");
            }
            if (!g.isAv()) {
                if (g.members.containsKey(caller.operator())) {
                    throw new TimException(10013, "already a member");
                }
                if (g.maxMemberNum > 0 && g.members.size() >= g.maxMemberNum) {
                    throw new TimException(10014, "the group is full");
                }
                g.members.put(caller.operator(), new Member(caller.operator(), "Member", now(), 0));
            }
            added.addObject().put("Member_Account", caller.operator());
        }
        fireJoin(g, "Apply", caller, added);
        return Accounts.ok();
    }

    ObjectNode clientLeave(String groupId, Caller caller) {
        Group g = require(groupId);
        synchronized (g) {
            if (!g.isAv()) {
                if (!g.members.containsKey(caller.operator())) {
                    throw new TimException(10007, "not a member of the group");
                }
                if (caller.operator().equals(g.owner)) {
                    throw new TimException(10009, "the owner cannot quit the group");
                }
                g.members.remove(caller.operator());
            }
        }
        ArrayNode list = MessageBodies.JSON.createArrayNode();
        list.addObject().put("Member_Account", caller.operator());
        fireExit(g, "Quit", caller, list);
        return Accounts.ok();
    }

    ObjectNode sendGroupMsg(JsonNode body, Caller caller) {
        String groupId = Fields.text(body, "GroupId", 10004);
        Long random = Fields.optU32(body, "Random", 10004);
        if (random == null) {
            throw new TimException(10004, "Random is required");
        }
        byte[] canonical = MessageBodies.validate(body, 10004, 10004, 80002);
        String from = caller.rest() ? Objects.requireNonNullElse(Fields.optText(body, "From_Account", 10004), caller.operator())
                : caller.operator();
        String priority = Objects.requireNonNullElse(Fields.optText(body, "MsgPriority", 10004), "Normal");
        if (!PRIORITIES.contains(priority)) {
            throw new TimException(10004, "MsgPriority must be one of " + PRIORITIES);
        }
        List<String> forbid = Fields.texts(body, "ForbidCallbackControl", 10004);
        List<String> control = Fields.texts(body, "SendMsgControl", 10004);
        long onlineOnly = Objects.requireNonNullElse(Fields.optInteger(body, "OnlineOnlyFlag", 10004), 0L);
        if (onlineOnly == 1 && control.contains("NoUnread")) {
            throw new TimException(10004, "NoUnread cannot be combined with OnlineOnlyFlag=1");
        }
        List<String> targets = Fields.texts(body, "To_Account", 10004);
        if (targets.size() > 50) {
            throw new TimException(10004, "To_Account holds at most 50 receivers");
        }
        String cloud = Fields.optText(body, "CloudCustomData", 10004);
        String topic = Fields.optText(body, "TopicId", 10004);
        JsonNode atInfo = body.get("GroupAtInfo");
        Accounts.Account sender = accounts.require(from, 10019);
        Group g = require(groupId);
        long time;
        long seq;
        synchronized (g) {
            if (groups.get(g.id) != g) {
                throw new TimException(10010, "group " + g.id + " was destroyed");
            }
            boolean admin = caller.rest() && from.equals(config.adminIdentifier);
            Member member = g.members.get(from);
            if (!g.isAv() && member == null && !admin && (!caller.rest() || config.strictGroupSenderMember)) {
                throw new TimException(10007, from + " is not a member of the group");
            }
            if (g.muteAllMember.equals("On") && !admin && !g.isAdminOrOwner(from)) {
                throw new TimException(10017, "the group is muted");
            }
            long arrival = clock.millis();
            String dedupKey = config.groupDedupByBody ? random + "_" + MessageBodies.crc32(canonical) : Long.toString(random);
            long windowStart = arrival - config.sendGroupMsgDedupSeconds * 1000L;
            for (Iterator<RecentSend> it = g.recentSends.values().iterator(); it.hasNext(); ) {
                if (it.next().arrivalMillis() > windowStart) {
                    break;
                }
                it.remove();
            }
            RecentSend earlier = g.recentSends.get(dedupKey);
            if (earlier != null) {
                return Accounts.ok().put("MsgTime", earlier.time()).put("MsgSeq", earlier.seq()).put("MsgDropReason", "");
            }
            time = now();
            seq = onlineOnly == 1 ? 0 : g.nextMsgSeq++;
            if (seq != 0 && !g.isAv()) {
                g.msgs.add(new GroupMsg(time, random, sender.id, PRIORITIES.indexOf(priority),
                        MessageBodies.fingerprint(canonical), bodies.stored(canonical), cloud == null || cloud.isEmpty() ? null : cloud));
                messages.incrementAndGet();
                g.newestMsgTime = Math.max(g.newestMsgTime, time);
                if (!control.contains("NoUnread") && targets.isEmpty()) {
                    for (Member m : g.members.values()) {
                        if (!m.account.equals(from)) {
                            m.unread++;
                        }
                    }
                }
            }
            if (member != null) {
                member.lastSendMsgTime = time;
            }
            g.lastMsgTime = time;
            g.recentSends.put(dedupKey, new RecentSend(arrival, seq, time));
        }
        if (!forbid.contains("ForbidAfterSendMsgCallback")) {
            ObjectNode cb = MessageBodies.JSON.createObjectNode().put("GroupId", g.id).put("Type", g.type)
                    .put("From_Account", from).put("Operator_Account", caller.operator()).put("Random", random)
                    .put("MsgSeq", seq).put("MsgTime", time).put("OnlineOnlyFlag", g.isAv() ? 0 : onlineOnly);
            cb.set("MsgBody", MessageBodies.read(canonical));
            cb.put("CloudCustomData", cloud == null ? "" : cloud);
            cb.put("EventTime", clock.millis());
            if (atInfo != null && atInfo.isArray()) {
                cb.set("GroupAtInfo", atInfo);
            }
            if (topic != null) {
                cb.put("TopicId", topic);
            }
            callbacks.fire(SandboxConfig.GROUP_AFTER_SEND, cb, caller.platform(), caller.clientIp());
        }
        return Accounts.ok().put("MsgTime", time).put("MsgSeq", seq).put("MsgDropReason", "");
    }

    ObjectNode importGroupMsg(JsonNode body, int batch) {
        Group g = require(Fields.text(body, "GroupId", 10004));
        ArrayNode list = Fields.array(body, "MsgList", 10004);
        Fields.optInteger(body, "RecentContactFlag", 10004);
        if (list.isEmpty() || list.size() > batch) {
            throw new TimException(10004, "MsgList must hold 1 to " + batch + " messages");
        }
        if (g.isAv()) {
            throw new TimException(10007, "messages cannot be imported into an AVChatRoom");
        }
        ArrayNode results = MessageBodies.JSON.createArrayNode();
        long now = now();
        synchronized (g) {
            if (groups.get(g.id) != g) {
                throw new TimException(10010, "group " + g.id + " was destroyed");
            }
            long previous = Long.MIN_VALUE;
            boolean imported = false;
            for (JsonNode item : list) {
                String from = Fields.text(item, "From_Account", 10004);
                long sendTime = Fields.integer(item, "SendTime", 10004);
                Long random = Fields.optU32(item, "Random", 10004);
                ObjectNode result = results.addObject();
                int code = 0;
                byte[] canonical = null;
                try {
                    canonical = MessageBodies.validate(item, 10004, 10004, 80002);
                } catch (TimException e) {
                    code = e.code();
                }
                boolean ascending = sendTime >= previous;
                previous = Math.max(previous, sendTime);
                Accounts.Account sender = accounts.get(from);
                if (code == 0 && sender == null) {
                    code = 10019;
                }
                if (code == 0 && (!ascending || sendTime <= g.createTime || sendTime >= now || sendTime < g.newestMsgTime)) {
                    code = 10004;
                }
                int duplicate = code == 0 && random != null && config.strictImportGroupMsgRandomDedup
                        ? recentWithRandom(g, random, sendTime) : -1;
                if (duplicate >= 0) {
                    result.put("MsgSeq", duplicate + 1).put("MsgTime", g.msgs.get(duplicate).time()).put("Result", 0);
                    continue;
                }
                if (code != 0) {
                    result.put("MsgSeq", 0).put("MsgTime", sendTime).put("Result", code);
                    continue;
                }
                long seq = g.nextMsgSeq++;
                g.msgs.add(new GroupMsg(sendTime, random == null ? 0 : random, sender.id, 1,
                        MessageBodies.fingerprint(canonical), bodies.stored(canonical),
                        emptyToNull(Fields.optText(item, "CloudCustomData", 10004))));
                messages.incrementAndGet();
                g.newestMsgTime = sendTime;
                g.lastMsgTime = Math.max(g.lastMsgTime, sendTime);
                imported = true;
                result.put("MsgSeq", seq).put("MsgTime", sendTime).put("Result", 0);
            }
            if (imported) {
                g.members.values().forEach(m -> m.unread = 0);
            }
        }
        ObjectNode out = Accounts.ok();
        out.set("ImportMsgResult", results);
        return out;
    }

    /** Index of a message already in the group with this Random sent within 5 minutes of {@code sendTime}, or -1. */
    private static int recentWithRandom(Group g, long random, long sendTime) {
        for (int i = g.msgs.size() - 1; i >= 0; i--) {
            GroupMsg m = g.msgs.get(i);
            if (m.time() < sendTime - 300) {
                break;
            }
            if (m.random() == random) {
                return i;
            }
        }
        return -1;
    }

    ObjectNode importGroupMember(JsonNode body, int batch) {
        Group g = require(Fields.text(body, "GroupId", 10004));
        ArrayNode list = Fields.array(body, "MemberList", 10004);
        if (list.isEmpty() || list.size() > batch) {
            throw new TimException(10005, "MemberList must hold 1 to " + batch + " members");
        }
        if (g.isAv()) {
            throw new TimException(10007, "members cannot be imported into an AVChatRoom");
        }
        ArrayNode results = MessageBodies.JSON.createArrayNode();
        long now = now();
        synchronized (g) {
            if (groups.get(g.id) != g) {
                throw new TimException(10010, "group " + g.id + " was destroyed");
            }
            for (JsonNode m : list) {
                String account = Fields.text(m, "Member_Account", 10004);
                String role = Fields.optText(m, "Role", 10004);
                Long joinTime = Fields.optInteger(m, "JoinTime", 10004);
                long unread = Objects.requireNonNullElse(Fields.optInteger(m, "UnreadMsgNum", 10004), 0L);
                Accounts.Account a = accounts.get(account);
                int result;
                if (a == null) {
                    result = 0;
                } else if (g.members.containsKey(account)) {
                    result = 2;
                } else if (joinTime != null && (joinTime <= g.createTime || joinTime >= now)) {
                    result = 0;
                } else if (g.maxMemberNum > 0 && g.members.size() >= g.maxMemberNum) {
                    result = 0;
                } else {
                    int clamped = (int) Math.max(0, Math.min(unread, g.msgs.size()));
                    g.members.put(account, new Member(a.id, "Admin".equals(role) ? "Admin" : "Member",
                            joinTime == null ? now : joinTime, clamped));
                    result = 1;
                }
                results.addObject().put("Member_Account", account).put("Result", result);
            }
        }
        ObjectNode out = Accounts.ok();
        out.set("MemberList", results);
        return out;
    }

    ObjectNode setUnreadMsgNum(JsonNode body) {
        Group g = require(Fields.text(body, "GroupId", 10004));
        String account = Fields.text(body, "Member_Account", 10004);
        long unread = Fields.integer(body, "UnreadMsgNum", 10004);
        if (unread < 0) {
            throw new TimException(10004, "UnreadMsgNum must not be negative");
        }
        if (g.isAv()) {
            throw new TimException(10007, "an AVChatRoom keeps no unread counts");
        }
        synchronized (g) {
            Member m = g.members.get(account);
            if (m == null) {
                throw new TimException(10007, account + " is not a member of the group");
            }
            m.unread = (int) Math.min(unread, g.msgs.size());
        }
        return Accounts.ok();
    }

    ObjectNode getGroupInfo(JsonNode body, int batch) {
        List<String> ids = Fields.texts(body, "GroupIdList", 10004);
        if (ids.isEmpty() || ids.size() > batch) {
            throw new TimException(10004, "GroupIdList must hold 1 to " + batch + " groups");
        }
        JsonNode filter = body.path("ResponseFilter");
        List<String> baseFilter = filter.has("GroupBaseInfoFilter")
                ? Fields.texts(filter, "GroupBaseInfoFilter", 10004) : BASE_FIELDS;
        List<String> memberFilter = filter.has("MemberInfoFilter")
                ? Fields.texts(filter, "MemberInfoFilter", 10004) : MEMBER_FIELDS;
        List<String> appFilter = filter.has("AppDefinedDataFilter_Group")
                ? Fields.texts(filter, "AppDefinedDataFilter_Group", 10004) : null;
        ArrayNode infos = MessageBodies.JSON.createArrayNode();
        for (String id : ids) {
            Group g = groups.get(id);
            if (g == null) {
                infos.addObject().put("GroupId", id).put("ErrorCode", 10010)
                        .put("ErrorInfo", "group does not exist or was destroyed");
                continue;
            }
            ObjectNode info = infos.addObject().put("GroupId", id).put("ErrorCode", 0).put("ErrorInfo", "");
            synchronized (g) {
                ObjectNode base = baseInfo(g, appFilter);
                for (String f : baseFilter) {
                    if (base.has(f)) {
                        info.set(f, base.get(f));
                    }
                }
                if (!g.isAv()) {
                    ArrayNode members = info.putArray("MemberList");
                    g.members.values().forEach(m -> members.add(memberJson(g, m, memberFilter, false)));
                }
            }
        }
        ObjectNode out = Accounts.ok();
        out.set("GroupInfo", infos);
        return out;
    }

    private static ObjectNode baseInfo(Group g, List<String> appFilter) {
        ObjectNode o = MessageBodies.JSON.createObjectNode().put("Type", g.type).put("Name", g.name)
                .put("Introduction", g.introduction).put("Notification", g.notification).put("FaceUrl", g.faceUrl)
                .put("Owner_Account", Objects.requireNonNullElse(g.owner, "")).put("CreateTime", g.createTime)
                .put("InfoSeq", g.infoSeq).put("LastInfoTime", g.lastInfoTime).put("LastMsgTime", g.lastMsgTime)
                .put("NextMsgSeq", g.nextMsgSeq);
        if (!g.isAv()) {
            o.put("MemberNum", g.members.size());
        }
        o.put("MaxMemberNum", g.maxMemberNum).put("ApplyJoinOption", g.applyJoinOption)
                .put("InviteJoinOption", g.inviteJoinOption).put("MuteAllMember", g.muteAllMember);
        ArrayNode data = o.putArray("AppDefinedData");
        g.appDefinedData.forEach((k, v) -> {
            if (appFilter == null || appFilter.contains(k)) {
                data.addObject().put("Key", k).put("Value", v);
            }
        });
        return o;
    }

    private static ObjectNode memberJson(Group g, Member m, List<String> fields, boolean withUnread) {
        ObjectNode o = MessageBodies.JSON.createObjectNode().put("Member_Account", m.account);
        for (String f : fields) {
            switch (f) {
                case "Role" -> o.put("Role", m.role);
                case "JoinTime" -> o.put("JoinTime", m.joinTime);
                // The last read MsgSeq follows from the unread count: everything before the unread tail is read.
                case "MsgSeq" -> o.put("MsgSeq", Math.max(0, g.nextMsgSeq - 1 - m.unread));
                case "MsgFlag" -> o.put("MsgFlag", "AcceptAndNotify");
                case "LastSendMsgTime" -> o.put("LastSendMsgTime", m.lastSendMsgTime);
                case "MuteUntil" -> o.put("MuteUntil", 0);
                case "NameCard" -> o.put("NameCard", "");
                case "AppMemberDefinedData" -> o.putArray("AppMemberDefinedData");
                default -> {
                }
            }
        }
        if (withUnread) {
            o.put("UnreadMsgNum", m.unread);
        }
        return o;
    }

    ObjectNode getGroupMemberInfo(JsonNode body, int maxLimit) {
        Group g = require(Fields.text(body, "GroupId", 10004));
        long limit = Objects.requireNonNullElse(Fields.optInteger(body, "Limit", 10004), (long) maxLimit);
        if (limit <= 0 || limit > maxLimit) {
            throw new TimException(10004, "Limit must be 1 to " + maxLimit);
        }
        long offset;
        boolean community = g.type.equals("Community");
        if (community) {
            String next = Objects.requireNonNullElse(Fields.optText(body, "Next", 10004), "");
            try {
                offset = next.isEmpty() ? 0 : Long.parseLong(next);
            } catch (NumberFormatException e) {
                throw new TimException(10004, "Next is not a cursor this group returned");
            }
        } else {
            offset = Objects.requireNonNullElse(Fields.optInteger(body, "Offset", 10004), 0L);
        }
        if (offset < 0) {
            throw new TimException(10004, "Offset must not be negative");
        }
        List<String> fields = body.has("MemberInfoFilter") ? Fields.texts(body, "MemberInfoFilter", 10004) : MEMBER_FIELDS;
        List<String> roles = Fields.texts(body, "MemberRoleFilter", 10004);
        if (g.isAv()) {
            throw new TimException(10007, "an AVChatRoom has no member list");
        }
        ObjectNode out = Accounts.ok();
        ArrayNode list = MessageBodies.JSON.createArrayNode();
        synchronized (g) {
            List<Member> matching = new ArrayList<>();
            for (Member m : g.members.values()) {
                if (roles.isEmpty() || roles.contains(m.role)) {
                    matching.add(m);
                }
            }
            long end = Math.min(matching.size(), offset + limit);
            for (long i = offset; i < end; i++) {
                list.add(memberJson(g, matching.get((int) i), fields, false));
            }
            out.put("MemberNum", g.members.size());
            if (community) {
                out.put("Next", end < matching.size() ? Long.toString(end) : "");
            }
        }
        out.set("MemberList", list);
        return out;
    }

    ObjectNode groupMsgGetSimple(JsonNode body, int maxCount) {
        Group g = require(Fields.text(body, "GroupId", 10004));
        long count = Fields.integer(body, "ReqMsgNumber", 10004);
        if (count <= 0 || count > maxCount) {
            throw new TimException(10004, "ReqMsgNumber must be 1 to " + maxCount);
        }
        Long reqSeq = Fields.optInteger(body, "ReqMsgSeq", 10004);
        if (g.isAv()) {
            throw new TimException(10007, "an AVChatRoom keeps no history");
        }
        long cut = config.roamingRetentionDays > 0 ? now() - config.roamingRetentionDays * 86_400L : 0;
        ObjectNode out = Accounts.ok().put("GroupId", g.id);
        ArrayNode list = MessageBodies.JSON.createArrayNode();
        int finished;
        synchronized (g) {
            int i = (int) Math.min(reqSeq == null ? g.msgs.size() : reqSeq, g.msgs.size()) - 1;
            boolean expired = false;
            for (; i >= 0 && list.size() < count; i--) {
                GroupMsg m = g.msgs.get(i);
                if (m.time() < cut) {
                    expired = true;
                    break;
                }
                list.add(msgJson(m, i + 1, false));
            }
            finished = expired && list.isEmpty() ? 2 : (i < 0 || expired) ? 1 : 0;
        }
        out.put("IsFinished", finished);
        out.set("RspMsgList", list);
        return out;
    }

    private ObjectNode msgJson(GroupMsg m, long seq, boolean inspection) {
        ObjectNode o = MessageBodies.JSON.createObjectNode().put("From_Account", m.from).put("MsgSeq", seq)
                .put("MsgRandom", m.random()).put("MsgTimeStamp", m.time()).put("MsgPriority", m.priority + 1)
                .put("IsPlaceMsg", 0).put("IsSystemMsg", 0);
        o.set("MsgBody", MessageBodies.read(m.body));
        o.put("CloudCustomData", m.cloudCustomData == null ? "" : m.cloudCustomData);
        if (inspection || !bodies.keepsBodies()) {
            o.put("BodyChecksum", MessageBodies.hex(m.fingerprint));
        }
        return o;
    }

    /** Inspection: group info with every member (and unread count), or null. */
    ObjectNode inspect(String id) {
        Group g = groups.get(id);
        if (g == null) {
            return null;
        }
        synchronized (g) {
            ObjectNode o = MessageBodies.JSON.createObjectNode().put("GroupId", g.id);
            o.setAll(baseInfo(g, null));
            o.put("MsgCnt", g.msgs.size());
            ArrayNode members = o.putArray("MemberList");
            g.members.values().forEach(m -> members.add(memberJson(g, m, MEMBER_FIELDS, true)));
            return o;
        }
    }

    /** Inspection: messages in MsgSeq order from {@code offset}, at most {@code limit}, or null. */
    ObjectNode inspectMessages(String id, int offset, int limit) {
        Group g = groups.get(id);
        if (g == null) {
            return null;
        }
        synchronized (g) {
            ObjectNode o = MessageBodies.JSON.createObjectNode().put("GroupId", g.id).put("MsgCnt", g.msgs.size());
            ArrayNode list = o.putArray("MsgList");
            for (int i = Math.max(0, offset); i < g.msgs.size() && list.size() < limit; i++) {
                list.add(msgJson(g.msgs.get(i), i + 1, true));
            }
            return o;
        }
    }

    List<String> ids() {
        return new ArrayList<>(groups.keySet());
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
