package io.timbridge.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbridge.convert.ConversionException;
import io.timbridge.convert.MessageConverter;
import io.timbridge.convert.TimGroupType;
import io.timbridge.convert.TimRules;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * docs/import-mapping.md as small functions: what TIM should hold for a legacy value, and which rule refuses a row.
 * Written from the spec, not from the import's request builders, so the two can disagree and a test notices.
 */
final class ImportSpec {
    static final String USER_ID = "user-id";
    static final String PROFILE_VALUE = "profile-value";
    static final String MESSAGE_BODY = "message-body";
    static final String BODY_SIZE = "body-size";
    static final String GROUP_ID = "group-id";
    static final String GROUP_PROFILE = "group-profile";
    static final String GROUP_TYPE = "group-type";
    /** Not a spec rule: a group message whose group is refused (the spec names no rule; TIM would refuse it). */
    static final String GROUP_NOT_IMPORTED = "group-not-imported";
    /** Not a spec rule: an unread count for someone the import does not make a member (the spec names no rule). */
    static final String MEMBER_NOT_IMPORTED = "member-not-imported";

    static final String CUSTOM_TAG_PREFIX = "Tag_Profile_Custom_";

    static final ObjectMapper JSON = new ObjectMapper();
    private static final MessageConverter CONVERTER = new MessageConverter();

    private ImportSpec() {
    }

    /** {@code user-id} when any of the ids breaks TIM's UserID rules, else null. */
    static String userIdRule(String... userIds) {
        for (String id : userIds) {
            if (!TimRules.checkUserId(id).isEmpty()) {
                return USER_ID;
            }
        }
        return null;
    }

    /** {@code profile-value} when any value to be sent is over 500 bytes, else null; null values are not sent. */
    static String profileValueRule(List<String> values) {
        for (String value : values) {
            if (!TimRules.checkProfileValue("value", value).isEmpty()) {
                return PROFILE_VALUE;
            }
        }
        return null;
    }

    /**
     * The first rule a group row breaks, in the spec's order (group id, owner, profile, type), or null.
     * An unknown type is refused like a live one: TIM cannot take it either.
     */
    static String groupRule(String groupId, String ownerId, String type, String name, String introduction,
            String notification, String faceUrl) {
        if (!TimRules.checkGroupId(groupId).isEmpty()) {
            return GROUP_ID;
        }
        if (ownerId != null && userIdRule(ownerId) != null) {
            return USER_ID;
        }
        if (!TimRules.checkGroupProfile(name, introduction, notification, faceUrl).isEmpty()) {
            return GROUP_PROFILE;
        }
        if (!TimRules.checkImportableGroupType(type).isEmpty()) {
            return GROUP_TYPE;
        }
        return null;
    }

    /** {@code Type} of an importable legacy {@code group_type}. */
    static String timGroupType(String legacyType) {
        return TimGroupType.parse(legacyType).orElseThrow().restName();
    }

    static String gender(int legacyGender) {
        return switch (legacyGender) {
            case 1 -> "Gender_Type_Male";
            case 2 -> "Gender_Type_Female";
            default -> "Gender_Type_Unknown";
        };
    }

    static int birthday(LocalDate date) {
        return date.getYear() * 10_000 + date.getMonthValue() * 100 + date.getDayOfMonth();
    }

    static String addSource(String legacySource) {
        return "AddSource_Type_" + (legacySource == null ? "Unknown" : legacySource);
    }

    static long seconds(long millis) {
        return Math.floorDiv(millis, 1000);
    }

    static long createTime(long firstEventMillis) {
        return seconds(firstEventMillis) - 1;
    }

    static long joinTime(long joinedMillis, long createTime) {
        return Math.max(seconds(joinedMillis), createTime + 1);
    }

    /** The profile tag a custom-field mapping value names: {@code Level} and {@code Tag_Profile_Custom_Level} alike. */
    static String customTag(String mapped) {
        return mapped.startsWith(CUSTOM_TAG_PREFIX) ? mapped : CUSTOM_TAG_PREFIX + mapped;
    }

    /** {@code CloudCustomData} of an imported C2C message, as JSON. */
    static ObjectNode c2cCloudCustomData(long id) {
        return JSON.createObjectNode().put("timbridge", "legacy").put("id", Long.toString(id));
    }

    /** A legacy body as TIM should hold it: canonical MsgBody JSON and its checksum, or the rule that refuses it. */
    record Body(String canonicalJson, String checksum, String rule) {
    }

    static Body body(String msgType, String content) {
        try {
            String canonical = canonical(CONVERTER.toTimBody(msgType, content));
            return new Body(canonical, checksum(canonical), null);
        } catch (ConversionException e) {
            return new Body(null, null, e.reason() == ConversionException.Reason.BODY_TOO_LARGE ? BODY_SIZE : MESSAGE_BODY);
        }
    }

    /** JSON with object keys sorted at every level: the form the sandbox checksums (see Inspection). */
    static String canonical(JsonNode node) {
        try {
            return JSON.writeValueAsString(sorted(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** The sandbox's {@code BodyChecksum}: hex of the first 8 bytes of SHA-256 over the canonical MsgBody. */
    static String checksum(String canonicalJson) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonicalJson.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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
            node.forEach(element -> out.add(sorted(element)));
            return out;
        }
        return node;
    }
}
