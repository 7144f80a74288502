package io.timbridge.synctotim;

import io.timbridge.convert.LegacyRow;
import io.timbridge.convert.TimCall;
import io.timbridge.tim.TimException;

import java.util.Map;
import java.util.Optional;

/**
 * What one legacy → TIM route moves: how its rows form lanes, which TIM call a row becomes, and how TIM's
 * answers are taken. {@link SyncPoller} does the rest (cursor, lanes, holding, dead letters).
 */
public interface SyncSource {

    /** What the poller does with an item TIM answered with an error. */
    enum ErrorOutcome {
        /** TIM has it already (e.g. 10025 for a group the bridge created before): done. */
        APPLIED,
        /** Transient: the item and the rest of its lane wait for the next cycle, however long that takes. */
        RETRY,
        /** What the item needs (its group, its sender's membership) is not in TIM yet: wait, up to the grace period. */
        WAIT_FOR_TARGET,
        /** TIM will never take it: a dead letter with TIM's code and the reason. */
        DEAD_LETTER
    }

    /** The route id, also the checkpoint's and the dead letters' route id. */
    String routeId();

    /** The row's id: the cursor moves over these. Every shipped poll query names it {@code id}. */
    default long id(Map<String, Object> row) {
        return LegacyRow.requiredLong(row, "id", routeId());
    }

    /** The row's lane (a conversation, a group): a lane's rows go to TIM one after the other, in id order. */
    String lane(Map<String, Object> row);

    /** Called once before each poll cycle, e.g. to read the import's progress once per cycle. */
    default void beginCycle() {
    }

    /** Whether a lane may send now; a lane that may not is held: its rows stay pending. */
    default boolean ready(String lane) {
        return true;
    }

    /**
     * The TIM call for the item, or empty when TIM needs none (the bridge sent it before, nothing changed).
     *
     * @throws RowRefusedException when TIM cannot take the row
     */
    Optional<TimCall> call(SyncItem item);

    /** TIM applied the item's call; {@code answer} is TIM's answer. */
    default void applied(SyncItem item, Map<?, ?> answer) {
    }

    /** How an error answer for the item is taken; by default by TIM's own classification. */
    default ErrorOutcome onError(SyncItem item, TimException error) {
        return error.isRetryable() ? ErrorOutcome.RETRY : ErrorOutcome.DEAD_LETTER;
    }
}
