package io.timbridge.sync;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EchoGuardTest {
    private final EchoGuard guard = new EchoGuard("tb_admin", true);

    @Test
    void onlyAJsonObjectWithTheMarkerMemberIsMarked() {
        assertThat(EchoGuard.isMarked("{\"timbridge\":\"legacy\"}")).isTrue();
        assertThat(EchoGuard.isMarked("{\"app\":{\"k\":1},\"timbridge\":\"legacy\",\"id\":\"42\"}")).isTrue();

        assertThat(EchoGuard.isMarked(null)).isFalse();
        assertThat(EchoGuard.isMarked("")).isFalse();
        assertThat(EchoGuard.isMarked("timbridge legacy")).isFalse();
        assertThat(EchoGuard.isMarked("{\"timbridge\":\"legacy\"")).isFalse();
        assertThat(EchoGuard.isMarked("[{\"timbridge\":\"legacy\"}]")).isFalse();
        assertThat(EchoGuard.isMarked("{\"timbridge\":\"tim\"}")).isFalse();
        assertThat(EchoGuard.isMarked("{\"data\":{\"timbridge\":\"legacy\"}}")).isFalse();
    }

    @Test
    void theAdminIsRecognisedExactlyBecauseUserIdsAreCaseSensitive() {
        assertThat(guard.causedByBridge("Android", "tb_admin", null)).isTrue();
        assertThat(guard.causedByBridge("Android", "TB_ADMIN", null)).isFalse();
        assertThat(guard.causedByBridge("Android", null, "")).isFalse();
    }

    @Test
    void restCallsCountAsTheBridgesOnlyWhenConfiguredSo() {
        assertThat(guard.causedByBridge("RESTAPI", "alice", null)).isTrue();
        assertThat(new EchoGuard("tb_admin", false).causedByBridge("RESTAPI", "alice", null)).isFalse();
    }

    @Test
    void aGuardWithoutAdminIdentifierCannotBeBuilt() {
        assertThatThrownBy(() -> new EchoGuard(" ", true)).isInstanceOf(IllegalArgumentException.class);
    }
}
