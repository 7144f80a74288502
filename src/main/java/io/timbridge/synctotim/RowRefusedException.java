package io.timbridge.synctotim;

/** A legacy row TIM cannot take (bad id, body TIM refuses): it becomes a dead letter with the rule and reason. */
public class RowRefusedException extends RuntimeException {
    private final String rule;

    public RowRefusedException(String rule, String reason) {
        super(rule + ": " + reason);
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }
}
