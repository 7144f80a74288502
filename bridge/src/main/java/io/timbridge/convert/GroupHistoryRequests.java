package io.timbridge.convert;

import io.timbridge.tim.TimApi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * group-history → {@code import_group_msg}: rows ordered by {@code group_id, created_at_ms, id}; at most
 * {@code batchSize} messages per call, one group per call, all calls of a group in one lane and in row
 * order, since TIM refuses a message older than the newest one already in the group. A refused row is
 * left out; the group's later messages still go, in order. {@code Random} = {@link DedupKeys#groupRandom},
 * {@code SendTime} in seconds. Item keys: the legacy {@code id}s in MsgList order, as
 * {@code ImportMsgResult[]} answers.
 * <p>
 * Refused, the row's own rule before its group's: as for c2c-history {@code retention}, a bad sender
 * ({@code user-id}), {@code message-body}, {@code body-size}; then a bad GroupID ({@code group-id}) or a
 * group TIM cannot import ({@code group-type}, checked when the rows have a {@code group_type} column).
 */
public final class GroupHistoryRequests implements RequestBuilder {

    static final String TYPE = "group-history";

    private final MessageConverter converter;
    private final int batchSize;
    private final long retentionCutoffMillis;

    /** @param retentionCutoffMillis messages sent before this epoch millisecond are refused; 0 for no cutoff */
    public GroupHistoryRequests(MessageConverter converter, int batchSize, long retentionCutoffMillis) {
        this.converter = Objects.requireNonNull(converter, "converter");
        if (batchSize < 1) {
            throw new IllegalArgumentException(TYPE + ": batch size must be at least 1, was " + batchSize);
        }
        if (retentionCutoffMillis < 0) {
            throw new IllegalArgumentException(TYPE + ": retention cutoff must be 0 (none) or an epoch millisecond,"
                    + " was " + retentionCutoffMillis);
        }
        this.batchSize = batchSize;
        this.retentionCutoffMillis = retentionCutoffMillis;
    }

    @Override
    public Requests build(List<Map<String, Object>> rows) {
        Lanes lanes = new Lanes();
        String group = null;
        long previousTime = Long.MIN_VALUE;
        List<Object> messages = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            String groupId = LegacyRow.text(row, "group_id", TYPE);
            long id = LegacyRow.requiredLong(row, "id", TYPE);
            long createdAt = LegacyRow.requiredLong(row, "created_at_ms", TYPE);
            String sender = LegacyRow.text(row, "sender_id", TYPE);
            boolean sameGroup = group != null && group.equals(groupId);
            if (sameGroup && createdAt < previousTime) {
                throw new IllegalArgumentException(TYPE + ": rows must be ordered by group_id, created_at_ms, id;"
                        + " message " + id + " of group " + groupId + " (created_at_ms " + createdAt
                        + ") comes after one created at " + previousTime);
            }
            if (!messages.isEmpty() && (!sameGroup || messages.size() == batchSize)) {
                flush(lanes, group, messages, keys);
            }
            group = groupId;
            previousTime = createdAt;
            String key = Long.toString(id);
            Optional<Refusal> refusal = Checks.retention(key, createdAt, retentionCutoffMillis, row)
                    .or(() -> Checks.userId(key, "From_Account", sender, row));
            List<Object> body = null;
            if (refusal.isEmpty()) {
                try {
                    body = Json.plain(converter.toTimBody(LegacyRow.text(row, "msg_type", TYPE),
                            LegacyRow.text(row, "content", TYPE)));
                } catch (ConversionException e) {
                    refusal = Optional.of(Checks.messageBody(key, e, row));
                }
            }
            refusal = refusal.or(() -> Checks.group(key, groupId, row, TYPE));
            if (refusal.isPresent()) {
                lanes.refuse(refusal.get());
                continue;
            }
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("From_Account", sender);
            message.put("SendTime", Math.floorDiv(createdAt, 1000));
            message.put("Random", DedupKeys.groupRandom(id));
            message.put("MsgBody", body);
            messages.add(message);
            keys.add(key);
        }
        if (!messages.isEmpty()) {
            flush(lanes, group, messages, keys);
        }
        return lanes.requests();
    }

    private static void flush(Lanes lanes, String groupId, List<Object> messages, List<String> keys) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("GroupId", groupId);
        request.put("MsgList", List.copyOf(messages));
        lanes.add(groupId, new TimCall(TimApi.IMPORT_GROUP_MSG, request, keys));
        messages.clear();
        keys.clear();
    }
}
