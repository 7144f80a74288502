package io.timbridge.config;

import io.timbridge.cli.DemoJob;
import io.timbridge.cli.ImportJob;
import io.timbridge.cli.Job;
import io.timbridge.cli.ReplayJob;
import io.timbridge.cli.VerifyJob;
import org.apache.camel.CamelConfiguration;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The subcommands of {@code timbridge.jar}: each one is the same Camel application with its own routes,
 * beans and, for commands that finish, a {@link Job}.
 */
public enum Command {
    /** Plain JDBC, no Camel: fills a legacy database with deterministic sample data. */
    GENERATE("generate", "Fill a legacy database with deterministic sample data (--url=... --users=...; --help).",
            Map.of(), List.of(), null, Set.of()),
    /** No Camel: the Hawtio console, in a process of its own, connected to a running bridge's Jolokia. */
    HAWTIO("hawtio", "Run the Hawtio console for a running bridge on http://127.0.0.1:8888/ [--hawtio.port=8888]"
            + " [--hawtio.jolokia-url=http://127.0.0.1:9876/observe/jolokia].",
            Map.of(), List.of(), null, Set.of()),
    /** Plain HTTP and JDBC, no Camel routes or servers: must not clash with the bridge it reports on. */
    STATUS("status", "Show a running bridge's progress, lag, inbox, dead letters and health [--url=http://127.0.0.1:9876];"
            + " without one, what its state database holds.", Map.of(), List.of(), null, Set.of()),
    SANDBOX("sandbox", "Run the TIM sandbox: a local stand-in for the TIM REST API and its callbacks.",
            Map.of("camel.main.routes-collector-enabled", "false"),
            List.of(SandboxConfiguration.class), null, Set.of()),
    IMPORT("import", "Import the legacy data into TIM [--only=accounts,profiles,...] [--dry-run] [--restart].",
            Map.of("camel.main.routes-include-pattern", Command.IMPORT_ROUTES),
            List.of(BridgeConfiguration.class, ImportConfiguration.class, OpsConfiguration.class), new ImportJob(),
            Set.of("only", "dry-run", "restart", "progress-seconds")),
    REPLAY("replay", "Send the open dead letters again after a fix [--route=import-<type>].",
            Map.of("camel.main.routes-include-pattern", Command.IMPORT_ROUTES),
            List.of(BridgeConfiguration.class, ImportConfiguration.class, OpsConfiguration.class), new ReplayJob(), Set.of("route")),
    VERIFY("verify", "Compare legacy and TIM per data type; report differences (exit 0 = match, 4 = differ)"
            + " [--only=...] [--sample=N] [--seed=S] [--report-dir=DIR].",
            Map.of("camel.main.routes-collector-enabled", "false"),
            List.of(BridgeConfiguration.class, ImportConfiguration.class), new VerifyJob(),
            Set.of("only", "sample", "seed", "report-dir")),
    DEMO("demo", "The embedded demo: generate an H2 legacy sample, import it into the in-process sandbox, compare,"
            + " then sync both ways until stopped [--users=1000] [--messages=10000] [--exit].",
            Map.of("camel.main.routes-include-pattern", Command.IMPORT_ROUTES + "," + Command.SYNC_ONLY_ROUTES,
                    "camel.main.profile", "dev", "camel.server.enabled", "true",
                    // The pollers start once the import is done (DemoJob), not with the application; the
                    // supervising route controller would start them regardless.
                    "camel.main.auto-startup-exclude-pattern", DemoJob.SYNC_ROUTE_PREFIX + "*", "camel.routecontroller.enabled", "false"),
            List.of(BridgeConfiguration.class, ImportConfiguration.class, SyncToTimConfiguration.class,
                    CallbackConfiguration.class, OpsConfiguration.class), new DemoJob(),
            Set.of("users", "messages", "progress-seconds", "exit")),
    SYNC("sync", "Keep legacy and TIM in two-way sync while old and new apps coexist; runs until stopped.",
            Map.of("camel.main.routes-include-pattern", Command.SYNC_ROUTES, "camel.server.enabled", "true"),
            List.of(BridgeConfiguration.class, SyncToTimConfiguration.class, CallbackConfiguration.class,
                    OpsConfiguration.class), null,
            Set.of());

    private static final String IMPORT_ROUTES = "file:routes/common/*.camel.yaml,file:routes/import/*.camel.yaml";
    private static final String SYNC_ONLY_ROUTES = "file:routes/sync/legacy-to-tim/*.camel.yaml,"
            + "file:routes/sync/tim-to-legacy/*.camel.yaml";
    private static final String SYNC_ROUTES = "file:routes/common/*.camel.yaml," + SYNC_ONLY_ROUTES;

    private final String name;
    private final String summary;
    private final Map<String, String> defaults;
    private final List<Class<? extends CamelConfiguration>> configurations;
    private final Job job;
    private final Set<String> options;

    Command(String name, String summary, Map<String, String> defaults,
            List<Class<? extends CamelConfiguration>> configurations, Job job, Set<String> options) {
        this.name = name;
        this.summary = summary;
        this.defaults = defaults;
        this.configurations = configurations;
        this.job = job;
        this.options = options;
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

    /** Command-line options of the job itself (everything else is a property). */
    public Set<String> options() {
        return options;
    }
}
