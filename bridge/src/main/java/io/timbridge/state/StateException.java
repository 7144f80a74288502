package io.timbridge.state;

/** The bridge state database failed; the message says which operation, so the operator knows what stopped. */
public class StateException extends RuntimeException {
    public StateException(String operation, Throwable cause) {
        super("Bridge state database: could not " + operation + ": " + cause.getMessage(), cause);
    }
}
