package io.timbridge.convert;

import io.timbridge.tim.TimApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * c2c-history → {@code importmsg}, one message per call with {@code SyncFromOldSystem} 2. TIM orders a
 * conversation by MsgTimeStamp and MsgSeq, which {@link DedupKeys} derives from the legacy time and id,
 * so the calls need no order among themselves: each has its own lane. Item key: {@code id}.
 * <p>
 * Refused: a message older than the retention cutoff ({@code retention}), a bad sender or receiver
 * ({@code user-id}), a body that cannot be converted ({@code message-body}) or is over 8000 bytes
 * ({@code body-size}); checked in that order, the first broken rule is reported.
 */
public final class C2cHistoryRequests implements RequestBuilder {

    static final String TYPE = "c2c-history";
    /** History: not counted as unread, not pushed. */
    public static final int SYNC_HISTORY = 2;
    /** Real-time during the coexistence period: counted as unread and pushed. */
    public static final int SYNC_LIVE = 5;

    private final MessageConverter converter;
    private final long retentionCutoffMillis;

    /** @param retentionCutoffMillis messages sent before this epoch millisecond are refused; 0 for no cutoff */
    public C2cHistoryRequests(MessageConverter converter, long retentionCutoffMillis) {
        this.converter = Objects.requireNonNull(converter, "converter");
        if (retentionCutoffMillis < 0) {
            throw new IllegalArgumentException(TYPE + ": retention cutoff must be 0 (none) or an epoch millisecond,"
                    + " was " + retentionCutoffMillis);
        }
        this.retentionCutoffMillis = retentionCutoffMillis;
    }

    @Override
    public Requests build(List<Map<String, Object>> rows) {
        Lanes lanes = new Lanes();
        for (Map<String, Object> row : rows) {
            long id = LegacyRow.requiredLong(row, "id", TYPE);
            String key = Long.toString(id);
            long createdAt = LegacyRow.requiredLong(row, "created_at_ms", TYPE);
            String sender = LegacyRow.text(row, "sender_id", TYPE);
            String receiver = LegacyRow.text(row, "receiver_id", TYPE);
            Optional<Refusal> refusal = Checks.retention(key, createdAt, retentionCutoffMillis, row)
                    .or(() -> Checks.userId(key, "From_Account", sender, row))
                    .or(() -> Checks.userId(key, "To_Account", receiver, row));
            if (refusal.isPresent()) {
                lanes.refuse(refusal.get());
                continue;
            }
            try {
                lanes.addAlone(new TimCall(TimApi.IMPORTMSG, importMsg(row, converter, SYNC_HISTORY), List.of(key)));
            } catch (ConversionException e) {
                lanes.refuse(Checks.messageBody(key, e, row));
            }
        }
        return lanes.requests();
    }

    /**
     * The importmsg request for one legacy C2C row, for the history import ({@link #SYNC_HISTORY}) and the
     * live sync ({@link #SYNC_LIVE}). User ids and retention are not checked here.
     *
     * @throws ConversionException when the body cannot be converted or is too large
     */
    public static Map<String, Object> importMsg(Map<String, Object> row, MessageConverter converter,
            int syncFromOldSystem) {
        if (syncFromOldSystem != SYNC_HISTORY && syncFromOldSystem != SYNC_LIVE) {
            throw new IllegalArgumentException("SyncFromOldSystem must be 2 (history) or 5 (live), was "
                    + syncFromOldSystem);
        }
        long id = LegacyRow.requiredLong(row, "id", TYPE);
        long createdAt = LegacyRow.requiredLong(row, "created_at_ms", TYPE);
        String sender = LegacyRow.text(row, "sender_id", TYPE);
        String receiver = LegacyRow.text(row, "receiver_id", TYPE);
        String msgType = LegacyRow.text(row, "msg_type", TYPE);
        String content = LegacyRow.text(row, "content", TYPE);
        DedupKeys.C2cKey dedup = DedupKeys.c2c(id, createdAt);

        Map<String, Object> request = new LinkedHashMap<>();
        request.put("SyncFromOldSystem", syncFromOldSystem);
        request.put("From_Account", sender);
        request.put("To_Account", receiver);
        request.put("MsgSeq", dedup.msgSeq());
        request.put("MsgRandom", dedup.msgRandom());
        request.put("MsgTimeStamp", dedup.msgTimeStamp());
        request.put("MsgBody", Json.plain(converter.toTimBody(msgType, content)));
        request.put("CloudCustomData", cloudCustomData(id));
        return request;
    }

    /** Marks a message the bridge wrote, so the sync's echo guard recognises it coming back. */
    static String cloudCustomData(long id) {
        Map<String, String> marker = new LinkedHashMap<>();
        marker.put("timbridge", "legacy");
        marker.put("id", Long.toString(id));
        return Json.write(marker);
    }
}
