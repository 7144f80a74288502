package io.timbridge.config;

import io.timbridge.cli.DemoJob;
import io.timbridge.cli.ImportJob;
import io.timbridge.cli.Job;
import io.timbridge.cli.ReplayJob;
import io.timbridge.cli.VerifyJob;
import org.apache.camel.CamelConfiguration;

import java.util.List;
import java.util.Map;

/**
 * The subcommands of {@code timbridge.jar}: each one is the same Camel application with its own routes,
 * beans and, for commands that finish, a {@link Job}.
 */
public enum Command {
    /** Plain JDBC, no Camel: fills a legacy database with deterministic sample data. */
    GENERATE("generate", Map.of(), List.of(), null),
    /** No Camel: the Hawtio console, in a process of its own, connected to a running bridge's Jolokia. */
    HAWTIO("hawtio", Map.of(), List.of(), null),
    /** Plain HTTP and JDBC, no Camel routes or servers: must not clash with the bridge it reports on. */
    STATUS("status", Map.of(), List.of(), null),
    /** Plain JDBC on the state database, no Camel routes: lists what a running bridge or an import left. */
    DEAD_LETTERS("dead-letters", Map.of(), List.of(), null),
    /** Serves TIM's API on sandbox.port; no management server, so it never takes the bridge's port. */
    SANDBOX("sandbox",
            Map.of("camel.main.routes-collector-enabled", "false", "camel.management.enabled", "false"),
            List.of(SandboxConfiguration.class), null),
    IMPORT("import",
            Map.of(Command.ROUTE_FOLDERS, Command.IMPORT_ROUTES),
            List.of(BridgeConfiguration.class, ImportConfiguration.class, OpsConfiguration.class), new ImportJob()),
    REPLAY("replay",
            Map.of(Command.ROUTE_FOLDERS, Command.IMPORT_ROUTES),
            List.of(BridgeConfiguration.class, ImportConfiguration.class, OpsConfiguration.class), new ReplayJob()),
    VERIFY("verify",
            Map.of("camel.main.routes-collector-enabled", "false"),
            List.of(BridgeConfiguration.class, ImportConfiguration.class), new VerifyJob()),
    DEMO("demo",
            Map.of(Command.ROUTE_FOLDERS, Command.IMPORT_ROUTES + "," + Command.SYNC_ONLY_ROUTES,
                    "camel.main.profile", "dev", "camel.server.enabled", "true",
                    // The pollers start once the import is done (DemoJob), not with the application; the
                    // supervising route controller would start them regardless.
                    "camel.main.auto-startup-exclude-pattern", DemoJob.SYNC_ROUTE_PREFIX + "*", "camel.routecontroller.enabled", "false",
                    "bridge.sync.check-tables-at-start", "false"),
            List.of(BridgeConfiguration.class, ImportConfiguration.class, SyncToTimConfiguration.class,
                    CallbackConfiguration.class, OpsConfiguration.class), new DemoJob()),
    SYNC("sync",
            Map.of(Command.ROUTE_FOLDERS, Command.SYNC_ROUTES, "camel.server.enabled", "true"),
            List.of(BridgeConfiguration.class, SyncToTimConfiguration.class, CallbackConfiguration.class,
                    OpsConfiguration.class), null);

    /** Route folders (under routes/, in the jar or in {@code bridge.routes-dir}) of each command. */
    private static final String IMPORT_ROUTES = "common,import";
    private static final String SYNC_ONLY_ROUTES = "sync/legacy-to-tim,sync/tim-to-legacy";
    private static final String SYNC_ROUTES = "common," + SYNC_ONLY_ROUTES;

    /** The key of {@link #defaults()} naming the command's route folders, comma-separated. */
    public static final String ROUTE_FOLDERS = "timbridge.route-folders";

    private final String name;
    private final Map<String, String> defaults;
    private final List<Class<? extends CamelConfiguration>> configurations;
    private final Job job;

    Command(String name, Map<String, String> defaults,
            List<Class<? extends CamelConfiguration>> configurations, Job job) {
        this.name = name;
        this.defaults = defaults;
        this.configurations = configurations;
        this.job = job;
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

    /** What the command does once the application is up, or null for a service that runs until stopped. */
    public Job job() {
        return job;
    }
}
