package io.timbridge.testsupport;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.timbridge.sandbox.SandboxConfig;
import io.timbridge.sandbox.TimSandbox;

import java.util.Map;
import java.util.Properties;

/** The TIM sandbox as the end-to-end tests run it: its own process-wide instance on a free port. */
public final class TestSandboxes {

    private TestSandboxes() {
    }

    /**
     * A started sandbox for the app: any free port, every message readable back (no roaming window), no frequency
     * limits (tests that measure limits set their own); {@code more} adds sandbox settings, e.g. the callback URL.
     */
    public static TimSandbox standalone(String appId, String admin, String key, Map<String, String> more) {
        Properties p = new Properties();
        p.setProperty("tim.sdk-app-id", appId);
        p.setProperty("tim.admin-identifier", admin);
        p.setProperty("tim.secret-key", key);
        p.setProperty("sandbox.port", "0");
        p.setProperty("sandbox.roaming-retention-days", "0");
        p.setProperty("sandbox.rate-limits.enabled", "false");
        more.forEach(p::setProperty);
        return new TimSandbox(SandboxConfig.from(p)).start();
    }

    /** A sandbox with callbacks signed with {@code token} and sent to {@code callbackUrl}. */
    public static TimSandbox withCallbacks(String appId, String admin, String key, String callbackUrl, String token) {
        return standalone(appId, admin, key, Map.of("sandbox.callback-url", callbackUrl, "sandbox.callback-token", token));
    }

    /** A MsgBody of one text element, as an app user sends it. */
    public static ArrayNode text(String text) {
        ArrayNode body = JsonNodeFactory.instance.arrayNode();
        body.addObject().put("MsgType", "TIMTextElem").putObject("MsgContent").put("Text", text);
        return body;
    }
}
