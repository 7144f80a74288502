package io.timbridge.convert;

import java.util.List;

/**
 * What a page of legacy rows becomes. Calls within a lane must be sent in order, each after the
 * previous one has been answered; different lanes may run in parallel. Refused rows never reach TIM.
 */
public record Requests(List<List<TimCall>> lanes, List<Refusal> refusals) {

    public Requests {
        lanes = lanes.stream().map(List::copyOf).toList();
        refusals = List.copyOf(refusals);
    }

    /** Every call, lane after lane. */
    public List<TimCall> calls() {
        return lanes.stream().flatMap(List::stream).toList();
    }

    public int callCount() {
        return lanes.stream().mapToInt(List::size).sum();
    }

    /** Legacy items carried by all calls together. */
    public int itemCount() {
        return lanes.stream().flatMap(List::stream).mapToInt(call -> call.itemKeys().size()).sum();
    }
}
