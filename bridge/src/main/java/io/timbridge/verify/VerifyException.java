package io.timbridge.verify;

import io.timbridge.tim.TimException;

/** Verify could not read TIM: the message names the items, the API, TIM's error code and what to do next. */
public final class VerifyException extends RuntimeException {
    private final TimException tim;

    public VerifyException(String message, TimException cause) {
        super(message, cause);
        this.tim = cause;
    }

    public int errorCode() {
        return tim.errorCode();
    }

    public boolean isRetryable() {
        return tim.isRetryable();
    }
}
