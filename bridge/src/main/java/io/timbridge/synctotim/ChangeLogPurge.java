package io.timbridge.synctotim;

import io.timbridge.state.Checkpoints;

import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Which change-log entries can go: those TIM has (at or below the group-changes route's checkpoint) and
 * older than the retention. The age condition matters: an app transaction that commits late makes an entry
 * with an id below the checkpoint visible after the poller moved past it, and the poller still picks it up
 * while it is young (settle window); the retention keeps entries long past that, for an operator to look at.
 */
public final class ChangeLogPurge {
    private final Checkpoints checkpoints;
    private final String routeId;
    private final long retentionMillis;
    private final LongSupplier clock;

    public ChangeLogPurge(Checkpoints checkpoints, String routeId, long retentionMillis, LongSupplier clock) {
        if (retentionMillis <= 0) {
            throw new IllegalArgumentException("bridge.sync.changelog.retention-ms must be positive, was " + retentionMillis);
        }
        this.checkpoints = checkpoints;
        this.routeId = routeId;
        this.retentionMillis = retentionMillis;
        this.clock = clock;
    }

    /**
     * The named parameters of {@code legacy.sync.changelog-purge.sql}: {@code up_to_id}, the checkpoint (0
     * before the route's first cycle, which purges nothing), and {@code before_ms}, the oldest time kept.
     */
    public Map<String, Object> parameters() {
        long upTo = SyncPoller.checkpoint(checkpoints, routeId).orElse(0L);
        return Map.of("up_to_id", upTo, "before_ms", clock.getAsLong() - retentionMillis);
    }
}
