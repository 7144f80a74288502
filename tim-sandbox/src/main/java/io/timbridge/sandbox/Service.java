package io.timbridge.sandbox;

/**
 * The error codes each TIM service family uses for the failures every API shares: a body that is
 * not JSON, a bad parameter, a caller that is not an app admin, an account that was never imported.
 * Where a family documents none (admin-required for profile and groups, parse error for accounts)
 * the gateway's generic 600xx code is used.
 */
enum Service {
    LOGIN("im_open_login_svc", 60003, 70402, 70403, 70107, false),
    PROFILE("profile", 40001, 40001, 60010, 40003, true),
    SNS("sns", 30001, 30001, 30004, 30003, true),
    OPENIM("openim", 90001, 20001, 90009, 20003, false),
    GROUP("group_open_http_svc", 10011, 10004, 60010, 10019, false);

    final String name;
    final int parseError;
    final int badParam;
    final int adminRequired;
    final int accountNotFound;
    /** profile and sns responses carry {@code ErrorDisplay}. */
    final boolean errorDisplay;

    Service(String name, int parseError, int badParam, int adminRequired, int accountNotFound, boolean errorDisplay) {
        this.name = name;
        this.parseError = parseError;
        this.badParam = badParam;
        this.adminRequired = adminRequired;
        this.accountNotFound = accountNotFound;
        this.errorDisplay = errorDisplay;
    }

    static Service of(String name) {
        for (Service s : values()) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown TIM service " + name);
    }
}
