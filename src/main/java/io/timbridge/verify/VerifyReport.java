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

    @JsonProperty
    public boolean matches() {
        return types.stream().allMatch(TypeResult::matches);
    }

    public TypeResult type(String name) {
        return types.stream().filter(t -> t.type().equals(name)).findFirst().orElse(null);
    }
}
