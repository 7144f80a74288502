package io.timbridge.tim;

/**
 * One item that a batch call answered with OK overall but did not apply.
 *
 * @param key  what identifies the item in the request: a UserID, a GroupId, or for messages their
 *             zero-based position in the request's {@code MsgList}
 * @param code TIM's per-item code, or {@link TimErrors#NO_CODE} when TIM only listed the item as failed
 * @param info TIM's text, or a description of the failure when TIM gives none
 */
public record TimItemFailure(String key, int code, String info) {
    public TimErrorClass classification() {
        return TimErrors.classify(code);
    }
}
