package io.timbridge.tim;

/** What a caller should do about a TIM error (README §4 "retry guidance"). */
public enum TimErrorClass {
    /** Transient: call again later, backing off (frequency limits, internal timeouts, 5xx, network). */
    RETRY_WITH_BACKOFF,
    /** The admin UserSig expired: generate a new one, then call again. */
    RENEW_SIG_AND_RETRY,
    /** The request or configuration is wrong: retrying the same call cannot succeed. */
    PERMANENT,
    /**
     * TIM refuses the app, not the item (wrong secret or app id, IP not on the allow-list, app disabled,
     * plan expired): every call will fail the same way, so the run stops and no item becomes a dead letter.
     */
    STOP_THE_RUN
}
