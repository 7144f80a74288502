package io.timbridge.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.timbridge.convert.ConversionException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MessageConverterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final MessageConverter converter = new MessageConverter();

    /** One legacy row per type, in the documented content formats, with CJK and emoji where text appears. */
    static Stream<Arguments> legacyBodies() {
        return Stream.of(
                Arguments.of("text", "你好，世界 👋🏻 今天吃什么？🍜 ok"),
                Arguments.of("image", """
                        {"url":"https://cdn.example.com/img/2023/07/a1.jpg","width":1080,"height":1440,"size":245760,
                         "format":"jpg",
                         "large":{"url":"https://cdn.example.com/img/2023/07/a1_l.jpg","width":720,"height":960,"size":98304},
                         "thumb":{"url":"https://cdn.example.com/img/2023/07/a1_t.jpg","width":198,"height":264,"size":8192}}"""),
                Arguments.of("voice", """
                        {"url":"https://cdn.example.com/voice/v9.amr","duration":12,"size":19200}"""),
                Arguments.of("video", """
                        {"url":"https://cdn.example.com/video/m3.mp4","duration":37,"size":5242880,"format":"mp4",
                         "thumb":{"url":"https://cdn.example.com/video/m3.jpg","width":720,"height":1280,"size":40960,"format":"jpg"}}"""),
                Arguments.of("file", """
                        {"url":"https://cdn.example.com/file/q3.pdf","name":"第三季度报告 📊.pdf","size":1048576}"""),
                Arguments.of("location", """
                        {"lat":22.543096,"lng":114.057865,"desc":"深圳市福田区 市民中心 🏙"}"""),
                Arguments.of("emoji", """
                        {"index":12,"code":"[微笑]"}"""),
                Arguments.of("custom", """
                        {"data":"{\\"businessID\\":\\"order\\",\\"orderId\\":\\"A1002\\"}","desc":"[订单] 您的订单已发货 🚚","ext":"order:A1002"}"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("legacyBodies")
    void legacyBodySurvivesTheRoundTripThroughTim(String type, String content) throws Exception {
        ArrayNode timBody = converter.toTimBody(type, content);
        LegacyMessageBody back = converter.toLegacy(timBody);

        assertThat(timBody).hasSize(1);
        assertThat(back.type()).isEqualTo(type);
        if (type.equals("text")) {
            assertThat(back.content()).isEqualTo(content);
        } else {
            assertThat(JSON.readTree(back.content())).isEqualTo(JSON.readTree(content));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("legacyBodies")
    void timBodySurvivesTheRoundTripThroughLegacy(String type, String content) {
        ArrayNode timBody = converter.toTimBody(type, content);
        LegacyMessageBody legacy = converter.toLegacy(timBody.toString());

        assertThat(converter.toTimBody(legacy).toString()).isEqualTo(timBody.toString());
    }

    /** Bodies as TIM clients send them in callbacks: client-made UUIDs, every field present. */
    static Stream<Arguments> timBodies() {
        return Stream.of(
                Arguments.of("text", """
                        [{"MsgType":"TIMTextElem","MsgContent":{"Text":"收到 👌 明天见"}}]"""),
                Arguments.of("image", """
                        [{"MsgType":"TIMImageElem","MsgContent":{"UUID":"1400123456_bob_8f3e.png","ImageFormat":3,
                          "ImageInfoArray":[
                           {"Type":1,"Size":1853095,"Width":2448,"Height":3264,"URL":"https://im.example.com/o/8f3e.png"},
                           {"Type":2,"Size":295018,"Width":720,"Height":960,"URL":"https://im.example.com/l/8f3e.png"},
                           {"Type":3,"Size":11402,"Width":198,"Height":264,"URL":"https://im.example.com/t/8f3e.png"}]}}]"""),
                Arguments.of("voice", """
                        [{"MsgType":"TIMSoundElem","MsgContent":{"Url":"https://im.example.com/s/1.m4a","UUID":"snd-1",
                          "Size":6220,"Second":4,"Download_Flag":2}}]"""),
                Arguments.of("video", """
                        [{"MsgType":"TIMVideoFileElem","MsgContent":{"VideoUrl":"https://im.example.com/v/2.mp4",
                          "VideoUUID":"vid-2","VideoSize":1080240,"VideoSecond":9,"VideoFormat":"mp4","VideoDownloadFlag":2,
                          "ThumbUrl":"https://im.example.com/v/2.jpg","ThumbUUID":"thumb-2","ThumbSize":13907,
                          "ThumbWidth":720,"ThumbHeight":1280,"ThumbFormat":"JPG","ThumbDownloadFlag":2}}]"""),
                Arguments.of("file", """
                        [{"MsgType":"TIMFileElem","MsgContent":{"Url":"https://im.example.com/f/3","UUID":"file-3",
                          "FileSize":4096,"FileName":"合同 v2.docx","Download_Flag":2}}]"""),
                Arguments.of("location", """
                        [{"MsgType":"TIMLocationElem","MsgContent":{"Desc":"北京 故宫","Latitude":39.916345,"Longitude":116.397155}}]"""),
                Arguments.of("emoji", """
                        [{"MsgType":"TIMFaceElem","MsgContent":{"Index":1,"Data":"[大笑]"}}]"""),
                Arguments.of("custom", """
                        [{"MsgType":"TIMCustomElem","MsgContent":{"Data":"{\\"k\\":1}","Desc":"","Ext":"","Sound":""}}]"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timBodies")
    void callbackBodySurvivesTheRoundTripThroughLegacy(String type, String msgBody) throws Exception {
        LegacyMessageBody legacy = converter.toLegacy(msgBody);

        assertThat(legacy.type()).isEqualTo(type);
        // Same fields, values and order.
        assertThat(converter.toTimBody(legacy).toString()).isEqualTo(JSON.readTree(msgBody).toString());
    }

    @Test
    void imageBecomesTimImageWithAllVariantsAndDerivedUuid() throws Exception {
        String url = "https://cdn.example.com/img/2023/07/a1.jpg";
        JsonNode element = converter.toTimBody("image", (String) legacyBodies()
                .filter(a -> a.get()[0].equals("image")).findFirst().orElseThrow().get()[1]).get(0);

        assertThat(element.get("MsgType").asText()).isEqualTo("TIMImageElem");
        JsonNode c = element.get("MsgContent");
        assertThat(c.get("UUID").asText()).isEqualTo(MessageConverter.mediaUuid(url));
        assertThat(c.get("ImageFormat").asInt()).isEqualTo(1);
        assertThat(c.get("ImageInfoArray")).hasSize(3);
        assertThat(c.get("ImageInfoArray").get(0).toString())
                .isEqualTo("{\"Type\":1,\"Size\":245760,\"Width\":1080,\"Height\":1440,\"URL\":\"" + url + "\"}");
        assertThat(c.get("ImageInfoArray").get(2).get("Type").asInt()).isEqualTo(3);
    }

    @Test
    void everyTypeMapsToItsTimElement() {
        legacyBodies().forEach(a -> {
            String type = (String) a.get()[0];
            String msgType = converter.toTimBody(type, (String) a.get()[1]).get(0).get("MsgType").asText();
            assertThat(msgType).isEqualTo(converter.legacyType(type).timElemType());
        });
    }

    @Test
    void mediaUuidIsStableAndDependsOnlyOnTheUrl() {
        String body = "{\"url\":\"https://cdn.example.com/voice/v9.amr\",\"duration\":3,\"size\":10}";
        String first = converter.toTimBody("voice", body).get(0).get("MsgContent").get("UUID").asText();
        String again = new MessageConverter().toTimBody("voice", body).get(0).get("MsgContent").get("UUID").asText();
        String other = converter.toTimBody("voice", body.replace("v9", "v10")).get(0).get("MsgContent").get("UUID").asText();

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void legacyUuidWinsOverTheDerivedOne() {
        String body = "{\"url\":\"https://x/f\",\"uuid\":\"legacy-77\",\"name\":\"a.txt\",\"size\":1}";
        assertThat(converter.toTimBody("file", body).get(0).get("MsgContent").get("UUID").asText()).isEqualTo("legacy-77");
    }

    @Test
    void cjkAndEmojiTextIsKeptExactly() {
        String text = "𠮷野家 🧑‍🤝‍🧑 👨‍👩‍👧‍👦 한국어 日本語 中文 \u200b end";
        ArrayNode body = converter.toTimBody("text", text);

        assertThat(body.get(0).get("MsgContent").get("Text").asText()).isEqualTo(text);
        assertThat(converter.toLegacy(body.toString()).content()).isEqualTo(text);
        assertThat(converter.toTimBodyJson("text", text)).contains("𠮷野家");
    }

    @Test
    void imageFormatsOutsideTimsListBecomeOther() throws Exception {
        String webp = "{\"url\":\"https://x/a.webp\",\"width\":1,\"height\":1,\"size\":1,\"format\":\"webp\"}";
        assertThat(converter.toTimBody("image", webp).get(0).get("MsgContent").get("ImageFormat").asInt()).isEqualTo(255);
        assertThat(JSON.readTree(converter.toLegacy(converter.toTimBody("image", webp)).content()).has("format")).isFalse();
        String jpeg = webp.replace("webp\"}", "JPEG\"}");
        assertThat(converter.toTimBody("image", jpeg).get(0).get("MsgContent").get("ImageFormat").asInt()).isEqualTo(1);
    }

    @Test
    void numericStringsAreAcceptedAsNumbers() {
        String body = "{\"url\":\"https://x/v.amr\",\"duration\":\"7\",\"size\":\"700\"}";
        JsonNode c = converter.toTimBody("voice", body).get(0).get("MsgContent");
        assertThat(c.get("Second").asLong()).isEqualTo(7);
        assertThat(c.get("Size").asLong()).isEqualTo(700);
    }

    @Test
    void severalTextElementsAreJoinedIntoOneTextRow() {
        String body = "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"第一段，\"}},"
                + "{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"第二段 😀\"}}]";
        assertThat(converter.toLegacy(body)).isEqualTo(new LegacyMessageBody("text", "第一段，第二段 😀"));
    }

    @Test
    void legacyTypeNamesCanBeConfigured() {
        MessageConverter numeric = new MessageConverter(Map.of(
                LegacyMessageType.TEXT, "1", LegacyMessageType.IMAGE, "2", LegacyMessageType.CUSTOM, "99"));

        assertThat(numeric.legacyType("2")).isEqualTo(LegacyMessageType.IMAGE);
        assertThat(numeric.legacyType("VOICE")).isEqualTo(LegacyMessageType.VOICE);
        assertThat(numeric.toLegacy("[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hi\"}}]").type())
                .isEqualTo("1");
        assertThatThrownBy(() -> numeric.toTimBody("text", "hi"))
                .isInstanceOf(ConversionException.class)
                .extracting(e -> ((ConversionException) e).reason()).isEqualTo(Reason.UNKNOWN_TYPE);
        assertThatThrownBy(() -> new MessageConverter(Map.of(LegacyMessageType.TEXT, "image")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bodyOfExactly8000BytesPassesAndOneByteMoreIsRefused() {
        int overhead = converter.toTimBodyJson("text", "a").getBytes(StandardCharsets.UTF_8).length - 1;
        String fits = "a".repeat(MessageConverter.MAX_BODY_BYTES - overhead);

        assertThat(converter.toTimBodyJson("text", fits).getBytes(StandardCharsets.UTF_8))
                .hasSize(MessageConverter.MAX_BODY_BYTES);
        assertRefused("text", fits + "a", Reason.BODY_TOO_LARGE);
    }

    @Test
    void cjkTextIsMeasuredInUtf8Bytes() {
        // 2 700 characters, 8 100 bytes: under 8 000 characters but over 8 000 bytes.
        assertRefused("text", "汉".repeat(2700), Reason.BODY_TOO_LARGE);
    }

    @Test
    void oversizeCustomPayloadIsRefused() {
        String data = "x".repeat(9000);
        assertRefused("custom", "{\"data\":\"" + data + "\"}", Reason.BODY_TOO_LARGE);
    }

    static Stream<Arguments> badLegacyRows() {
        return Stream.of(
                Arguments.of("red_packet", "{\"amount\":100}", Reason.UNKNOWN_TYPE),
                Arguments.of(null, "hi", Reason.UNKNOWN_TYPE),
                Arguments.of("text", "", Reason.MALFORMED_CONTENT),
                Arguments.of("text", null, Reason.MALFORMED_CONTENT),
                Arguments.of("image", "https://cdn.example.com/a.jpg", Reason.MALFORMED_CONTENT),
                Arguments.of("image", "[1,2]", Reason.MALFORMED_CONTENT),
                Arguments.of("image", "{\"width\":1}", Reason.MALFORMED_CONTENT),
                Arguments.of("image", "{\"url\":\"https://x/a\",\"thumb\":\"https://x/t\"}", Reason.MALFORMED_CONTENT),
                Arguments.of("voice", "{\"url\":\"https://x/a\",\"duration\":1.5}", Reason.MALFORMED_CONTENT),
                Arguments.of("video", "{\"url\":\"\"}", Reason.MALFORMED_CONTENT),
                Arguments.of("file", "{\"url\":\"https://x/f\",\"size\":{\"bytes\":1}}", Reason.MALFORMED_CONTENT),
                Arguments.of("location", "{\"lat\":91,\"lng\":0}", Reason.MALFORMED_CONTENT),
                Arguments.of("location", "{\"lat\":\"22.5\",\"lng\":114}", Reason.MALFORMED_CONTENT),
                Arguments.of("emoji", "{\"code\":\"[微笑]\"}", Reason.MALFORMED_CONTENT),
                Arguments.of("custom", "{\"data\":{\"k\":1}}", Reason.MALFORMED_CONTENT),
                Arguments.of("custom", "{\"data\":\"x\",\"desc\":5}", Reason.MALFORMED_CONTENT));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("badLegacyRows")
    void unconvertibleLegacyRowsAreRefusedWithAReason(String type, String content, Reason reason) {
        assertRefused(type, content, reason);
    }

    static Stream<Arguments> badTimBodies() {
        return Stream.of(
                Arguments.of("{\"MsgType\":\"TIMTextElem\"}", Reason.MALFORMED_CONTENT),
                Arguments.of("[]", Reason.MALFORMED_CONTENT),
                Arguments.of("not json", Reason.MALFORMED_CONTENT),
                Arguments.of("[{\"MsgContent\":{\"Text\":\"x\"}}]", Reason.MALFORMED_CONTENT),
                Arguments.of("[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":\"x\"}]", Reason.MALFORMED_CONTENT),
                Arguments.of("[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{}}]", Reason.MALFORMED_CONTENT),
                Arguments.of("[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":123}}]", Reason.MALFORMED_CONTENT),
                Arguments.of("[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":true}}]", Reason.MALFORMED_CONTENT),
                Arguments.of("[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":1.5}}]", Reason.MALFORMED_CONTENT),
                Arguments.of("[{\"MsgType\":\"TIMImageElem\",\"MsgContent\":{\"ImageInfoArray\":[{\"Type\":3,\"URL\":\"u\"}]}}]",
                        Reason.MALFORMED_CONTENT),
                Arguments.of("[{\"MsgType\":\"TIMRelayElem\",\"MsgContent\":{\"Title\":\"chat\"}}]", Reason.UNKNOWN_TYPE),
                Arguments.of("[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"看\"}},"
                        + "{\"MsgType\":\"TIMFaceElem\",\"MsgContent\":{\"Index\":1,\"Data\":\"x\"}}]", Reason.MULTIPLE_ELEMENTS));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badTimBodies")
    void unconvertibleTimBodiesAreRefusedWithAReason(String msgBody, Reason reason) {
        assertThatThrownBy(() -> converter.toLegacy(msgBody))
                .isInstanceOf(ConversionException.class)
                .satisfies(e -> assertThat(((ConversionException) e).reason()).isEqualTo(reason))
                .hasMessageStartingWith(reason.name());
    }

    private void assertRefused(String type, String content, Reason reason) {
        assertThatThrownBy(() -> converter.toTimBody(type, content))
                .isInstanceOf(ConversionException.class)
                .satisfies(e -> assertThat(((ConversionException) e).reason()).isEqualTo(reason))
                .hasMessageStartingWith(reason.name());
    }
}
