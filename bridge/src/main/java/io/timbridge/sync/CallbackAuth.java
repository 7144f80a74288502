package io.timbridge.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decides whether an incoming TIM callback request may be processed, from its query parameters
 * (callbacks.md "Transport" and "Authentication"):
 * <ol>
 * <li>{@code SdkAppid} and {@code CallbackCommand} are present, and {@code SdkAppid} is ours;</li>
 * <li>when a callback token is configured, {@code Sign} equals lowercase hex
 * SHA-256(token + {@code RequestTime}), compared in constant time;</li>
 * <li>and {@code RequestTime} (Unix seconds) is at most {@value #MAX_SKEW_SECONDS} s from now, either
 * way, so a captured request cannot be replayed later.</li>
 * </ol>
 * Without a token only the app id can be checked: TIM then sends no signature at all.
 *
 * <p>Thread-safe; one instance serves the callback endpoint.
 */
public final class CallbackAuth {

    public static final long MAX_SKEW_SECONDS = 60;
    private static final Pattern UNIX_SECONDS = Pattern.compile("\\d{1,12}");

    /** Why a request was refused; {@link #OK} when it was not. */
    public enum Status {
        OK("ok"),
        WRONG_APP("wrong-app"),
        BAD_SIGN("bad-sign"),
        STALE("stale"),
        MISSING_PARAM("missing-param");

        private final String code;

        Status(String code) {
            this.code = code;
        }

        /** The short form for logs, metrics and dead letters, e.g. {@code bad-sign}. */
        public String code() {
            return code;
        }
    }

    /** The outcome and, for a refusal, a sentence for the operator (never the expected Sign). */
    public record Verdict(Status status, String detail) {
        public boolean ok() {
            return status == Status.OK;
        }

        @Override
        public String toString() {
            return status.code() + (detail.isEmpty() ? "" : ": " + detail);
        }
    }

    private static final Verdict OK = new Verdict(Status.OK, "");

    private final String sdkAppId;
    private final byte[] token;
    private final Clock clock;

    /**
     * @param sdkAppId our app id ({@code tim.sdk-app-id})
     * @param token    the console's callback token ({@code tim.callback-token}); null or blank when
     *                 callback authentication is off
     * @param clock    the time {@code RequestTime} is compared with
     */
    public CallbackAuth(long sdkAppId, String token, Clock clock) {
        this.sdkAppId = Long.toString(sdkAppId);
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    /**
     * Checks the query parameters of one request. Values may be strings, or collections as some
     * HTTP layers give for repeated parameters; a parameter given more than once is refused, since
     * it is ambiguous which one was signed.
     */
    public Verdict verify(Map<String, ?> query) {
        String appId;
        String command;
        try {
            appId = single(query, "SdkAppid");
            command = single(query, "CallbackCommand");
        } catch (IllegalArgumentException e) {
            return new Verdict(Status.MISSING_PARAM, e.getMessage());
        }
        if (appId == null || appId.isEmpty()) {
            return new Verdict(Status.MISSING_PARAM, "SdkAppid is missing");
        }
        if (command == null || command.isEmpty()) {
            return new Verdict(Status.MISSING_PARAM, "CallbackCommand is missing");
        }
        if (!appId.equals(sdkAppId)) {
            return new Verdict(Status.WRONG_APP, "SdkAppid '" + abbreviate(appId) + "' is not this bridge's app");
        }
        return token == null ? OK : verifySign(query);
    }

    private Verdict verifySign(Map<String, ?> query) {
        String sign;
        String requestTime;
        try {
            sign = single(query, "Sign");
            requestTime = single(query, "RequestTime");
        } catch (IllegalArgumentException e) {
            return new Verdict(Status.MISSING_PARAM, e.getMessage());
        }
        if (sign == null || sign.isEmpty() || requestTime == null || requestTime.isEmpty()) {
            return new Verdict(Status.MISSING_PARAM, "Sign and RequestTime are required when a callback token is set");
        }
        if (!UNIX_SECONDS.matcher(requestTime).matches()) {
            return new Verdict(Status.MISSING_PARAM, "RequestTime is not Unix seconds: '" + abbreviate(requestTime) + "'");
        }
        byte[] expected = sign(requestTime).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, sign.getBytes(StandardCharsets.UTF_8))) {
            return new Verdict(Status.BAD_SIGN, "Sign does not match the callback token and RequestTime");
        }
        long skew = Math.abs(clock.millis() - Long.parseLong(requestTime) * 1000);
        if (skew > MAX_SKEW_SECONDS * 1000) {
            return new Verdict(Status.STALE, "RequestTime " + requestTime + " is " + skew / 1000
                    + " s away from now, more than " + MAX_SKEW_SECONDS + " s");
        }
        return OK;
    }

    /** {@code lowercase_hex(SHA-256(token + requestTime))}. */
    private String sign(String requestTime) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(token);
            return HexFormat.of().formatHex(sha256.digest(requestTime.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String single(Map<String, ?> query, String name) {
        Object value = query.get(name);
        if (value instanceof Collection<?> values) {
            if (values.size() > 1) {
                throw new IllegalArgumentException(name + " is given " + values.size() + " times");
            }
            value = values.isEmpty() ? null : values.iterator().next();
        }
        return value == null ? null : value.toString();
    }

    /** Request text quoted in a verdict: short, and on one line. */
    private static String abbreviate(String value) {
        String oneLine = value.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= 20 ? oneLine : oneLine.substring(0, 20) + "…";
    }
}
