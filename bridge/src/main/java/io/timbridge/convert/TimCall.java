package io.timbridge.convert;

import io.timbridge.tim.TimApi;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One TIM call: its API, the JSON request (a Jackson-serialisable tree of maps, lists, strings and
 * numbers) and the legacy item keys it carries, in the order TIM reports per-item results
 * (MsgList order for import_group_msg, MemberList order for import_group_member, AddFriendItem
 * order for friend_import, AccountList order for multiaccount_import).
 */
public record TimCall(TimApi api, Map<String, Object> request, List<String> itemKeys) {

    public TimCall {
        Objects.requireNonNull(api, "api");
        // Insertion order is kept so the JSON reads like TIM's documentation and is stable across runs.
        request = Collections.unmodifiableMap(new LinkedHashMap<>(request));
        itemKeys = List.copyOf(itemKeys);
    }
}
