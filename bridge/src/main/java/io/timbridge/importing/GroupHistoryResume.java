package io.timbridge.importing;

import com.fasterxml.jackson.databind.JsonNode;
import io.timbridge.convert.Requests;
import io.timbridge.convert.TimCall;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimClient;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Before a group's history is sent in this run, asks TIM for the group's newest messages and leaves out
 * those already there: everything older than TIM's newest message (group history goes in ascending order),
 * and, in that newest second, the messages whose Random TIM already holds. So a restart after a crash in
 * the middle of a group, or a re-run with the bridge state deleted, sends no message twice and no message
 * older than the group's newest (which TIM refuses), whether or not TIM deduplicates import Randoms.
 * Only messages inside TIM's roaming period can be read back; older ones rely on TIM's Random dedup.
 * <p>
 * Pages come in group order, so only a group different from the last one checked needs a look; a group
 * that goes on into the next page is filtered by the same answer. The first page of a run is always
 * checked (it is the page a crash interrupted); later pages only while the previous page found messages
 * in TIM (a re-run with the bridge state lost), so a fresh import spends no calls on lookups.
 */
public class GroupHistoryResume {
    private static final int PAGE = 20;

    private final TimClient tim;
    private final ImportProgress progress;
    private final ExecutorService lookups;
    private String lastChecked;
    private Newest lastNewest;
    private boolean checking = true;

    /** {@code lookups} asks TIM about the groups of a page in parallel, so the check adds one call's latency. */
    public GroupHistoryResume(TimClient tim, ImportProgress progress, ExecutorService lookups) {
        this.tim = tim;
        this.progress = progress;
        this.lookups = lookups;
    }

    /** The body ({@link Requests}) without the group messages TIM holds already; other data types pass. */
    public synchronized void skipImported(Exchange exchange) {
        if (ImportPages.typeOf(exchange) != DataType.GROUP_HISTORY) {
            return;
        }
        exchange.getMessage().setBody(skipImported(exchange.getMessage().getBody(Requests.class)));
    }

    /** The group history {@code requests} without the messages TIM holds already. */
    public synchronized Requests skipImported(Requests requests) {
        Map<String, Future<Newest>> answers = new java.util.HashMap<>();
        for (List<TimCall> lane : requests.lanes()) {
            String groupId = lane.isEmpty() ? null : String.valueOf(lane.get(0).request().get("GroupId"));
            if (checking && groupId != null && !groupId.equals(lastChecked) && !answers.containsKey(groupId)) {
                answers.put(groupId, lookups.submit(() -> newest(groupId)));
            }
        }
        List<List<TimCall>> lanes = new ArrayList<>();
        long skipped = 0;
        for (List<TimCall> lane : requests.lanes()) {
            if (lane.isEmpty()) {
                continue;
            }
            String groupId = String.valueOf(lane.get(0).request().get("GroupId"));
            if (!groupId.equals(lastChecked)) {
                // Remembered only once TIM answered: a failed lookup is redelivered and must ask again.
                Newest found = answers.containsKey(groupId) ? answer(answers.get(groupId)) : Newest.EMPTY;
                lastChecked = groupId;
                lastNewest = found;
            }
            Newest newest = lastNewest;
            List<TimCall> kept = new ArrayList<>();
            for (TimCall call : lane) {
                TimCall rest = newest.without(call);
                skipped += call.itemKeys().size() - (rest == null ? 0 : rest.itemKeys().size());
                if (rest != null) {
                    kept.add(rest);
                }
            }
            lanes.add(kept);
        }
        if (!answers.isEmpty()) {
            checking = answers.values().stream().map(GroupHistoryResume::answer).anyMatch(n -> n.time() >= 0);
        }
        progress.skipped(DataType.GROUP_HISTORY, skipped);
        return new Requests(lanes, requests.refusals());
    }

    private static Newest answer(Future<Newest> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking TIM for a group's newest messages", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** TIM's newest message time in a group and the Randoms of that second (none when the group is empty). */
    record Newest(long time, Set<Long> randoms) {
        static final Newest EMPTY = new Newest(-1, Set.of());

        TimCall without(TimCall call) {
            if (time < 0) {
                return call;
            }
            List<?> messages = (List<?>) call.request().get("MsgList");
            List<Object> keptMessages = new ArrayList<>();
            List<String> keptKeys = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                Map<?, ?> m = (Map<?, ?>) messages.get(i);
                long sendTime = ((Number) m.get("SendTime")).longValue();
                long random = ((Number) m.get("Random")).longValue();
                boolean inTim = sendTime < time || (sendTime == time && randoms.contains(random));
                if (!inTim) {
                    keptMessages.add(m);
                    keptKeys.add(call.itemKeys().get(i));
                }
            }
            if (keptMessages.isEmpty()) {
                return null;
            }
            Map<String, Object> request = new java.util.LinkedHashMap<>(call.request());
            request.put("MsgList", keptMessages);
            return new TimCall(call.api(), request, keptKeys);
        }
    }

    /**
     * Randoms of the group's messages sent at {@code fromTime} or later, read newest first: whether messages
     * TIM refused as "too old" are there already, because an earlier attempt of the same call went through
     * (an answer lost to a timeout or a 5xx after TIM had applied it).
     */
    public Set<Long> randomsSince(String groupId, long fromTime) {
        Set<Long> randoms = new HashSet<>();
        Long before = null;
        while (true) {
            Map<String, Object> request = new java.util.LinkedHashMap<>();
            request.put("GroupId", groupId);
            request.put("ReqMsgNumber", PAGE);
            if (before != null) {
                request.put("ReqMsgSeq", before);
            }
            JsonNode answer = tim.call(TimApi.GROUP_MSG_GET_SIMPLE, request).body();
            JsonNode list = answer.path("RspMsgList");
            long smallestSeq = Long.MAX_VALUE;
            boolean older = false;
            for (JsonNode m : list) {
                smallestSeq = Math.min(smallestSeq, m.path("MsgSeq").asLong());
                if (m.path("MsgTimeStamp").asLong() < fromTime) {
                    older = true;
                } else if (m.path("IsPlaceMsg").asInt() == 0) {
                    randoms.add(m.path("MsgRandom").asLong());
                }
            }
            if (list.isEmpty() || older || answer.path("IsFinished").asInt() != 0 || smallestSeq <= 1) {
                return randoms;
            }
            before = smallestSeq - 1;
        }
    }

    Newest newest(String groupId) {
        long time = -1;
        Set<Long> randoms = new HashSet<>();
        Long before = null;
        while (true) {
            Map<String, Object> request = new java.util.LinkedHashMap<>();
            request.put("GroupId", groupId);
            request.put("ReqMsgNumber", PAGE);
            if (before != null) {
                request.put("ReqMsgSeq", before);
            }
            JsonNode answer;
            try {
                answer = tim.call(TimApi.GROUP_MSG_GET_SIMPLE, request).body();
            } catch (io.timbridge.tim.TimException e) {
                if (e.errorCode() == 10010 || e.errorCode() == 10015) {
                    return Newest.EMPTY;
                }
                throw e;
            }
            JsonNode list = answer.path("RspMsgList");
            long smallestSeq = Long.MAX_VALUE;
            boolean olderSecondSeen = false;
            for (JsonNode m : list) {
                if (m.path("IsPlaceMsg").asInt() != 0) {
                    continue;
                }
                long t = m.path("MsgTimeStamp").asLong();
                if (time < 0 || t > time) {
                    time = t;
                    randoms.clear();
                }
                if (t == time) {
                    randoms.add(m.path("MsgRandom").asLong());
                } else {
                    olderSecondSeen = true;
                }
                smallestSeq = Math.min(smallestSeq, m.path("MsgSeq").asLong());
            }
            if (list.isEmpty() || olderSecondSeen || answer.path("IsFinished").asInt() != 0 || smallestSeq <= 1) {
                return new Newest(time, randoms);
            }
            before = smallestSeq - 1;
        }
    }
}
