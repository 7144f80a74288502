package io.timbridge.tim;

/** Headers the {@code tim:} producer sets on the message it returns. */
public final class TimConstants {
    /** TIM's {@code ErrorCode} of the answer (Integer; 0 on every answer that reaches the route). */
    public static final String ERROR_CODE = "TimErrorCode";
    /** TIM's {@code ActionStatus} ({@code OK}). */
    public static final String ACTION_STATUS = "TimActionStatus";
    /** {@code List<TimItemFailure>}: batch items TIM did not apply; empty when all succeeded. */
    public static final String FAILED_ITEMS = "TimFailedItems";
    /** The API called, as {@code service/command}. */
    public static final String API = "TimApi";

    private TimConstants() {
    }
}
