package io.timbridge.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimClient;
import io.timbridge.tim.TimErrors;
import io.timbridge.tim.TimException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TIM side of verify, read only through TIM's REST read APIs (never the sandbox's inspection), so it
 * works against the real TIM. Every call goes through the process's {@link TimClient}, whose per-API limiter
 * holds TIM's frequency limits; callers pass at most the API's batch size.
 */
public final class TimReads {
    /** Group does not exist or was destroyed; group ID not found. */
    static final int NO_SUCH_GROUP = 10010;
    static final int GROUP_ID_NOT_FOUND = 10015;

    private final TimClient tim;

    public TimReads(TimClient tim) {
        this.tim = tim;
    }

    public int batchSize(TimApi api) {
        return tim.batchSize(api);
    }

    /** account_check: the accounts TIM holds among {@code userIds}. */
    public List<String> importedAccounts(List<String> userIds) {
        List<Map<String, String>> items = userIds.stream().map(u -> Map.of("UserID", u)).toList();
        JsonNode answer = call(TimApi.ACCOUNT_CHECK, Map.of("CheckItem", items), describe(userIds));
        List<String> imported = new ArrayList<>();
        for (JsonNode item : answer.path("ResultItem")) {
            if (item.path("ResultCode").asInt() == 0 && "Imported".equals(item.path("AccountStatus").asText())) {
                imported.add(item.path("UserID").asText());
            }
        }
        return imported;
    }

    /**
     * portrait_get: tag values per user, for the users TIM holds. TIM refuses the whole call when one user
     * is not imported; then each user is read alone, and a refused one is simply absent.
     */
    public Map<String, Map<String, String>> profiles(List<String> userIds, List<String> tags) {
        try {
            return profilesOnce(userIds, tags);
        } catch (VerifyException e) {
            if (userIds.size() == 1 || e.isRetryable()) {
                if (userIds.size() == 1 && !e.isRetryable()) {
                    return Map.of();
                }
                throw e;
            }
            Map<String, Map<String, String>> out = new LinkedHashMap<>();
            for (String user : userIds) {
                out.putAll(profiles(List.of(user), tags));
            }
            return out;
        }
    }

    private Map<String, Map<String, String>> profilesOnce(List<String> userIds, List<String> tags) {
        JsonNode answer = call(TimApi.PORTRAIT_GET, Map.of("To_Account", userIds, "TagList", tags), describe(userIds));
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (JsonNode item : answer.path("UserProfileItem")) {
            if (item.path("ResultCode").asInt(0) != 0) {
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (JsonNode tag : item.path("ProfileItem")) {
                JsonNode v = tag.path("Value");
                values.put(tag.path("Tag").asText(), v.isValueNode() ? v.asText() : v.toString());
            }
            out.put(item.path("To_Account").asText(), values);
        }
        return out;
    }

    /**
     * friend_check (one way): the accounts among {@code friends} that are in {@code owner}'s friend list; none
     * when TIM does not hold the owner (30003): then every friendship is missing in TIM, which is a finding.
     */
    public List<String> friendsOf(String owner, List<String> friends) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("From_Account", owner);
        request.put("To_Account", friends);
        request.put("CheckType", "CheckResult_Type_Single");
        JsonNode answer;
        try {
            answer = call(TimApi.FRIEND_CHECK, request, "friends of " + owner);
        } catch (VerifyException e) {
            if (e.errorCode() == 30003) {
                return List.of();
            }
            throw e;
        }
        List<String> present = new ArrayList<>();
        for (JsonNode item : answer.path("InfoItem")) {
            String relation = item.path("Relation").asText();
            if (item.path("ResultCode").asInt(0) == 0
                    && (relation.equals("CheckResult_Type_AWithB") || relation.equals("CheckResult_Type_BothWay"))) {
                present.add(item.path("To_Account").asText());
            }
        }
        return present;
    }

    /** get_group_info: per group the fields asked for, or no entry for a group TIM does not hold. */
    public Map<String, JsonNode> groups(List<String> groupIds, List<String> fields) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("GroupIdList", groupIds);
        request.put("ResponseFilter", Map.of("GroupBaseInfoFilter", fields));
        JsonNode answer = call(TimApi.GET_GROUP_INFO, request, describe(groupIds));
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode info : answer.path("GroupInfo")) {
            if (info.path("ErrorCode").asInt(0) == 0) {
                out.put(info.path("GroupId").asText(), info);
            }
        }
        return out;
    }

    /**
     * get_group_member_info, every page: the members with the fields asked for, or null when TIM does not
     * hold the group. Community groups page with Next, the others with Offset.
     */
    public List<JsonNode> members(String groupId, List<String> fields) {
        int limit = tim.batchSize(TimApi.GET_GROUP_MEMBER_INFO);
        List<JsonNode> out = new ArrayList<>();
        String next = "";
        long offset = 0;
        while (true) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("GroupId", groupId);
            request.put("Limit", limit);
            request.put("Offset", offset);
            request.put("Next", next);
            request.put("MemberInfoFilter", fields);
            JsonNode answer;
            try {
                answer = call(TimApi.GET_GROUP_MEMBER_INFO, request, "group " + groupId);
            } catch (VerifyException e) {
                if (isMissingGroup(e)) {
                    return null;
                }
                throw e;
            }
            JsonNode page = answer.path("MemberList");
            page.forEach(out::add);
            offset += page.size();
            if (answer.has("Next")) {
                next = answer.path("Next").asText();
                if (next.isEmpty()) {
                    return out;
                }
            } else if (page.size() < limit || offset >= answer.path("MemberNum").asLong()) {
                return out;
            }
        }
    }

    /**
     * admin_getroammsg, every page: the messages of a conversation from {@code minTime} (Unix seconds) up to
     * {@code maxTime}, oldest first, as {@code operator} sees them.
     */
    /** admin_getroammsg for an account TIM does not hold (tim-api/c2c.md). */
    static final int ACCOUNT_NOT_IMPORTED = 20003;
    static final int ACCOUNT_NOT_FOUND = 90048;

    public List<JsonNode> c2cMessages(String operator, String peer, long minTime, long maxTime) {
        List<JsonNode> newestFirst = new ArrayList<>();
        String lastKey = null;
        while (true) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("Operator_Account", operator);
            request.put("Peer_Account", peer);
            request.put("MaxCnt", tim.batchSize(TimApi.ADMIN_GETROAMMSG));
            request.put("MinTime", minTime);
            request.put("MaxTime", maxTime);
            if (lastKey != null) {
                request.put("LastMsgKey", lastKey);
            }
            JsonNode answer;
            try {
                answer = call(TimApi.ADMIN_GETROAMMSG, request, "conversation " + operator + ":" + peer);
            } catch (VerifyException e) {
                if (e.errorCode() == ACCOUNT_NOT_IMPORTED || e.errorCode() == ACCOUNT_NOT_FOUND) {
                    // TIM holds neither the account nor so the conversation: its messages are missing in TIM.
                    return List.of();
                }
                throw e;
            }
            answer.path("MsgList").forEach(newestFirst::add);
            lastKey = answer.path("LastMsgKey").asText("");
            if (answer.path("Complete").asInt(1) == 1 || lastKey.isEmpty() || answer.path("MsgList").isEmpty()) {
                break;
            }
        }
        List<JsonNode> oldestFirst = new ArrayList<>(newestFirst);
        oldestFirst.sort((a, b) -> {
            int byTime = Long.compare(a.path("MsgTimeStamp").asLong(), b.path("MsgTimeStamp").asLong());
            return byTime != 0 ? byTime : Long.compare(a.path("MsgSeq").asLong(), b.path("MsgSeq").asLong());
        });
        return oldestFirst;
    }

    /**
     * group_msg_get_simple, paging backwards from the newest message until TIM says it is finished or the
     * messages are older than {@code minTime}: the group's messages oldest first (by MsgSeq), without the
     * holes of deleted or expired messages; null when TIM does not hold the group.
     */
    public List<JsonNode> groupMessages(String groupId, long minTime) {
        int count = tim.batchSize(TimApi.GROUP_MSG_GET_SIMPLE);
        List<JsonNode> newestFirst = new ArrayList<>();
        Long reqSeq = null;
        while (true) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("GroupId", groupId);
            request.put("ReqMsgNumber", count);
            if (reqSeq != null) {
                request.put("ReqMsgSeq", reqSeq);
            }
            JsonNode answer;
            try {
                answer = call(TimApi.GROUP_MSG_GET_SIMPLE, request, "group " + groupId);
            } catch (VerifyException e) {
                if (isMissingGroup(e)) {
                    return null;
                }
                throw e;
            }
            long smallest = Long.MAX_VALUE;
            boolean older = false;
            for (JsonNode m : answer.path("RspMsgList")) {
                smallest = Math.min(smallest, m.path("MsgSeq").asLong());
                if (m.path("MsgTimeStamp").asLong() < minTime) {
                    older = true;
                } else if (m.path("IsPlaceMsg").asInt(0) != 1) {
                    newestFirst.add(m);
                }
            }
            if (answer.path("IsFinished").asInt(1) != 0 || older || smallest <= 1 || smallest == Long.MAX_VALUE) {
                break;
            }
            reqSeq = smallest - 1;
        }
        List<JsonNode> oldestFirst = new ArrayList<>(newestFirst);
        oldestFirst.sort((a, b) -> Long.compare(a.path("MsgSeq").asLong(), b.path("MsgSeq").asLong()));
        return oldestFirst;
    }

    private JsonNode call(TimApi api, Map<String, ?> request, String items) {
        try {
            return tim.call(api, request).body();
        } catch (TimException e) {
            throw new VerifyException("reading " + items + " with " + api.path() + " failed: TIM error "
                    + e.errorCode() + " (" + e.errorInfo() + "). " + TimErrors.hint(e.errorCode())
                    + " Then run verify again" + (e.isRetryable() ? ", or with --sample=N to spend fewer calls." : "."),
                    e);
        }
    }

    static boolean isMissingGroup(VerifyException e) {
        return e.errorCode() == NO_SUCH_GROUP || e.errorCode() == GROUP_ID_NOT_FOUND;
    }

    private static String describe(List<String> ids) {
        return ids.size() == 1 ? ids.get(0) : ids.size() + " items (" + ids.get(0) + " … " + ids.get(ids.size() - 1) + ")";
    }
}
