package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One-to-one conversations (c2c.md): importmsg with its dedup key, sendmsg with its 120 s dedup window,
 * admin_getroammsg paging. A conversation keeps its messages in one list sorted like TIM's history
 * (timestamp, then MsgSeq), with u32 fields packed into ints so millions of messages stay small.
 */
final class C2c {
    static final long MAX_LIFE_TIME = 604_800;
    private static final byte KIND_HISTORY = 2;
    private static final byte KIND_LIVE = 5;
    private static final byte KIND_SENT = 0;

    /** One stored message; u32 values are kept in ints and read back unsigned. */
    static final class Msg {
        final int time;
        final int seq;
        final int random;
        final boolean fromA;
        final byte kind;
        final boolean hiddenFromSender;
        final long fingerprint;
        final byte[] body;
        final String cloudCustomData;
        /** When the sandbox stored it (inspection only: how long a message took to get here). */
        final long storedAtMs;

        Msg(long time, long seq, long random, boolean fromA, byte kind, boolean hiddenFromSender, long fingerprint,
            byte[] body, String cloudCustomData, long storedAtMs) {
            this.time = (int) time;
            this.seq = (int) seq;
            this.random = (int) random;
            this.fromA = fromA;
            this.kind = kind;
            this.hiddenFromSender = hiddenFromSender;
            this.fingerprint = fingerprint;
            this.body = body;
            this.cloudCustomData = cloudCustomData;
            this.storedAtMs = storedAtMs;
        }

        long time() {
            return Integer.toUnsignedLong(time);
        }

        long seq() {
            return Integer.toUnsignedLong(seq);
        }

        long random() {
            return Integer.toUnsignedLong(random);
        }

        String key() {
            return seq() + "_" + random() + "_" + time();
        }
    }

    /** A pair of users, {@code a < b}; guarded by its own monitor. */
    static final class Conversation {
        final String a;
        final String b;
        final ArrayList<Msg> msgs = new ArrayList<>();
        int unreadA;
        int unreadB;

        Conversation(String a, String b) {
            this.a = a;
            this.b = b;
        }
    }

    private record Sent(long arrivalMillis, long msgTime, String msgKey, String msgId) {
    }

    private final SandboxConfig config;
    private final Clock clock;
    private final Accounts accounts;
    private final Callbacks callbacks;
    private final MessageBodies bodies;
    private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();
    private final LinkedHashMap<String, Sent> recentSends = new LinkedHashMap<>();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong autoSeq = new AtomicLong();
    private final Random random;

    C2c(SandboxConfig config, Clock clock, Accounts accounts, Callbacks callbacks, MessageBodies bodies) {
        this.config = config;
        this.clock = clock;
        this.accounts = accounts;
        this.callbacks = callbacks;
        this.bodies = bodies;
        this.random = new Random(config.faultSeed);
    }

    void reset() {
        conversations.clear();
        synchronized (recentSends) {
            recentSends.clear();
        }
        messages.set(0);
    }

    long conversationCount() {
        return conversations.size();
    }

    long messageCount() {
        return messages.get();
    }

    private static String key(String x, String y) {
        return x.compareTo(y) <= 0 ? x + '\n' + y : y + '\n' + x;
    }

    private Conversation conversation(String x, String y) {
        return conversations.computeIfAbsent(key(x, y),
                k -> x.compareTo(y) <= 0 ? new Conversation(x, y) : new Conversation(y, x));
    }

    private long now() {
        return clock.millis() / 1000;
    }

    ObjectNode importMsg(JsonNode body) {
        JsonNode syncNode = body.get("SyncFromOldSystem");
        if (syncNode == null || !syncNode.isIntegralNumber()) {
            throw new TimException(90030, "SyncFromOldSystem is required and must be an integer");
        }
        long sync = syncNode.asLong();
        if (sync != 2 && sync != 5) {
            throw new TimException(90030, "SyncFromOldSystem must be 2 (history) or 5 (real-time)");
        }
        String from = Fields.text(body, "From_Account", 20001);
        String to = Fields.text(body, "To_Account", 90003);
        Long seq = Fields.optU32(body, "MsgSeq", 20001);
        if (seq == null && config.strictImportMsgSeqRequired) {
            throw new TimException(20001, "MsgSeq is required");
        }
        Long rnd = Fields.optU32(body, "MsgRandom", 90005);
        if (rnd == null) {
            throw new TimException(90005, "MsgRandom is required");
        }
        Long ts = Fields.optU32(body, "MsgTimeStamp", 90006);
        if (ts == null) {
            throw new TimException(90006, "MsgTimeStamp is required");
        }
        if (config.strictImportMsgFutureTimestamp && ts > now()) {
            throw new TimException(90006, "MsgTimeStamp is in the future");
        }
        byte[] canonical = MessageBodies.validate(body, 90007, 90010, 93000);
        String cloud = Fields.optText(body, "CloudCustomData", 20001);
        accounts.require(from, 20003);
        Accounts.Account receiver = accounts.require(to, 90012);
        Conversation c = conversation(from, to);
        boolean fromA = c.a.equals(from);
        long s = seq == null ? 0 : seq;
        synchronized (c) {
            int pos = upperBound(c.msgs, ts, s);
            for (int i = pos - 1; i >= 0; i--) {
                Msg m = c.msgs.get(i);
                if (m.time() != ts) {
                    break;
                }
                if (m.seq() == s && m.random() == rnd) {
                    return Accounts.ok();
                }
            }
            for (int i = pos; i < c.msgs.size() && c.msgs.get(i).time() == ts; i++) {
                Msg m = c.msgs.get(i);
                if (m.seq() == s && m.random() == rnd) {
                    return Accounts.ok();
                }
            }
            c.msgs.add(pos, new Msg(ts, s, rnd, fromA, sync == 2 ? KIND_HISTORY : KIND_LIVE, false,
                    MessageBodies.fingerprint(canonical), bodies.stored(canonical), emptyToNull(cloud), clock.millis()));
            messages.incrementAndGet();
            if (sync == 5 && !from.equals(to)) {
                countUnread(c, !fromA, receiver);
            }
        }
        return Accounts.ok();
    }

    private static void countUnread(Conversation c, boolean receiverIsA, Accounts.Account receiver) {
        if (receiverIsA) {
            c.unreadA++;
        } else {
            c.unreadB++;
        }
        synchronized (receiver) {
            receiver.c2cUnread++;
        }
    }

    /** First index whose (time, seq) is greater than the given one. */
    private static int upperBound(List<Msg> msgs, long time, long seq) {
        int lo = 0;
        int hi = msgs.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            Msg m = msgs.get(mid);
            int cmp = m.time() != time ? Long.compare(m.time(), time) : Long.compare(m.seq(), seq);
            if (cmp <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    ObjectNode sendMsg(JsonNode body, Caller caller) {
        Long syncOther = Fields.optInteger(body, "SyncOtherMachine", 90031);
        if (syncOther != null && syncOther != 1 && syncOther != 2) {
            throw new TimException(90031, "SyncOtherMachine must be 1 or 2");
        }
        String from = Objects.requireNonNullElse(Fields.optText(body, "From_Account", 20001), caller.operator());
        String to = Fields.text(body, "To_Account", 90003);
        Long life = Fields.optInteger(body, "MsgLifeTime", 90044);
        if (life != null && life < 0) {
            throw new TimException(90044, "MsgLifeTime must not be negative");
        }
        if (life != null && life > MAX_LIFE_TIME && config.strictMsgLifeTime) {
            throw new TimException(90026, "MsgLifeTime is longer than 7 days");
        }
        Long seq = Fields.optU32(body, "MsgSeq", 20001);
        Long rnd = Fields.optU32(body, "MsgRandom", 90005);
        if (rnd == null) {
            throw new TimException(90005, "MsgRandom is required");
        }
        Long ts = Fields.optU32(body, "MsgTimeStamp", 90006);
        long onlineOnly = Objects.requireNonNullElse(Fields.optInteger(body, "OnlineOnlyFlag", 20001), 0L);
        List<String> forbid = Fields.texts(body, "ForbidCallbackControl", 20001);
        List<String> control = Fields.texts(body, "SendMsgControl", 20001);
        byte[] canonical = MessageBodies.validate(body, 90007, 90010, 93000);
        String cloud = Fields.optText(body, "CloudCustomData", 20001);
        return send(from, to, seq == null ? nextSeq() : seq, rnd, ts == null ? now() : ts, canonical, cloud,
                onlineOnly == 1, control.contains("NoUnread"), syncOther != null && syncOther == 2,
                forbid.contains("ForbidAfterSendMsgCallback"), caller);
    }

    /** A message sent by an app user through the client API: the SDK picks MsgSeq and MsgRandom. */
    ObjectNode clientSend(String from, String to, JsonNode body, Caller caller) {
        byte[] canonical = MessageBodies.validate(body, 90007, 90010, 93000);
        String cloud = Fields.optText(body, "CloudCustomData", 20001);
        long rnd;
        synchronized (random) {
            rnd = Integer.toUnsignedLong(random.nextInt());
        }
        return send(from, to, nextSeq(), rnd, now(), canonical, cloud, false, false, false, false, caller);
    }

    private long nextSeq() {
        return autoSeq.incrementAndGet() & Fields.U32_MAX;
    }

    private ObjectNode send(String from, String to, long seq, long rnd, long time, byte[] canonical, String cloud,
                            boolean onlineOnly, boolean noUnread, boolean hiddenFromSender, boolean forbidAfter,
                            Caller caller) {
        accounts.require(from, 20003);
        Accounts.Account receiver = accounts.require(to, 90012);
        String dedupKey = from + '\n' + seq + '_' + rnd + '_' + MessageBodies.crc32(canonical);
        long arrival = clock.millis();
        Sent sent;
        synchronized (recentSends) {
            long windowStart = arrival - config.sendMsgDedupSeconds * 1000L;
            for (Iterator<Sent> it = recentSends.values().iterator(); it.hasNext(); ) {
                if (it.next().arrivalMillis() > windowStart) {
                    break;
                }
                it.remove();
            }
            Sent earlier = recentSends.get(dedupKey);
            if (earlier != null) {
                return sendResult(earlier);
            }
            String msgKey = seq + "_" + rnd + "_" + time;
            sent = new Sent(arrival, time, msgKey, "144115" + (arrival % 1_000_000_000L) + "-" + time + "-" + rnd);
            recentSends.put(dedupKey, sent);
        }
        int unread = 0;
        if (!onlineOnly) {
            Conversation c = conversation(from, to);
            boolean fromA = c.a.equals(from);
            synchronized (c) {
                c.msgs.add(upperBound(c.msgs, time, seq), new Msg(time, seq, rnd, fromA, KIND_SENT, hiddenFromSender,
                        MessageBodies.fingerprint(canonical), bodies.stored(canonical), emptyToNull(cloud), arrival));
                messages.incrementAndGet();
                if (!noUnread && !from.equals(to)) {
                    countUnread(c, !fromA, receiver);
                }
            }
        }
        synchronized (receiver) {
            unread = receiver.c2cUnread;
        }
        if (!forbidAfter) {
            ObjectNode cb = MessageBodies.JSON.createObjectNode().put("From_Account", from).put("To_Account", to)
                    .put("MsgSeq", seq).put("MsgRandom", rnd).put("MsgTime", time).put("MsgKey", sent.msgKey())
                    .put("MsgId", sent.msgId()).put("OnlineOnlyFlag", onlineOnly ? 1 : 0).put("SendMsgResult", 0)
                    .put("ErrorInfo", "send msg succeed").put("UnreadMsgNum", unread);
            cb.set("MsgBody", MessageBodies.read(canonical));
            cb.put("CloudCustomData", cloud == null ? "" : cloud);
            callbacks.fire(SandboxConfig.C2C_AFTER_SEND, cb, caller.platform(), caller.clientIp());
        }
        ObjectNode out = sendResult(sent);
        if (!caller.rest()) {
            out.put("MsgSeq", seq).put("MsgRandom", rnd);
        }
        return out;
    }

    private static ObjectNode sendResult(Sent s) {
        return Accounts.ok().put("MsgTime", s.msgTime()).put("MsgKey", s.msgKey()).put("MsgId", s.msgId());
    }

    ObjectNode adminGetRoamMsg(JsonNode body, int maxBatch) {
        String operator = Fields.optText(body, "Operator_Account", 20001);
        if (operator == null) {
            operator = Fields.text(body, "From_Account", 20001);
        }
        String peer = Fields.optText(body, "Peer_Account", 20001);
        if (peer == null) {
            peer = Fields.text(body, "To_Account", 20001);
        }
        long maxCnt = Fields.integer(body, "MaxCnt", 20001);
        long minTime = Fields.integer(body, "MinTime", 20001);
        long maxTime = Fields.integer(body, "MaxTime", 20001);
        if (maxCnt <= 0 || minTime < 0 || minTime > maxTime) {
            throw new TimException(20001, "MaxCnt must be positive and MinTime <= MaxTime");
        }
        String lastKey = Fields.optText(body, "LastMsgKey", 20001);
        accounts.require(operator, 20003);
        accounts.require(peer, 20003);
        // The largest page TIM serves is unconfirmed: larger requests are served in pages of this size.
        long limit = Math.min(maxCnt, maxBatch);
        long cut = config.roamingRetentionDays > 0 ? now() - config.roamingRetentionDays * 86_400L : 0;
        long floor = Math.max(minTime, cut);
        ArrayNode list = MessageBodies.JSON.createArrayNode();
        ObjectNode out = Accounts.ok();
        Conversation c = conversations.get(key(operator, peer));
        boolean complete = true;
        if (c != null) {
            boolean operatorIsA = c.a.equals(operator);
            synchronized (c) {
                int i = lastKey == null ? upperBound(c.msgs, maxTime, Fields.U32_MAX) - 1 : indexOf(c, lastKey) - 1;
                int bytes = 0;
                for (; i >= 0; i--) {
                    Msg m = c.msgs.get(i);
                    if (m.time() < floor) {
                        break;
                    }
                    if (m.time() > maxTime || (m.hiddenFromSender && m.fromA == operatorIsA)) {
                        continue;
                    }
                    if (list.size() >= limit) {
                        complete = false;
                        break;
                    }
                    ObjectNode item = roamItem(c, m);
                    int size = item.toString().length();
                    if (!list.isEmpty() && bytes + size > config.getRoamMsgMaxResponseBytes) {
                        complete = false;
                        break;
                    }
                    bytes += size;
                    list.add(item);
                }
            }
        }
        out.put("Complete", complete ? 1 : 0).put("MsgCnt", list.size());
        if (!list.isEmpty()) {
            JsonNode last = list.get(list.size() - 1);
            out.put("LastMsgTime", last.get("MsgTimeStamp").asLong()).put("LastMsgKey", last.get("MsgKey").asText());
        } else {
            out.put("LastMsgTime", 0).put("LastMsgKey", "");
        }
        out.set("MsgList", list);
        return out;
    }

    private static int indexOf(Conversation c, String msgKey) {
        String[] parts = msgKey.split("_");
        if (parts.length == 3) {
            try {
                long seq = Long.parseLong(parts[0]);
                long rnd = Long.parseLong(parts[1]);
                long time = Long.parseLong(parts[2]);
                for (int i = upperBound(c.msgs, time, seq) - 1; i >= 0; i--) {
                    Msg m = c.msgs.get(i);
                    if (m.time() != time || m.seq() != seq) {
                        break;
                    }
                    if (m.random() == rnd) {
                        return i;
                    }
                }
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw new TimException(20001, "LastMsgKey " + msgKey + " is not a message of this conversation");
    }

    private ObjectNode roamItem(Conversation c, Msg m) {
        ObjectNode item = MessageBodies.JSON.createObjectNode()
                .put("From_Account", m.fromA ? c.a : c.b).put("To_Account", m.fromA ? c.b : c.a)
                .put("MsgSeq", m.seq()).put("MsgRandom", m.random()).put("MsgTimeStamp", m.time())
                .put("MsgClientTime", m.time()).put("MsgFlagBits", 0).put("IsPeerRead", 0).put("MsgKey", m.key());
        item.set("MsgBody", MessageBodies.read(m.body));
        item.put("CloudCustomData", m.cloudCustomData == null ? "" : m.cloudCustomData);
        if (!bodies.keepsBodies()) {
            item.put("BodyChecksum", MessageBodies.hex(m.fingerprint));
        }
        return item;
    }

    /** Inspection: the whole conversation in history order, with unread counts, or null. */
    ObjectNode inspect(String x, String y) {
        Conversation c = conversations.get(key(x, y));
        if (c == null) {
            return null;
        }
        ObjectNode out = MessageBodies.JSON.createObjectNode();
        synchronized (c) {
            out.putObject("UnreadMsgNum").put(c.a, c.unreadA).put(c.b, c.unreadB);
            out.put("MsgCnt", c.msgs.size());
            ArrayNode list = out.putArray("MsgList");
            for (Msg m : c.msgs) {
                ObjectNode item = roamItem(c, m);
                item.put("BodyChecksum", MessageBodies.hex(m.fingerprint))
                        .put("Source", m.kind == KIND_SENT ? "sendmsg" : m.kind == KIND_LIVE ? "importmsg-5" : "importmsg-2")
                        .put("HiddenFromSender", m.hiddenFromSender).put("StoredAtMs", m.storedAtMs);
                list.add(item);
            }
        }
        return out;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
