package io.timbridge.convert;

import java.util.LinkedHashMap;
import java.util.Map;

/** One legacy content per message type, in the formats of db/legacy/README.md. */
final class LegacyMessages {

    private LegacyMessages() {
    }

    /** msg_type → content, text first. */
    static Map<String, String> allTypes() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("text", "今晚一起吃火锅吗🍲 一家人 👨‍👩‍👧‍👦");
        m.put("image", "{\"url\":\"https://cdn.example.com/im/img/a1.jpg\",\"width\":1080,\"height\":1920,\"size\":345600,"
                + "\"format\":\"jpg\",\"large\":{\"url\":\"https://cdn.example.com/im/img/a1_l.jpg\",\"width\":405,"
                + "\"height\":720,\"size\":48600},\"thumb\":{\"url\":\"https://cdn.example.com/im/img/a1_t.jpg\","
                + "\"width\":111,\"height\":198,\"size\":3663}}");
        m.put("voice", "{\"url\":\"https://cdn.example.com/im/voice/v1.amr\",\"duration\":7,\"size\":11600}");
        m.put("video", "{\"url\":\"https://cdn.example.com/im/video/v2.mp4\",\"duration\":15,\"size\":2250000,"
                + "\"format\":\"mp4\",\"thumb\":{\"url\":\"https://cdn.example.com/im/video/v2_cover.jpg\",\"width\":720,"
                + "\"height\":1280,\"size\":40000,\"format\":\"jpg\"}}");
        m.put("file", "{\"url\":\"https://cdn.example.com/im/file/f3\",\"name\":\"项目计划书.docx\",\"size\":204800,"
                + "\"uuid\":\"9b2f6c1e-0000-4000-8000-000000000003\"}");
        m.put("location", "{\"lat\":22.543096,\"lng\":114.057865,\"desc\":\"深圳市民中心\"}");
        m.put("emoji", "{\"index\":12,\"code\":\"[微笑]\"}");
        m.put("custom", "{\"data\":\"{\\\"businessID\\\":\\\"order\\\",\\\"orderId\\\":\\\"A123456\\\"}\","
                + "\"desc\":\"[订单] 您的订单已发货 🚚\",\"ext\":\"src=legacy\"}");
        return m;
    }

    /** A text whose TIM MsgBody is exactly {@code bodyBytes} bytes of UTF-8 JSON. */
    static String textWithBodyOf(MessageConverter converter, int bodyBytes) {
        int overhead = TimRules.utf8Length(converter.toTimBodyJson("text", "a")) - 1;
        return "a".repeat(bodyBytes - overhead);
    }
}
