package io.timbridge.callback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbridge.state.IdMap;
import io.timbridge.sync.CallbackCommand;
import io.timbridge.sync.CallbackEvent;
import io.timbridge.sync.CallbackParser;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimClient;
import io.timbridge.tim.TimException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The gap sweep: TIM does not retry callbacks, so one lost while the bridge was down is a message the
 * legacy database lacks. For each recently active conversation (a user pair or a group with a message
 * callback in the inbox) the sweep reads TIM's recent history ({@code admin_getroammsg},
 * {@code group_msg_get_simple}) and stores every message as the callback TIM would have sent, through the
 * same parser and inbox: the idempotency key is the callback's (MsgKey, GroupId:MsgSeq), so a message
 * whose callback arrived adds nothing, and one that is missing is applied by the drain like any other.
 * Messages the bridge itself put into TIM (the CloudCustomData marker, or in the id map) are skipped.
 *
 * <p>Thread-safe.
 */
public class CallbackSweep {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackSweep.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TimClient tim;
    private final CallbackParser parser;
    private final CallbackInbox inbox;
    private final IdMap idMap;
    private final long lookbackSeconds;
    private final Clock clock;

    public CallbackSweep(TimClient tim, CallbackParser parser, CallbackInbox inbox, IdMap idMap, long lookbackSeconds,
            Clock clock) {
        this.tim = tim;
        this.parser = parser;
        this.inbox = inbox;
        this.idMap = idMap;
        this.lookbackSeconds = lookbackSeconds;
        this.clock = clock;
    }

    /**
     * Sweeps the conversations in {@code active} (rows of {@code command} and {@code ordering_key});
     * returns how many messages were missing and are now in the inbox.
     */
    public int sweep(List<Map<String, Object>> active) {
        long now = clock.millis() / 1000;
        long since = now - lookbackSeconds;
        int added = 0;
        for (Map<String, Object> row : active) {
            String command = String.valueOf(value(row, "command"));
            String key = String.valueOf(value(row, "ordering_key"));
            try {
                if (CallbackCommand.C2C_AFTER_SEND_MSG.timName().equals(command)) {
                    added += sweepPair(key, since, now);
                } else if (CallbackCommand.GROUP_AFTER_SEND_MSG.timName().equals(command)) {
                    added += sweepGroup(key, since);
                }
            } catch (TimException e) {
                LOG.warn("Gap sweep of {} failed, tried again next time: {}", key, e.getMessage());
            }
        }
        if (added > 0) {
            LOG.info("Gap sweep found {} messages whose callbacks never arrived", added);
        }
        return added;
    }

    private int sweepPair(String pair, long since, long now) {
        int bar = pair.indexOf('|');
        if (bar < 0) {
            return 0;
        }
        String a = pair.substring(0, bar);
        String b = pair.substring(bar + 1);
        int added = 0;
        String lastKey = null;
        while (true) {
            ObjectNode request = JSON.createObjectNode().put("Operator_Account", a).put("Peer_Account", b)
                    .put("MaxCnt", tim.batchSize(TimApi.ADMIN_GETROAMMSG)).put("MinTime", since).put("MaxTime", now);
            if (lastKey != null) {
                request.put("LastMsgKey", lastKey);
            }
            JsonNode answer = tim.call(TimApi.ADMIN_GETROAMMSG, request).body();
            for (JsonNode m : answer.path("MsgList")) {
                if ((m.path("MsgFlagBits").asLong() & 8) == 0) {
                    added += store(c2cCallback(m));
                }
            }
            lastKey = answer.path("LastMsgKey").asText("");
            if (answer.path("Complete").asInt(1) == 1 || lastKey.isEmpty() || answer.path("MsgList").isEmpty()) {
                return added;
            }
        }
    }

    private int sweepGroup(String groupId, long since) {
        int added = 0;
        Long reqSeq = null;
        while (true) {
            ObjectNode request = JSON.createObjectNode().put("GroupId", groupId)
                    .put("ReqMsgNumber", tim.batchSize(TimApi.GROUP_MSG_GET_SIMPLE));
            if (reqSeq != null) {
                request.put("ReqMsgSeq", reqSeq);
            }
            JsonNode answer = tim.call(TimApi.GROUP_MSG_GET_SIMPLE, request).body();
            long smallest = Long.MAX_VALUE;
            boolean older = false;
            for (JsonNode m : answer.path("RspMsgList")) {
                smallest = Math.min(smallest, m.path("MsgSeq").asLong());
                if (m.path("MsgTimeStamp").asLong() < since) {
                    older = true;
                } else if (m.path("IsPlaceMsg").asInt() == 0 && m.path("IsSystemMsg").asInt() == 0) {
                    added += store(groupCallback(groupId, m));
                }
            }
            if (older || answer.path("IsFinished").asInt(1) != 0 || smallest <= 1 || smallest == Long.MAX_VALUE) {
                return added;
            }
            reqSeq = smallest - 1;
        }
    }

    private static ObjectNode c2cCallback(JsonNode m) {
        ObjectNode cb = JSON.createObjectNode().put("CallbackCommand", CallbackCommand.C2C_AFTER_SEND_MSG.timName());
        cb.set("From_Account", m.path("From_Account"));
        cb.set("To_Account", m.path("To_Account"));
        cb.set("MsgSeq", m.path("MsgSeq"));
        cb.set("MsgRandom", m.path("MsgRandom"));
        cb.set("MsgTime", m.path("MsgTimeStamp"));
        cb.set("MsgKey", m.path("MsgKey"));
        cb.put("OnlineOnlyFlag", 0).put("SendMsgResult", 0);
        cb.set("MsgBody", m.path("MsgBody"));
        cb.put("CloudCustomData", m.path("CloudCustomData").asText(""));
        return cb;
    }

    private static ObjectNode groupCallback(String groupId, JsonNode m) {
        ObjectNode cb = JSON.createObjectNode().put("CallbackCommand", CallbackCommand.GROUP_AFTER_SEND_MSG.timName())
                .put("GroupId", groupId);
        cb.set("From_Account", m.path("From_Account"));
        cb.set("Random", m.path("MsgRandom"));
        cb.set("MsgSeq", m.path("MsgSeq"));
        cb.set("MsgTime", m.path("MsgTimeStamp"));
        cb.put("OnlineOnlyFlag", 0);
        cb.set("MsgBody", m.path("MsgBody"));
        cb.put("CloudCustomData", m.path("CloudCustomData").asText(""));
        return cb;
    }

    /** Stores one message found in TIM's history unless the bridge put it there; 1 when it was missing. */
    private int store(ObjectNode callback) {
        String payload = callback.toString();
        CallbackParser.Result result = parser.parse(null, null, payload.getBytes(StandardCharsets.UTF_8));
        if (!(result instanceof CallbackParser.Accepted accepted)) {
            LOG.warn("Gap sweep skipped a history message it cannot read: {}", result);
            return 0;
        }
        CallbackEvent event = accepted.event();
        String kind = event instanceof CallbackEvent.GroupMessage ? IdMap.GROUP_MSG : IdMap.C2C_MSG;
        if (!event.shouldWrite() || idMap.legacyId(kind, event.idempotencyKey()).isPresent()) {
            return 0;
        }
        return inbox.store(event, null, payload) ? 1 : 0;
    }

    private static Object value(Map<String, Object> row, String column) {
        for (Map.Entry<String, Object> e : row.entrySet()) {
            if (e.getKey().equalsIgnoreCase(column)) {
                return e.getValue();
            }
        }
        return null;
    }
}
