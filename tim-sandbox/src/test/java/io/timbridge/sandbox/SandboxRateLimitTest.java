package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** README §5: per-API frequency limits answered with 60007, configurable and liftable. */
class SandboxRateLimitTest {
    private static final String CHECK = "{\"CheckItem\":[{\"UserID\":\"administrator\"}]}";

    private static int check(SandboxHarness h) {
        return h.call("im_open_login_svc/account_check", CHECK).get("ErrorCode").asInt();
    }

    @Test
    void callsOverTheLimitWithinOneSecondAre60007AndTheNextSecondIsServed() {
        try (SandboxHarness h = new SandboxHarness("sandbox.limits.account_check.qps", "2")) {
            assertThat(check(h)).isZero();
            assertThat(check(h)).isZero();
            assertThat(check(h)).isEqualTo(60007);
            h.clock.advance(Duration.ofMillis(999));
            assertThat(check(h)).as("still inside the window").isEqualTo(60007);
            h.clock.advance(Duration.ofMillis(2));
            assertThat(check(h)).isZero();
            assertThat(h.sandbox.inspect().counts().get("rateLimited").asInt()).isEqualTo(2);
        }
    }

    @Test
    void eachApiHasItsOwnBudget() {
        try (SandboxHarness h = new SandboxHarness("sandbox.limits.account_check.qps", "1")) {
            assertThat(check(h)).isZero();
            assertThat(check(h)).isEqualTo(60007);
            JsonNode other = h.call("profile/portrait_get", "{\"To_Account\":[\"administrator\"],\"TagList\":[\"Tag_Profile_IM_Nick\"]}");
            assertThat(other.get("ErrorCode").asInt()).isZero();
        }
    }

    @Test
    void theDefaultLimitIsTimsDocumentedQps() {
        try (SandboxHarness h = new SandboxHarness()) {
            for (int i = 0; i < 100; i++) {
                assertThat(check(h)).as("call %d of account_check's 100/s", i + 1).isZero();
            }
            assertThat(check(h)).isEqualTo(60007);
        }
    }

    @Test
    void limitsCanBeLiftedAtStartAndAtRuntime() {
        try (SandboxHarness lifted = new SandboxHarness("sandbox.limits.account_check.qps", "1", "sandbox.rate-limits.enabled", "false")) {
            for (int i = 0; i < 5; i++) {
                assertThat(check(lifted)).isZero();
            }
        }
        try (SandboxHarness h = new SandboxHarness("sandbox.limits.account_check.qps", "1")) {
            check(h);
            assertThat(check(h)).isEqualTo(60007);
            assertThat(h.post(h.base() + "/sandbox/rate-limits", "{\"enabled\":false}").statusCode()).isEqualTo(200);
            assertThat(check(h)).isZero();
            h.post(h.base() + "/sandbox/rate-limits", "{\"enabled\":true,\"qps\":{\"account_check\":3}}");
            assertThat(check(h)).isZero();
            assertThat(check(h)).isZero();
            assertThat(check(h)).isZero();
            assertThat(check(h)).isEqualTo(60007);
        }
    }
}
