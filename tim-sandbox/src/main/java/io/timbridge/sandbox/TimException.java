package io.timbridge.sandbox;

/** An API-level failure answered with TIM's envelope: HTTP 200, {@code ActionStatus: FAIL}, this code. */
final class TimException extends RuntimeException {
    private final int code;

    TimException(int code, String info) {
        super(info, null, false, false);
        this.code = code;
    }

    int code() {
        return code;
    }
}
