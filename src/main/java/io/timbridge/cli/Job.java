package io.timbridge.cli;

import org.apache.camel.CamelContext;

import java.io.PrintStream;
import java.util.Map;

/** A command that runs to completion on a started Camel application and returns the exit code. */
@FunctionalInterface
public interface Job {
    int run(CamelContext context, Map<String, String> options, PrintStream out) throws Exception;
}
