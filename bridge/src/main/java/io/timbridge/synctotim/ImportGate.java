package io.timbridge.synctotim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbridge.state.Checkpoints;

/**
 * Whether a group's history import has finished, from the import's own checkpoint: TIM refuses imported
 * history older than a group's newest message, so no live message may enter a group before its history.
 * The group-history import walks groups in GroupId order ({@code legacy.import.group-history.key} starts
 * with {@code group_id}); a group is done when the import finished, or when its checkpoint is at a later
 * group. Before the import has started, no group is done. Read once per poll cycle ({@link #refresh}).
 */
public final class ImportGate {
    /** The import route whose checkpoint gates live group messages. */
    public static final String GROUP_HISTORY_ROUTE = "import-group-history";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Checkpoints checkpoints;
    private final boolean enabled;
    private volatile boolean finished;
    private volatile String position;

    /** @param enabled false when the groups' history is not imported by timbridge: every group is open */
    public ImportGate(Checkpoints checkpoints, boolean enabled) {
        this.checkpoints = checkpoints;
        this.enabled = enabled;
    }

    public void refresh() {
        if (!enabled) {
            return;
        }
        var checkpoint = checkpoints.find(GROUP_HISTORY_ROUTE, Checkpoints.WHOLE);
        finished = checkpoint.map(Checkpoints.Checkpoint::finished).orElse(false);
        position = checkpoint.map(c -> firstKey(c.position())).orElse(null);
    }

    /** Whether the group's history is in TIM, so its live messages may follow. */
    public boolean historyDone(String groupId) {
        if (!enabled || finished) {
            return true;
        }
        String at = position;
        return at != null && at.compareTo(groupId) > 0;
    }

    /** The group id of a keyset position ({@code ["g1", 1600000000000, 42]}), or null before the first group. */
    static String firstKey(String position) {
        try {
            JsonNode node = JSON.readTree(position);
            JsonNode first = node != null && node.isArray() && !node.isEmpty() ? node.get(0) : null;
            return first == null || first.isNull() ? null : first.asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(GROUP_HISTORY_ROUTE + " checkpoint is not a keyset position: " + position, e);
        }
    }
}
