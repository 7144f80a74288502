package io.timbridge.importing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbridge.convert.Refusal;
import io.timbridge.convert.Requests;
import io.timbridge.convert.TimCall;
import io.timbridge.state.DeadLetters;
import io.timbridge.state.IdMap;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimConstants;
import io.timbridge.tim.TimErrors;
import io.timbridge.tim.TimException;
import io.timbridge.tim.TimItemFailure;
import org.apache.camel.Exchange;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Accounts for every item of an import call: applied in TIM, or stored as a dead letter with TIM's code
 * and reason (refused before the call, failed as a whole call, or failed inside a batch answer that said
 * OK). Nothing leaves an import route unaccounted for.
 */
public class ImportResults {
    /** Exchange property holding the {@link TimCall} whose request is the body. */
    public static final String CALL = "timCall";

    static final ObjectMapper JSON = new ObjectMapper();
    /** TIM's answer for an item the bridge brought there before (e.g. a group it owns): done, not failed. */
    static final int ALREADY_IN_TIM = 10025;

    /** import_group_msg's item result for a send time TIM will not take (e.g. older than the newest message). */
    static final int INVALID_SEND_TIME = 10004;

    private final DeadLetters deadLetters;
    private final IdMap idMap;
    private final ImportProgress progress;
    private final GroupHistoryResume groupHistory;
    private final Map<DataType, Boolean> hadOpenDeadLetters = new java.util.concurrent.ConcurrentHashMap<>();

    public ImportResults(DeadLetters deadLetters, IdMap idMap, ImportProgress progress,
                         GroupHistoryResume groupHistory) {
        this.deadLetters = deadLetters;
        this.idMap = idMap;
        this.progress = progress;
        this.groupHistory = groupHistory;
    }

    /**
     * Stores the rows refused before any call, and holds back the calls of groups the import refused (see
     * {@link RefusedParents}); the body becomes the page's {@link Requests} without those.
     */
    public void refused(Exchange exchange) {
        DataType type = ImportPages.typeOf(exchange);
        Requests requests = exchange.getMessage().getBody(Requests.class);
        if (RefusedParents.dependsOnGroups(type)) {
            Set<String> refusedGroups = deadLetters.openKeys(DataType.GROUPS.routeId());
            requests = RefusedParents.hold(type, requests, refusedGroups::contains);
            exchange.getMessage().setBody(requests);
        }
        String page = exchange.getProperty(ImportPages.POSITION, String.class);
        for (Refusal r : requests.refusals()) {
            // No API: TIM was never called; replay re-reads the row from its page.
            deadLetters.record(type.routeId(), r.itemKey(), null, null, r.rule() + ": " + r.reason(), json(r.row()),
                    page);
        }
        progress.deadLettered(type, requests.refusals().size());
        // Rows the builder neither sends nor refuses are in TIM already (a group's owner came with the group).
        int items = exchange.getProperty(ImportPages.PAGE_ITEMS, 0, Integer.class);
        long accounted = requests.itemCount() + requests.refusals().size();
        if (items > accounted) {
            progress.skipped(type, items - accounted);
        }
    }

    /** Sets the body to the call's request and keeps the call for {@link #answered} and {@link #failed}. */
    public void prepare(Exchange exchange) {
        progress.checkNotStopped();
        TimCall call = exchange.getMessage().getBody(TimCall.class);
        exchange.setProperty(CALL, call);
        exchange.getMessage().setBody(call.request());
    }

    /** TIM answered OK: items it failed inside the answer become dead letters, the rest are applied. */
    public void answered(Exchange exchange) {
        DataType type = ImportPages.typeOf(exchange);
        TimCall call = exchange.getProperty(CALL, TimCall.class);
        List<?> failures = exchange.getMessage().getHeader(TimConstants.FAILED_ITEMS, List.class);
        Set<String> failed = new LinkedHashSet<>();
        if (failures != null) {
            Set<Long> alreadyThere = call.api() == TimApi.IMPORT_GROUP_MSG ? appliedByAnEarlierAttempt(call, failures)
                    : Set.of();
            for (Object f : failures) {
                TimItemFailure failure = (TimItemFailure) f;
                String key = itemKeyOf(call, failure);
                Long random = randomOf(call, key);
                if (random != null && alreadyThere.contains(random)) {
                    continue;
                }
                failed.add(key);
                deadLetters.record(type.routeId(), key, call.api().path(), failure.code(),
                        TimErrors.hint(failure.code()) + " (" + failure.info() + ")", json(requestFor(call, key)),
                        exchange.getProperty(ImportPages.POSITION, String.class));
            }
        }
        closeEarlierDeadLetters(type, call.itemKeys().stream().filter(k -> !failed.contains(k)).toList());
        if (call.api() == TimApi.IMPORT_GROUP_MSG) {
            mapGroupMessages(call, exchange.getMessage().getBody(Map.class));
        }
        progress.called(type);
        progress.deadLettered(type, failed.size());
        progress.applied(type, call.itemKeys().size() - failed.size());
    }

    /**
     * Randoms of the call's messages refused as too old that TIM holds already: a retry after an answer was
     * lost re-sends messages TIM applied the first time, and TIM refuses them as older than the newest.
     */
    private Set<Long> appliedByAnEarlierAttempt(TimCall call, List<?> failures) {
        long from = Long.MAX_VALUE;
        for (Object f : failures) {
            TimItemFailure failure = (TimItemFailure) f;
            if (failure.code() == INVALID_SEND_TIME) {
                from = Math.min(from, sendTimeOf(call, itemKeyOf(call, failure)));
            }
        }
        if (from == Long.MAX_VALUE) {
            return Set.of();
        }
        return groupHistory.randomsSince(String.valueOf(call.request().get("GroupId")), from);
    }

    private static Map<?, ?> messageOf(TimCall call, String itemKey) {
        int index = call.itemKeys().indexOf(itemKey);
        List<?> messages = (List<?>) call.request().get("MsgList");
        return index < 0 || index >= messages.size() ? Map.of() : (Map<?, ?>) messages.get(index);
    }

    private static long sendTimeOf(TimCall call, String itemKey) {
        return messageOf(call, itemKey).get("SendTime") instanceof Number n ? n.longValue() : Long.MAX_VALUE;
    }

    private static Long randomOf(TimCall call, String itemKey) {
        return call.api() == TimApi.IMPORT_GROUP_MSG && messageOf(call, itemKey).get("Random") instanceof Number n
                ? n.longValue() : null;
    }

    /** The whole call failed (after any retries): every item becomes a dead letter with TIM's code. */
    public void failed(Exchange exchange) {
        DataType type = ImportPages.typeOf(exchange);
        TimCall call = exchange.getProperty(CALL, TimCall.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Integer code = cause instanceof TimException te ? te.errorCode() : null;
        String reason = cause == null ? "unknown failure" : cause.getMessage();
        if (call == null) {
            throw new IllegalStateException("import route " + type.routeId() + " failed outside a TIM call: " + reason,
                    cause);
        }
        String page = exchange.getProperty(ImportPages.POSITION, String.class);
        for (String key : call.itemKeys()) {
            deadLetters.record(type.routeId(), key, call.api().path(), code, reason, json(requestFor(call, key)), page);
        }
        progress.called(type);
        progress.deadLettered(type, call.itemKeys().size());
    }

    /** TIM says the item exists already from an earlier run (e.g. 10025 for a group we own): done. */
    public void alreadyDone(Exchange exchange) {
        DataType type = ImportPages.typeOf(exchange);
        TimCall call = exchange.getProperty(CALL, TimCall.class);
        progress.called(type);
        progress.applied(type, call == null ? 0 : call.itemKeys().size());
        if (call != null) {
            closeEarlierDeadLetters(type, call.itemKeys());
        }
    }

    /**
     * Items a later run applied (after a fix, or with {@code --restart}) close their dead letters of an earlier
     * run. Only a route that had open dead letters when it started pays for the update.
     */
    private void closeEarlierDeadLetters(DataType type, List<String> applied) {
        if (hadOpenDeadLetters.computeIfAbsent(type, t -> deadLetters.openCounts().containsKey(t.routeId()))) {
            deadLetters.resolveAll(type.routeId(), applied);
        }
    }

    /**
     * The request to store for replaying one failed item. Every import API is idempotent for the items of a
     * call except import_group_msg, whose replay must carry that one message only.
     */
    static Map<String, Object> requestFor(TimCall call, String itemKey) {
        if (call.api() != TimApi.IMPORT_GROUP_MSG) {
            return call.request();
        }
        int index = call.itemKeys().indexOf(itemKey);
        Map<String, Object> one = new java.util.LinkedHashMap<>(call.request());
        if (index >= 0 && call.request().get("MsgList") instanceof List<?> messages && index < messages.size()) {
            one.put("MsgList", List.of(messages.get(index)));
        }
        return one;
    }

    /** A failed item's legacy key: TIM names it by account, or by its position for group messages. */
    static String itemKeyOf(TimCall call, TimItemFailure failure) {
        String key = failure.key();
        List<String> keys = call.itemKeys();
        if (call.api() == TimApi.IMPORT_GROUP_MSG && key != null && key.matches("\\d+")) {
            int index = Integer.parseInt(key);
            if (index < keys.size()) {
                return keys.get(index);
            }
        }
        for (String k : keys) {
            if (k.equals(key) || k.endsWith(":" + key)) {
                return k;
            }
        }
        return keys.size() == 1 ? keys.get(0) : String.valueOf(key);
    }

    void mapGroupMessages(TimCall call, Map<?, ?> answer) {
        if (answer == null || !(answer.get("ImportMsgResult") instanceof List<?> results)) {
            return;
        }
        String groupId = String.valueOf(call.request().get("GroupId"));
        Map<Integer, String> keyByIndex = new HashMap<>();
        for (int i = 0; i < call.itemKeys().size(); i++) {
            keyByIndex.put(i, call.itemKeys().get(i));
        }
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof Map<?, ?> r && Integer.valueOf(0).equals(asInt(r.get("Result")))
                    && r.get("MsgSeq") != null && keyByIndex.containsKey(i)) {
                idMap.put(IdMap.GROUP_MSG, keyByIndex.get(i), groupId + ":" + r.get("MsgSeq"), IdMap.TO_TIM);
            }
        }
    }

    private static Integer asInt(Object o) {
        return o instanceof Number n ? n.intValue() : null;
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            return String.valueOf(o);
        }
    }
}
