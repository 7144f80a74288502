package io.timbridge.convert;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the calls of one page into lanes and the refusals. The page's lanes come longest first: a page ends
 * when its longest lane does, and a long lane started last would run alone at the page's end, one call at a time,
 * while the rest of the API's budget went unused.
 */
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
        List<List<TimCall>> longestFirst = new ArrayList<>(lanes.values());
        longestFirst.sort(Comparator.comparingInt(List<TimCall>::size).reversed());
        return new Requests(longestFirst, refusals);
    }
}
