package io.timbridge.ops;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/** DOWN while a database (legacy or bridge state) does not answer a short validation in time. */
public final class DatabaseHealthCheck extends AbstractHealthCheck {
    private final DatabaseProbe probe;
    private final String consequence;

    /**
     * @param id          {@code legacy-database} or {@code state-database}
     * @param consequence what stops while it is down, for the operator
     */
    public DatabaseHealthCheck(String id, DatabaseProbe probe, String consequence) {
        super("timbridge", id);
        this.probe = probe;
        this.consequence = consequence;
    }

    @Override
    public boolean isLiveness() {
        // A restart does not bring a database back: this is readiness only.
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        probe.problem().ifPresentOrElse(problem -> builder.down()
                .message(getId() + " unreachable: " + problem + ". " + consequence)
                .detail("problem", problem), builder::up);
    }
}
