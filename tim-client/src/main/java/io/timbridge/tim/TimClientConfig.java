package io.timbridge.tim;

import java.util.Properties;

/**
 * Settings of {@link TimClient}, read from properties. Every key, ready to copy into
 * {@code application.properties}:
 * <pre>
 * # TIM REST domain of the app's data centre (README §1: e.g. https://adminapisgp.im.qcloud.com); the sandbox's URL in rehearsals
 * tim.base-url=https://console.tim.qq.com
 * # SDKAppID from the console (required)
 * tim.sdk-app-id=1400000000
 * # an App admin UserID configured in the console; REST calls are signed for it (required)
 * tim.admin-identifier=administrator
 * # the app's secret key, used as UTF-8 text (required; keep it in the environment)
 * tim.secret-key={{env:TIM_SECRET_KEY}}
 * # validity of the admin UserSig; a new one is made when half of it has passed (docs advise at least a day)
 * tim.usersig-expire-seconds=86400
 * # TCP connect timeout
 * tim.connect-timeout-ms=5000
 * # whole-request timeout; must exceed TIM's own 3 s server-side timeout
 * tim.request-timeout-ms=10000
 * # per API, by command name: calls per second (0 = unlimited) and items per call; defaults from TimApi
 * tim.limits.importmsg.qps=200
 * tim.limits.import_group_member.batch-size=20
 * # the limiter's window is one second plus this margin, for servers that count in whole milliseconds or include both window ends
 * tim.rate-limit.window-guard-ms=2
 * # back-off after a frequency-limit answer: first wait, doubled per answer up to the cap, with random jitter
 * tim.rate-limit.backoff-initial-ms=500
 * tim.rate-limit.backoff-max-ms=10000
 * # first wait after 70050 (locked out after signature failures; TIM asks for at least a minute)
 * tim.rate-limit.lockout-backoff-ms=60000
 * # total back-off one call may spend on frequency-limit answers before it fails as retryable
 * tim.rate-limit.max-total-wait-ms=120000
 * </pre>
 */
public record TimClientConfig(
        String baseUrl,
        long sdkAppId,
        String adminIdentifier,
        String secretKey,
        long userSigExpireSeconds,
        long connectTimeoutMillis,
        long requestTimeoutMillis,
        TimLimits limits,
        long windowGuardMillis,
        long backoffInitialMillis,
        long backoffMaxMillis,
        long lockoutBackoffMillis,
        long maxTotalWaitMillis) {

    public static final String DEFAULT_BASE_URL = "https://console.tim.qq.com";
    /** TIM's documented server-side REST timeout; client request timeouts must be longer. */
    public static final long TIM_SERVER_TIMEOUT_MILLIS = 3000;

    public TimClientConfig {
        require(baseUrl != null && !baseUrl.isBlank(), "tim.base-url must be set");
        require(sdkAppId > 0, "tim.sdk-app-id must be set to the app's SDKAppID");
        require(adminIdentifier != null && !adminIdentifier.isBlank(), "tim.admin-identifier must name an App admin");
        require(secretKey != null && !secretKey.isBlank(), "tim.secret-key must be set");
        require(userSigExpireSeconds >= 60, "tim.usersig-expire-seconds must be at least 60");
        require(connectTimeoutMillis > 0, "tim.connect-timeout-ms must be positive");
        require(requestTimeoutMillis > TIM_SERVER_TIMEOUT_MILLIS,
                "tim.request-timeout-ms must exceed TIM's 3000 ms server timeout, was " + requestTimeoutMillis);
        require(limits != null, "limits must be given");
        require(windowGuardMillis >= 0, "tim.rate-limit.window-guard-ms must not be negative");
        require(backoffInitialMillis > 0 && backoffMaxMillis >= backoffInitialMillis,
                "tim.rate-limit.backoff-initial-ms must be positive and at most tim.rate-limit.backoff-max-ms");
        require(lockoutBackoffMillis >= 0 && maxTotalWaitMillis >= 0, "rate-limit waits must not be negative");
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** Reads the keys listed above; unset keys take their defaults. */
    public static TimClientConfig from(Properties props) {
        return new TimClientConfig(
                props.getProperty("tim.base-url", DEFAULT_BASE_URL).trim(),
                number(props, "tim.sdk-app-id", 0),
                props.getProperty("tim.admin-identifier", "").trim(),
                props.getProperty("tim.secret-key", "").trim(),
                number(props, "tim.usersig-expire-seconds", 86_400),
                number(props, "tim.connect-timeout-ms", 5_000),
                number(props, "tim.request-timeout-ms", 10_000),
                TimLimits.from(props, "tim.limits"),
                number(props, "tim.rate-limit.window-guard-ms", 2),
                number(props, "tim.rate-limit.backoff-initial-ms", 500),
                number(props, "tim.rate-limit.backoff-max-ms", 10_000),
                number(props, "tim.rate-limit.lockout-backoff-ms", 60_000),
                number(props, "tim.rate-limit.max-total-wait-ms", 120_000));
    }

    private static long number(Properties props, String key, long fallback) {
        String value = props.getProperty(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was '" + value + "'", e);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The secret stays out of logs and dumps. */
    @Override
    public String toString() {
        return "TimClientConfig[baseUrl=" + baseUrl + ", sdkAppId=" + sdkAppId + ", adminIdentifier=" + adminIdentifier
                + ", secretKey=***, userSigExpireSeconds=" + userSigExpireSeconds
                + ", connectTimeoutMillis=" + connectTimeoutMillis + ", requestTimeoutMillis=" + requestTimeoutMillis
                + ", windowGuardMillis=" + windowGuardMillis + ", backoffInitialMillis=" + backoffInitialMillis
                + ", backoffMaxMillis=" + backoffMaxMillis + ", lockoutBackoffMillis=" + lockoutBackoffMillis
                + ", maxTotalWaitMillis=" + maxTotalWaitMillis + "]";
    }
}
