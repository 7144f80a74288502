package io.timbridge.convert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Legacy rows for tests, as JDBC hands them over: ordered maps that may hold nulls. */
final class Rows {

    private Rows() {
    }

    /** {@code row("user_id", "u1", "nickname", null)}. */
    static Map<String, Object> row(Object... columnsAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            row.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return row;
    }

    /** The row with one column changed (or added). */
    static Map<String, Object> with(Map<String, Object> row, String column, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(row);
        copy.put(column, value);
        return copy;
    }

    static Map<String, Object> without(Map<String, Object> row, String column) {
        Map<String, Object> copy = new LinkedHashMap<>(row);
        copy.remove(column);
        return copy;
    }

    /** The rows as H2 reports them: column names in upper case. */
    static List<Map<String, Object>> upperCase(List<Map<String, Object>> rows) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> upper = new LinkedHashMap<>();
            row.forEach((column, value) -> upper.put(column.toUpperCase(Locale.ROOT), value));
            result.add(upper);
        }
        return result;
    }

    /** A string of exactly {@code bytes} UTF-8 bytes made of 3-byte CJK characters and ASCII padding. */
    static String utf8OfBytes(int bytes) {
        return "字".repeat(bytes / 3) + "a".repeat(bytes % 3);
    }

    /** Everything a build produced as JSON text: unlike map equality, this also compares the order of fields. */
    static String json(Requests requests) {
        try {
            return new ObjectMapper().writeValueAsString(requests);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }
}
