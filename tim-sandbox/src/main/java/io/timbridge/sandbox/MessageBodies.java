package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Validates {@code MsgBody} arrays (c2c.md "MsgBody elements") and turns them into what the store keeps:
 * the canonical UTF-8 JSON (mode {@code full}) or only a fingerprint (mode {@code checksum}), so a rehearsal
 * with millions of messages fits in memory.
 */
final class MessageBodies {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Bytes of canonical MsgBody JSON above which TIM refuses a message ("≤ ~8 KB", 80002 "> 8000 bytes"). */
    static final int MAX_BODY_BYTES = 8000;

    private static final Map<String, Set<String>> REQUIRED = Map.of(
            "TIMTextElem", Set.of("Text"),
            "TIMLocationElem", Set.of("Desc", "Latitude", "Longitude"),
            "TIMFaceElem", Set.of("Index"),
            "TIMCustomElem", Set.of(),
            "TIMSoundElem", Set.of("Url"),
            "TIMImageElem", Set.of("ImageFormat", "ImageInfoArray"),
            "TIMFileElem", Set.of("Url"),
            "TIMVideoFileElem", Set.of("VideoUrl", "ThumbUrl"));
    private static final Set<String> OTHER_TYPES = Set.of("TIMRelayElem");

    private final boolean keepBodies;

    MessageBodies(boolean keepBodies) {
        this.keepBodies = keepBodies;
    }

    boolean keepsBodies() {
        return keepBodies;
    }

    /**
     * Checks the elements and returns the canonical bytes. {@code notArray} is the code for a missing or
     * non-array MsgBody, {@code malformed} for a bad element; {@code tooLong} for more than 8000 bytes.
     */
    static byte[] validate(JsonNode body, int notArray, int malformed, int tooLong) {
        JsonNode n = body.get("MsgBody");
        if (n == null || !n.isArray()) {
            throw new TimException(notArray, "MsgBody must be an array of message elements");
        }
        if (n.isEmpty()) {
            throw new TimException(malformed, "MsgBody has no element");
        }
        int custom = 0;
        for (JsonNode e : n) {
            JsonNode type = e.get("MsgType");
            JsonNode content = e.get("MsgContent");
            if (type == null || !type.isTextual() || content == null || !content.isObject()) {
                throw new TimException(malformed, "each MsgBody element needs MsgType and a MsgContent object");
            }
            Set<String> required = REQUIRED.get(type.asText());
            if (required == null && !OTHER_TYPES.contains(type.asText())) {
                throw new TimException(malformed, "unknown MsgType " + type.asText());
            }
            if (required != null) {
                for (String f : required) {
                    if (!content.has(f)) {
                        throw new TimException(malformed, type.asText() + " needs MsgContent." + f);
                    }
                }
            }
            if ("TIMCustomElem".equals(type.asText()) && ++custom > 1) {
                throw new TimException(malformed, "a message holds at most one TIMCustomElem");
            }
        }
        byte[] canonical = canonical(n);
        if (canonical.length > MAX_BODY_BYTES) {
            throw new TimException(tooLong, "message content is longer than " + MAX_BODY_BYTES + " bytes");
        }
        return canonical;
    }

    /** What the store keeps for a message: the bytes, or null in checksum mode. */
    byte[] stored(byte[] canonical) {
        return keepBodies ? canonical : null;
    }

    /** Fingerprint kept in every mode: first 8 bytes of SHA-256 over the canonical MsgBody. */
    static long fingerprint(byte[] canonical) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xff);
            }
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(long fingerprint) {
        return HexFormat.of().toHexDigits(fingerprint);
    }

    static long crc32(byte[] canonical) {
        CRC32 crc = new CRC32();
        crc.update(canonical);
        return crc.getValue();
    }

    /** The MsgBody to answer with: the stored elements, or an empty array in checksum mode. */
    static ArrayNode read(byte[] stored) {
        if (stored == null) {
            return JSON.createArrayNode();
        }
        try {
            return (ArrayNode) JSON.readTree(stored);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON with object keys sorted at every level, so equal bodies give equal bytes and checksums. */
    static byte[] canonical(JsonNode node) {
        try {
            return JSON.writeValueAsString(sorted(node)).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode out = JSON.createObjectNode();
            for (String name : names) {
                out.set(name, sorted(node.get(name)));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                out.add(sorted(it.next()));
            }
            return out;
        }
        return node;
    }
}
