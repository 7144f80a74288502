package io.timbridge.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A content checksum of a TIM MsgBody: SHA-256 (first 16 hex digits) of its JSON with object keys sorted,
 * so the body the import sends and the body TIM returns compare equal whatever order TIM writes keys in.
 */
public final class MessageChecksum {
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private MessageChecksum() {
    }

    private static final int EXCERPT = 80;

    /**
     * What a reader recognises a message by in a report: its text elements' text, other elements as
     * {@code [TIMImageElem]}, at most 80 characters.
     */
    public static String excerpt(Object msgBody) {
        StringBuilder sb = new StringBuilder();
        if (CANONICAL.convertValue(msgBody, Object.class) instanceof java.util.List<?> elements) {
            for (Object e : elements) {
                if (!(e instanceof java.util.Map<?, ?> element)) {
                    continue;
                }
                if (!sb.isEmpty()) {
                    sb.append(' ');
                }
                Object type = element.get("MsgType");
                if ("TIMTextElem".equals(type) && element.get("MsgContent") instanceof java.util.Map<?, ?> content) {
                    sb.append(content.get("Text"));
                } else {
                    sb.append('[').append(type).append(']');
                }
            }
        }
        return sb.length() <= EXCERPT ? sb.toString() : sb.substring(0, EXCERPT - 1) + "…";
    }

    /** @param msgBody a MsgBody as a Jackson tree or as maps and lists */
    public static String of(Object msgBody) {
        try {
            Object plain = CANONICAL.convertValue(msgBody, Object.class);
            byte[] json = CANONICAL.writeValueAsBytes(plain);
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(json);
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot checksum a message body", e);
        }
    }

}
