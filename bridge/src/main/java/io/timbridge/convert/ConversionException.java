package io.timbridge.convert;

/**
 * A message body that cannot be converted. Permanent: retrying gives the same answer,
 * so the row goes to the dead letter with {@link #reason()} and the message.
 */
public class ConversionException extends RuntimeException {

    public enum Reason {
        /** msg_type is none of the eight types, or the TIM element type has no legacy counterpart. */
        UNKNOWN_TYPE,
        /** content is not what its type requires: bad JSON, a missing or mistyped field. */
        MALFORMED_CONTENT,
        /** the TIM MsgBody would be over 8000 bytes of UTF-8 JSON (TIM 93000 / 80002). */
        BODY_TOO_LARGE,
        /** a TIM body with several elements that are not all text: one legacy row holds one element. */
        MULTIPLE_ELEMENTS
    }

    private final Reason reason;

    public ConversionException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
