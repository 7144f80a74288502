package io.timbridge.verify;

/**
 * One thing that differs between the legacy database and TIM: the item's key (as in docs/import-mapping.md:
 * {@code user}, {@code user:friend}, {@code group:user}, a conversation or group with the legacy message id),
 * what kind of difference it is, and for {@link Kind#DIFFERENT} and {@link Kind#REORDERED} the field with its
 * value on each side.
 */
public record Difference(String key, Kind kind, String field, String legacy, String tim) {

    public enum Kind {
        /** The legacy item is not in TIM. */
        MISSING_IN_TIM("missing in TIM"),
        /** TIM holds an item the legacy database does not have. */
        MISSING_IN_LEGACY("missing in legacy"),
        /** Both sides have the item; a field differs. */
        DIFFERENT("different"),
        /** Both sides have the message, in a different position of its conversation. */
        REORDERED("reordered");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public static Difference missingInTim(String key) {
        return new Difference(key, Kind.MISSING_IN_TIM, null, null, null);
    }

    /** A message missing in TIM, with the legacy text it had. */
    public static Difference missingInTim(String key, String legacyText) {
        return new Difference(key, Kind.MISSING_IN_TIM, "MsgBody", legacyText, null);
    }

    /** A message only TIM holds, with its text. */
    public static Difference missingInLegacy(String key, String timText) {
        return new Difference(key, Kind.MISSING_IN_LEGACY, "MsgBody", null, timText);
    }

    public static Difference missingInLegacy(String key) {
        return new Difference(key, Kind.MISSING_IN_LEGACY, null, null, null);
    }

    public static Difference different(String key, String field, String legacy, String tim) {
        return new Difference(key, Kind.DIFFERENT, field, legacy, tim);
    }

    public static Difference reordered(String key, String legacy, String tim) {
        return new Difference(key, Kind.REORDERED, "position", legacy, tim);
    }
}
