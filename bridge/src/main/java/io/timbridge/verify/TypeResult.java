package io.timbridge.verify;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What verify found for one data type. Counts are exact; the listed differences and dead letters are capped
 * ({@code bridge.verify.max-listed}) so a report with millions of differences stays readable.
 * An item counts once: matching, missing on one side, or different (however many of its fields differ).
 */
public final class TypeResult {
    public record DeadLetter(String key, String reason) {
    }

    private final String type;
    private final int maxListed;
    private final Map<String, String> knownDeadLetters = new HashMap<>();
    long legacy;
    long tim;
    long matching;
    long missingInTim;
    long missingInLegacy;
    long different;
    long outOfReach;
    long deadLetterCount;
    /** Messages missing in TIM that are older than TIM's default roaming period (7 days) at the time of the run. */
    long missingOutsideDefaultWindow;
    private final List<Difference> differences = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Long> deadLettersByReason = new java.util.TreeMap<>();

    public TypeResult(String type, int maxListed) {
        this.type = type;
        this.maxListed = maxListed;
    }

    /** Items the import left as dead letters in the bridge state (TIM refused them): not differences. */
    public void knownDeadLetter(String key, String reason) {
        knownDeadLetters.put(key, reason);
    }

    /** A legacy item the import refuses or left as a dead letter: listed with its reason, not a difference. */
    public void deadLetter(String key, String reason) {
        deadLetterCount++;
        deadLettersByReason.merge(reasonClass(reason), 1L, Long::sum);
        if (deadLetters.size() < maxListed) {
            deadLetters.add(new DeadLetter(key, reason));
        }
    }

    /** An expected item (one the import sends) was found in TIM and equal. */
    public void matched() {
        legacy++;
        tim++;
        matching++;
    }

    /** An expected item TIM does not hold; a dead letter of the import is listed as such instead. */
    public void missingInTim(String key) {
        missingInTim(key, key);
    }

    /** As {@link #missingInTim(String)}, for an item whose dead-letter key differs from the key reported. */
    public void missingInTim(String key, String itemKey) {
        String reason = knownDeadLetters.get(itemKey);
        if (reason != null) {
            deadLetter(key, reason);
            return;
        }
        legacy++;
        missingInTim++;
        list(Difference.missingInTim(key));
    }

    /** As {@link #missingInTim(String, String)}, for a message sent at {@code timeSeconds}. */
    public void missingMessageInTim(String key, String itemKey, long timeSeconds, String text) {
        String reason = knownDeadLetters.get(itemKey);
        if (reason != null) {
            deadLetter(key, reason);
            return;
        }
        legacy++;
        missingInTim++;
        list(Difference.missingInTim(key, text));
        if (timeSeconds < DEFAULT_WINDOW_START) {
            missingOutsideDefaultWindow++;
        }
    }

    /** A message only TIM holds, with its text. */
    public void missingMessageInLegacy(String key, String text) {
        tim++;
        missingInLegacy++;
        list(Difference.missingInLegacy(key, text));
    }

    /** The first second of TIM's default 7-day roaming period, as of this run. */
    static final long DEFAULT_WINDOW_START = System.currentTimeMillis() / 1000 - 7 * 86_400L;

    public long missingOutsideDefaultWindow() {
        return missingOutsideDefaultWindow;
    }

    public void missingInLegacy(String key) {
        tim++;
        missingInLegacy++;
        list(Difference.missingInLegacy(key));
    }

    /** An item on both sides with at least one difference (all of them listed). */
    public void different(List<Difference> fields) {
        legacy++;
        tim++;
        different++;
        fields.forEach(this::list);
    }

    /** A legacy item TIM cannot return (older than its roaming window): neither a match nor a difference. */
    public void beyondWindow() {
        outOfReach++;
    }

    /** The refusal rule ("group-profile: ..."), TIM's code ("TIM 40001 ..."), or the reason's first words. */
    static String reasonClass(String reason) {
        String r = reason == null ? "" : reason;
        java.util.regex.Matcher rule = java.util.regex.Pattern.compile("^([a-z][a-z-]+):").matcher(r);
        if (rule.find()) {
            return rule.group(1);
        }
        java.util.regex.Matcher code = java.util.regex.Pattern.compile("\\b(\\d{4,6})\\b").matcher(r);
        if (code.find()) {
            return "TIM " + code.group(1);
        }
        return r.length() <= 60 ? r : r.substring(0, 59) + "…";
    }

    /** Dead letters per refusal rule or TIM code, all of them counted. */
    @JsonProperty
    public Map<String, Long> deadLettersByReason() {
        return deadLettersByReason;
    }

    public void note(String note) {
        notes.add(note);
    }

    private void list(Difference d) {
        if (differences.size() < maxListed) {
            differences.add(d);
        }
    }

    @JsonProperty
    public String type() {
        return type;
    }

    @JsonProperty
    public long legacy() {
        return legacy;
    }

    @JsonProperty
    public long tim() {
        return tim;
    }

    @JsonProperty
    public long matching() {
        return matching;
    }

    @JsonProperty
    public long missingInTim() {
        return missingInTim;
    }

    @JsonProperty
    public long missingInLegacy() {
        return missingInLegacy;
    }

    @JsonProperty
    public long different() {
        return different;
    }

    @JsonProperty
    public long outOfReach() {
        return outOfReach;
    }

    @JsonProperty
    public long deadLetterCount() {
        return deadLetterCount;
    }

    @JsonProperty
    public List<Difference> differences() {
        return differences;
    }

    @JsonProperty
    public List<DeadLetter> deadLetters() {
        return deadLetters;
    }

    @JsonProperty
    public List<String> notes() {
        return notes;
    }

    @JsonProperty
    public boolean matches() {
        return missingInTim == 0 && missingInLegacy == 0 && different == 0;
    }

    /** Items compared on both sides: matching, different or missing on one side. */
    @JsonProperty
    public long compared() {
        return matching + different + missingInTim + missingInLegacy;
    }

    /**
     * Whether the comparison says anything: not when every legacy item was out of TIM's reach (older than its
     * roaming window), so that nothing was compared although there was something to compare.
     */
    @JsonProperty
    public boolean verified() {
        return compared() > 0 || outOfReach == 0;
    }

    /** MATCH, DIFFERENT or NOT VERIFIED (nothing comparable), for the summary. */
    @JsonProperty
    public String verdict() {
        return !matches() ? "DIFFERENT" : verified() ? "MATCH" : "NOT VERIFIED";
    }

    /** Differences found but not listed because of the cap. */
    @JsonProperty
    public long unlisted() {
        long itemsWithDifferences = missingInTim + missingInLegacy + different;
        return Math.max(0, itemsWithDifferences - differences.size());
    }
}
