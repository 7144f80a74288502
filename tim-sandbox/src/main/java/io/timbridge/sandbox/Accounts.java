package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Accounts, profiles and friend lists (accounts-profiles-friends.md). */
final class Accounts {
    static final int MAX_USER_ID_BYTES = 32;
    static final int MAX_PROFILE_VALUE_BYTES = 500;
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern CUSTOM_TAG = Pattern.compile("Tag_Profile_Custom_[A-Za-z]{1,8}");
    private static final Set<String> STANDARD_TAGS = Set.of("Tag_Profile_IM_Nick", "Tag_Profile_IM_Gender",
            "Tag_Profile_IM_BirthDay", "Tag_Profile_IM_Location", "Tag_Profile_IM_SelfSignature",
            "Tag_Profile_IM_AllowType", "Tag_Profile_IM_Language", "Tag_Profile_IM_Image",
            "Tag_Profile_IM_MsgSettings", "Tag_Profile_IM_AdminForbidType", "Tag_Profile_IM_Level",
            "Tag_Profile_IM_Role");
    private static final String ALLOW_TYPE = "Tag_Profile_IM_AllowType";

    /** One imported UserID; guarded by its own monitor. */
    static final class Account {
        final String id;
        final Map<String, JsonNode> profile = new LinkedHashMap<>();
        final Map<String, Friend> friends = new LinkedHashMap<>();
        final Set<String> pendingFrom = new java.util.LinkedHashSet<>();
        /** Total unread C2C messages, reported as the callback's UnreadMsgNum. */
        int c2cUnread;

        Account(String id) {
            this.id = id;
        }
    }

    record Friend(String to, String remark, List<String> groups, String addSource, String addWording, long addTime,
                  long remarkTime, Map<String, JsonNode> custom) {
    }

    private final SandboxConfig config;
    private final java.time.Clock clock;
    private final Callbacks callbacks;
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    Accounts(SandboxConfig config, java.time.Clock clock, Callbacks callbacks) {
        this.config = config;
        this.clock = clock;
        this.callbacks = callbacks;
        reset();
    }

    void reset() {
        accounts.clear();
        // The app admin is an account TIM creates in the console; REST sends default to it.
        accounts.put(config.adminIdentifier, new Account(config.adminIdentifier));
    }

    Account get(String id) {
        return id == null ? null : accounts.get(id);
    }

    /** The account, or the service's not-imported error. */
    Account require(String id, int code) {
        Account a = get(id);
        if (a == null) {
            throw new TimException(code, "account " + id + " is not imported");
        }
        return a;
    }

    int count() {
        return accounts.size();
    }

    Set<String> ids() {
        return accounts.keySet();
    }

    /** Null when {@code id} is an acceptable UserID, else why not. */
    String invalidUserId(String id) {
        if (id == null || id.isEmpty()) {
            return "UserID is empty";
        }
        if (Fields.bytes(id) > MAX_USER_ID_BYTES) {
            return "UserID longer than " + MAX_USER_ID_BYTES + " bytes";
        }
        if (config.strictUserIdCharset && !SAFE_ID.matcher(id).matches()) {
            return "UserID may hold only A-Z a-z 0-9 _ -";
        }
        return null;
    }

    private Account create(String id, String nick, String face) {
        Account a = accounts.get(id);
        if (a == null) {
            if (config.maxAccounts > 0 && accounts.size() >= config.maxAccounts) {
                throw new TimException(70398, "the plan's account limit of " + config.maxAccounts + " is reached");
            }
            a = accounts.computeIfAbsent(id, Account::new);
        }
        synchronized (a) {
            if (nick != null) {
                a.profile.put("Tag_Profile_IM_Nick", MessageBodies.JSON.getNodeFactory().textNode(nick));
            }
            if (face != null) {
                a.profile.put("Tag_Profile_IM_Image", MessageBodies.JSON.getNodeFactory().textNode(face));
            }
        }
        return a;
    }

    private static void checkProfileValue(String nick, String face) {
        if (Fields.bytes(nick) > MAX_PROFILE_VALUE_BYTES || Fields.bytes(face) > MAX_PROFILE_VALUE_BYTES) {
            throw new TimException(40601, "profile value longer than 500 bytes");
        }
    }

    ObjectNode accountImport(JsonNode body) {
        String id = Fields.text(body, "UserID", 70402);
        String nick = Fields.optText(body, "Nick", 70402);
        String face = Fields.optText(body, "FaceUrl", 70402);
        String invalid = invalidUserId(id);
        if (invalid != null) {
            throw new TimException(70402, invalid);
        }
        checkProfileValue(nick, face);
        create(id, nick, face);
        return ok();
    }

    ObjectNode multiAccountImport(JsonNode body, int batch) {
        List<String[]> items = new ArrayList<>();
        if (body.has("AccountList")) {
            for (JsonNode item : Fields.array(body, "AccountList", 70402)) {
                if (!item.isObject()) {
                    throw new TimException(70402, "AccountList items must be objects");
                }
                items.add(new String[]{Fields.text(item, "UserID", 70402), Fields.optText(item, "Nick", 70402),
                        Fields.optText(item, "FaceUrl", 70402)});
            }
        } else {
            for (String id : Fields.texts(body, "Accounts", 70402)) {
                items.add(new String[]{id, null, null});
            }
        }
        if (items.isEmpty()) {
            throw new TimException(70402, "Accounts or AccountList is required");
        }
        if (items.size() > batch) {
            throw new TimException(70402, "at most " + batch + " accounts per call");
        }
        ArrayNode fail = MessageBodies.JSON.createArrayNode();
        for (String[] item : items) {
            if (invalidUserId(item[0]) != null || Fields.bytes(item[1]) > MAX_PROFILE_VALUE_BYTES
                    || Fields.bytes(item[2]) > MAX_PROFILE_VALUE_BYTES) {
                fail.add(item[0]);
                continue;
            }
            try {
                create(item[0], item[1], item[2]);
            } catch (TimException e) {
                fail.add(item[0]);
            }
        }
        ObjectNode out = ok();
        out.set("FailAccounts", fail);
        return out;
    }

    ObjectNode accountCheck(JsonNode body, int batch) {
        ArrayNode items = Fields.array(body, "CheckItem", 70402);
        if (items.size() > batch) {
            throw new TimException(70402, "at most " + batch + " items per call");
        }
        ArrayNode result = MessageBodies.JSON.createArrayNode();
        for (JsonNode item : items) {
            String id = Fields.text(item, "UserID", 70402);
            result.addObject().put("UserID", id).put("ResultCode", 0).put("ResultInfo", "")
                    .put("AccountStatus", accounts.containsKey(id) ? "Imported" : "NotImported");
        }
        ObjectNode out = ok();
        out.set("ResultItem", result);
        return out;
    }

    ObjectNode portraitSet(JsonNode body) {
        String from = Fields.text(body, "From_Account", 40001);
        ArrayNode items = Fields.array(body, "ProfileItem", 40001);
        Account a = require(from, 40003);
        Map<String, JsonNode> updates = new LinkedHashMap<>();
        for (JsonNode item : items) {
            String tag = Fields.text(item, "Tag", 40001);
            JsonNode value = item.get("Value");
            if (!STANDARD_TAGS.contains(tag) && !CUSTOM_TAG.matcher(tag).matches()) {
                throw new TimException(40001, "unknown profile tag " + tag);
            }
            if (value == null || !(value.isTextual() || value.isIntegralNumber())) {
                throw new TimException(40001, tag + " needs a string or integer Value");
            }
            if (value.isTextual() && Fields.bytes(value.asText()) > MAX_PROFILE_VALUE_BYTES) {
                throw new TimException(40601, tag + " value longer than 500 bytes");
            }
            updates.put(tag, value);
        }
        synchronized (a) {
            a.profile.putAll(updates);
        }
        return ok();
    }

    ObjectNode portraitGet(JsonNode body, int batch) {
        List<String> to = Fields.texts(body, "To_Account", 40001);
        List<String> tags = Fields.texts(body, "TagList", 40001);
        if (to.isEmpty() || tags.isEmpty()) {
            throw new TimException(40001, "To_Account and TagList are required");
        }
        if (to.size() > batch) {
            throw new TimException(40001, "at most " + batch + " accounts per call");
        }
        ArrayNode items = MessageBodies.JSON.createArrayNode();
        for (String id : to) {
            Account a = require(id, 40003);
            ObjectNode item = items.addObject().put("To_Account", id);
            ArrayNode profile = item.putArray("ProfileItem");
            synchronized (a) {
                for (String tag : tags) {
                    JsonNode v = a.profile.get(tag);
                    if (v != null) {
                        profile.addObject().put("Tag", tag).set("Value", v);
                    }
                }
            }
            item.put("ResultCode", 0).put("ResultInfo", "");
        }
        ObjectNode out = ok();
        out.set("UserProfileItem", items);
        out.putArray("Fail_Account");
        return out;
    }

    /** friend_import (one-way, as given) and friend_add (TIM's add rules, both ways by default). */
    ObjectNode friendWrite(JsonNode body, int batch, boolean isImport, Caller caller) {
        String from = Fields.text(body, "From_Account", 30001);
        ArrayNode items = Fields.array(body, "AddFriendItem", 30001);
        if (items.isEmpty() || items.size() > batch) {
            throw new TimException(30001, "AddFriendItem must hold 1 to " + batch + " items");
        }
        String addType = isImport ? "Add_Type_Single" : java.util.Objects.requireNonNullElse(
                Fields.optText(body, "AddType", 30001), "Add_Type_Both");
        if (!addType.equals("Add_Type_Both") && !addType.equals("Add_Type_Single")) {
            throw new TimException(30001, "AddType must be Add_Type_Both or Add_Type_Single");
        }
        long force = java.util.Objects.requireNonNullElse(Fields.optInteger(body, "ForceAddFlags", 30001), 0L);
        Account owner = require(from, 30003);
        ArrayNode results = MessageBodies.JSON.createArrayNode();
        ArrayNode fail = MessageBodies.JSON.createArrayNode();
        ArrayNode pairs = MessageBodies.JSON.createArrayNode();
        long now = clock.millis() / 1000;
        for (JsonNode item : items) {
            String to = Fields.text(item, "To_Account", 30001);
            String source = Fields.text(item, "AddSource", 30001);
            if (!source.startsWith("AddSource_Type_")) {
                throw new TimException(30001, "AddSource must start with AddSource_Type_");
            }
            List<String> groups = isImport ? Fields.texts(item, "GroupName", 30001)
                    : optionalList(Fields.optText(item, "GroupName", 30001));
            Map<String, JsonNode> custom = new LinkedHashMap<>();
            if (isImport && item.has("CustomItem")) {
                for (JsonNode c : Fields.array(item, "CustomItem", 30001)) {
                    custom.put(Fields.text(c, "Tag", 30001), c.get("Value"));
                }
            }
            Friend friend = new Friend(to, Fields.optText(item, "Remark", 30001), groups, source,
                    Fields.optText(item, "AddWording", 30001),
                    isImport ? java.util.Objects.requireNonNullElse(Fields.optInteger(item, "AddTime", 30001), now) : now,
                    isImport ? java.util.Objects.requireNonNullElse(Fields.optInteger(item, "RemarkTime", 30001), 0L) : 0,
                    custom);
            Account target = get(to);
            int code = 0;
            if (target == null) {
                code = 30003;
            } else if (isImport) {
                synchronized (owner) {
                    owner.friends.putIfAbsent(to, friend);
                }
            } else {
                code = add(owner, target, friend, addType.equals("Add_Type_Both"), force == 1, pairs);
            }
            results.addObject().put("To_Account", to).put("ResultCode", code).put("ResultInfo", code == 0 ? "" : info(code));
            if (code != 0 && code != 30539) {
                fail.add(to);
            }
        }
        if (!pairs.isEmpty()) {
            ObjectNode cb = MessageBodies.JSON.createObjectNode().put("ClientCmd", "friend_add")
                    .put("Admin_Account", caller.rest() ? caller.operator() : "").put("ForceFlag", force);
            cb.set("PairList", pairs);
            cb.put("EventTime", clock.millis());
            callbacks.fire(SandboxConfig.SNS_FRIEND_ADD, cb, caller.platform(), caller.clientIp());
        }
        ObjectNode out = ok();
        out.set("ResultItem", results);
        out.set("Fail_Account", fail);
        return out;
    }

    private int add(Account owner, Account target, Friend friend, boolean both, boolean force, ArrayNode pairs) {
        String allow;
        synchronized (target) {
            JsonNode v = target.profile.get(ALLOW_TYPE);
            // TIM's default for a new account is to need confirmation.
            allow = v == null ? "AllowType_Type_NeedConfirm" : v.asText();
        }
        if (!force && allow.equals("AllowType_Type_DenyAny")) {
            return 30516;
        }
        if (!force && allow.equals("AllowType_Type_NeedConfirm")) {
            synchronized (target) {
                target.pendingFrom.add(owner.id);
            }
            return 30539;
        }
        Account first = owner.id.compareTo(target.id) <= 0 ? owner : target;
        Account second = first == owner ? target : owner;
        synchronized (first) {
            synchronized (second) {
                boolean added = owner.friends.putIfAbsent(target.id, friend) == null;
                if (added) {
                    pairs.addObject().put("From_Account", owner.id).put("To_Account", target.id).put("Initiator_Account", owner.id);
                }
                if (both && target.friends.putIfAbsent(owner.id, new Friend(owner.id, null, List.of(),
                        friend.addSource(), null, friend.addTime(), 0, Map.of())) == null) {
                    pairs.addObject().put("From_Account", target.id).put("To_Account", owner.id).put("Initiator_Account", owner.id);
                }
            }
        }
        return 0;
    }

    ObjectNode friendCheck(JsonNode body, int batch) {
        String from = Fields.text(body, "From_Account", 30001);
        List<String> to = Fields.texts(body, "To_Account", 30001);
        String type = Fields.text(body, "CheckType", 30001);
        if (!type.equals("CheckResult_Type_Both") && !type.equals("CheckResult_Type_Single")) {
            throw new TimException(30001, "CheckType must be CheckResult_Type_Both or CheckResult_Type_Single");
        }
        if (to.isEmpty() || to.size() > batch) {
            throw new TimException(30001, "To_Account must hold 1 to " + batch + " accounts");
        }
        Account owner = require(from, 30003);
        ArrayNode infos = MessageBodies.JSON.createArrayNode();
        ArrayNode fail = MessageBodies.JSON.createArrayNode();
        for (String id : to) {
            Account other = get(id);
            if (other == null) {
                infos.addObject().put("To_Account", id).put("Relation", "CheckResult_Type_NoRelation")
                        .put("ResultCode", 30003).put("ResultInfo", info(30003));
                fail.add(id);
                continue;
            }
            boolean aWithB;
            boolean bWithA;
            synchronized (owner) {
                aWithB = owner.friends.containsKey(id);
            }
            synchronized (other) {
                bWithA = other.friends.containsKey(from);
            }
            String relation;
            if (type.equals("CheckResult_Type_Single")) {
                relation = aWithB ? "CheckResult_Type_AWithB" : "CheckResult_Type_NoRelation";
            } else if (aWithB && bWithA) {
                relation = "CheckResult_Type_BothWay";
            } else if (aWithB) {
                relation = "CheckResult_Type_AWithB";
            } else if (bWithA) {
                relation = "CheckResult_Type_BWithA";
            } else {
                relation = "CheckResult_Type_NoRelation";
            }
            infos.addObject().put("To_Account", id).put("Relation", relation).put("ResultCode", 0).put("ResultInfo", "");
        }
        ObjectNode out = ok();
        out.set("InfoItem", infos);
        out.set("Fail_Account", fail);
        return out;
    }

    ObjectNode friendGet(JsonNode body) {
        String from = Fields.text(body, "From_Account", 30001);
        long start = java.util.Objects.requireNonNullElse(Fields.optInteger(body, "StartIndex", 30001), -1L);
        if (start < 0) {
            throw new TimException(30001, "StartIndex is required and must not be negative");
        }
        Account owner = require(from, 30003);
        List<Friend> all;
        synchronized (owner) {
            all = new ArrayList<>(owner.friends.values());
        }
        int end = (int) Math.min(all.size(), start + config.friendGetPageSize);
        ArrayNode items = MessageBodies.JSON.createArrayNode();
        for (int i = (int) Math.min(start, all.size()); i < end; i++) {
            items.add(friendJson(all.get(i)));
        }
        ObjectNode out = ok();
        out.set("UserDataItem", items);
        out.put("StandardSequence", all.size()).put("CustomSequence", all.size()).put("FriendNum", all.size())
                .put("CompleteFlag", end >= all.size() ? 1 : 0).put("NextStartIndex", end);
        return out;
    }

    static ObjectNode friendJson(Friend f) {
        ObjectNode item = MessageBodies.JSON.createObjectNode().put("To_Account", f.to());
        ArrayNode values = item.putArray("ValueItem");
        ArrayNode groups = MessageBodies.JSON.createArrayNode();
        f.groups().forEach(groups::add);
        values.addObject().put("Tag", "Tag_SNS_IM_Group").set("Value", groups);
        values.addObject().put("Tag", "Tag_SNS_IM_Remark").put("Value", f.remark() == null ? "" : f.remark());
        values.addObject().put("Tag", "Tag_SNS_IM_AddSource").put("Value", f.addSource());
        values.addObject().put("Tag", "Tag_SNS_IM_AddWording").put("Value", f.addWording() == null ? "" : f.addWording());
        values.addObject().put("Tag", "Tag_SNS_IM_AddTime").put("Value", f.addTime());
        f.custom().forEach((tag, v) -> values.addObject().put("Tag", tag).set("Value", v));
        return item;
    }

    long friendships() {
        long n = 0;
        for (Account a : accounts.values()) {
            synchronized (a) {
                n += a.friends.size();
            }
        }
        return n;
    }

    /** Inspection view of one account, or null. */
    ObjectNode inspect(String id) {
        Account a = get(id);
        if (a == null) {
            return null;
        }
        ObjectNode out = MessageBodies.JSON.createObjectNode().put("UserID", id);
        synchronized (a) {
            ObjectNode profile = out.putObject("Profile");
            a.profile.forEach(profile::set);
            ArrayNode friends = out.putArray("Friends");
            a.friends.values().forEach(f -> friends.add(friendJson(f)));
            ArrayNode pending = out.putArray("PendingFriendRequestsFrom");
            a.pendingFrom.forEach(pending::add);
            out.put("C2cUnreadMsgNum", a.c2cUnread);
        }
        return out;
    }

    static String info(int code) {
        return switch (code) {
            case 30003 -> "account not found";
            case 30516 -> "the target denies all friend requests";
            case 30539 -> "friend request pending the target's confirmation";
            default -> "";
        };
    }

    private static List<String> optionalList(String s) {
        return s == null ? List.of() : List.of(s);
    }

    static ObjectNode ok() {
        return MessageBodies.JSON.createObjectNode();
    }
}
