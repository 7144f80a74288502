package io.timbridge.legacy.generator;

/** Kinds of generated rows that TIM must refuse, so the dead-letter path gets exercised. */
public enum BadRow {
    /** A user id over TIM's 32 bytes (a WeChat openid with a prefix). */
    LONG_USER_ID,
    /** A message type outside the eight TIM has elements for. */
    UNKNOWN_MESSAGE_TYPE,
    /** A message body over TIM's 8000 bytes. */
    OVERSIZE_BODY,
    /** A live (AVChatRoom) group: TIM cannot import its members or history. */
    UNIMPORTABLE_GROUP_TYPE,
    /** A group name over TIM's 30 bytes. */
    LONG_GROUP_NAME
}
