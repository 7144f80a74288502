package io.timbridge.convert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/** JSON helpers shared by the request builders. */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** A JSON array as plain lists and maps, so every request is one tree of standard types. */
    static List<Object> plain(JsonNode array) {
        return MAPPER.convertValue(array, new TypeReference<List<Object>>() { });
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings always serialize", e);
        }
    }

    /** TIM's optional fields are left out rather than sent as null. */
    static void putIfNotNull(Map<String, Object> request, String field, Object value) {
        if (value != null) {
            request.put(field, value);
        }
    }
}
