package io.timbridge.synctotim;

/**
 * A legacy row TIM cannot take (bad id, body TIM refuses): it becomes a dead letter whose reason starts with
 * the rule it broke ({@link io.timbridge.convert.Refusal}'s names).
 */
public class RowRefusedException extends RuntimeException {

    public RowRefusedException(String rule, String reason) {
        super(rule + ": " + reason);
    }
}
