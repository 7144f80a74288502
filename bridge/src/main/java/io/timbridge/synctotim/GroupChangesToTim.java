package io.timbridge.synctotim;

import io.timbridge.convert.LegacyRow;
import io.timbridge.convert.Refusal;
import io.timbridge.convert.TimCall;
import io.timbridge.convert.TimGroupType;
import io.timbridge.convert.TimRules;
import io.timbridge.state.IdMap;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The app's changes to groups and memberships, from the trigger-fed change log, in log order per group:
 * <ul>
 * <li>group inserted → {@code create_group} from the group's current row, with its current members (up to
 * the API's batch; later members come from their own log entries); 10021/10025 (the id is taken, by this
 * group) count as done;</li>
 * <li>name, introduction, notification or avatar changed → {@code modify_group_base_info} with the current
 * values of the changed fields;</li>
 * <li>dismissed → {@code destroy_group}; 10010 (gone already) counts as done;</li>
 * <li>member inserted → {@code add_group_member} with {@code Silence} 1 (Result 2, already a member, is
 * success); member deleted → {@code delete_group_member} (deleting a non-member succeeds).</li>
 * </ul>
 * Reading the current row rather than the logged values makes a replay send the same call again, which
 * TIM takes as a no-op. Changes to a group that is dismissed by now are skipped: its destruction follows.
 */
public final class GroupChangesToTim implements SyncSource {
    public static final String ROUTE_ID = "sync-group-changes-to-tim";

    private static final Set<String> PROFILE_FIELDS = Set.of("name", "introduction", "notification", "avatar_url");

    private final NamedQuery groupRow;
    private final NamedQuery groupMembers;
    private final int createMemberBatch;
    private final IdMap idMap;

    /**
     * @param groupRow     the group's current row by {@code :#group_id} (legacy.sync.group-row.sql)
     * @param groupMembers its current members, {@code user_id} and {@code role} (legacy.sync.group-members.sql)
     * @param idMap        where the groups and members the bridge created in TIM are noted (for verify)
     */
    public GroupChangesToTim(NamedQuery groupRow, NamedQuery groupMembers, int createMemberBatch, IdMap idMap) {
        this.groupRow = groupRow;
        this.groupMembers = groupMembers;
        this.createMemberBatch = createMemberBatch;
        this.idMap = idMap;
    }

    @Override
    public String routeId() {
        return ROUTE_ID;
    }

    @Override
    public String lane(Map<String, Object> row) {
        return String.valueOf(LegacyRow.text(row, "group_id", ROUTE_ID));
    }

    @Override
    public Optional<TimCall> call(SyncItem item) {
        Map<String, Object> entry = item.row();
        String table = String.valueOf(LegacyRow.text(entry, "table_name", ROUTE_ID)).toLowerCase(Locale.ROOT);
        String op = String.valueOf(LegacyRow.text(entry, "op", ROUTE_ID)).trim();
        String groupId = LegacyRow.text(entry, "group_id", ROUTE_ID);
        Map<String, Object> group = currentGroup(groupId);
        if (group == null) {
            return Optional.empty();
        }
        boolean dismissed = LegacyRow.optionalLong(group, "dismissed_at_ms", ROUTE_ID) != null;
        List<String> keys = List.of(item.key());
        if (table.equals("im_groups") && op.equals("I")) {
            return dismissed ? Optional.empty() : Optional.of(new TimCall(TimApi.CREATE_GROUP, create(group), keys));
        }
        if (table.equals("im_groups") && op.equals("U")) {
            List<String> fields = Arrays.stream(String.valueOf(LegacyRow.optionalText(entry, "changed_fields", ROUTE_ID))
                    .split(",")).map(String::trim).toList();
            if (fields.contains("dismissed_at_ms")) {
                return Optional.of(dismissed ? new TimCall(TimApi.DESTROY_GROUP, Map.of("GroupId", groupId), keys)
                        : new TimCall(TimApi.CREATE_GROUP, create(group), keys));
            }
            return dismissed ? Optional.empty() : modify(group, fields).map(r -> new TimCall(
                    TimApi.MODIFY_GROUP_BASE_INFO, r, keys));
        }
        if (table.equals("group_members") && (op.equals("I") || op.equals("D"))) {
            if (dismissed) {
                return Optional.empty();
            }
            String user = LegacyRow.text(entry, "user_id", ROUTE_ID);
            C2cMessagesToTim.checkUser("Member_Account", user);
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("GroupId", groupId);
            request.put("Silence", 1);
            if (op.equals("I")) {
                request.put("MemberList", List.of(Map.of("Member_Account", user)));
                return Optional.of(new TimCall(TimApi.ADD_GROUP_MEMBER, request, keys));
            }
            request.put("MemberToDel_Account", List.of(user));
            return Optional.of(new TimCall(TimApi.DELETE_GROUP_MEMBER, request, keys));
        }
        throw new RowRefusedException("change-log", "unknown change-log entry: table " + table + ", op " + op);
    }

    private Map<String, Object> currentGroup(String groupId) {
        List<Map<String, Object>> rows = groupRow.rows(Map.of("group_id", groupId));
        return rows.isEmpty() ? null : rows.get(0);
    }

    private Map<String, Object> create(Map<String, Object> group) {
        String groupId = LegacyRow.text(group, "group_id", ROUTE_ID);
        String owner = LegacyRow.optionalText(group, "owner_id", ROUTE_ID);
        String type = LegacyRow.text(group, "group_type", ROUTE_ID);
        TimGroupType timType = TimGroupType.parse(type).orElseThrow(() -> new RowRefusedException(Refusal.GROUP_TYPE,
                "group_type '" + type + "' is none of work, public, meeting, live, community"));
        List<TimRules.Violation> bad = new ArrayList<>(TimRules.checkGroupId(groupId));
        bad.addAll(TimRules.checkGroupProfile(LegacyRow.text(group, "name", ROUTE_ID),
                LegacyRow.optionalText(group, "introduction", ROUTE_ID),
                LegacyRow.optionalText(group, "notification", ROUTE_ID),
                LegacyRow.optionalText(group, "avatar_url", ROUTE_ID)));
        if (!bad.isEmpty()) {
            throw new RowRefusedException(Refusal.GROUP_PROFILE, bad.toString());
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("GroupId", groupId);
        if (owner != null) {
            C2cMessagesToTim.checkUser("Owner_Account", owner);
            request.put("Owner_Account", owner);
        }
        request.put("Type", timType.restName());
        request.put("Name", LegacyRow.text(group, "name", ROUTE_ID));
        putIfPresent(request, "Introduction", LegacyRow.optionalText(group, "introduction", ROUTE_ID));
        putIfPresent(request, "Notification", LegacyRow.optionalText(group, "notification", ROUTE_ID));
        putIfPresent(request, "FaceUrl", LegacyRow.optionalText(group, "avatar_url", ROUTE_ID));
        if (timType != TimGroupType.AV_CHAT_ROOM) {
            List<Map<String, Object>> members = new ArrayList<>();
            for (Map<String, Object> m : groupMembers.rows(Map.of("group_id", groupId))) {
                String user = LegacyRow.text(m, "user_id", ROUTE_ID);
                if (user == null || user.equals(owner) || !TimRules.checkUserId(user).isEmpty()
                        || members.size() == createMemberBatch) {
                    continue;
                }
                Map<String, Object> member = new LinkedHashMap<>();
                member.put("Member_Account", user);
                if ("admin".equalsIgnoreCase(LegacyRow.optionalText(m, "role", ROUTE_ID))) {
                    member.put("Role", "Admin");
                }
                members.add(member);
            }
            if (!members.isEmpty()) {
                request.put("MemberList", members);
            }
        }
        return request;
    }

    private static Optional<Map<String, Object>> modify(Map<String, Object> group, List<String> fields) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("GroupId", LegacyRow.text(group, "group_id", ROUTE_ID));
        Map<String, String> timNames = Map.of("name", "Name", "introduction", "Introduction",
                "notification", "Notification", "avatar_url", "FaceUrl");
        for (String field : fields) {
            if (PROFILE_FIELDS.contains(field)) {
                String value = LegacyRow.optionalText(group, field, ROUTE_ID);
                request.put(timNames.get(field), value == null ? "" : value);
            }
        }
        if (request.size() == 1) {
            return Optional.empty();
        }
        List<TimRules.Violation> bad = TimRules.checkGroupProfile(LegacyRow.text(group, "name", ROUTE_ID),
                (String) request.get("Introduction"), (String) request.get("Notification"),
                (String) request.get("FaceUrl"));
        if (!bad.isEmpty()) {
            throw new RowRefusedException(Refusal.GROUP_PROFILE, bad.toString());
        }
        return Optional.of(request);
    }

    private static void putIfPresent(Map<String, Object> request, String field, String value) {
        if (value != null && !value.isEmpty()) {
            request.put(field, value);
        }
    }

    /**
     * Notes in the id map the group create_group made and the members create_group or add_group_member added
     * (add_group_member's Result 1): TIM stamps their CreateTime and JoinTime with the moment the call arrived,
     * later than the legacy row's time, and verify allows that delay only for what the bridge sent.
     */
    @Override
    public void applied(SyncItem item, Map<?, ?> answer) {
        Map<String, Object> request = item.call().request();
        String groupId = String.valueOf(request.get("GroupId"));
        TimApi api = item.call().api();
        if (api == TimApi.CREATE_GROUP) {
            idMap.put(IdMap.GROUP, groupId, groupId, IdMap.TO_TIM);
            if (request.get("MemberList") instanceof List<?> members) {
                for (Object m : members) {
                    mapMember(groupId, ((Map<?, ?>) m).get("Member_Account"));
                }
            }
        } else if (api == TimApi.ADD_GROUP_MEMBER && answer != null && answer.get("MemberList") instanceof List<?> results) {
            for (Object r : results) {
                if (r instanceof Map<?, ?> result && "1".equals(String.valueOf(result.get("Result")))) {
                    mapMember(groupId, result.get("Member_Account"));
                }
            }
        }
    }

    private void mapMember(String groupId, Object user) {
        String key = groupId + ":" + user;
        idMap.put(IdMap.GROUP_MEMBER, key, key, IdMap.TO_TIM);
    }

    /**
     * Re-creating a group TIM has (10021, 10025) and destroying one it no longer has (10010) are done; a
     * member change on a group TIM does not have yet waits for it, up to the grace period.
     */
    @Override
    public ErrorOutcome onError(SyncItem item, TimException error) {
        TimApi api = item.call().api();
        int code = error.errorCode();
        if (api == TimApi.CREATE_GROUP && (code == 10021 || code == 10025)
                || api == TimApi.DESTROY_GROUP && (code == 10010 || code == 10015)) {
            return ErrorOutcome.APPLIED;
        }
        if (code == 10010 || code == 10015) {
            return ErrorOutcome.WAIT_FOR_TARGET;
        }
        return error.isRetryable() ? ErrorOutcome.RETRY : ErrorOutcome.DEAD_LETTER;
    }
}
