package io.timbridge.convert;

/**
 * TIM's deduplication keys, derived only from the legacy message id and time, so that a retry or a
 * re-run (even with the bridge's own state deleted) sends exactly the keys of the first attempt and
 * TIM drops the copy.
 * <p>
 * C2C (importmsg dedups on MsgSeq, MsgRandom, MsgTimeStamp per conversation; history is ordered by
 * MsgTimeStamp, then MsgSeq):
 * <ul>
 * <li>{@code MsgTimeStamp} = legacy time in seconds;</li>
 * <li>{@code MsgSeq} = millisecond within that second × 4294967 + (id mod 4294967): increases with the
 * legacy millisecond, then with the id, so messages of one second keep their legacy order;</li>
 * <li>{@code MsgRandom} = (id div 4294967) mod 2^32.</li>
 * </ul>
 * Together MsgSeq and MsgRandom give back {@code id} modulo 4294967 × 2^32 (about 1.8 × 10^16), so two
 * legacy messages of one second can only share a triple if their ids are that far apart: never for
 * auto-increment or snowflake ids.
 * <p>
 * Groups: send_group_msg drops a repeated {@code Random} within 5 minutes; {@code Random} = id mod 2^32
 * differs for any two ids less than 2^32 apart.
 */
public final class DedupKeys {
    /** Largest factor with 1000 × M ≤ 2^32, so the millisecond part fits an unsigned 32-bit MsgSeq. */
    static final long SEQ_MODULUS = 4_294_967L;
    private static final long U32 = 0xFFFF_FFFFL;

    private DedupKeys() {
    }

    public record C2cKey(long msgSeq, long msgRandom, long msgTimeStamp) {
    }

    public static C2cKey c2c(long legacyId, long createdAtMillis) {
        long second = Math.floorDiv(createdAtMillis, 1000);
        long milli = Math.floorMod(createdAtMillis, 1000);
        long seq = milli * SEQ_MODULUS + Math.floorMod(legacyId, SEQ_MODULUS);
        long random = Math.floorDiv(legacyId, SEQ_MODULUS) & U32;
        return new C2cKey(seq, random, second);
    }

    /**
     * The legacy id a C2C message was imported from, given back by its MsgSeq and MsgRandom (the inverse of
     * {@link #c2c}); meaningless for a message that did not come from the bridge.
     */
    public static long c2cLegacyId(long msgSeq, long msgRandom) {
        return msgRandom * SEQ_MODULUS + Math.floorMod(msgSeq, SEQ_MODULUS);
    }

    /** {@code Random} of a group message sent live with send_group_msg, or imported with import_group_msg. */
    public static long groupRandom(long legacyId) {
        return legacyId & U32;
    }
}
