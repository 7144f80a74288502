package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Typed reads of request fields that fail with the caller-chosen TIM error code. */
final class Fields {
    static final long U32_MAX = 4_294_967_295L;

    private Fields() {
    }

    static String text(JsonNode body, String name, int code) {
        String v = optText(body, name, code);
        if (v == null) {
            throw new TimException(code, name + " is required");
        }
        return v;
    }

    static String optText(JsonNode body, String name, int code) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new TimException(code, name + " must be a string");
        }
        return n.asText();
    }

    static long integer(JsonNode body, String name, int code) {
        Long v = optInteger(body, name, code);
        if (v == null) {
            throw new TimException(code, name + " is required");
        }
        return v;
    }

    static Long optInteger(JsonNode body, String name, int code) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new TimException(code, name + " must be an integer");
        }
        return n.asLong();
    }

    static Long optU32(JsonNode body, String name, int code) {
        Long v = optInteger(body, name, code);
        if (v != null && (v < 0 || v > U32_MAX)) {
            throw new TimException(code, name + " must be an unsigned 32-bit integer");
        }
        return v;
    }

    static ArrayNode array(JsonNode body, String name, int code) {
        JsonNode n = body.get(name);
        if (n == null || !n.isArray()) {
            throw new TimException(code, name + " must be an array");
        }
        return (ArrayNode) n;
    }

    /** A string array; absent means empty. */
    static List<String> texts(JsonNode body, String name, int code) {
        JsonNode n = body.get(name);
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw new TimException(code, name + " must be an array of strings");
        }
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw new TimException(code, name + " must be an array of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    static int bytes(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
