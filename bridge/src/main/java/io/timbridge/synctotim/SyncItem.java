package io.timbridge.synctotim;

import io.timbridge.convert.TimCall;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One legacy row on its way to TIM: its id (the poller's cursor key), the lane it belongs to, the row
 * itself and, once {@link SyncPoller#prepare} built it, the TIM call. An item ends {@linkplain #done()
 * done} (applied, nothing to do, or a dead letter) or stays pending and is tried again in a later cycle.
 */
public final class SyncItem {
    private final SyncPoller poller;
    private final Lane lane;
    private final long id;
    private final Map<String, Object> row;
    private volatile TimCall call;
    private volatile boolean done;

    SyncItem(SyncPoller poller, Lane lane, long id, Map<String, Object> row) {
        this.poller = poller;
        this.lane = lane;
        this.id = id;
        this.row = Collections.unmodifiableMap(new LinkedHashMap<>(row));
    }

    public SyncPoller poller() {
        return poller;
    }

    public Lane lane() {
        return lane;
    }

    /** The legacy row id: the message id, or the change-log entry id. */
    public long id() {
        return id;
    }

    public String key() {
        return Long.toString(id);
    }

    public Map<String, Object> row() {
        return row;
    }

    /** The TIM call built for this row, or null before {@link SyncPoller#prepare} or when none is needed. */
    public TimCall call() {
        return call;
    }

    void call(TimCall call) {
        this.call = call;
    }

    public boolean done() {
        return done;
    }

    void markDone() {
        this.done = true;
    }
}
