package io.timbridge.convert;

/**
 * A message as the legacy tables hold it: {@code msg_type} and {@code content}
 * (plain text for text messages, a JSON document for the other types).
 */
public record LegacyMessageBody(String type, String content) {
}
