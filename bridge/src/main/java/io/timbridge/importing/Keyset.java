package io.timbridge.importing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keyset pagination over a legacy query: the key columns (one, or several for a composite order such as
 * {@code group_id, created_at_ms, id}) and the position before the first row. A position is the key values
 * of the last row done, stored as a JSON array; the next page is read with {@code :#after_<column>}
 * parameters, so the legacy SQL never needs an OFFSET and each page costs the same however deep it is.
 */
public record Keyset(List<String> columns, List<Object> start) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public Keyset {
        if (columns.isEmpty() || columns.size() != start.size()) {
            throw new IllegalArgumentException("keyset needs as many start values as key columns, got columns "
                    + columns + " and start " + start);
        }
        columns = List.copyOf(columns);
        start = List.copyOf(start);
    }

    /**
     * From configuration: {@code key} is a comma-separated column list, {@code start} the matching values
     * (numbers a long holds stay numbers, anything else is text; an empty entry is the empty string).
     */
    public static Keyset parse(String key, String start) {
        List<String> columns = Arrays.stream(key.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        String[] parts = (start == null ? "" : start).split(",", -1);
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String v = i < parts.length ? parts[i].trim() : "";
            values.add(isLong(v) ? (Object) Long.parseLong(v) : v);
        }
        return new Keyset(columns, values);
    }

    /**
     * Whether a start value is a whole number a long holds: 19-digit values too (snowflake ids), which sent as
     * text would make MySQL compare a BIGINT key with a string as doubles and lose the last digits.
     */
    private static boolean isLong(String v) {
        if (!v.matches("-?\\d{1,19}")) {
            return false;
        }
        try {
            Long.parseLong(v);
            return true;
        } catch (NumberFormatException tooLarge) {
            return false;
        }
    }

    public String startPosition() {
        return encode(start);
    }

    /** The key values of {@code row}, as a position. */
    public String positionOf(Map<String, Object> row) {
        Map<String, Object> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(row);
        List<Object> values = new ArrayList<>();
        for (String column : columns) {
            if (!byName.containsKey(column)) {
                throw new IllegalArgumentException("the page query returned no key column '" + column
                        + "' (it returned " + row.keySet() + ")");
            }
            Object v = byName.get(column);
            values.add(v instanceof Number n ? (Object) n.longValue() : v == null ? null : v.toString());
        }
        return encode(values);
    }

    /** Named SQL parameters {@code after_<column>} for the page after {@code position}, and {@code limit}. */
    public Map<String, Object> parameters(String position, int limit) {
        List<Object> values = decode(position);
        Map<String, Object> params = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            params.put("after_" + columns.get(i), values.get(i));
        }
        params.put("limit", limit);
        return params;
    }

    private static String encode(List<Object> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Object> decode(String position) {
        try {
            List<Object> values = new ArrayList<>();
            for (Object v : JSON.readValue(position, List.class)) {
                values.add(v instanceof Integer n ? (Object) n.longValue() : v);
            }
            if (values.size() != columns.size()) {
                throw new IllegalArgumentException("checkpoint " + position + " does not fit key columns " + columns
                        + ": the key changed since the last run; reset the checkpoint of this route");
            }
            return values;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable checkpoint position " + position, e);
        }
    }
}
