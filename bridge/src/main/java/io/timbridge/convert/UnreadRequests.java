package io.timbridge.convert;

import io.timbridge.tim.TimApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * member-unread → {@code set_unread_msg_num}, one member per call, each in its own lane; runs after group
 * history, whose import resets every member's unread count to 0. Rows with {@code unread_count} 0 (or
 * NULL) have nothing to restore: they make no call and no refusal. Item key: {@code group_id:user_id}.
 * <p>
 * Refused, the row's own rule before its group's: a bad member ({@code user-id}); a bad GroupID
 * ({@code group-id}); a group TIM cannot import ({@code group-type}, checked when the rows have a
 * {@code group_type} column).
 */
public final class UnreadRequests implements RequestBuilder {

    static final String TYPE = "member-unread";

    @Override
    public Requests build(List<Map<String, Object>> rows) {
        Lanes lanes = new Lanes();
        for (Map<String, Object> row : rows) {
            String groupId = LegacyRow.text(row, "group_id", TYPE);
            String userId = LegacyRow.text(row, "user_id", TYPE);
            Long unread = LegacyRow.longValue(row, "unread_count", TYPE);
            if (unread == null || unread <= 0) {
                continue;
            }
            String key = Checks.key(groupId, userId);
            Optional<Refusal> refusal = Checks.userId(key, "Member_Account", userId, row)
                    .or(() -> Checks.group(key, groupId, row, TYPE));
            if (refusal.isPresent()) {
                lanes.refuse(refusal.get());
                continue;
            }
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("GroupId", groupId);
            request.put("Member_Account", userId);
            request.put("UnreadMsgNum", unread);
            lanes.addAlone(new TimCall(TimApi.SET_UNREAD_MSG_NUM, request, List.of(key)));
        }
        return lanes.requests();
    }
}
