package io.timbridge.synctotim;

import io.timbridge.convert.DedupKeys;
import io.timbridge.convert.LegacyRow;
import io.timbridge.convert.MessageConverter;
import io.timbridge.convert.Refusal;
import io.timbridge.convert.TimCall;
import io.timbridge.convert.TimRules;
import io.timbridge.state.DeadLetters;
import io.timbridge.state.IdMap;
import io.timbridge.sync.EchoGuard;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimErrors;
import io.timbridge.tim.TimException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * New group messages of the app → {@code send_group_msg} as the original sender, with {@code Random} =
 * {@link DedupKeys#groupRandom} (TIM drops a repeat within 5 minutes), both {@code ForbidCallbackControl}
 * values (TIM does not call the bridge back), and the CloudCustomData marker with the legacy id and time.
 * One lane per group, held until the group's history import finished ({@link ImportGate}). The returned
 * MsgSeq goes into the id map ({@link IdMap#GROUP_MSG}: legacy id → GroupId:MsgSeq), which is also how a message the
 * history import already put into TIM is recognised and not sent twice; a message the history import refused is
 * its dead letter (replayed by {@code replay}), not the sync's.
 */
public final class GroupMessagesToTim implements SyncSource {
    public static final String ROUTE_ID = "sync-group-messages-to-tim";
    /** The import route whose dead letters are the groups TIM never got. */
    static final String GROUPS_ROUTE = "import-groups";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MessageConverter converter;
    private final IdMap idMap;
    private final ImportGate importGate;
    private final DeadLetters deadLetters;

    public GroupMessagesToTim(MessageConverter converter, IdMap idMap, ImportGate importGate, DeadLetters deadLetters) {
        this.converter = converter;
        this.idMap = idMap;
        this.importGate = importGate;
        this.deadLetters = deadLetters;
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
    public void beginCycle() {
        importGate.refresh();
    }

    @Override
    public boolean ready(String groupId) {
        return importGate.historyDone(groupId);
    }

    @Override
    public Optional<TimCall> call(SyncItem item) {
        if (idMap.timKey(IdMap.GROUP_MSG, item.key()).isPresent()
                || deadLetters.isOpen(ImportGate.GROUP_HISTORY_ROUTE, item.key())) {
            return Optional.empty();
        }
        Map<String, Object> row = item.row();
        String groupId = LegacyRow.text(row, "group_id", ROUTE_ID);
        String sender = LegacyRow.text(row, "sender_id", ROUTE_ID);
        long createdAt = LegacyRow.requiredLong(row, "created_at_ms", ROUTE_ID);
        C2cMessagesToTim.checkUser("From_Account", sender);
        if (deadLetters.isOpen(GROUPS_ROUTE, groupId)) {
            throw new RowRefusedException(Refusal.GROUP_NOT_IN_TIM, "group " + groupId + " is not in TIM: its import"
                    + " was refused (an open dead letter of " + GROUPS_ROUTE + "); fix and replay that, then this message");
        }
        List<TimRules.Violation> badGroup = TimRules.checkGroupId(groupId);
        if (!badGroup.isEmpty()) {
            throw new RowRefusedException(Refusal.GROUP_ID, badGroup.toString());
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("GroupId", groupId);
        request.put("From_Account", sender);
        request.put("Random", DedupKeys.groupRandom(item.id()));
        request.put("MsgBody", JSON.convertValue(converter.toTimBody(LegacyRow.text(row, "msg_type", ROUTE_ID),
                LegacyRow.text(row, "content", ROUTE_ID)), List.class));
        request.put("ForbidCallbackControl", List.of("ForbidBeforeSendMsgCallback", "ForbidAfterSendMsgCallback"));
        request.put("CloudCustomData", marker(item.id(), createdAt));
        return Optional.of(new TimCall(TimApi.SEND_GROUP_MSG, request, List.of(item.key())));
    }

    /** {@code {"timbridge":"legacy","id":"42","time":1700000000123}}: the echo guard's marker, plus the legacy time. */
    static String marker(long id, long createdAtMs) {
        Map<String, Object> marker = new LinkedHashMap<>();
        marker.put(EchoGuard.MARKER_FIELD, EchoGuard.MARKER_VALUE);
        marker.put("id", Long.toString(id));
        marker.put("time", createdAtMs);
        try {
            return JSON.writeValueAsString(marker);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers always serializes", e);
        }
    }

    @Override
    public void applied(SyncItem item, Map<?, ?> answer) {
        Object seq = answer == null ? null : answer.get("MsgSeq");
        if (seq != null) {
            idMap.put(IdMap.GROUP_MSG, item.key(), item.call().request().get("GroupId") + ":" + seq, IdMap.TO_TIM);
        }
    }

    /**
     * A group TIM does not have (10010, 10015) or a sender who is not a member there yet (10007) usually means
     * the group changes route has still to create the group or add the member: wait, up to the grace period.
     * A message TIM dropped by frequency control (MsgDropReason, no code) is sent again later.
     */
    @Override
    public ErrorOutcome onError(SyncItem item, TimException error) {
        return switch (error.errorCode()) {
            case 10010, 10015, 10007 -> ErrorOutcome.WAIT_FOR_TARGET;
            case TimErrors.NO_CODE -> ErrorOutcome.RETRY;
            default -> error.isRetryable() ? ErrorOutcome.RETRY : ErrorOutcome.DEAD_LETTER;
        };
    }
}
