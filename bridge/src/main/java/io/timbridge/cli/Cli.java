package io.timbridge.cli;

import io.timbridge.config.Command;
import io.timbridge.importing.DataType;
import io.timbridge.legacy.generator.GeneratorOptions;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * The command line on picocli: every command has {@code --help}, typed and validated options, and refuses
 * an unknown option or command with exit code 2 before anything starts. Settings are given as
 * {@code --<key>=<value>}, a key of application.properties ({@link Settings} checks it); the rest is the
 * command's own options.
 */
@CommandLine.Command(name = "timbridge", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Moves a self-built IM backend onto Tencent Cloud IM (TIM): import, two-way sync, verify.",
        subcommands = {Cli.Demo.class, Cli.Import.class, Cli.Replay.class, Cli.Verify.class, Cli.Sync.class,
                Cli.Sandbox.class, Cli.Status.class, Cli.DeadLetters.class, Cli.Hawtio.class, Cli.Generate.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Settings: any key of application.properties as --<key>=<value>, for example",
                "  --tim.base-url=http://127.0.0.1:18090 or --camel.main.profile=dev; an unknown key is refused.",
                "Secrets (TIM_SECRET_KEY, database passwords) come from environment variables.",
                "Run 'java -jar timbridge.jar COMMAND --help' for a command's options."})
public final class Cli implements Runnable {
    public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;
    /** The options {@code dead-letters} passes on as {@code --name=value}; none is a key of application.properties. */
    public static final List<String> DEAD_LETTER_OPTIONS = List.of("route", "code", "reason", "status", "show", "csv",
            "limit");

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** What a command runs once its options are parsed; the default starts the Camel application. */
    public interface Launcher {
        int launch(Command command, Map<String, String> options, Map<String, String> settings) throws Exception;

        int passThrough(Command command, String[] args) throws Exception;
    }

    private final Launcher launcher;

    public Cli(Launcher launcher) {
        this.launcher = launcher;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet().stream().filter(n -> !n.equals("help")).toList()));
    }

    /** Parses and runs; returns the exit code. */
    public static int execute(Launcher launcher, String... args) {
        CommandLine cli = commandLine(launcher);
        return cli.execute(args);
    }

    static CommandLine commandLine(Launcher launcher) {
        CommandLine cli = new CommandLine(new Cli(launcher), new Factory(launcher));
        cli.getSubcommands().get("generate").getCommandSpec().usageMessage()
                .footer(GeneratorOptions.usage().lines().skip(1).toArray(String[]::new));
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine at = e.getCommandLine();
            at.getErr().println(at.getColorScheme().errorText(e.getMessage()));
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, at.getErr())) {
                at.getErr().println("Run '" + at.getCommandSpec().qualifiedName() + " --help' for the options.");
            }
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, at, parsed) -> {
            at.getErr().println(at.getCommandSpec().name() + " failed: " + e.getMessage());
            return 1;
        });
        return cli;
    }

    /** Picocli creates the subcommands; they need the launcher. */
    private record Factory(Launcher launcher) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (Base.class.isAssignableFrom(type)) {
                K command = CommandLine.defaultFactory().create(type);
                ((Base) command).launcher = launcher;
                return command;
            }
            if (type == Cli.class) {
                return type.cast(new Cli(launcher));
            }
            return CommandLine.defaultFactory().create(type);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"timbridge " + (v == null ? "(development build)" : v)};
        }
    }

    /** A command's {@code --<key>=<value>} settings, checked against the known keys before anything runs. */
    abstract static class Base implements Callable<Integer> {
        Launcher launcher;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Unmatched
        List<String> unmatched = new ArrayList<>();

        abstract Command command();

        /** The job's own options, under the names the jobs read. */
        Map<String, String> options() {
            return new LinkedHashMap<>();
        }

        @Option(names = "--verbose", description = "also print Camel's own start-up, configuration and shutdown lines")
        boolean verbose;

        @Override
        public Integer call() throws Exception {
            Map<String, String> settings = Settings.parse(spec.commandLine(), unmatched);
            Map<String, String> options = options();
            if (verbose) {
                // logback.xml keeps Camel at WARN: the operator reads progress, results and warnings.
                ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.camel"))
                        .setLevel(ch.qos.logback.classic.Level.INFO);
            }
            return launcher.launch(command(), options, settings);
        }

        void positive(String option, long value) {
            if (value < 1) {
                throw new ParameterException(spec.commandLine(), option + " must be at least 1, got " + value);
            }
        }
    }

    @CommandLine.Command(name = "demo", mixinStandardHelpOptions = true,
            description = "The embedded default: generate an H2 legacy sample, import it into the in-process TIM sandbox,"
                    + " compare both sides, then sync both ways until Ctrl+C (or --exit).")
    static final class Demo extends Base {
        @Option(names = "--users", paramLabel = "N", defaultValue = "1000", description = "accounts in the sample (default ${DEFAULT-VALUE})")
        int users;
        @Option(names = "--messages", paramLabel = "N", defaultValue = "10000", description = "messages in the sample (default ${DEFAULT-VALUE})")
        long messages;
        @Option(names = "--progress-seconds", paramLabel = "S", defaultValue = "10", description = "seconds between progress lines")
        int progressSeconds;
        @Option(names = "--exit", description = "stop after one message has crossed each way")
        boolean exit;

        @Override
        Command command() {
            return Command.DEMO;
        }

        @Override
        Map<String, String> options() {
            positive("--users", users);
            positive("--messages", messages);
            positive("--progress-seconds", progressSeconds);
            return map("users", users, "messages", messages, "progress-seconds", progressSeconds, "exit", exit);
        }
    }

    @CommandLine.Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import the legacy data into TIM, in TIM's order, resumable: the same command after a crash or"
                    + " Ctrl+C goes on where it stopped. Exit 0: every row in TIM; 3: some rows are dead letters (see"
                    + " replay); 1: could not run (or TIM refused the app: no row is a dead letter for it); 2: a mistake"
                    + " on the command line or a missing setting; 130: stopped by Ctrl+C.")
    static final class Import extends Base {
        @Option(names = "--only", split = ",", paramLabel = "TYPE", converter = DataTypeConverter.class, completionCandidates = DataTypeConverter.class,
                description = "data types to import: ${COMPLETION-CANDIDATES}")
        List<DataType> only;
        @Option(names = "--dry-run", description = "check every row against TIM's rules; call nothing")
        boolean dryRun;
        @Option(names = "--restart", description = "forget the checkpoints of the selected types (TIM's dedup keeps it harmless)")
        boolean restart;
        @Option(names = "--progress-seconds", paramLabel = "S", defaultValue = "10", description = "seconds between progress lines")
        int progressSeconds;

        @Override
        Command command() {
            return Command.IMPORT;
        }

        @Override
        Map<String, String> options() {
            positive("--progress-seconds", progressSeconds);
            Map<String, String> o = map("dry-run", dryRun, "restart", restart, "progress-seconds", progressSeconds);
            if (only != null) {
                o.put("only", keys(only));
            }
            return o;
        }
    }

    @CommandLine.Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Send the open dead letters again after a fix in the data or the configuration.")
    static final class Replay extends Base {
        @Option(names = "--route", paramLabel = "ROUTE", converter = ReplayRouteConverter.class,
                description = "only the dead letters of this route: import-<type> (<type> as for import --only) or a"
                        + " legacy -> TIM sync route (sync-c2c-messages-to-tim, sync-group-messages-to-tim,"
                        + " sync-group-changes-to-tim)")
        String route;
        @Option(names = "--list", description = "print the open dead letters (route, item, API, TIM's code, reason); send nothing")
        boolean list;

        @Override
        Command command() {
            return Command.REPLAY;
        }

        @Override
        Map<String, String> options() {
            Map<String, String> o = new LinkedHashMap<>();
            if (route != null) {
                o.put("route", route);
            }
            o.put("list", String.valueOf(list));
            return o;
        }
    }

    @CommandLine.Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Compare legacy and TIM per data type and write a report (JSON and HTML). Exit 0: both sides"
                    + " match; 4: they differ; 5: nothing differs, but some type was NOT VERIFIED (all its legacy"
                    + " items out of TIM's roaming window); 1: could not run.")
    static final class Verify extends Base {
        @Option(names = "--only", split = ",", paramLabel = "TYPE", converter = DataTypeConverter.class, completionCandidates = DataTypeConverter.class,
                description = "data types to compare: ${COMPLETION-CANDIDATES}")
        List<DataType> only;
        @Option(names = "--sample", paramLabel = "N", description = "compare N random items per type instead of all")
        Integer sample;
        @Option(names = "--seed", paramLabel = "S", description = "the sample's seed (same seed, same sample)")
        Long seed;
        @Option(names = "--report-dir", paramLabel = "DIR", description = "where the report is written (default: bridge.verify.report-dir)")
        Path reportDir;

        @Override
        Command command() {
            return Command.VERIFY;
        }

        @Override
        Map<String, String> options() {
            Map<String, String> o = new LinkedHashMap<>();
            if (only != null) {
                o.put("only", keys(only));
            }
            if (sample != null) {
                positive("--sample", sample);
                o.put("sample", sample.toString());
            }
            if (seed != null) {
                o.put("seed", seed.toString());
            }
            if (reportDir != null) {
                o.put("report-dir", reportDir.toString());
            }
            return o;
        }
    }

    @CommandLine.Command(name = "sync", mixinStandardHelpOptions = true,
            description = "Keep legacy and TIM in two-way sync while app 1.0 and app 2.0 coexist; runs until stopped.")
    static final class Sync extends Base {
        @Override
        Command command() {
            return Command.SYNC;
        }
    }

    @CommandLine.Command(name = "sandbox", mixinStandardHelpOptions = true,
            description = "Run the TIM sandbox, a local stand-in for the TIM REST API and its callbacks, on sandbox.port.")
    static final class Sandbox extends Base {
        @Override
        Command command() {
            return Command.SANDBOX;
        }
    }

    @CommandLine.Command(name = "status", mixinStandardHelpOptions = true,
            description = "A running bridge's progress, lag, inbox, dead letters and health; without one, what its state"
                    + " database holds.")
    static final class Status extends Base {
        @Option(names = "--url", paramLabel = "URL", description = "the bridge's management address (default: camel.management.host and port)")
        String url;

        @Override
        Command command() {
            return Command.STATUS;
        }

        @Override
        public Integer call() throws Exception {
            Map<String, String> settings = Settings.parse(spec.commandLine(), unmatched);
            List<String> args = new ArrayList<>();
            if (url != null) {
                args.add("--url=" + url);
            }
            settings.forEach((k, v) -> args.add("--" + k + "=" + v));
            return launcher.passThrough(Command.STATUS, args.toArray(String[]::new));
        }
    }

    @CommandLine.Command(name = "dead-letters", mixinStandardHelpOptions = true,
            description = "What the bridge could not apply, from its state database: list and filter, show one with"
                    + " its payload, or export CSV. Reads only; 'replay' sends them again.")
    static final class DeadLetters extends Base {
        @Option(names = "--route", paramLabel = "ROUTE", description = "only this route's, e.g. import-groups")
        String route;
        @Option(names = "--code", paramLabel = "CODE", description = "only those with TIM's error code CODE")
        Integer code;
        @Option(names = "--reason", paramLabel = "TEXT", description = "only those whose reason contains TEXT")
        String reason;
        @Option(names = "--status", paramLabel = "STATUS", defaultValue = "open",
                description = "open (default), skipped, resolved or all")
        String status;
        @Option(names = "--show", paramLabel = "ID", description = "one dead letter in full, with its payload")
        Long show;
        @Option(names = "--csv", paramLabel = "FILE", description = "write every match to FILE as CSV")
        Path csv;
        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "lines listed (default 50)")
        int limit;

        @Override
        Command command() {
            return Command.DEAD_LETTERS;
        }

        @Override
        public Integer call() throws Exception {
            if (!List.of("open", "skipped", "resolved", "all").contains(status)) {
                throw new ParameterException(spec.commandLine(), "--status must be open, skipped, resolved or all,"
                        + " not '" + status + "'");
            }
            Map<String, String> settings = Settings.parse(spec.commandLine(), unmatched);
            List<String> args = new ArrayList<>();
            map("route", route, "code", code, "reason", reason, "status", status, "show", show, "csv", csv,
                    "limit", limit).forEach((k, v) -> {
                        if (!"null".equals(v)) {
                            args.add("--" + k + "=" + v);
                        }
                    });
            settings.forEach((k, v) -> args.add("--" + k + "=" + v));
            return launcher.passThrough(Command.DEAD_LETTERS, args.toArray(String[]::new));
        }
    }

    /** Its options are the console's own (hawtio.*), checked by {@code HawtioConsole}. */
    @CommandLine.Command(name = "hawtio", mixinStandardHelpOptions = true,
            description = "Run the Hawtio console for a running bridge on http://127.0.0.1:8888/. Options: --hawtio.port=8888,"
                    + " --hawtio.host=127.0.0.1, --hawtio.jolokia-url=http://127.0.0.1:9876/observe/jolokia, --hawtio.war=PATH.")
    static final class Hawtio extends Base {
        @Override
        Command command() {
            return Command.HAWTIO;
        }

        @Override
        public Integer call() throws Exception {
            return launcher.passThrough(Command.HAWTIO, unmatched.toArray(String[]::new));
        }
    }

    /** Its options are the generator's own, checked by {@code GeneratorOptions}. */
    @CommandLine.Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Fill a legacy database (H2, MariaDB/MySQL, PostgreSQL) with deterministic sample data.",
            footerHeading = "%nThe generator's options:%n")
    static final class Generate extends Base {
        @Override
        Command command() {
            return Command.GENERATE;
        }

        @Override
        public Integer call() throws Exception {
            return launcher.passThrough(Command.GENERATE, unmatched.toArray(String[]::new));
        }
    }

    static final class DataTypeConverter implements ITypeConverter<DataType>, Iterable<String> {
        @Override
        public DataType convert(String value) {
            return DataType.byKey(value).orElseThrow(() -> new CommandLine.TypeConversionException(
                    "'" + value + "' is not a data type; choose from " + String.join(",", this)));
        }

        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(DataType.values()).map(DataType::key).iterator();
        }
    }

    static final class ReplayRouteConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (ReplayJob.replayable(value)) {
                return value;
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a route replay sends; choose from "
                    + java.util.stream.Stream.concat(java.util.Arrays.stream(DataType.values()).map(DataType::routeId),
                            ReplayJob.SYNC_ROUTES.stream()).collect(Collectors.joining(", ")));
        }
    }

    private static String keys(List<DataType> types) {
        return types.stream().map(DataType::key).distinct().collect(Collectors.joining(","));
    }

    private static Map<String, String> map(Object... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], String.valueOf(keyValues[i + 1]));
        }
        return m;
    }

}
