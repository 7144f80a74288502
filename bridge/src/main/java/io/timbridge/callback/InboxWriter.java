package io.timbridge.callback;

import io.timbridge.sync.CallbackEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit for the callback endpoint: concurrent requests hand their callbacks to one writer thread, which
 * stores whatever is waiting in one transaction ({@link CallbackInbox#storeAll}) and wakes each request once its
 * callback is durable. A lone callback costs what a single insert does; under a burst, one commit serves many.
 *
 * <p>Thread-safe.
 */
public final class InboxWriter implements AutoCloseable {
    private final CallbackInbox inbox;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    private record Pending(CallbackInbox.Entry entry, CompletableFuture<Boolean> stored) {
    }

    public InboxWriter(CallbackInbox inbox, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("bridge.callback.inbox.max-batch must be at least 1, was " + maxBatch);
        }
        this.inbox = inbox;
        this.maxBatch = maxBatch;
        this.writer = new Thread(this::run, "callback-inbox-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Stores the callback and returns once it is committed.
     *
     * @return false when a callback with the same idempotency key was stored already (a replay)
     */
    public boolean store(CallbackEvent event, String optPlatform, String payload) {
        if (closed) {
            throw new IllegalStateException("the callback inbox writer is closed: the bridge is stopping");
        }
        Pending pending = new Pending(new CallbackInbox.Entry(event, optPlatform, payload), new CompletableFuture<>());
        queue.add(pending);
        try {
            return pending.stored().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing callback " + event.idempotencyKey(), e);
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                try {
                    boolean[] stored = inbox.storeAll(batch.stream().map(Pending::entry).toList());
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).stored().complete(stored[i]);
                    }
                } catch (RuntimeException e) {
                    batch.forEach(p -> p.stored().completeExceptionally(e));
                }
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stores what is waiting, then stops the writer. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
