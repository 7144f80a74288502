package io.timbridge.synctotim;

import java.util.ArrayList;
import java.util.List;

/**
 * The items of one conversation (a user pair, a group) in legacy order. They are sent one after the other;
 * once one of them must wait (a retryable failure, a group TIM does not have yet), the lane is blocked and
 * its later items wait too, so TIM never receives them out of order.
 */
public final class Lane {
    private final String key;
    private final List<SyncItem> items = new ArrayList<>();
    private volatile boolean blocked;

    Lane(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public List<SyncItem> items() {
        return items;
    }

    void add(SyncItem item) {
        items.add(item);
    }

    public boolean blocked() {
        return blocked;
    }

    void block() {
        blocked = true;
    }
}
