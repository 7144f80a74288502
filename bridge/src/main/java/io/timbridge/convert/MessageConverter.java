package io.timbridge.convert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbridge.convert.ConversionException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Converts message bodies between the legacy tables ({@code msg_type}, {@code content}) and
 * TIM's {@code MsgBody} array, in both directions. The legacy content formats are described in
 * {@code db/legacy/README.md}. Both directions are canonical: converting a legacy body to TIM
 * and back gives the same legacy body, and the same holds for a TIM body this class produced.
 *
 * <p>TIM needs a UUID for media; it is the legacy {@code uuid} when the row has one, otherwise a
 * name-based UUID of the media URL, so a re-import sends the same UUID.
 *
 * <p>Thread-safe; one instance can serve all routes.
 */
public final class MessageConverter {

    /** TIM refuses a MsgBody over this many bytes (93000 on send, 80002 in import results). */
    public static final int MAX_BODY_BYTES = 8000;

    /** Download_Flag 2: the client downloads straight from the URL we give. */
    private static final int DOWNLOAD_FROM_URL = 2;
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<LegacyMessageType, String> typeNames;
    private final Map<String, LegacyMessageType> typesByName = new HashMap<>();

    /** Legacy {@code msg_type} values as in the reference schema: text, image, voice, … */
    public MessageConverter() {
        this(Map.of());
    }

    /**
     * @param typeNames legacy {@code msg_type} values that differ from {@link LegacyMessageType#defaultName()},
     *                  e.g. {@code IMAGE → "2"} for an app that stores numeric codes
     */
    public MessageConverter(Map<LegacyMessageType, String> typeNames) {
        this.typeNames = new EnumMap<>(LegacyMessageType.class);
        for (LegacyMessageType type : LegacyMessageType.values()) {
            String name = typeNames.getOrDefault(type, type.defaultName());
            this.typeNames.put(type, name);
            if (typesByName.put(name.toLowerCase(Locale.ROOT), type) != null) {
                throw new IllegalArgumentException("legacy message type name '" + name + "' is used twice");
            }
        }
    }

    /** The legacy {@code msg_type} value written for this type. */
    public String legacyName(LegacyMessageType type) {
        return typeNames.get(type);
    }

    /** The legacy type a {@code msg_type} value stands for (case-insensitive). */
    public LegacyMessageType legacyType(String msgType) {
        LegacyMessageType type = msgType == null ? null : typesByName.get(msgType.strip().toLowerCase(Locale.ROOT));
        if (type == null) {
            throw new ConversionException(Reason.UNKNOWN_TYPE, "legacy message type '" + msgType
                    + "' is none of " + typeNames.values());
        }
        return type;
    }

    /** Legacy body → TIM {@code MsgBody} (an array of one element). */
    public ArrayNode toTimBody(LegacyMessageBody body) {
        return toTimBody(body.type(), body.content());
    }

    /** Legacy {@code msg_type} and {@code content} → TIM {@code MsgBody} (an array of one element). */
    public ArrayNode toTimBody(String msgType, String content) {
        LegacyMessageType type = legacyType(msgType);
        if (content == null || content.isEmpty()) {
            throw new ConversionException(Reason.MALFORMED_CONTENT, type.defaultName() + " message has no content");
        }
        ObjectNode msgContent = switch (type) {
            case TEXT -> mapper.createObjectNode().put("Text", content);
            case IMAGE -> timImage(legacyJson(type, content));
            case VOICE -> timSound(legacyJson(type, content));
            case VIDEO -> timVideo(legacyJson(type, content));
            case FILE -> timFile(legacyJson(type, content));
            case LOCATION -> timLocation(legacyJson(type, content));
            case EMOJI -> timFace(legacyJson(type, content));
            case CUSTOM -> timCustom(legacyJson(type, content));
        };
        ArrayNode msgBody = mapper.createArrayNode();
        msgBody.addObject().put("MsgType", type.timElemType()).set("MsgContent", msgContent);
        int bytes = serialize(msgBody).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BODY_BYTES) {
            throw new ConversionException(Reason.BODY_TOO_LARGE, "MsgBody is " + bytes + " bytes, TIM takes at most "
                    + MAX_BODY_BYTES);
        }
        return msgBody;
    }

    /** As {@link #toTimBody(String, String)}, serialized. */
    public String toTimBodyJson(String msgType, String content) {
        return serialize(toTimBody(msgType, content));
    }

    /** TIM {@code MsgBody} JSON text → legacy body. */
    public LegacyMessageBody toLegacy(String msgBodyJson) {
        try {
            return toLegacy(mapper.readTree(msgBodyJson));
        } catch (JsonProcessingException e) {
            throw new ConversionException(Reason.MALFORMED_CONTENT, "MsgBody is not JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * TIM {@code MsgBody} → legacy body. Several text elements are joined into one text message
     * (clients split long text); any other multi-element body is refused.
     */
    public LegacyMessageBody toLegacy(JsonNode msgBody) {
        if (msgBody == null || !msgBody.isArray() || msgBody.isEmpty()) {
            throw new ConversionException(Reason.MALFORMED_CONTENT, "MsgBody must be a non-empty array");
        }
        if (msgBody.size() > 1) {
            return joinedText(msgBody);
        }
        JsonNode element = msgBody.get(0);
        LegacyMessageType type = elementType(element);
        JsonNode c = element.get("MsgContent");
        String content = switch (type) {
            case TEXT -> requiredText(c, "Text", type);
            case IMAGE -> serialize(legacyImage(c));
            case VOICE -> serialize(legacySound(c));
            case VIDEO -> serialize(legacyVideo(c));
            case FILE -> serialize(legacyFile(c));
            case LOCATION -> serialize(legacyLocation(c));
            case EMOJI -> serialize(legacyFace(c));
            case CUSTOM -> serialize(legacyCustom(c));
        };
        return new LegacyMessageBody(legacyName(type), content);
    }

    /** The UUID TIM gets for a media URL that has no legacy uuid. */
    public static String mediaUuid(String url) {
        return UUID.nameUUIDFromBytes(("timbridge-media:" + url).getBytes(StandardCharsets.UTF_8)).toString();
    }

    // ---- legacy → TIM -------------------------------------------------------------------

    private ObjectNode timImage(JsonNode l) {
        String url = requiredText(l, "url", LegacyMessageType.IMAGE);
        ObjectNode c = mapper.createObjectNode();
        c.put("UUID", uuidOf(l, url));
        c.put("ImageFormat", imageFormatCode(optionalText(l, "format")));
        ArrayNode infos = c.putArray("ImageInfoArray");
        addImageInfo(infos, 1, l, url);
        // Large and thumbnail variants are sent only when the legacy row knows them.
        addImageVariant(infos, 2, l, "large");
        addImageVariant(infos, 3, l, "thumb");
        return c;
    }

    private void addImageVariant(ArrayNode infos, int type, JsonNode l, String field) {
        JsonNode variant = l.get(field);
        if (variant != null && !variant.isNull()) {
            requireObject(variant, field, LegacyMessageType.IMAGE);
            addImageInfo(infos, type, variant, requiredText(variant, "url", LegacyMessageType.IMAGE));
        }
    }

    private void addImageInfo(ArrayNode infos, int type, JsonNode l, String url) {
        infos.addObject()
                .put("Type", type)
                .put("Size", number(l, "size", LegacyMessageType.IMAGE))
                .put("Width", number(l, "width", LegacyMessageType.IMAGE))
                .put("Height", number(l, "height", LegacyMessageType.IMAGE))
                .put("URL", url);
    }

    private ObjectNode timSound(JsonNode l) {
        String url = requiredText(l, "url", LegacyMessageType.VOICE);
        return mapper.createObjectNode()
                .put("Url", url)
                .put("UUID", uuidOf(l, url))
                .put("Size", number(l, "size", LegacyMessageType.VOICE))
                .put("Second", number(l, "duration", LegacyMessageType.VOICE))
                .put("Download_Flag", DOWNLOAD_FROM_URL);
    }

    private ObjectNode timVideo(JsonNode l) {
        LegacyMessageType type = LegacyMessageType.VIDEO;
        String url = requiredText(l, "url", type);
        ObjectNode c = mapper.createObjectNode()
                .put("VideoUrl", url)
                .put("VideoUUID", uuidOf(l, url))
                .put("VideoSize", number(l, "size", type))
                .put("VideoSecond", number(l, "duration", type))
                .put("VideoFormat", textOr(l, "format", ""))
                .put("VideoDownloadFlag", DOWNLOAD_FROM_URL);
        JsonNode thumb = l.get("thumb");
        if (thumb != null && !thumb.isNull()) {
            requireObject(thumb, "thumb", type);
            String thumbUrl = requiredText(thumb, "url", type);
            c.put("ThumbUrl", thumbUrl)
                    .put("ThumbUUID", uuidOf(thumb, thumbUrl))
                    .put("ThumbSize", number(thumb, "size", type))
                    .put("ThumbWidth", number(thumb, "width", type))
                    .put("ThumbHeight", number(thumb, "height", type))
                    .put("ThumbFormat", textOr(thumb, "format", ""))
                    .put("ThumbDownloadFlag", DOWNLOAD_FROM_URL);
        }
        return c;
    }

    private ObjectNode timFile(JsonNode l) {
        String url = requiredText(l, "url", LegacyMessageType.FILE);
        return mapper.createObjectNode()
                .put("Url", url)
                .put("UUID", uuidOf(l, url))
                .put("FileSize", number(l, "size", LegacyMessageType.FILE))
                .put("FileName", textOr(l, "name", ""))
                .put("Download_Flag", DOWNLOAD_FROM_URL);
    }

    private ObjectNode timLocation(JsonNode l) {
        ObjectNode c = mapper.createObjectNode().put("Desc", textOr(l, "desc", ""));
        c.set("Latitude", coordinate(l, "lat", 90, LegacyMessageType.LOCATION));
        c.set("Longitude", coordinate(l, "lng", 180, LegacyMessageType.LOCATION));
        return c;
    }

    private ObjectNode timFace(JsonNode l) {
        if (l.get("index") == null) {
            throw malformed(LegacyMessageType.EMOJI, "'index' is missing");
        }
        return mapper.createObjectNode()
                .put("Index", number(l, "index", LegacyMessageType.EMOJI))
                .put("Data", textOr(l, "code", ""));
    }

    private ObjectNode timCustom(JsonNode l) {
        ObjectNode c = mapper.createObjectNode().put("Data", requiredString(l, "data", LegacyMessageType.CUSTOM));
        copyOptionalText(l, "desc", c, "Desc", LegacyMessageType.CUSTOM);
        copyOptionalText(l, "ext", c, "Ext", LegacyMessageType.CUSTOM);
        copyOptionalText(l, "sound", c, "Sound", LegacyMessageType.CUSTOM);
        return c;
    }

    // ---- TIM → legacy -------------------------------------------------------------------

    private LegacyMessageBody joinedText(JsonNode msgBody) {
        StringBuilder text = new StringBuilder();
        for (JsonNode element : msgBody) {
            LegacyMessageType type = elementType(element);
            if (type != LegacyMessageType.TEXT) {
                throw new ConversionException(Reason.MULTIPLE_ELEMENTS, "MsgBody has " + msgBody.size()
                        + " elements including " + type.timElemType() + "; a legacy row holds one");
            }
            text.append(requiredText(element.get("MsgContent"), "Text", type));
        }
        return new LegacyMessageBody(legacyName(LegacyMessageType.TEXT), text.toString());
    }

    private LegacyMessageType elementType(JsonNode element) {
        JsonNode msgType = element.get("MsgType");
        if (!element.isObject() || msgType == null || !msgType.isTextual()) {
            throw new ConversionException(Reason.MALFORMED_CONTENT, "MsgBody element without a MsgType string");
        }
        LegacyMessageType type = LegacyMessageType.ofTimElemType(msgType.asText()).orElseThrow(
                () -> new ConversionException(Reason.UNKNOWN_TYPE, "TIM element " + msgType.asText()
                        + " has no legacy message type"));
        JsonNode content = element.get("MsgContent");
        if (content == null || !content.isObject()) {
            throw malformed(type, "MsgContent must be an object");
        }
        return type;
    }

    private ObjectNode legacyImage(JsonNode c) {
        LegacyMessageType type = LegacyMessageType.IMAGE;
        JsonNode infos = c.get("ImageInfoArray");
        if (infos == null || !infos.isArray()) {
            throw malformed(type, "ImageInfoArray is missing");
        }
        JsonNode original = null;
        JsonNode large = null;
        JsonNode thumb = null;
        for (JsonNode info : infos) {
            switch ((int) number(info, "Type", type)) {
                case 1 -> original = info;
                case 2 -> large = info;
                case 3 -> thumb = info;
                default -> throw malformed(type, "unknown ImageInfoArray Type " + info.get("Type"));
            }
        }
        if (original == null) {
            throw malformed(type, "ImageInfoArray has no original image (Type 1)");
        }
        ObjectNode l = legacyImageInfo(original);
        putUuidUnlessDerived(l, c, "UUID", l.get("url").asText());
        String format = imageFormatName((int) number(c, "ImageFormat", type));
        if (format != null) {
            l.put("format", format);
        }
        if (large != null) {
            l.set("large", legacyImageInfo(large));
        }
        if (thumb != null) {
            l.set("thumb", legacyImageInfo(thumb));
        }
        return l;
    }

    private ObjectNode legacyImageInfo(JsonNode info) {
        LegacyMessageType type = LegacyMessageType.IMAGE;
        return mapper.createObjectNode()
                .put("url", requiredText(info, "URL", type))
                .put("width", number(info, "Width", type))
                .put("height", number(info, "Height", type))
                .put("size", number(info, "Size", type));
    }

    private ObjectNode legacySound(JsonNode c) {
        LegacyMessageType type = LegacyMessageType.VOICE;
        ObjectNode l = mapper.createObjectNode().put("url", requiredText(c, "Url", type));
        putUuidUnlessDerived(l, c, "UUID", l.get("url").asText());
        return l.put("duration", number(c, "Second", type)).put("size", number(c, "Size", type));
    }

    private ObjectNode legacyVideo(JsonNode c) {
        LegacyMessageType type = LegacyMessageType.VIDEO;
        ObjectNode l = mapper.createObjectNode().put("url", requiredText(c, "VideoUrl", type));
        putUuidUnlessDerived(l, c, "VideoUUID", l.get("url").asText());
        l.put("duration", number(c, "VideoSecond", type))
                .put("size", number(c, "VideoSize", type))
                .put("format", textOr(c, "VideoFormat", ""));
        if (optionalText(c, "ThumbUrl") != null) {
            ObjectNode thumb = l.putObject("thumb").put("url", c.get("ThumbUrl").asText());
            putUuidUnlessDerived(thumb, c, "ThumbUUID", thumb.get("url").asText());
            thumb.put("width", number(c, "ThumbWidth", type))
                    .put("height", number(c, "ThumbHeight", type))
                    .put("size", number(c, "ThumbSize", type))
                    .put("format", textOr(c, "ThumbFormat", ""));
        }
        return l;
    }

    private ObjectNode legacyFile(JsonNode c) {
        LegacyMessageType type = LegacyMessageType.FILE;
        ObjectNode l = mapper.createObjectNode().put("url", requiredText(c, "Url", type));
        putUuidUnlessDerived(l, c, "UUID", l.get("url").asText());
        return l.put("name", textOr(c, "FileName", "")).put("size", number(c, "FileSize", type));
    }

    private ObjectNode legacyLocation(JsonNode c) {
        ObjectNode l = mapper.createObjectNode();
        l.set("lat", coordinate(c, "Latitude", 90, LegacyMessageType.LOCATION));
        l.set("lng", coordinate(c, "Longitude", 180, LegacyMessageType.LOCATION));
        return l.put("desc", textOr(c, "Desc", ""));
    }

    private ObjectNode legacyFace(JsonNode c) {
        if (c.get("Index") == null) {
            throw malformed(LegacyMessageType.EMOJI, "'Index' is missing");
        }
        return mapper.createObjectNode()
                .put("index", number(c, "Index", LegacyMessageType.EMOJI))
                .put("code", textOr(c, "Data", ""));
    }

    private ObjectNode legacyCustom(JsonNode c) {
        ObjectNode l = mapper.createObjectNode().put("data", requiredString(c, "Data", LegacyMessageType.CUSTOM));
        copyOptionalText(c, "Desc", l, "desc", LegacyMessageType.CUSTOM);
        copyOptionalText(c, "Ext", l, "ext", LegacyMessageType.CUSTOM);
        copyOptionalText(c, "Sound", l, "sound", LegacyMessageType.CUSTOM);
        return l;
    }

    // ---- field helpers ------------------------------------------------------------------

    private JsonNode legacyJson(LegacyMessageType type, String content) {
        JsonNode node;
        try {
            node = mapper.readTree(content);
        } catch (JsonProcessingException e) {
            throw malformed(type, "content is not JSON: " + e.getOriginalMessage());
        }
        requireObject(node, "content", type);
        return node;
    }

    private static void requireObject(JsonNode node, String what, LegacyMessageType type) {
        if (node == null || !node.isObject()) {
            throw malformed(type, what + " must be a JSON object");
        }
    }

    /** A string field that must be present and not blank (URLs, text). */
    private static String requiredText(JsonNode node, String field, LegacyMessageType type) {
        JsonNode raw = node.get(field);
        // TIM's element fields are strings: a number or boolean here is a malformed element, not text.
        if (raw != null && !raw.isNull() && !raw.isTextual()) {
            throw malformed(type, "'" + field + "' must be a string, got " + raw.getNodeType().name().toLowerCase());
        }
        String value = raw == null || raw.isNull() ? null : raw.textValue();
        if (value == null || value.isBlank()) {
            throw malformed(type, "'" + field + "' is missing or empty");
        }
        return value;
    }

    /** A string field that must be present, possibly empty (custom payloads). */
    private static String requiredString(JsonNode node, String field, LegacyMessageType type) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw malformed(type, "'" + field + "' must be a string");
        }
        return value.asText();
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.isValueNode() ? value.asText() : null;
    }

    private static String textOr(JsonNode node, String field, String fallback) {
        String value = optionalText(node, field);
        return value == null ? fallback : value;
    }

    private static void copyOptionalText(JsonNode from, String fromField, ObjectNode to, String toField,
            LegacyMessageType type) {
        JsonNode value = from.get(fromField);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isTextual()) {
            throw malformed(type, "'" + fromField + "' must be a string");
        }
        to.put(toField, value.asText());
    }

    /** A whole number; absent means 0 (TIM clients show an unknown size as 0). Numeric strings are accepted. */
    private static long number(JsonNode node, String field, LegacyMessageType type) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.asLong();
        }
        if (value.isTextual() && INTEGER.matcher(value.asText()).matches()) {
            return Long.parseLong(value.asText());
        }
        throw malformed(type, "'" + field + "' must be a whole number, was " + value);
    }

    /** Latitude/longitude: required, numeric, within ±limit; kept as the exact number given. */
    private JsonNode coordinate(JsonNode node, String field, double limit, LegacyMessageType type) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber()) {
            throw malformed(type, "'" + field + "' must be a number");
        }
        if (Math.abs(value.asDouble()) > limit) {
            throw malformed(type, "'" + field + "' is out of range: " + value);
        }
        return value;
    }

    private static String uuidOf(JsonNode legacy, String url) {
        String uuid = optionalText(legacy, "uuid");
        return uuid == null || uuid.isBlank() ? mediaUuid(url) : uuid;
    }

    /** Keeps TIM's UUID in the legacy row only when it is not the one we would derive from the URL. */
    private static void putUuidUnlessDerived(ObjectNode legacy, JsonNode tim, String field, String url) {
        String uuid = optionalText(tim, field);
        if (uuid != null && !uuid.isBlank() && !uuid.equals(mediaUuid(url))) {
            legacy.put("uuid", uuid);
        }
    }

    /** TIM ImageFormat: 1 JPG, 2 GIF, 3 PNG, 4 BMP, 255 other. */
    private static int imageFormatCode(String format) {
        if (format == null) {
            return 255;
        }
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "jpg", "jpeg" -> 1;
            case "gif" -> 2;
            case "png" -> 3;
            case "bmp" -> 4;
            default -> 255;
        };
    }

    private static String imageFormatName(int code) {
        return switch (code) {
            case 1 -> "jpg";
            case 2 -> "gif";
            case 3 -> "png";
            case 4 -> "bmp";
            default -> null;
        };
    }

    private static ConversionException malformed(LegacyMessageType type, String detail) {
        return new ConversionException(Reason.MALFORMED_CONTENT, type.defaultName() + " message: " + detail);
    }

    private String serialize(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
