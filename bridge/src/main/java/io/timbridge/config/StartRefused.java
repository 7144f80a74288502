package io.timbridge.config;

/**
 * The application cannot start for a reason the operator fixes (a database out of reach, a state database of
 * another migration): the message names the thing, the setting and what to do; no stack trace goes with it.
 */
public final class StartRefused extends RuntimeException {
    public StartRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
