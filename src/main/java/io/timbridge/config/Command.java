package io.timbridge.config;

import org.apache.camel.CamelConfiguration;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The subcommands of {@code timbridge.jar}: each one is the same Camel application with a
 * different set of routes and beans.
 */
public enum Command {
    /** Plain JDBC, no Camel: fills a legacy database with deterministic sample data. */
    GENERATE("generate", "Fill a legacy database with deterministic sample data (--url=... --users=... see --help).",
            Map.of(), List.of()),
    SANDBOX("sandbox", "Run the TIM sandbox: a local stand-in for the TIM REST API and its callbacks.",
            Map.of("camel.main.routes-collector-enabled", "false"),
            List.of(SandboxConfiguration.class));

    private final String name;
    private final String summary;
    private final Map<String, String> defaults;
    private final List<Class<? extends CamelConfiguration>> configurations;

    Command(String name, String summary, Map<String, String> defaults,
            List<Class<? extends CamelConfiguration>> configurations) {
        this.name = name;
        this.summary = summary;
        this.defaults = defaults;
        this.configurations = configurations;
    }

    public String commandName() {
        return name;
    }

    /** Properties this command sets before the user's own overrides. */
    public Map<String, String> defaults() {
        return defaults;
    }

    public List<Class<? extends CamelConfiguration>> configurations() {
        return configurations;
    }

    public static Optional<Command> byName(String name) {
        return Arrays.stream(values()).filter(c -> c.name.equals(name)).findFirst();
    }

    public static String usage() {
        return "Usage: java -jar target/timbridge.jar <command> [--property=value ...]\n\nCommands:\n"
                + Arrays.stream(values())
                        .map(c -> String.format("  %-10s %s", c.name, c.summary))
                        .collect(Collectors.joining("\n"))
                + "\n\nAny property of application.properties can be given as --name=value;"
                + " --camel.main.profile=dev selects the embedded demo settings.";
    }
}
