package io.timbridge.synctotim;

import io.timbridge.convert.C2cHistoryRequests;
import io.timbridge.convert.LegacyRow;
import io.timbridge.convert.MessageConverter;
import io.timbridge.convert.Refusal;
import io.timbridge.convert.TimCall;
import io.timbridge.convert.TimRules;
import io.timbridge.state.IdMap;
import io.timbridge.tim.TimApi;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * New one-to-one messages of the app → {@code importmsg} with {@code SyncFromOldSystem} 5 (counted as unread,
 * pushed, no callback), built exactly as the history import builds them ({@link C2cHistoryRequests#importMsg}):
 * the same dedup keys, so TIM drops a copy of a message it has, and the CloudCustomData marker. One lane per
 * user pair. The id map ({@link IdMap#C2C_MSG}: legacy id → From:To:MsgSeq_MsgRandom_MsgTimeStamp) remembers what was
 * sent, so a restart does not even call TIM again for it.
 */
public final class C2cMessagesToTim implements SyncSource {
    public static final String ROUTE_ID = "sync-c2c-messages-to-tim";
    private final MessageConverter converter;
    private final IdMap idMap;

    public C2cMessagesToTim(MessageConverter converter, IdMap idMap) {
        this.converter = converter;
        this.idMap = idMap;
    }

    @Override
    public String routeId() {
        return ROUTE_ID;
    }

    /** The unordered user pair: both directions of a conversation share one lane. */
    @Override
    public String lane(Map<String, Object> row) {
        String a = String.valueOf(LegacyRow.text(row, "sender_id", ROUTE_ID));
        String b = String.valueOf(LegacyRow.text(row, "receiver_id", ROUTE_ID));
        return a.compareTo(b) <= 0 ? a + "\n" + b : b + "\n" + a;
    }

    @Override
    public Optional<TimCall> call(SyncItem item) {
        if (idMap.timKey(IdMap.C2C_MSG, item.key()).isPresent()) {
            return Optional.empty();
        }
        Map<String, Object> row = item.row();
        checkUser("From_Account", LegacyRow.text(row, "sender_id", ROUTE_ID));
        checkUser("To_Account", LegacyRow.text(row, "receiver_id", ROUTE_ID));
        Map<String, Object> request = C2cHistoryRequests.importMsg(row, converter, C2cHistoryRequests.SYNC_LIVE);
        return Optional.of(new TimCall(TimApi.IMPORTMSG, request, List.of(item.key())));
    }

    @Override
    public void applied(SyncItem item, Map<?, ?> answer) {
        Map<String, Object> r = item.call().request();
        idMap.put(IdMap.C2C_MSG, item.key(), r.get("From_Account") + ":" + r.get("To_Account") + ":" + r.get("MsgSeq") + "_"
                + r.get("MsgRandom") + "_" + r.get("MsgTimeStamp"), IdMap.TO_TIM);
    }

    static void checkUser(String field, String userId) {
        List<TimRules.Violation> violations = TimRules.checkUserId(field, userId);
        if (!violations.isEmpty()) {
            throw new RowRefusedException(Refusal.USER_ID, violations.toString());
        }
    }
}
