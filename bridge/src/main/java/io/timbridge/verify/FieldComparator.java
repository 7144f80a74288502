package io.timbridge.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares keyed items field by field: what the import sends for an item (its TIM request values) with
 * what TIM's read API returns for it. Values compare as text, so 20190419 and "20190419" are equal, and an
 * absent value equals the empty string (TIM returns "" for a field that was never set).
 */
public final class FieldComparator {

    private FieldComparator() {
    }

    /**
     * Records the outcome of one key in {@code result}: missing on a side when {@code expected} or
     * {@code actual} is null, else every field of {@code expected} that TIM holds differently.
     */
    public static void compare(String key, Map<String, ?> expected, Map<String, ?> actual, TypeResult result) {
        if (expected == null && actual == null) {
            return;
        }
        if (actual == null) {
            result.missingInTim(key);
            return;
        }
        if (expected == null) {
            result.missingInLegacy(key);
            return;
        }
        List<Difference> differences = differences(key, expected, actual);
        if (differences.isEmpty()) {
            result.matched();
        } else {
            result.different(differences);
        }
    }

    /** The fields of {@code expected} whose value TIM holds differently; fields only TIM has are ignored. */
    public static List<Difference> differences(String key, Map<String, ?> expected, Map<String, ?> actual) {
        List<Difference> out = new ArrayList<>();
        expected.forEach((field, value) -> {
            String want = text(value);
            String have = text(actual.get(field));
            if (!Objects.equals(want, have)) {
                out.add(Difference.different(key, field, want, have));
            }
        });
        return out;
    }

    static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof com.fasterxml.jackson.databind.JsonNode n) {
            return n.isValueNode() ? n.asText() : n.toString();
        }
        if (value instanceof List<?> list && list.size() == 1) {
            return text(list.get(0));
        }
        return String.valueOf(value);
    }
}
