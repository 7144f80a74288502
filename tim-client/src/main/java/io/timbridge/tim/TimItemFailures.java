package io.timbridge.tim;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the items a batch call did not apply although TIM answered {@code ActionStatus: OK}.
 * Works on the shape of the answer rather than on the API name, so every documented shape is
 * checked wherever it appears:
 * <ul>
 *   <li>{@code FailAccounts[]} (multiaccount_import), {@code Fail_Account[]} and {@code Invalid_Account[]}
 *       (account and sns APIs): the listed IDs failed;</li>
 *   <li>{@code ResultItem[]} (account_check/delete, friend_*, black_list_add), {@code InfoItem[]} (friend_check),
 *       {@code UserProfileItem[]} (portrait_get): {@code ResultCode ≠ 0};</li>
 *   <li>{@code ErrorList[]} (batchsendmsg): {@code ErrorCode ≠ 0};</li>
 *   <li>{@code MemberList[].Result} (import_group_member, add_group_member): 0 = failed and 3 = waiting for the
 *       invitee's confirmation are failures, 1 = added and 2 = already a member are success;</li>
 *   <li>{@code ImportMsgResult[].Result ≠ 0} (import_group_msg), keyed by the message's position in the request;</li>
 *   <li>{@code GroupInfo[].ErrorCode ≠ 0} (get_group_info);</li>
 *   <li>a non-empty {@code MsgDropReason} (send_group_msg): the message was silently dropped.</li>
 * </ul>
 */
public final class TimItemFailures {
    private static final String[] KEY_FIELDS = {"UserID", "To_Account", "Member_Account", "GroupId", "Account"};

    private TimItemFailures() {
    }

    /** The failed items of {@code response}; {@code request} supplies keys the answer does not repeat. */
    public static List<TimItemFailure> extract(JsonNode request, JsonNode response) {
        Map<String, TimItemFailure> found = new LinkedHashMap<>();
        withCode(found, response.path("ResultItem"), "ResultCode", "ResultInfo");
        withCode(found, response.path("InfoItem"), "ResultCode", "ResultInfo");
        withCode(found, response.path("UserProfileItem"), "ResultCode", "ResultInfo");
        withCode(found, response.path("ErrorList"), "ErrorCode", "ErrorInfo");
        withCode(found, response.path("GroupInfo"), "ErrorCode", "ErrorInfo");
        listed(found, response.path("FailAccounts"), "listed in FailAccounts: account not imported");
        listed(found, response.path("Fail_Account"), "listed in Fail_Account");
        listed(found, response.path("Invalid_Account"), "listed in Invalid_Account: account invalid or not imported");
        members(found, response.path("MemberList"));
        importedMessages(found, response.path("ImportMsgResult"));
        String dropped = response.path("MsgDropReason").asText("");
        if (!dropped.isEmpty()) {
            String key = firstKey(request);
            found.put(key, new TimItemFailure(key, TimErrors.NO_CODE, "message dropped by TIM: " + dropped));
        }
        return List.copyOf(found.values());
    }

    private static void withCode(Map<String, TimItemFailure> found, JsonNode items, String codeField, String infoField) {
        for (JsonNode item : items) {
            int code = item.path(codeField).asInt(0);
            if (code != 0) {
                String key = firstKey(item);
                found.put(key, new TimItemFailure(key, code, item.path(infoField).asText("")));
            }
        }
    }

    private static void listed(Map<String, TimItemFailure> found, JsonNode ids, String info) {
        for (JsonNode id : ids) {
            found.putIfAbsent(id.asText(), new TimItemFailure(id.asText(), TimErrors.NO_CODE, info));
        }
    }

    private static void members(Map<String, TimItemFailure> found, JsonNode members) {
        for (JsonNode member : members) {
            if (!member.has("Result")) {
                continue; // get_group_member_info lists members without a Result: nothing was written
            }
            int result = member.path("Result").asInt(-1);
            if (result == 1 || result == 2) {
                continue;
            }
            String key = member.path("Member_Account").asText();
            String info = result == 3 ? "Result 3: waiting for the invitee's confirmation, not a member yet"
                    : "Result " + result + ": member not added";
            found.put(key, new TimItemFailure(key, TimErrors.NO_CODE, info));
        }
    }

    private static void importedMessages(Map<String, TimItemFailure> found, JsonNode results) {
        for (int i = 0; i < results.size(); i++) {
            JsonNode result = results.get(i);
            int code = result.path("Result").asInt(0);
            if (code != 0) {
                String key = String.valueOf(i);
                found.put(key, new TimItemFailure(key, code,
                        "message " + i + " of MsgList (MsgTime " + result.path("MsgTime").asText("?") + ") not imported"));
            }
        }
    }

    private static String firstKey(JsonNode node) {
        for (String field : KEY_FIELDS) {
            JsonNode value = node.path(field);
            if (value.isValueNode()) {
                return value.asText();
            }
        }
        return "?";
    }
}
