package io.timbridge.synctotim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbridge.convert.ConversionException;
import io.timbridge.convert.LegacyRow;
import io.timbridge.convert.TimCall;
import io.timbridge.state.Checkpoints;
import io.timbridge.state.DeadLetters;
import io.timbridge.tim.TimConstants;
import io.timbridge.tim.TimException;
import io.timbridge.tim.TimItemFailure;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The cursor and lanes of one legacy → TIM route. A poll cycle reads the rows after the cursor, forms lanes
 * (one conversation each), lets the route send every lane's items in order, and then commits the cursor:
 * <ul>
 * <li>The checkpoint (route id, scope {@value #SCOPE}) only ever moves past rows that are done: applied in
 * TIM, needing nothing, or stored as dead letters. A pending row (its lane held or waiting on a retryable
 * error) keeps the checkpoint below it, and it is tried again, with its lane, in the next cycle.</li>
 * <li>An auto-increment id becomes visible when its transaction commits, possibly after a higher id. Each
 * cycle therefore reads again from the highest id first seen more than {@code settleMillis} ago, skipping
 * rows it has seen since: a row that commits up to {@code settleMillis} late is still sent. A restart
 * resumes from the checkpoint; the sources' own checks (the id map) and TIM's dedup keys drop what was
 * sent already.</li>
 * <li>Rows the query leaves out (the bridge's own, in a table both sides write) never show up as seen, so
 * the cycle's first query also reports the table's highest id ({@value #LAST_ID}). Once a cycle has read to
 * the end of the table, every row up to that id committed by then has been read; when the observation is
 * {@code settleMillis} old, the scan starts above it. Without it every cycle would read again past all the
 * bridge's rows after the app's last one.</li>
 * <li>Memory is bounded: pending rows are kept, up to {@code maxHeld}; while that many wait, no new row is read.</li>
 * </ul>
 * One cycle at a time (the route's timer); the lanes of a cycle run in parallel and only touch their items.
 */
public final class SyncPoller {
    public static final String SCOPE = "sync";
    /** Exchange property: the {@link SyncItem} whose call is the body. */
    public static final String ITEM = "syncItem";
    /** Exchange property: whether another page is read in this cycle. */
    public static final String MORE = "syncMore";
    /** Exchange property: whether the item at hand is sent to TIM. */
    public static final String SEND = "syncSend";
    /** Exchange property: the TIM API (service/command) the item's call goes to. */
    public static final String API = "syncApi";
    /** Header the route sets before {@link #begin}: the table's highest id (or none when it is empty). */
    public static final String LAST_ID = "syncLastId";

    private static final Logger LOG = LoggerFactory.getLogger(SyncPoller.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SyncSource source;
    private final Checkpoints checkpoints;
    private final DeadLetters deadLetters;
    private final LongSupplier startAfter;
    private final int batchSize;
    private final long settleMillis;
    private final int maxHeld;
    private final long graceMillis;
    private final LongSupplier clock;

    private boolean started;
    private long committed;
    /** Every row with an id up to here was read at least settleMillis ago. */
    private long settled;
    /** Ids above {@link #settled} read in this process, with when they were first read. */
    private final TreeMap<Long, Long> seen = new TreeMap<>();
    /** Highest ids of the table (value) read to the end by a cycle that began at the time (key). */
    private final TreeMap<Long, Long> covered = new TreeMap<>();
    /** This cycle's highest id of the table, and when it was taken; covered once the cycle reads to the end. */
    private long cycleLastId = -1;
    private long cycleStartedAt;
    /** Rows read and not done yet, in id order. */
    private final TreeMap<Long, Map<String, Object>> pending = new TreeMap<>();
    /**
     * Per lane (a group), since when its rows have waited for their target (the group, a membership) to reach
     * TIM; cleared when one of them goes. Per lane, not per row: once the grace is spent, the lane's next rows
     * become dead letters at once instead of holding the lane for another grace period each.
     */
    private final Map<String, Long> waitingSince = new ConcurrentHashMap<>();
    /** Whether TIM's last word on this route's calls was a refusal of the app: logged once, not per row. */
    private volatile boolean refusedByTim;
    private long scanAfter;
    private int freshRows;
    private List<SyncItem> cycleItems = List.of();
    /** When a poll cycle last ended with its cursor committed (or when the poller was made): for health. */
    private volatile long lastPollAt;

    /**
     * @param startAfter   the cursor before the first row, when the route has no checkpoint yet; asked at the
     *                     first cycle, so it can depend on an import that finished after the process started
     * @param settleMillis how late an app transaction may commit a row and still be seen
     * @param maxHeld      most rows kept pending before reading stops
     * @param graceMillis  how long an item waits for its group or membership before it becomes a dead letter
     */
    public SyncPoller(SyncSource source, Checkpoints checkpoints, DeadLetters deadLetters, LongSupplier startAfter,
            int batchSize, long settleMillis, int maxHeld, long graceMillis, LongSupplier clock) {
        if (batchSize < 1 || maxHeld < batchSize) {
            throw new IllegalArgumentException(source.routeId() + ": batch size must be at least 1 and at most the"
                    + " held-row limit, were " + batchSize + " and " + maxHeld);
        }
        this.source = source;
        this.checkpoints = checkpoints;
        this.deadLetters = deadLetters;
        this.startAfter = startAfter;
        this.batchSize = batchSize;
        this.settleMillis = settleMillis;
        this.maxHeld = maxHeld;
        this.graceMillis = graceMillis;
        this.clock = clock;
        this.lastPollAt = clock.getAsLong();
    }

    /** A TIM call of this poller that failed (and was handled: retried, waited for, or a dead letter). */
    public record Failure(Integer errorCode, String reason, long at) {
    }

    private final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong processed = new java.util.concurrent.atomic.AtomicLong();
    private volatile Failure lastFailure;

    /** Rows finished since start: sent, needless, or dead letters. */
    public long processed() {
        return processed.get();
    }

    /** TIM calls that failed since start, whatever became of their rows. */
    public long failures() {
        return failures.get();
    }

    /** The latest of {@link #failures()}, or null. */
    public Failure lastFailure() {
        return lastFailure;
    }

    public String routeId() {
        return source.routeId();
    }

    /** The route's committed cursor in the state database: every row up to it is done. */
    public static OptionalLong checkpoint(Checkpoints checkpoints, String routeId) {
        return checkpoints.find(routeId, SCOPE).map(c -> OptionalLong.of(Long.parseLong(c.position())))
                .orElse(OptionalLong.empty());
    }

    /** The committed cursor: every row up to this id is done. */
    public synchronized long committed() {
        return committed;
    }

    /** Rows read and waiting (held lanes, retryable failures). */
    public synchronized int pendingCount() {
        return pending.size();
    }

    /** When the last poll cycle completed (epoch ms); before the first one, when the poller was made. */
    public long lastPollMillis() {
        return lastPollAt;
    }

    /**
     * The legacy {@code created_at_ms} of the oldest row read and not done yet (epoch ms), empty when every row
     * read is done: what the sync lag is measured from. Rows whose query gives no {@code created_at_ms} do not count.
     */
    public synchronized OptionalLong oldestWaitingCreatedAt() {
        long oldest = Long.MAX_VALUE;
        for (Map<String, Object> row : pending.values()) {
            if (LegacyRow.optionalValue(row, "created_at_ms") instanceof Number created) {
                oldest = Math.min(oldest, created.longValue());
            }
        }
        return oldest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(oldest);
    }

    /** Starts a cycle: the first page is read after the highest id that has settled. */
    public synchronized void begin(Exchange exchange) {
        if (!started) {
            committed = checkpoint(checkpoints, routeId()).orElseGet(startAfter::getAsLong);
            settled = committed;
            started = true;
        }
        long now = clock.getAsLong();
        while (!seen.isEmpty() && seen.firstEntry().getValue() <= now - settleMillis) {
            settled = Math.max(settled, seen.pollFirstEntry().getKey());
        }
        while (!covered.isEmpty() && covered.firstKey() <= now - settleMillis) {
            settled = Math.max(settled, covered.pollFirstEntry().getValue());
        }
        cycleLastId = exchange.getMessage().getHeader(LAST_ID) instanceof Number last ? last.longValue() : -1;
        cycleStartedAt = now;
        source.beginCycle();
        scanAfter = settled;
        freshRows = 0;
        exchange.setProperty(MORE, pending.size() < maxHeld);
    }

    /** The named parameters of the next page: {@code after_id} and {@code batch_size}. */
    public synchronized void query(Exchange exchange) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("after_id", scanAfter);
        params.put("batch_size", batchSize);
        exchange.getMessage().setBody(params);
    }

    /** Takes the rows of the page just read that this process has not seen; decides whether to read on. */
    public synchronized void read(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = exchange.getMessage().getBody(List.class);
        rows = rows == null ? List.of() : rows;
        long now = clock.getAsLong();
        for (Map<String, Object> row : rows) {
            long id = source.id(row);
            scanAfter = Math.max(scanAfter, id);
            if (id > settled && !seen.containsKey(id)) {
                seen.put(id, now);
                pending.put(id, row);
                freshRows++;
            }
        }
        if (rows.size() < batchSize && cycleLastId > settled
                && (covered.isEmpty() || covered.lastEntry().getValue() < cycleLastId)) {
            covered.put(cycleStartedAt, cycleLastId);
        }
        exchange.setProperty(MORE, rows.size() >= batchSize && freshRows < batchSize && pending.size() < maxHeld);
    }

    /** Sets the body to the lanes that may send now, every pending row in its lane in id order. */
    public synchronized void lanes(Exchange exchange) {
        Map<String, Lane> lanes = new LinkedHashMap<>();
        List<SyncItem> items = new ArrayList<>();
        for (Map.Entry<Long, Map<String, Object>> e : pending.entrySet()) {
            String key = source.lane(e.getValue());
            Lane lane = lanes.computeIfAbsent(key, Lane::new);
            SyncItem item = new SyncItem(this, lane, e.getKey(), e.getValue());
            lane.add(item);
            items.add(item);
        }
        List<Lane> sendable = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            if (source.ready(lane.key())) {
                sendable.add(lane);
            } else {
                lane.block();
            }
        }
        cycleItems = items;
        exchange.getMessage().setBody(sendable);
    }

    /**
     * Sets the body to the TIM request of the item at hand, or clears {@value #SEND} when the item is not sent:
     * its lane waits, TIM needs nothing, or TIM cannot take it (a dead letter).
     */
    public void prepare(Exchange exchange) {
        SyncItem item = exchange.getMessage().getBody(SyncItem.class);
        exchange.setProperty(ITEM, item);
        exchange.setProperty(SEND, false);
        if (item.lane().blocked()) {
            return;
        }
        TimCall call;
        try {
            call = source.call(item).orElse(null);
        } catch (RowRefusedException e) {
            deadLetter(item, null, null, e.getMessage());
            return;
        } catch (ConversionException e) {
            deadLetter(item, null, null, "message-body: " + e.getMessage());
            return;
        } catch (NamedQuery.LegacyQueryException e) {
            item.lane().block();
            LOG.warn("{}: item {} waits for the next cycle: {}", routeId(), item.key(), e.getMessage());
            return;
        }
        if (call == null) {
            done(item);
            return;
        }
        item.call(call);
        exchange.setProperty(API, call.api().path());
        exchange.getMessage().setBody(call.request());
        exchange.setProperty(SEND, true);
    }

    /** TIM answered OK: the item is applied, unless the answer lists it as failed (e.g. MsgDropReason). */
    public void answered(Exchange exchange) {
        SyncItem item = exchange.getProperty(ITEM, SyncItem.class);
        List<?> failures = exchange.getMessage().getHeader(TimConstants.FAILED_ITEMS, List.class);
        if (failures != null && !failures.isEmpty()) {
            TimItemFailure failure = (TimItemFailure) failures.get(0);
            outcome(item, TimException.forItem(item.call().api().path(), failure));
            return;
        }
        source.applied(item, exchange.getMessage().getBody(Map.class));
        if (refusedByTim) {
            refusedByTim = false;
            LOG.info("{}: TIM accepts the bridge's calls again", routeId());
        }
        waitingSince.remove(item.lane().key());
        done(item);
    }

    /** The call failed (after the route's redeliveries): applied, waiting, or a dead letter, as the source says. */
    public void failed(Exchange exchange) {
        SyncItem item = exchange.getProperty(ITEM, SyncItem.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        failures.incrementAndGet();
        lastFailure = cause instanceof TimException e ? new Failure(e.errorCode(), e.getMessage(), clock.getAsLong())
                : new Failure(null, String.valueOf(cause), clock.getAsLong());
        if (item == null) {
            throw new IllegalStateException(routeId() + " failed outside a TIM call: " + cause, cause);
        }
        if (cause instanceof TimException e) {
            outcome(item, e);
        } else {
            deadLetter(item, null, null, String.valueOf(cause));
        }
    }

    private void outcome(SyncItem item, TimException e) {
        if (e.isFatal()) {
            // TIM refuses the app, not this row: every row would fail alike, so none becomes a dead letter.
            item.lane().block();
            if (!refusedByTim) {
                refusedByTim = true;
                LOG.error("{}: TIM refuses the bridge's calls; rows wait (none becomes a dead letter) until it"
                        + " accepts them again: {}", routeId(), e.getMessage());
            }
            return;
        }
        SyncSource.ErrorOutcome outcome = source.onError(item, e);
        switch (outcome) {
            case APPLIED -> done(item);
            case RETRY -> waitFor(item, e);
            case WAIT_FOR_TARGET -> {
                long since = waitingSince.computeIfAbsent(item.lane().key(), lane -> clock.getAsLong());
                if (clock.getAsLong() - since >= graceMillis) {
                    deadLetter(item, e.apiPath(), e.errorCode(), e.getMessage() + " (still so after waiting "
                            + graceMillis + " ms for the group or membership to reach TIM)");
                } else {
                    waitFor(item, e);
                }
            }
            case DEAD_LETTER -> deadLetter(item, e.apiPath(), e.errorCode(), e.getMessage());
        }
    }

    private void waitFor(SyncItem item, TimException e) {
        item.lane().block();
        LOG.debug("{}: item {} waits for the next cycle: {}", routeId(), item.key(), e.getMessage());
    }

    private void deadLetter(SyncItem item, String api, Integer code, String reason) {
        Object payload = item.call() != null ? item.call().request() : item.row();
        deadLetters.record(routeId(), item.key(), api, code, reason, json(payload));
        LOG.warn("{}: item {} is a dead letter: {}", routeId(), item.key(), reason);
        done(item);
    }

    private void done(SyncItem item) {
        item.markDone();
        processed.incrementAndGet();
    }

    /** Ends a cycle: done rows leave, and the checkpoint moves to the highest id below every pending row. */
    public synchronized void commit(Exchange exchange) {
        int doneNow = 0;
        for (SyncItem item : cycleItems) {
            if (item.done()) {
                pending.remove(item.id());
                doneNow++;
            }
        }
        cycleItems = List.of();
        long next = pending.isEmpty() ? settled : Math.min(settled, pending.firstKey() - 1);
        if (next > committed || doneNow > 0) {
            committed = Math.max(committed, next);
            checkpoints.advance(routeId(), SCOPE, Long.toString(committed), doneNow);
        }
        lastPollAt = clock.getAsLong();
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            return String.valueOf(o);
        }
    }
}
