package io.timbridge.tim;

/**
 * A TIM call, or one item of a batch call, that did not succeed. Carries the API path, TIM's
 * {@code ErrorCode} and {@code ErrorInfo}, the item key when one item failed, and what the caller
 * should do about it. The message names the API, the code and the next step, so it can go into a
 * dead letter as it is.
 */
public class TimException extends RuntimeException {
    private final String apiPath;
    private final int errorCode;
    private final String errorInfo;
    private final String itemKey;
    private final TimErrorClass classification;

    public TimException(String apiPath, int errorCode, String errorInfo, String itemKey,
                        TimErrorClass classification, Throwable cause) {
        super(message(apiPath, errorCode, errorInfo, itemKey), cause);
        this.apiPath = apiPath;
        this.errorCode = errorCode;
        this.errorInfo = errorInfo == null ? "" : errorInfo;
        this.itemKey = itemKey;
        this.classification = classification;
    }

    /** An envelope error, classified by {@link TimErrors}. */
    public TimException(String apiPath, int errorCode, String errorInfo) {
        this(apiPath, errorCode, errorInfo, null, TimErrors.classify(errorCode), null);
    }

    /** No usable answer (connection error, timeout, HTTP status ≠ 200): always worth retrying. */
    public static TimException transport(String apiPath, String what, Throwable cause) {
        return new TimException(apiPath, TimErrors.TRANSPORT_ERROR, what, null, TimErrorClass.RETRY_WITH_BACKOFF, cause);
    }

    /** One failed item of a batch answer, e.g. for a dead letter per item. */
    public static TimException forItem(String apiPath, TimItemFailure failure) {
        return new TimException(apiPath, failure.code(), failure.info(), failure.key(), TimErrors.classify(failure.code()), null);
    }

    private static String message(String apiPath, int code, String info, String itemKey) {
        StringBuilder sb = new StringBuilder("TIM ").append(apiPath);
        if (itemKey != null) {
            sb.append(" item ").append(itemKey);
        }
        sb.append(" failed with ").append(code == TimErrors.TRANSPORT_ERROR ? "a transport error" : String.valueOf(code));
        if (info != null && !info.isBlank()) {
            sb.append(" (").append(info).append(')');
        }
        return sb.append(": ").append(TimErrors.hint(code)).toString();
    }

    /** {@code service/command}, e.g. {@code openim/importmsg}. */
    public String apiPath() {
        return apiPath;
    }

    /** TIM's {@code ErrorCode}; {@link TimErrors#TRANSPORT_ERROR} when there was no envelope. */
    public int errorCode() {
        return errorCode;
    }

    public String errorInfo() {
        return errorInfo;
    }

    /** The key of the failed item (UserID, GroupId, message index…), or null for a whole-call failure. */
    public String itemKey() {
        return itemKey;
    }

    public TimErrorClass classification() {
        return classification;
    }

    public boolean isRetryable() {
        return classification == TimErrorClass.RETRY_WITH_BACKOFF || classification == TimErrorClass.RENEW_SIG_AND_RETRY;
    }

    /** TIM refuses the app itself: stop, keep every item as it is, resume once the setting is fixed. */
    public boolean isFatal() {
        return classification == TimErrorClass.STOP_THE_RUN;
    }
}
