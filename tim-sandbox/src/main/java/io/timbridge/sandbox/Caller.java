package io.timbridge.sandbox;

/**
 * Who caused an operation: the admin through REST ({@code OptPlatform=RESTAPI}) or an app user through
 * the client API; it becomes the callbacks' {@code Operator_Account}, {@code OptPlatform} and {@code ClientIP}.
 */
record Caller(String operator, String platform, String clientIp, boolean rest) {
    static Caller rest(String admin, String clientIp) {
        return new Caller(admin, "RESTAPI", clientIp, true);
    }
}
