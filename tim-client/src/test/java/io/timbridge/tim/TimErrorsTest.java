package io.timbridge.tim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.timbridge.tim.TimErrorClass.PERMANENT;
import static io.timbridge.tim.TimErrorClass.RENEW_SIG_AND_RETRY;
import static io.timbridge.tim.TimErrorClass.RETRY_WITH_BACKOFF;
import static org.assertj.core.api.Assertions.assertThat;

class TimErrorsTest {

    @ParameterizedTest(name = "REST gateway code {0} is retried with backoff")
    @ValueSource(ints = {60007, 60008, 60011, 60013, 60014, 60018, 60019, 70050, 70169})
    void restGatewayTransientCodesAreRetriedWithBackoff(int code) {
        assertThat(TimErrors.classify(code)).isEqualTo(RETRY_WITH_BACKOFF);
    }

    @ParameterizedTest(name = "service internal code {0} is retried with backoff")
    @ValueSource(ints = {91000, 90992, 20004, 20005, 10002, 30006, 30007, 40006})
    void eachServiceFamilysInternalCodesAreRetriedWithBackoff(int code) {
        assertThat(TimErrors.classify(code)).isEqualTo(RETRY_WITH_BACKOFF);
    }

    @ParameterizedTest(name = "frequency-limit code {0} slows the caller down")
    @ValueSource(ints = {60007, 60011, 60018, 60019, 70050, 10006, 10023})
    void frequencyLimitCodesAreRateLimitedAndRetryable(int code) {
        assertThat(TimErrors.isRateLimited(code)).isTrue();
        assertThat(TimErrors.classify(code)).isEqualTo(RETRY_WITH_BACKOFF);
    }

    @Test
    void expiredUserSigIsRenewedAndRetried() {
        assertThat(TimErrors.classify(70001)).isEqualTo(RENEW_SIG_AND_RETRY);
        assertThat(TimErrors.rejectsSignature(70001)).isTrue();
    }

    /** Answers about the app, not the item: every call fails alike, so the run stops instead of dead-lettering. */
    @ParameterizedTest(name = "code {0} stops the run")
    @ValueSource(ints = {60004, 60005, 60006, 60010, 60012, 60016, 60017, 60020, 60021,
            70003, 70009, 70013, 70014, 70016, 70020, 70403})
    void answersThatRefuseTheAppStopTheRun(int code) {
        assertThat(TimErrors.classify(code)).isEqualTo(TimErrorClass.STOP_THE_RUN);
        TimException e = new TimException("im_open_login_svc/multiaccount_import", code, "");
        assertThat(e.isFatal()).isTrue();
        assertThat(e.isRetryable()).isFalse();
    }

    @ParameterizedTest(name = "code {0} is permanent")
    @ValueSource(ints = {60002, 60003, 60009, 60015, 70051, 70107, 70398, 70402, 80001,
            90012, 93000, 10004, 10010, 10021, 30008, 40003, 40601, 12345})
    void requestAndConfigurationErrorsAndUnknownCodesArePermanent(int code) {
        assertThat(TimErrors.classify(code)).isEqualTo(PERMANENT);
        assertThat(TimErrors.isRateLimited(code)).isFalse();
        assertThat(new TimException("openim/importmsg", code, "").isFatal()).isFalse();
    }

    @Test
    void transportFailuresAreRetryable() {
        assertThat(TimErrors.classify(TimErrors.TRANSPORT_ERROR)).isEqualTo(RETRY_WITH_BACKOFF);
    }

    @Test
    void permanentErrorMessageNamesTheApiTheCodeAndTheNextStep() {
        TimException e = new TimException("openim/importmsg", 70107, "Err_TLS_PT_Open_Login_Account_Not_Exist");

        assertThat(e.getMessage()).isEqualTo("TIM openim/importmsg failed with 70107 "
                + "(Err_TLS_PT_Open_Login_Account_Not_Exist): account not imported: import the account first");
        assertThat(e.classification()).isEqualTo(PERMANENT);
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void itemExceptionCarriesTheItemKeyAndItsOwnClassification() {
        TimException e = TimException.forItem("im_open_login_svc/account_delete",
                new TimItemFailure("u9", 70107, "Err_TLS_PT_Open_Login_Account_Not_Exist"));

        assertThat(e.itemKey()).isEqualTo("u9");
        assertThat(e.errorCode()).isEqualTo(70107);
        assertThat(e.getMessage()).contains("account_delete item u9 failed with 70107", "import the account first");
    }

    @Test
    void everyClassOfCodeHasAHint() {
        assertThat(TimErrors.hint(12345)).contains("fix the request");
        assertThat(TimErrors.hint(TimErrors.NO_CODE)).isNotBlank();
        assertThat(TimErrors.hint(60010)).contains("tim.admin-identifier");
    }
}
