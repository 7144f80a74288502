package io.timbridge.verify;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of one verify run: per data type what each side holds and how they differ, plus how it ran
 * (full pass or seeded sample, how long a full pass would take within TIM's API budgets).
 */
public final class VerifyReport {
    private final String startedAt;
    private final Long sampleSize;
    private final Long seed;
    private final long roamingWindowStart;
    private final List<TypeResult> types = new ArrayList<>();
    private final List<String> fullPassEstimates = new ArrayList<>();
    private double seconds;

    /** @param sampleSize keys sampled per data type, or null for a full pass */
    public VerifyReport(String startedAt, Long sampleSize, Long seed, long roamingWindowStart) {
        this.startedAt = startedAt;
        this.sampleSize = sampleSize;
        this.seed = seed;
        this.roamingWindowStart = roamingWindowStart;
    }

    public void add(TypeResult result) {
        types.add(result);
    }

    public void estimate(String line) {
        fullPassEstimates.add(line);
    }

    public void finished(double seconds) {
        this.seconds = seconds;
    }

    @JsonProperty
    public String startedAt() {
        return startedAt;
    }

    @JsonProperty
    public Long sampleSize() {
        return sampleSize;
    }

    @JsonProperty
    public Long seed() {
        return seed;
    }

    /** Unix seconds: messages before it are beyond TIM's roaming window; 0 = no window. */
    @JsonProperty
    public long roamingWindowStart() {
        return roamingWindowStart;
    }

    @JsonProperty
    public double seconds() {
        return seconds;
    }

    @JsonProperty
    public List<String> fullPassEstimates() {
        return fullPassEstimates;
    }

    @JsonProperty
    public List<TypeResult> types() {
        return types;
    }

    /** No type differs (some may be {@link #unverified()}, so this alone is no "both sides match"). */
    @JsonProperty
    public boolean matches() {
        return types.stream().allMatch(TypeResult::matches);
    }

    /** The types nothing could be compared of: every legacy item was out of TIM's reach. */
    @JsonProperty
    public List<String> unverified() {
        return types.stream().filter(t -> !t.verified()).map(TypeResult::type).toList();
    }

    /** The verdict, for the terminal and the report. */
    public String conclusion() {
        if (!matches()) {
            return "The two sides differ: see the report for the keys.";
        }
        List<String> unverified = unverified();
        if (!unverified.isEmpty()) {
            return "NOT VERIFIED: " + String.join(", ", unverified) + ": every legacy item is older than TIM's roaming"
                    + " window (bridge.verify.roaming-window-days), so none could be compared. Nothing compared differs.";
        }
        return "Both sides match.";
    }

    public TypeResult type(String name) {
        return types.stream().filter(t -> t.type().equals(name)).findFirst().orElse(null);
    }
}
