package io.timbridge.callback;

import io.timbridge.legacy.DatabaseErrors;
import io.timbridge.state.DeadLetters;
import io.timbridge.state.IdMap;
import io.timbridge.state.SqlStates;
import io.timbridge.sync.CallbackCommand;
import io.timbridge.sync.CallbackEvent;
import io.timbridge.sync.CallbackParser;
import io.timbridge.sync.LegacyWrites;
import io.timbridge.sync.SyncSql;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The steps of the inbox drain and of the callback routes: a batch of stored callbacks becomes lanes
 * (one per ordering key, in event order), each callback is read back and parsed into its event and its
 * legacy writes, and its outcome is recorded: applied (with the id map entry of a message), or a dead
 * letter with the reason, or held for the next poll when the legacy database failed.
 *
 * <p>Thread-safe.
 */
public class CallbackDrain {
    /** Exchange properties set by {@link #load}. */
    public static final String INBOX_ID = "callbackInboxId";
    public static final String COMMAND = "callbackCommand";
    public static final String EVENT = "callbackEvent";
    /** Exchange property set by {@link #prepare}: the {@link SyncSql} name of the write. */
    public static final String STATEMENT = "callbackStatement";
    /** Header set by the message routes: the legacy id of the message found written already, or none. */
    public static final String WRITTEN_ID = "callbackWrittenId";
    private static final String DEAD = "callbackDead";
    private static final Logger LOG = LoggerFactory.getLogger(CallbackDrain.class);

    private final CallbackInbox inbox;
    private final CallbackParser parser;
    private final LegacyWrites writes;
    private final DeadLetters deadLetters;
    private final IdMap idMap;
    private final long settleMillis;
    private final Clock clock;

    public CallbackDrain(CallbackInbox inbox, CallbackParser parser, LegacyWrites writes, DeadLetters deadLetters,
            IdMap idMap, long settleMillis, Clock clock) {
        this.inbox = inbox;
        this.parser = parser;
        this.writes = writes;
        this.deadLetters = deadLetters;
        this.idMap = idMap;
        this.settleMillis = settleMillis;
        this.clock = clock;
    }

    /** The route that applies a command: {@code callback-} and the command in kebab-case. */
    public static String routeId(CallbackCommand command) {
        String name = command.timName().replace(".Callback", "-");
        return "callback-" + name.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /**
     * Rows ({@code id}, {@code ordering_key}, {@code event_order}, {@code event_seq}, {@code received_at}) grouped
     * into one lane per ordering key, each in event order (then inbox order). TIM may deliver the callbacks of a
     * conversation slightly out of order, so a lane ends before its first row younger than the settle time:
     * an earlier event may still be on its way, and the rest of the lane waits for the next poll.
     */
    public List<List<Map<String, Object>>> lanes(List<Map<String, Object>> rows) {
        long youngAfter = clock.millis() - settleMillis;
        Map<String, List<Map<String, Object>>> byKey = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            byKey.computeIfAbsent(String.valueOf(value(row, "ordering_key")), k -> new ArrayList<>()).add(row);
        }
        List<List<Map<String, Object>>> lanes = new ArrayList<>();
        for (List<Map<String, Object>> lane : byKey.values()) {
            lane.sort(Comparator.<Map<String, Object>>comparingLong(r -> number(r, "event_order"))
                    .thenComparingLong(r -> number(r, "event_seq")).thenComparingLong(r -> number(r, "id")));
            int ready = 0;
            while (ready < lane.size() && number(lane.get(ready), "received_at") <= youngAfter) {
                ready++;
            }
            if (ready > 0) {
                lanes.add(new ArrayList<>(lane.subList(0, ready)));
            }
        }
        return lanes;
    }

    /**
     * Parses the stored callback of the row in the body again (read with the row, or else by its id): the body
     * becomes the event, and {@value #COMMAND} the route to run. A body that no longer parses (the parser became stricter) is a
     * dead letter.
     */
    public void load(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, Object> row = exchange.getMessage().getBody(Map.class);
        long id = ((Number) value(row, "id")).longValue();
        exchange.setProperty(INBOX_ID, id);
        exchange.removeProperty(DEAD);
        CallbackInbox.Stored stored = value(row, "payload") != null
                ? new CallbackInbox.Stored(id, text(row, "command"), text(row, "opt_platform"), text(row, "payload"))
                : inbox.find(id).orElseThrow(() -> new IllegalStateException("callback " + id + " vanished"));
        CallbackParser.Result result = parser.parse(stored.command(), stored.optPlatform(),
                stored.payload().getBytes(StandardCharsets.UTF_8));
        if (result instanceof CallbackParser.Refused r) {
            exchange.setProperty(COMMAND, "refused");
            dead(id, "tim-callback-endpoint", String.valueOf(id), r.toString(), stored.payload());
            exchange.setProperty(DEAD, true);
            return;
        }
        CallbackEvent event = ((CallbackParser.Accepted) result).event();
        exchange.setProperty(COMMAND, event.command().timName());
        exchange.setProperty(EVENT, event);
        exchange.getMessage().setBody(event);
    }

    /**
     * The legacy writes of the event in the body, in order; none when the message is in the id map already
     * (written before a crash that came ahead of marking the callback applied).
     */
    public List<LegacyWrites.Write> writes(Exchange exchange) {
        CallbackEvent event = exchange.getProperty(EVENT, CallbackEvent.class);
        Optional<String> kind = messageKind(event);
        if (kind.isPresent() && idMap.legacyId(kind.get(), event.idempotencyKey()).isPresent()) {
            return List.of();
        }
        return writes.of(event);
    }

    /**
     * Makes one write of the split the message: its parameters become the body (camel-sql reads named
     * parameters from it) and {@value #STATEMENT} names the statement.
     */
    public void prepare(Exchange exchange) {
        LegacyWrites.Write write = exchange.getMessage().getBody(LegacyWrites.Write.class);
        exchange.setProperty(STATEMENT, write.statement().name());
        exchange.getMessage().setBody(new HashMap<>(write.params()));
    }

    /**
     * After a message insert: maps the generated legacy id to the message's TIM identity; or, when the route
     * found the message written already ({@value #WRITTEN_ID}: applied again after a crash), that row's id.
     */
    public void mapMessage(Exchange exchange) {
        CallbackEvent event = exchange.getProperty(EVENT, CallbackEvent.class);
        Optional<String> kind = messageKind(event);
        if (kind.isEmpty()) {
            return;
        }
        Object legacyId = exchange.getMessage().getHeader(WRITTEN_ID);
        List<?> keys = exchange.getMessage().getHeader("CamelSqlGeneratedKeyRows", List.class);
        if (legacyId == null && keys != null && !keys.isEmpty() && keys.get(0) instanceof Map<?, ?> key) {
            legacyId = key.size() == 1 ? key.values().iterator().next() : value(castMap(key), "id");
        }
        if (legacyId != null) {
            idMap.put(kind.get(), legacyId.toString(), event.idempotencyKey(), IdMap.TO_LEGACY);
        }
    }

    /**
     * After the writes of a group created in TIM: notes the group in the id map (kind {@link IdMap#GROUP}, toward
     * legacy), so verify knows its legacy created_at_ms is the callback's EventTime rather than TIM's CreateTime.
     */
    public void mapGroup(Exchange exchange) {
        if (exchange.getProperty(EVENT, CallbackEvent.class) instanceof CallbackEvent.GroupCreated g) {
            idMap.put(IdMap.GROUP, g.groupId(), g.groupId(), IdMap.TO_LEGACY);
        }
    }

    /** Marks the callback applied, unless it became a dead letter on the way. */
    public void applied(Exchange exchange) {
        if (!exchange.getProperty(DEAD, false, Boolean.class)) {
            inbox.finish(exchange.getProperty(INBOX_ID, Long.class), CallbackInbox.APPLIED);
        }
    }

    /** From the error policy: the callback cannot be applied; it becomes a dead letter with the reason. */
    public void failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        long id = exchange.getProperty(INBOX_ID, Long.class);
        CallbackEvent event = exchange.getProperty(EVENT, CallbackEvent.class);
        String route = event == null ? "callback-inbox-drain" : routeId(event.command());
        String key = event == null ? String.valueOf(id) : event.idempotencyKey();
        String payload = inbox.find(id).map(CallbackInbox.Stored::payload).orElse(null);
        dead(id, route, key, DatabaseErrors.describe(cause), payload);
        exchange.setProperty(DEAD, true);
    }

    /** From the error policy: a callback of an unknown command reached the drain. */
    public void unknownCommand(Exchange exchange) {
        long id = exchange.getProperty(INBOX_ID, Long.class);
        dead(id, "callback-inbox-drain", String.valueOf(id), "no route for command "
                + exchange.getProperty(COMMAND), inbox.find(id).map(CallbackInbox.Stored::payload).orElse(null));
        exchange.setProperty(DEAD, true);
    }

    /** The legacy database failed (or the circuit breaker is open): the lane waits for the next poll. */
    public void held(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("Legacy write held, retried on the next poll: {}", DatabaseErrors.describe(cause));
    }

    /** For the error policy: whether the exchange failed for a reason retrying can never fix. */
    public boolean permanent(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return isPermanent(failure);
    }

    /**
     * Whether a failure is the data's fault, not the database's: SQLState class 22 (data exception, e.g. a
     * value too long) or 23 (integrity constraint). Retrying such a write can never succeed.
     */
    public static boolean isPermanent(Throwable failure) {
        return SqlStates.inClass(failure, SqlStates.DATA, SqlStates.INTEGRITY);
    }

    private void dead(long id, String route, String key, String reason, String payload) {
        deadLetters.record(route, key, null, null, reason, payload);
        inbox.finish(id, CallbackInbox.DEAD);
        LOG.warn("Callback {} ({}) is a dead letter: {}", key, route, reason);
    }

    private static Optional<String> messageKind(CallbackEvent event) {
        if (event instanceof CallbackEvent.C2cMessage) {
            return Optional.of(IdMap.C2C_MSG);
        }
        return event instanceof CallbackEvent.GroupMessage ? Optional.of(IdMap.GROUP_MSG) : Optional.empty();
    }

    /** A text column; H2 may hand a CLOB back as a {@link java.sql.Clob}. */
    private static String text(Map<String, Object> row, String column) {
        Object v = value(row, column);
        if (v instanceof java.sql.Clob clob) {
            try {
                return clob.getSubString(1, (int) clob.length());
            } catch (SQLException e) {
                throw new IllegalStateException("read " + column + " of callback " + value(row, "id"), e);
            }
        }
        return v == null ? null : v.toString();
    }

    private static long number(Map<String, Object> row, String column) {
        return ((Number) value(row, column)).longValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /** A column by name in any case (H2 answers in upper case, the others in lower case). */
    private static Object value(Map<String, Object> row, String column) {
        for (Map.Entry<String, Object> e : row.entrySet()) {
            if (e.getKey().equalsIgnoreCase(column)) {
                return e.getValue();
            }
        }
        return null;
    }
}
