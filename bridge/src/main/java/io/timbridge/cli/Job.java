package io.timbridge.cli;

import org.apache.camel.CamelContext;

import java.io.PrintStream;
import java.util.Map;

/** A command that runs to completion on a started Camel application and returns the exit code. */
@FunctionalInterface
public interface Job {
    /** The exit code of a job the operator stopped (Ctrl+C), as shells report it. */
    int EXIT_STOPPED = 130;

    int run(CamelContext context, Map<String, String> options, PrintStream out) throws Exception;

    /** Whether Ctrl+C lets this job wrap up ({@link #stop}) instead of ending it with the application. */
    default boolean stoppable() {
        return false;
    }

    /**
     * Ctrl+C on a {@link #stoppable()} job: ends the work in progress so that the next run resumes it; the job
     * then returns, with its summary printed.
     */
    default void stop(CamelContext context) {
    }
}
