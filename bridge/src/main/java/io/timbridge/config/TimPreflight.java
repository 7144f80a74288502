package io.timbridge.config;

import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimClient;
import io.timbridge.tim.TimErrors;
import io.timbridge.tim.TimException;

import java.util.List;
import java.util.Map;

/**
 * One cheap call before the first write (account_check of the admin, which reads and costs nothing): TIM is
 * reachable and accepts the UserSig, so a wrong secret, SDKAppID, region or IP allow-list stops the command
 * before any row is sent, instead of turning every row into a dead letter.
 */
public final class TimPreflight {

    private TimPreflight() {
    }

    /**
     * @throws TimException  when TIM refuses the app itself ({@link TimException#isFatal()})
     * @throws StartRefused when TIM cannot be reached at all
     */
    public static void check(TimClient tim) {
        try {
            tim.call(TimApi.ACCOUNT_CHECK, Map.of("CheckItem",
                    List.of(Map.of("UserID", tim.config().adminIdentifier()))));
        } catch (TimException e) {
            if (e.isFatal()) {
                throw e;
            }
            if (e.errorCode() == TimErrors.TRANSPORT_ERROR) {
                throw new StartRefused("TIM cannot be reached at " + tim.config().baseUrl() + " ("
                        + e.errorInfo() + "). Check tim.base-url (TIM_BASE_URL: your app's region) and that this"
                        + " host can reach it.", e);
            }
            // Any other answer came from past TIM's checks of the app and the UserSig: that is all this asks.
        }
    }
}
