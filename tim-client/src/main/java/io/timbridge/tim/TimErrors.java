package io.timbridge.tim;

import java.util.Map;
import java.util.Set;

/**
 * Classifies TIM error codes into {@link TimErrorClass} and says what to do next, from the retry
 * guidance in {@code tim-api/README.md} §4 and the per-service code lists (C2C 90xxx/20xxx, groups
 * 10xxx, sns 30xxx, profile 40xxx). Codes not listed anywhere are treated as permanent: an unknown
 * answer is safer in the dead-letter queue, where it can be replayed, than in an endless retry loop.
 */
public final class TimErrors {
    /** Code used for failures below TIM's envelope: connection errors, timeouts, HTTP status ≠ 200, unreadable body. */
    public static final int TRANSPORT_ERROR = -1;
    /** Code of an item that TIM reported as failed without giving an error code (e.g. {@code FailAccounts}). */
    public static final int NO_CODE = -2;

    /** Frequency-limit answers: the request was refused before it was processed, so waiting and resending is safe. */
    private static final Set<Integer> RATE_LIMITED = Set.of(
            60007, 60011, 60018, 60019, // REST gateway: per API, per SDKAppID, too frequent
            70050,                      // repeated signature failures: locked out for about a minute
            10006, 10023,               // groups: operation / send rate
            30540, 31707);              // sns anti-abuse throttling

    private static final Set<Integer> RETRY = Set.of(
            60008, 60013, 60014, 70169,
            91000, 90992, 20004, 20005, // C2C internal / network
            10002,                      // groups internal
            30006, 30007,               // sns internal / timeout
            40006);                     // profile internal

    private static final Set<Integer> RENEW_SIG = Set.of(70001);

    /**
     * Answers about the app and its credentials, not about the item: admin, signature, SDKAppID, app or API
     * disabled, plan expired, caller IP not allowed. 70001 is here only once a fresh sig was refused too.
     */
    private static final Set<Integer> STOP_THE_RUN = Set.of(
            60004, 60005, 60006, 60010, 60012, 60016, 60017, 60020, 60021,
            70003, 70009, 70013, 70014, 70016, 70020, 70403);

    /** Codes that say the UserSig in use is bad; the cached one is dropped so the next call signs afresh. */
    private static final Set<Integer> SIG_REJECTED = Set.of(60004, 60005, 70001, 70003, 70009, 70013, 70014, 70016, 70020);

    private static final Map<Integer, String> HINTS = Map.ofEntries(
            Map.entry(TRANSPORT_ERROR, "TIM could not be reached or answered outside its JSON envelope: retry with backoff; check tim.base-url and the network if it persists"),
            Map.entry(60002, "URL parse error: check tim.base-url and the query parameters"),
            Map.entry(60003, "request body is not valid JSON: fix the request body"),
            Map.entry(60004, "account or signature invalid: check that tim.admin-identifier is an App admin and tim.secret-key belongs to tim.sdk-app-id (an expired UserSig may also be reported this way)"),
            Map.entry(60005, "account or signature invalid: check that tim.admin-identifier is an App admin and tim.secret-key belongs to tim.sdk-app-id (an expired UserSig may also be reported this way)"),
            Map.entry(60006, "SDKAppID invalid: check tim.sdk-app-id"),
            Map.entry(60007, "REST call rate over limit: slow down (lower tim.limits.<command>.qps)"),
            Map.entry(60008, "service timeout: retry with backoff"),
            Map.entry(60009, "bad API path: use a documented service/command"),
            Map.entry(60010, "the identifier is not an App admin: set tim.admin-identifier to an admin configured in the console"),
            Map.entry(60011, "SDKAppID rate over limit: slow down (lower tim.limits.<command>.qps)"),
            Map.entry(60012, "sdkappid missing: set tim.sdk-app-id"),
            Map.entry(60013, "TIM could not parse its own response: retry with backoff"),
            Map.entry(60014, "account swap timeout: retry with backoff"),
            Map.entry(60015, "an account field must be a string: fix the request body"),
            Map.entry(60016, "the app is disabled: enable it in the console"),
            Map.entry(60017, "this request is disabled for the app: enable the API in the console"),
            Map.entry(60018, "requests too frequent: slow down"),
            Map.entry(60019, "requests too frequent: slow down"),
            Map.entry(60020, "the plan expired: renew the TIM plan"),
            Map.entry(60021, "caller IP not allowed: add this host to the console's IP allow-list"),
            Map.entry(70001, "UserSig expired: generate a new UserSig and retry (check the clock if it persists)"),
            Map.entry(70003, "UserSig undecodable: check tim.secret-key and the signing code"),
            Map.entry(70009, "UserSig verification failed: tim.secret-key does not belong to tim.sdk-app-id"),
            Map.entry(70013, "identifier differs from the UserSig's identifier: sign for tim.admin-identifier"),
            Map.entry(70014, "sdkappid differs from the UserSig's sdkappid: check tim.sdk-app-id"),
            Map.entry(70016, "key or app not found: wrong region? check tim.base-url"),
            Map.entry(70020, "key or app not found: wrong region? check tim.base-url"),
            Map.entry(70050, "locked out after repeated signature failures: wait at least a minute, then fix the signature settings"),
            Map.entry(70051, "account blacklisted: the account cannot be used"),
            Map.entry(70107, "account not imported: import the account first"),
            Map.entry(70169, "internal timeout: retry with backoff"),
            Map.entry(70398, "the plan's account limit is reached: upgrade the plan"),
            Map.entry(70399, "a deleted UserID cannot be imported again yet (3 months on paid apps): use another UserID"),
            Map.entry(70402, "invalid parameters: fix the request body"),
            Map.entry(70403, "the identifier is not an App admin: set tim.admin-identifier to an admin"),
            Map.entry(80001, "content-security hit: the content was refused, do not resend it unchanged"),
            Map.entry(80002, "message content longer than 8000 bytes: shorten or split the message"),
            Map.entry(93000, "message body over 8 KB: shorten or split the message"),
            Map.entry(91000, "C2C internal error: retry with backoff"),
            Map.entry(90992, "C2C internal error: retry with backoff; if every call fails, the before-send callback endpoint is not answering"),
            Map.entry(90012, "To_Account not imported: import the account first"),
            Map.entry(90030, "SyncFromOldSystem missing or invalid: send 2 (history) or 5 (live)"),
            Map.entry(20003, "UserID invalid or not imported: import the account first"),
            Map.entry(20004, "C2C network error: retry with backoff"),
            Map.entry(20005, "C2C internal error: retry with backoff"),
            Map.entry(10002, "group service internal error: retry with backoff"),
            Map.entry(10004, "invalid parameter (e.g. a time outside the group's range): fix the request"),
            Map.entry(10005, "too many accounts in one request: lower tim.limits.<command>.batch-size"),
            Map.entry(10006, "group operation rate limit: slow down"),
            Map.entry(10007, "permission denied or unsupported for this group type (AVChatRoom?)"),
            Map.entry(10010, "group does not exist or was destroyed: create or import the group first"),
            Map.entry(10015, "group ID not found: create or import the group first"),
            Map.entry(10018, "response over 1 MB: request fewer items per call"),
            Map.entry(10019, "account does not exist: import the account first"),
            Map.entry(10021, "group ID already in use: choose another GroupId"),
            Map.entry(10023, "group send rate exceeded: slow down"),
            Map.entry(10025, "group ID in use and owned by the caller: the group already exists"),
            Map.entry(30003, "account not found: import the account first"),
            Map.entry(30006, "sns internal error: retry with backoff"),
            Map.entry(30007, "sns network timeout: retry with backoff"),
            Map.entry(30008, "concurrent writes to one user's friend list: serialize calls per From_Account"),
            Map.entry(30539, "friend request pending the target's confirmation: use friend_import or ForceAddFlags=1"),
            Map.entry(30540, "sns anti-abuse throttling: slow down"),
            Map.entry(31707, "sns anti-abuse throttling: slow down"),
            Map.entry(40003, "account not imported: import the account first"),
            Map.entry(40006, "profile internal error: retry with backoff"),
            Map.entry(40601, "profile value over 500 bytes: shorten the value"));

    private TimErrors() {
    }

    public static TimErrorClass classify(int code) {
        if (code == TRANSPORT_ERROR || RATE_LIMITED.contains(code) || RETRY.contains(code)) {
            return TimErrorClass.RETRY_WITH_BACKOFF;
        }
        if (RENEW_SIG.contains(code)) {
            return TimErrorClass.RENEW_SIG_AND_RETRY;
        }
        if (STOP_THE_RUN.contains(code)) {
            return TimErrorClass.STOP_THE_RUN;
        }
        return TimErrorClass.PERMANENT;
    }

    /** A frequency-limit answer: the client waits and resends instead of failing the call. */
    public static boolean isRateLimited(int code) {
        return RATE_LIMITED.contains(code);
    }

    /** An answer that condemns the UserSig in use (expired, undecodable, wrong key, app or identifier). */
    public static boolean rejectsSignature(int code) {
        return SIG_REJECTED.contains(code);
    }

    /** What to do next about {@code code}, for messages and dead-letter reasons. */
    public static String hint(int code) {
        String hint = HINTS.get(code);
        if (hint != null) {
            return hint;
        }
        if (code == NO_CODE) {
            return "TIM gave no error code for this item: inspect the item and retry it alone";
        }
        return switch (classify(code)) {
            case RETRY_WITH_BACKOFF -> "transient error: retry with backoff";
            case RENEW_SIG_AND_RETRY -> "renew the UserSig and retry";
            case PERMANENT -> "not a documented retryable code: fix the request or configuration (see TIM's error code list)";
            case STOP_THE_RUN -> "TIM refuses this app's calls: fix the tim.* settings or the app in TIM's console";
        };
    }
}
