package io.timbridge.convert;

import java.util.Arrays;
import java.util.Optional;

/** The eight legacy message types and the TIM element each one becomes. */
public enum LegacyMessageType {
    TEXT("text", "TIMTextElem"),
    IMAGE("image", "TIMImageElem"),
    VOICE("voice", "TIMSoundElem"),
    VIDEO("video", "TIMVideoFileElem"),
    FILE("file", "TIMFileElem"),
    LOCATION("location", "TIMLocationElem"),
    EMOJI("emoji", "TIMFaceElem"),
    CUSTOM("custom", "TIMCustomElem");

    private final String defaultName;
    private final String timElemType;

    LegacyMessageType(String defaultName, String timElemType) {
        this.defaultName = defaultName;
        this.timElemType = timElemType;
    }

    /** The value of {@code msg_type} in the reference schema. */
    public String defaultName() {
        return defaultName;
    }

    /** TIM's {@code MsgType}, e.g. {@code TIMImageElem}. */
    public String timElemType() {
        return timElemType;
    }

    public static Optional<LegacyMessageType> ofTimElemType(String msgType) {
        return Arrays.stream(values()).filter(t -> t.timElemType.equals(msgType)).findFirst();
    }
}
