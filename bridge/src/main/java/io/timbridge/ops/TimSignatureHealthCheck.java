package io.timbridge.ops;

import io.timbridge.tim.TimErrors;
import io.timbridge.tim.TimStats;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.time.Instant;
import java.util.Map;

/**
 * DOWN while TIM's latest verdict on the bridge's calls is a refusal of the app itself: a rejected admin UserSig
 * (70001, 70003, 70009, ...), an IP not on the allow-list (60021), a disabled app or an expired plan: every REST
 * call fails until the secret key, SDKAppID, admin identifier or the console setting is fixed. Passive: it reads the answers the
 * bridge's own calls got, so checking health spends none of TIM's call budget; it turns UP with the next call
 * TIM accepts (the client renews a rejected sig before each retry).
 */
public final class TimSignatureHealthCheck extends AbstractHealthCheck {
    private final TimStats stats;

    public TimSignatureHealthCheck(TimStats stats) {
        super("timbridge", "tim-usersig");
        this.stats = stats;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        stats.standingSignatureRejection().ifPresentOrElse(r -> builder.down()
                .message("TIM refuses the bridge's calls: " + r.code() + " " + r.info() + " (on " + r.path() + ", "
                        + Instant.ofEpochMilli(r.atMillis()) + "). " + TimErrors.hint(r.code()))
                .detail("error_code", r.code())
                .detail("api", r.path()), builder::up);
    }
}
