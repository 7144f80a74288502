package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbridge.tim.TimApi;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fault injection per API (by command name, or {@code *} for every API), settable at start and at runtime.
 * Draws come from one seeded generator so a test run repeats the same faults.
 */
public final class Faults {
    /** What happens to one request. */
    record Decision(boolean drop, int http5xx, int errorCode, long delayMillis, boolean afterProcessing) {
        static final Decision NONE = new Decision(false, 0, 0, 0, false);

        boolean any() {
            return drop || http5xx != 0 || errorCode != 0 || delayMillis > 0;
        }
    }

    static final String ALL = "*";

    private final Map<String, FaultSpec> specs = new ConcurrentHashMap<>();
    private final Random random;

    Faults(long seed) {
        this.random = new Random(seed);
    }

    /** Sets the faults of one API ({@code importmsg}, …) or of all ({@code *}); replaces earlier ones. */
    public void set(String command, FaultSpec spec) {
        if (!ALL.equals(command) && TimApi.byCommand(command).isEmpty()) {
            throw new IllegalArgumentException("unknown TIM command " + command);
        }
        specs.put(command, spec);
    }

    public void clear(String command) {
        specs.remove(command);
    }

    public void clearAll() {
        specs.clear();
    }

    public Map<String, FaultSpec> all() {
        return new TreeMap<>(specs);
    }

    ObjectNode toJson() {
        ObjectNode o = MessageBodies.JSON.createObjectNode();
        all().forEach((k, v) -> o.set(k, v.toJson()));
        return o;
    }

    Decision decide(TimApi api) {
        FaultSpec spec = specs.get(api.command());
        if (spec == null) {
            spec = specs.get(ALL);
        }
        if (spec == null) {
            return Decision.NONE;
        }
        synchronized (random) {
            long delay = hit(spec.slowProbability()) ? spec.slowMillis() : 0;
            if (hit(spec.dropProbability())) {
                return new Decision(true, 0, 0, delay, spec.afterProcessing());
            }
            if (hit(spec.http5xxProbability())) {
                return new Decision(false, spec.httpStatus(), 0, delay, spec.afterProcessing());
            }
            int code = hit(spec.errorProbability()) ? spec.errorCode() : 0;
            return new Decision(false, 0, code, delay, false);
        }
    }

    private boolean hit(double p) {
        return p > 0 && (p >= 1 || random.nextDouble() < p);
    }
}
