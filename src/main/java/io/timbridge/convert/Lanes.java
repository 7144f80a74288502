package io.timbridge.convert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects the calls of one page into lanes (in order of first appearance) and the refusals. */
final class Lanes {

    private final Map<Object, List<TimCall>> lanes = new LinkedHashMap<>();
    private final List<Refusal> refusals = new ArrayList<>();

    /** Appends to the lane of {@code key}: calls for one user or group are never sent concurrently. */
    void add(Object key, TimCall call) {
        lanes.computeIfAbsent(key, k -> new ArrayList<>()).add(call);
    }

    /** A call that depends on no other goes into a lane of its own. */
    void addAlone(TimCall call) {
        add(new Object(), call);
    }

    void refuse(Refusal refusal) {
        refusals.add(refusal);
    }

    Requests requests() {
        return new Requests(new ArrayList<>(lanes.values()), refusals);
    }
}
