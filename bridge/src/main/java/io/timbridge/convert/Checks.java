package io.timbridge.convert;

import io.timbridge.convert.TimRules.Violation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Turns TIM's rules into refusals whose reasons name the value and the limit. */
final class Checks {

    private static final int QUOTED_CODE_POINTS = 40;

    private Checks() {
    }

    static Optional<Refusal> userId(String itemKey, String field, String userId, Map<String, Object> row) {
        return refusal(itemKey, Refusal.USER_ID, TimRules.checkUserId(field, userId), userId, row);
    }

    static Optional<Refusal> groupId(String itemKey, String groupId, Map<String, Object> row) {
        return refusal(itemKey, Refusal.GROUP_ID, TimRules.checkGroupId(groupId), groupId, row);
    }

    static Optional<Refusal> groupType(String itemKey, String groupType, Map<String, Object> row) {
        if (!TimRules.checkImportableGroupType(groupType).isEmpty()) {
            String reason = TimGroupType.parse(groupType)
                    .map(t -> "group_type " + quote(groupType) + " (" + t.restName()
                            + ") cannot be imported: TIM keeps no member list or history for it")
                    .orElseGet(() -> "group_type " + quote(groupType) + " is none of work, public, meeting,"
                            + " community (or TIM's Private, Public, ChatRoom, Community)");
            return Optional.of(new Refusal(itemKey, Refusal.GROUP_TYPE, reason, row));
        }
        return Optional.empty();
    }

    /**
     * The rules of the group a member, unread count or message belongs to: its GroupID, and its type when
     * the data type's SQL returns {@code group_type} (live groups have no member list and no history).
     */
    static Optional<Refusal> group(String itemKey, String groupId, Map<String, Object> row, String dataType) {
        return groupId(itemKey, groupId, row)
                .or(() -> LegacyRow.has(row, "group_type")
                        ? groupType(itemKey, LegacyRow.text(row, "group_type", dataType), row)
                        : Optional.empty());
    }

    /** Refuses a message older than the cutoff (0: no cutoff); a message at the cutoff itself is kept. */
    static Optional<Refusal> retention(String itemKey, long createdAtMs, long cutoffMs, Map<String, Object> row) {
        if (cutoffMs > 0 && createdAtMs < cutoffMs) {
            return Optional.of(new Refusal(itemKey, Refusal.RETENTION, "sent at " + Instant.ofEpochMilli(createdAtMs)
                    + " (created_at_ms " + createdAtMs + "), before the history retention cutoff "
                    + Instant.ofEpochMilli(cutoffMs) + " (" + cutoffMs + ")", row));
        }
        return Optional.empty();
    }

    static Refusal messageBody(String itemKey, ConversionException e, Map<String, Object> row) {
        String rule = e.reason() == ConversionException.Reason.BODY_TOO_LARGE
                ? Refusal.BODY_SIZE
                : Refusal.MESSAGE_BODY;
        return new Refusal(itemKey, rule, e.getMessage(), row);
    }

    static Optional<Refusal> refusal(String itemKey, String rule, List<Violation> violations, String value,
            Map<String, Object> row) {
        if (violations.isEmpty()) {
            return Optional.empty();
        }
        String reason = violations.stream().map(v -> describe(v, value)).collect(Collectors.joining("; "));
        return Optional.of(new Refusal(itemKey, rule, reason, row));
    }

    /** E.g. {@code UserID 'wx_o…' is 34 bytes UTF-8, at most 32 allowed}. */
    static String describe(Violation violation, String value) {
        String detail = violation.detail();
        if (value == null || value.isEmpty() || detail.startsWith("'")) {
            return violation.field() + " " + detail;
        }
        return violation.field() + " " + quote(value) + " is " + detail;
    }

    /** The value in quotes, shortened so a 500-byte value does not bury the reason. */
    static String quote(String value) {
        if (value == null) {
            return "NULL";
        }
        if (value.codePointCount(0, value.length()) <= QUOTED_CODE_POINTS) {
            return "'" + value + "'";
        }
        return "'" + value.substring(0, value.offsetByCodePoints(0, QUOTED_CODE_POINTS)) + "…'";
    }

    static String key(String a, String b) {
        return a + ":" + b;
    }
}
