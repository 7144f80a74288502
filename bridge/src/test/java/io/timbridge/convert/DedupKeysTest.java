package io.timbridge.convert;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class DedupKeysTest {
    private static final long U32_MAX = 4_294_967_295L;

    @Test
    void theKeysAreAFunctionOfTheLegacyIdAndTimeOnly() {
        assertThat(DedupKeys.c2c(123_456_789L, 1_700_000_000_123L))
                .isEqualTo(DedupKeys.c2c(123_456_789L, 1_700_000_000_123L));
        assertThat(DedupKeys.groupRandom(987_654_321_012L)).isEqualTo(DedupKeys.groupRandom(987_654_321_012L));
    }

    @Test
    void theTimestampIsTheLegacyTimeInSeconds() {
        assertThat(DedupKeys.c2c(1, 1_700_000_000_999L).msgTimeStamp()).isEqualTo(1_700_000_000L);
    }

    @Test
    void everyKeyFitsAnUnsigned32BitInteger() {
        long[] ids = {0, 1, SEQ - 1, SEQ, U32_MAX, U32_MAX + 1, Long.MAX_VALUE, 1_864_000_000_000_000_000L};
        for (long id : ids) {
            for (long ms : new long[]{0, 999, 1_700_000_000_999L}) {
                DedupKeys.C2cKey k = DedupKeys.c2c(id, ms);
                assertThat(k.msgSeq()).isBetween(0L, U32_MAX);
                assertThat(k.msgRandom()).isBetween(0L, U32_MAX);
            }
            assertThat(DedupKeys.groupRandom(id)).isBetween(0L, U32_MAX);
        }
    }

    private static final long SEQ = DedupKeys.SEQ_MODULUS;

    @Test
    void messagesOfOneSecondKeepTheirLegacyOrderInMsgSeq() {
        long second = 1_700_000_000_000L;
        // later millisecond first, then higher id within the same millisecond
        assertThat(DedupKeys.c2c(900, second + 5).msgSeq()).isLessThan(DedupKeys.c2c(10, second + 6).msgSeq());
        assertThat(DedupKeys.c2c(10, second + 6).msgSeq()).isLessThan(DedupKeys.c2c(11, second + 6).msgSeq());
        assertThat(DedupKeys.c2c(5_000_000, second + 999).msgSeq())
                .isGreaterThan(DedupKeys.c2c(5_000_001, second + 998).msgSeq());
    }

    @Test
    void noTwoMessagesOfOneSecondShareATripleWhateverTheirIds() {
        SplittableRandom random = new SplittableRandom(7);
        long second = 1_700_000_000_000L;
        Set<DedupKeys.C2cKey> seen = new HashSet<>();
        // auto-increment ids, all in the same millisecond (the hardest case)
        for (long id = 1; id <= 50_000; id++) {
            assertThat(seen.add(DedupKeys.c2c(id, second))).isTrue();
        }
        // snowflake-like ids: millisecond timestamp << 22 | worker << 12 | sequence
        seen.clear();
        Set<Long> ids = new HashSet<>();
        while (ids.size() < 50_000) {
            long ms = second + random.nextInt(1000);
            long id = (ms << 22) | ((long) random.nextInt(1024) << 12) | random.nextInt(4096);
            if (ids.add(id)) {
                assertThat(seen.add(DedupKeys.c2c(id, ms))).as("key of id %d", id).isTrue();
            }
        }
        // ids exactly one modulus of MsgSeq apart in one millisecond: MsgRandom tells them apart
        assertThat(DedupKeys.c2c(42, second)).isNotEqualTo(DedupKeys.c2c(42 + SEQ, second));
    }

    @Test
    void groupRandomsDifferForIdsCloserThan2To32() {
        assertThat(DedupKeys.groupRandom(10)).isNotEqualTo(DedupKeys.groupRandom(11));
        assertThat(DedupKeys.groupRandom(U32_MAX)).isNotEqualTo(DedupKeys.groupRandom(U32_MAX + 1));
        assertThat(DedupKeys.groupRandom(7)).isEqualTo(DedupKeys.groupRandom(7 + U32_MAX + 1));
    }
}
