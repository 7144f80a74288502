package io.timbridge.convert;

import io.timbridge.tim.TimApi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * group-members → {@code import_group_member}: one group per call, at most {@code batchSize} members, all
 * calls of a group in one lane. The owner's row is skipped (import_group makes the owner a member).
 * {@code JoinTime} = max(floor(joined_at_ms / 1000), CreateTime + 1), CreateTime computed from the row's
 * {@code first_event_at_ms} as {@link GroupRequests#createTimeSeconds} does, because TIM refuses a join
 * that is not later than the group's creation. Item key: {@code group_id:user_id}.
 * <p>
 * Refused, the row's own rule before its group's: a bad member ({@code user-id}); a bad GroupID
 * ({@code group-id}); a group TIM cannot import ({@code group-type}, checked when the rows have a
 * {@code group_type} column).
 */
public final class GroupMemberRequests implements RequestBuilder {

    static final String TYPE = "group-members";

    private final int batchSize;

    public GroupMemberRequests(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException(TYPE + ": batch size must be at least 1, was " + batchSize);
        }
        this.batchSize = batchSize;
    }

    @Override
    public Requests build(List<Map<String, Object>> rows) {
        Lanes lanes = new Lanes();
        String group = null;
        List<Object> members = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            String groupId = LegacyRow.text(row, "group_id", TYPE);
            String userId = LegacyRow.text(row, "user_id", TYPE);
            String role = LegacyRow.optionalText(row, "role", TYPE);
            long joinedAt = LegacyRow.requiredLong(row, "joined_at_ms", TYPE);
            long createTime = GroupRequests.createTimeSeconds(LegacyRow.value(row, "first_event_at_ms", TYPE));
            if (!members.isEmpty() && (!Objects.equals(group, groupId) || members.size() == batchSize)) {
                flush(lanes, group, members, keys);
            }
            group = groupId;
            if (is(role, "owner")) {
                continue;
            }
            String key = Checks.key(groupId, userId);
            Optional<Refusal> refusal = Checks.userId(key, "Member_Account", userId, row)
                    .or(() -> Checks.group(key, groupId, row, TYPE));
            if (refusal.isPresent()) {
                lanes.refuse(refusal.get());
                continue;
            }
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("Member_Account", userId);
            if (is(role, "admin")) {
                member.put("Role", "Admin");
            }
            member.put("JoinTime", Math.max(Math.floorDiv(joinedAt, 1000), createTime + 1));
            members.add(member);
            keys.add(key);
        }
        if (!members.isEmpty()) {
            flush(lanes, group, members, keys);
        }
        return lanes.requests();
    }

    private static boolean is(String role, String expected) {
        return role != null && role.strip().toLowerCase(Locale.ROOT).equals(expected);
    }

    private static void flush(Lanes lanes, String groupId, List<Object> members, List<String> keys) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("GroupId", groupId);
        request.put("MemberList", List.copyOf(members));
        lanes.add(groupId, new TimCall(TimApi.IMPORT_GROUP_MEMBER, request, keys));
        members.clear();
        keys.clear();
    }
}
