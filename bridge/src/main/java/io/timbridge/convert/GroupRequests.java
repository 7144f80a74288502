package io.timbridge.convert;

import io.timbridge.tim.TimApi;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * groups → {@code import_group}, one group per call, each in its own lane. {@code CreateTime} is a second
 * before the group's first event (creation, first join or first message), because TIM requires every
 * JoinTime and message time to be later than it. Item key: {@code group_id}.
 * <p>
 * Refused, first broken rule reported in the order docs/import-mapping.md lists them: a bad GroupID
 * ({@code group-id}), a bad owner ({@code user-id}), name/introduction/notification/face URL TIM does not
 * accept ({@code group-profile}), a live or unknown group type ({@code group-type}).
 */
public final class GroupRequests implements RequestBuilder {

    static final String TYPE = "groups";

    @Override
    public Requests build(List<Map<String, Object>> rows) {
        Lanes lanes = new Lanes();
        for (Map<String, Object> row : rows) {
            String groupId = LegacyRow.text(row, "group_id", TYPE);
            String key = String.valueOf(groupId);
            String groupType = LegacyRow.text(row, "group_type", TYPE);
            String owner = LegacyRow.optionalText(row, "owner_id", TYPE);
            String name = LegacyRow.text(row, "name", TYPE);
            String introduction = LegacyRow.optionalText(row, "introduction", TYPE);
            String notification = LegacyRow.optionalText(row, "notification", TYPE);
            String faceUrl = LegacyRow.optionalText(row, "avatar_url", TYPE);
            long createTime = createTimeSeconds(LegacyRow.value(row, "first_event_at_ms", TYPE));
            Optional<Refusal> refusal = Checks.groupId(key, groupId, row)
                    .or(() -> owner == null ? Optional.empty() : Checks.userId(key, "Owner_Account", owner, row))
                    .or(() -> groupProfile(key, name, introduction, notification, faceUrl, row))
                    .or(() -> Checks.groupType(key, groupType, row));
            if (refusal.isPresent()) {
                lanes.refuse(refusal.get());
                continue;
            }
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("GroupId", groupId);
            Json.putIfNotNull(request, "Owner_Account", owner);
            request.put("Type", TimGroupType.parse(groupType).orElseThrow().restName());
            request.put("Name", name);
            Json.putIfNotNull(request, "Introduction", introduction);
            Json.putIfNotNull(request, "Notification", notification);
            Json.putIfNotNull(request, "FaceUrl", faceUrl);
            request.put("CreateTime", createTime);
            lanes.add(groupId, new TimCall(TimApi.IMPORT_GROUP, request, List.of(key)));
        }
        return lanes.requests();
    }

    /** floor(first_event_at_ms / 1000) − 1: a second before anything else happened in the group. */
    public static long createTimeSeconds(Object firstEventAtMs) {
        Long millis = LegacyRow.toLong(firstEventAtMs, "first_event_at_ms", TYPE);
        if (millis == null) {
            throw new IllegalArgumentException(TYPE + ": first_event_at_ms is NULL; the configured SQL must"
                    + " compute it as the least of the group's creation, member joins and messages");
        }
        return Math.floorDiv(millis, 1000) - 1;
    }

    private static Optional<Refusal> groupProfile(String key, String name, String introduction, String notification,
            String faceUrl, Map<String, Object> row) {
        List<TimRules.Violation> violations = TimRules.checkGroupProfile(name, introduction, notification, faceUrl);
        if (violations.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> values = new HashMap<>();
        values.put("Name", name);
        values.put("Introduction", introduction);
        values.put("Notification", notification);
        values.put("FaceUrl", faceUrl);
        String reason = String.join("; ", violations.stream()
                .map(v -> Checks.describe(v, values.get(v.field()))).toList());
        return Optional.of(new Refusal(key, Refusal.GROUP_PROFILE, reason, row));
    }
}
