package io.timbridge.convert;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * TIM's rules for identifiers and profile values (tim-api README §3), checked before a row is
 * sent so that a row TIM would refuse becomes a dead letter with a precise reason. Every check
 * returns all violations it finds; an empty list means TIM accepts the value.
 */
public final class TimRules {

    public static final int USER_ID_MAX_BYTES = 32;
    public static final int GROUP_ID_MAX_BYTES = 48;
    public static final int GROUP_NAME_MAX_BYTES = 30;
    public static final int GROUP_INTRODUCTION_MAX_BYTES = 240;
    public static final int GROUP_NOTIFICATION_MAX_BYTES = 300;
    public static final int GROUP_FACE_URL_MAX_BYTES = 100;
    public static final int PROFILE_VALUE_MAX_BYTES = 500;
    /** Prefix of server-assigned group ids; a custom id must not use it. */
    public static final String RESERVED_GROUP_ID_PREFIX = "@TGS#";

    public enum Reason {
        USER_ID_EMPTY,
        USER_ID_TOO_LONG,
        /** '@' ids collide with SDK sentinels such as @TLS#NOT_FOUND and @TIM#SYSTEM. */
        USER_ID_RESERVED_PREFIX,
        GROUP_ID_EMPTY,
        GROUP_ID_NOT_PRINTABLE_ASCII,
        GROUP_ID_TOO_LONG,
        GROUP_ID_RESERVED_PREFIX,
        GROUP_NAME_EMPTY,
        GROUP_NAME_TOO_LONG,
        GROUP_INTRODUCTION_TOO_LONG,
        GROUP_NOTIFICATION_TOO_LONG,
        GROUP_FACE_URL_TOO_LONG,
        GROUP_TYPE_UNKNOWN,
        GROUP_TYPE_NOT_IMPORTABLE,
        PROFILE_VALUE_TOO_LONG
    }

    /** One broken rule: which, on what field, and a sentence for the operator. */
    public record Violation(Reason reason, String field, String detail) {
        @Override
        public String toString() {
            return reason + " (" + field + "): " + detail;
        }
    }

    private TimRules() {
    }

    public static List<Violation> checkUserId(String userId) {
        return checkUserId("UserID", userId);
    }

    /** UserID rules for a named field, e.g. {@code Owner_Account}. */
    public static List<Violation> checkUserId(String field, String userId) {
        List<Violation> violations = new ArrayList<>();
        if (userId == null || userId.isEmpty()) {
            violations.add(new Violation(Reason.USER_ID_EMPTY, field, "is empty"));
            return violations;
        }
        tooLong(violations, Reason.USER_ID_TOO_LONG, field, userId, USER_ID_MAX_BYTES);
        if (userId.startsWith("@")) {
            violations.add(new Violation(Reason.USER_ID_RESERVED_PREFIX, field, "'" + userId + "' starts with '@'"));
        }
        return violations;
    }

    public static List<Violation> checkGroupId(String groupId) {
        List<Violation> violations = new ArrayList<>();
        String field = "GroupId";
        if (groupId == null || groupId.isEmpty()) {
            violations.add(new Violation(Reason.GROUP_ID_EMPTY, field, "is empty"));
            return violations;
        }
        int bad = firstNonPrintableAscii(groupId);
        if (bad >= 0) {
            violations.add(new Violation(Reason.GROUP_ID_NOT_PRINTABLE_ASCII, field,
                    String.format("'%s' has U+%04X at index %d; only 0x20-0x7E are allowed",
                            groupId, groupId.codePointAt(bad), bad)));
        }
        tooLong(violations, Reason.GROUP_ID_TOO_LONG, field, groupId, GROUP_ID_MAX_BYTES);
        if (groupId.startsWith(RESERVED_GROUP_ID_PREFIX)) {
            violations.add(new Violation(Reason.GROUP_ID_RESERVED_PREFIX, field,
                    "'" + groupId + "' starts with " + RESERVED_GROUP_ID_PREFIX + ", reserved for server-assigned ids"));
        }
        return violations;
    }

    /** Name (required), introduction, notification and face URL of a group; null means "not set". */
    public static List<Violation> checkGroupProfile(String name, String introduction, String notification,
            String faceUrl) {
        List<Violation> violations = new ArrayList<>();
        if (name == null || name.isEmpty()) {
            violations.add(new Violation(Reason.GROUP_NAME_EMPTY, "Name", "is empty; import_group requires a name"));
        } else {
            tooLong(violations, Reason.GROUP_NAME_TOO_LONG, "Name", name, GROUP_NAME_MAX_BYTES);
        }
        tooLong(violations, Reason.GROUP_INTRODUCTION_TOO_LONG, "Introduction", introduction,
                GROUP_INTRODUCTION_MAX_BYTES);
        tooLong(violations, Reason.GROUP_NOTIFICATION_TOO_LONG, "Notification", notification,
                GROUP_NOTIFICATION_MAX_BYTES);
        tooLong(violations, Reason.GROUP_FACE_URL_TOO_LONG, "FaceUrl", faceUrl, GROUP_FACE_URL_MAX_BYTES);
        return violations;
    }

    /** The group type must be known and importable (see {@link TimGroupType}). */
    public static List<Violation> checkImportableGroupType(String type) {
        return TimGroupType.parse(type)
                .map(t -> t.importable()
                        ? List.<Violation>of()
                        : List.of(new Violation(Reason.GROUP_TYPE_NOT_IMPORTABLE, "Type",
                                t.restName() + " groups cannot be imported (no member list, no history)")))
                .orElseGet(() -> List.of(new Violation(Reason.GROUP_TYPE_UNKNOWN, "Type",
                        "'" + type + "' is not a TIM group type")));
    }

    /** A profile string value, standard or {@code Tag_Profile_Custom_*}; null means "not set". */
    public static List<Violation> checkProfileValue(String tag, String value) {
        List<Violation> violations = new ArrayList<>();
        tooLong(violations, Reason.PROFILE_VALUE_TOO_LONG, tag, value, PROFILE_VALUE_MAX_BYTES);
        return violations;
    }

    public static int utf8Length(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void tooLong(List<Violation> violations, Reason reason, String field, String value, int max) {
        if (value == null) {
            return;
        }
        int bytes = utf8Length(value);
        if (bytes > max) {
            violations.add(new Violation(reason, field, bytes + " bytes UTF-8, at most " + max + " allowed"));
        }
    }

    private static int firstNonPrintableAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < 0x20 || ch > 0x7E) {
                return i;
            }
        }
        return -1;
    }
}
