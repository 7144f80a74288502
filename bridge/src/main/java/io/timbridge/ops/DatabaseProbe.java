package io.timbridge.ops;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether a database answers within a short time: a connection from its pool and {@link Connection#isValid}
 * (the driver's ping or validation query). The probe runs on {@code executor}, so a database that hangs
 * costs the health check {@code timeout}, not the pool's connection timeout; a probe still hanging is
 * waited on again by the next check instead of starting another.
 */
public final class DatabaseProbe {
    private final DataSource dataSource;
    private final Duration timeout;
    private final Executor executor;
    private CompletableFuture<Optional<String>> inFlight;

    public DatabaseProbe(DataSource dataSource, Duration timeout, Executor executor) {
        this.dataSource = dataSource;
        this.timeout = timeout;
        this.executor = executor;
    }

    /** Empty when the database answered, else why not. */
    public Optional<String> problem() {
        CompletableFuture<Optional<String>> probe;
        synchronized (this) {
            if (inFlight == null || inFlight.isDone()) {
                inFlight = CompletableFuture.supplyAsync(this::check, executor);
            }
            probe = inFlight;
        }
        try {
            return probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Optional.of("no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while waiting for the database");
        } catch (ExecutionException e) {
            return Optional.of(String.valueOf(e.getCause()));
        }
    }

    private Optional<String> check() {
        int seconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(seconds) ? Optional.empty() : Optional.of("the connection did not validate");
        } catch (Exception e) {
            return Optional.of(rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e.getMessage() + " (" + root + ")";
    }
}
