package io.timbridge.convert;

import io.timbridge.tim.TimApi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * friends → {@code friend_import}: one {@code From_Account} per call, at most {@code batchSize} items.
 * Rows are one direction each, ordered by {@code user_id, friend_id}. All calls of one user share a lane,
 * because TIM fails concurrent writes to one friend list (30008). Item key: {@code user_id:friend_id}.
 */
public final class FriendRequests implements RequestBuilder {

    static final String TYPE = "friends";

    private final int batchSize;

    public FriendRequests(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException(TYPE + ": batch size must be at least 1, was " + batchSize);
        }
        this.batchSize = batchSize;
    }

    @Override
    public Requests build(List<Map<String, Object>> rows) {
        Lanes lanes = new Lanes();
        String owner = null;
        List<Object> items = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            String userId = LegacyRow.text(row, "user_id", TYPE);
            String friendId = LegacyRow.text(row, "friend_id", TYPE);
            if (!items.isEmpty() && (!Objects.equals(owner, userId) || items.size() == batchSize)) {
                flush(lanes, owner, items, keys);
            }
            owner = userId;
            String key = Checks.key(userId, friendId);
            Optional<Refusal> refusal = Checks.userId(key, "From_Account", userId, row)
                    .or(() -> Checks.userId(key, "To_Account", friendId, row));
            if (refusal.isPresent()) {
                lanes.refuse(refusal.get());
                continue;
            }
            items.add(item(row, friendId));
            keys.add(key);
        }
        if (!items.isEmpty()) {
            flush(lanes, owner, items, keys);
        }
        return lanes.requests();
    }

    private static Map<String, Object> item(Map<String, Object> row, String friendId) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("To_Account", friendId);
        Json.putIfNotNull(item, "Remark", LegacyRow.optionalText(row, "remark", TYPE));
        String groupName = LegacyRow.optionalText(row, "group_name", TYPE);
        if (groupName != null) {
            item.put("GroupName", List.of(groupName));
        }
        String source = LegacyRow.optionalText(row, "add_source", TYPE);
        item.put("AddSource", "AddSource_Type_" + (source == null || source.isBlank() ? "Unknown" : source.strip()));
        Long addedAt = LegacyRow.optionalLong(row, "added_at_ms", TYPE);
        if (addedAt != null) {
            item.put("AddTime", Math.floorDiv(addedAt, 1000));
        }
        return item;
    }

    private static void flush(Lanes lanes, String owner, List<Object> items, List<String> keys) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("From_Account", owner);
        request.put("AddFriendItem", List.copyOf(items));
        lanes.add(owner, new TimCall(TimApi.FRIEND_IMPORT, request, keys));
        items.clear();
        keys.clear();
    }
}
