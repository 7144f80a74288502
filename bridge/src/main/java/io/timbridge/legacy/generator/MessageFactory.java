package io.timbridge.legacy.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbridge.convert.LegacyMessageType;
import io.timbridge.convert.MessageConverter;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Message rows in the reference content formats (db/legacy/README.md), plus the bad rows TIM
 * must refuse. All randomness comes from the caller's generator, so output depends on it alone.
 */
final class MessageFactory {

    /** A message row's type and content, and which kind of bad row it is (null when TIM takes it). */
    record Message(String type, String content, BadRow bad) {
    }

    /** Cumulative percentages of text, image, voice, video, file, location, emoji, custom. */
    private static final int[] TYPE_WEIGHTS = {68, 78, 85, 88, 91, 93, 98, 100};
    private static final LegacyMessageType[] TYPES = LegacyMessageType.values();
    private static final List<String> UNKNOWN_TYPES = List.of("red_packet", "transfer", "poll", "call_log");
    private static final String CDN = "https://cdn.example.com/im/";
    private static final int[][] IMAGE_SIZES = {{1080, 1920}, {1920, 1080}, {1080, 1440}, {750, 1334}, {640, 640},
            {4032, 3024}};
    private static final List<String> IMAGE_FORMATS = List.of("jpg", "jpg", "jpg", "png", "gif");

    private final ObjectMapper mapper = new ObjectMapper();

    /** A message TIM accepts or, with probability {@code badShare}, one it must refuse. */
    Message next(SplittableRandom r, double badShare) {
        if (r.nextDouble() < badShare) {
            return r.nextBoolean() ? unknownType(r) : oversize(r);
        }
        int roll = r.nextInt(100);
        int i = 0;
        while (roll >= TYPE_WEIGHTS[i]) {
            i++;
        }
        return of(TYPES[i], r);
    }

    Message of(LegacyMessageType type, SplittableRandom r) {
        String content = switch (type) {
            case TEXT -> SampleText.chatText(r);
            case IMAGE -> json(image(r));
            case VOICE -> json(voice(r));
            case VIDEO -> json(video(r));
            case FILE -> json(file(r));
            case LOCATION -> json(location(r));
            case EMOJI -> json(emoji(r));
            case CUSTOM -> json(custom(r));
        };
        return new Message(type.defaultName(), content, null);
    }

    private ObjectNode image(SplittableRandom r) {
        int[] wh = IMAGE_SIZES[r.nextInt(IMAGE_SIZES.length)];
        String format = SampleText.pick(r, IMAGE_FORMATS);
        String base = CDN + "img/" + hex(r);
        ObjectNode image = variant(base + "." + format, wh[0], wh[1], 1.0);
        image.put("format", format);
        if (r.nextInt(4) != 0) {
            image.set("large", variant(base + "_l." + format, wh[0], wh[1], 720.0 / Math.max(wh[0], wh[1])));
        }
        image.set("thumb", variant(base + "_t." + format, wh[0], wh[1], 198.0 / Math.max(wh[0], wh[1])));
        return image;
    }

    private ObjectNode variant(String url, int width, int height, double scale) {
        int w = (int) Math.round(width * Math.min(1.0, scale));
        int h = (int) Math.round(height * Math.min(1.0, scale));
        return mapper.createObjectNode().put("url", url).put("width", w).put("height", h).put("size", w * h / 6);
    }

    private ObjectNode voice(SplittableRandom r) {
        int seconds = 1 + r.nextInt(60);
        return mapper.createObjectNode()
                .put("url", CDN + "voice/" + hex(r) + (r.nextBoolean() ? ".amr" : ".m4a"))
                .put("duration", seconds)
                .put("size", seconds * 1600 + r.nextInt(800));
    }

    private ObjectNode video(SplittableRandom r) {
        int seconds = 3 + r.nextInt(118);
        String base = CDN + "video/" + hex(r);
        ObjectNode video = mapper.createObjectNode()
                .put("url", base + ".mp4")
                .put("duration", seconds)
                .put("size", seconds * 150_000 + r.nextInt(50_000))
                .put("format", "mp4");
        boolean portrait = r.nextBoolean();
        video.putObject("thumb")
                .put("url", base + "_cover.jpg")
                .put("width", portrait ? 720 : 1280)
                .put("height", portrait ? 1280 : 720)
                .put("size", 30_000 + r.nextInt(40_000))
                .put("format", "jpg");
        return video;
    }

    private ObjectNode file(SplittableRandom r) {
        return mapper.createObjectNode()
                .put("url", CDN + "file/" + hex(r))
                .put("name", SampleText.pick(r, SampleText.FILE_NAMES))
                .put("size", 1024 + r.nextInt(20 * 1024 * 1024));
    }

    private ObjectNode location(SplittableRandom r) {
        SampleText.Place place = SampleText.pick(r, SampleText.PLACES);
        // Jitter of up to ~500 m, rounded to the 6 decimals phones report.
        return mapper.createObjectNode()
                .put("lat", round6(place.lat() + (r.nextDouble() - 0.5) / 100))
                .put("lng", round6(place.lng() + (r.nextDouble() - 0.5) / 100))
                .put("desc", place.desc());
    }

    private ObjectNode emoji(SplittableRandom r) {
        SampleText.Sticker sticker = SampleText.pick(r, SampleText.STICKERS);
        return mapper.createObjectNode().put("index", sticker.index()).put("code", sticker.code());
    }

    private ObjectNode custom(SplittableRandom r) {
        ObjectNode payload = mapper.createObjectNode();
        String desc;
        if (r.nextBoolean()) {
            payload.put("businessID", "order").put("orderId", "A" + (100_000 + r.nextInt(900_000)))
                    .put("amount", 100 + r.nextInt(100_000)).put("title", SampleText.pick(r, SampleText.HOBBIES) + "套装");
            desc = "[订单] 您的订单已发货 🚚";
        } else {
            payload.put("businessID", "card").put("name", SampleText.nickname(r));
            desc = "[名片]";
        }
        ObjectNode custom = mapper.createObjectNode().put("data", json(payload)).put("desc", desc);
        if (r.nextInt(3) == 0) {
            custom.put("ext", "src=legacy");
        }
        return custom;
    }

    private Message unknownType(SplittableRandom r) {
        String type = SampleText.pick(r, UNKNOWN_TYPES);
        ObjectNode content = mapper.createObjectNode();
        switch (type) {
            case "red_packet" -> content.put("amount", 88 + r.nextInt(10_000)).put("greeting", "恭喜发财，大吉大利🧧");
            case "transfer" -> content.put("amount", 100 + r.nextInt(100_000)).put("note", "房租");
            case "poll" -> content.put("question", "周末去哪？").putArray("options").add("爬山⛰️").add("看电影🎬");
            default -> content.put("duration", r.nextInt(3600)).put("video", r.nextBoolean());
        }
        return new Message(type, json(content), BadRow.UNKNOWN_MESSAGE_TYPE);
    }

    /** Over TIM's 8000-byte body limit: a very long text, or a custom message with a big payload. */
    private Message oversize(SplittableRandom r) {
        int minBytes = MessageConverter.MAX_BODY_BYTES + r.nextInt(4000);
        if (r.nextBoolean()) {
            return new Message(LegacyMessageType.TEXT.defaultName(), SampleText.longText(r, minBytes),
                    BadRow.OVERSIZE_BODY);
        }
        String data = "x".repeat(minBytes);
        return new Message(LegacyMessageType.CUSTOM.defaultName(),
                json(mapper.createObjectNode().put("data", data).put("desc", "[文件快照]")), BadRow.OVERSIZE_BODY);
    }

    private static String hex(SplittableRandom r) {
        return Long.toHexString(r.nextLong() | Long.MIN_VALUE);
    }

    private static double round6(double value) {
        return Math.round(value * 1e6) / 1e6;
    }

    private String json(ObjectNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
