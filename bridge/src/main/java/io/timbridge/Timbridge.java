package io.timbridge;

import io.timbridge.callback.CallbackHttpServerFactory;
import io.timbridge.cli.Cli;
import io.timbridge.cli.Job;
import io.timbridge.config.CallbackConfiguration;
import io.timbridge.config.Command;
import io.timbridge.config.RequiredSettings;
import io.timbridge.config.StartRefused;
import io.timbridge.hawtio.HawtioConsole;
import io.timbridge.legacy.generator.SampleDataGenerator;
import io.timbridge.ops.DeadLettersCommand;
import io.timbridge.ops.HttpServers;
import io.timbridge.ops.JolokiaAgent;
import io.timbridge.ops.StatusCommand;
import io.timbridge.tim.TimException;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.plugin.JolokiaPlatformHttpPlugin;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The timbridge command line: {@code java -jar timbridge.jar <command> [options] [--<key>=<value> ...]},
 * parsed by {@link Cli}; each {@code --<key>=<value>} overrides that key of application.properties.
 */
public final class Timbridge {
    private static final Logger LOG = LoggerFactory.getLogger(Timbridge.class);
    /** The operator's edited copy of routes/; empty for the routes packaged in the jar. */
    public static final String ROUTES_DIR = "bridge.routes-dir";

    private Timbridge() {
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(new Launch(), args));
    }

    /** What each parsed command runs: the Camel application for most, a plain program for a few. */
    private static final class Launch implements Cli.Launcher {
        @Override
        public int launch(Command command, Map<String, String> options, Map<String, String> settings) {
            Map<String, String> overrides = new LinkedHashMap<>(settings);
            boolean dryRun = Boolean.parseBoolean(options.getOrDefault("dry-run", "false"))
                    || Boolean.parseBoolean(options.getOrDefault("list", "false"));
            PropertiesComponent properties = properties(profileOf(command, overrides), overrides);
            List<RequiredSettings.Problem> problems = RequiredSettings.check(command, dryRun,
                    key -> resolve(properties, key), properties(profileOf(command, overrides), Map.of()).loadProperties());
            if (!problems.isEmpty()) {
                System.err.println(RequiredSettings.describe(command.commandName(), problems));
                return Cli.EXIT_USAGE;
            }
            if (dryRun) {
                overrides.put("bridge.dry-run", "true");
                // A dry run calls no TIM API; the client it wires still wants these, whatever they are.
                Map.of("tim.sdk-app-id", "1", "tim.secret-key", "dry-run-calls-no-tim-api").forEach((key, value) -> {
                    if (resolve(properties, key).isEmpty()) {
                        overrides.put(key, value);
                    }
                });
            }
            Main main = newMain(command, overrides, properties);
            if (command.job() == null) {
                try {
                    return main.run(new String[0]);
                } catch (Exception e) {
                    return failed(command, e);
                }
            }
            return runJob(main, command, options);
        }

        @Override
        public int passThrough(Command command, String[] args) throws Exception {
            return switch (command) {
                case GENERATE -> SampleDataGenerator.run(args, System.out, System.err);
                case STATUS -> StatusCommand.run(args, System.out);
                case DEAD_LETTERS -> deadLetters(parseOverrides(args));
                case HAWTIO -> HawtioConsole.run(parseOverrides(args), System.out, System.err);
                default -> throw new IllegalArgumentException(command + " starts the application");
            };
        }
    }

    private static int deadLetters(Map<String, String> args) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>(args);
        Map<String, String> o = new LinkedHashMap<>();
        Cli.DEAD_LETTER_OPTIONS.forEach(k -> {
            if (settings.containsKey(k)) {
                o.put(k, settings.remove(k));
            }
        });
        String status = o.getOrDefault("status", "open");
        return DeadLettersCommand.run(new DeadLettersCommand.Options(o.get("route"),
                o.containsKey("code") ? Integer.valueOf(o.get("code")) : null, o.get("reason"),
                "all".equals(status) ? null : status.toUpperCase(java.util.Locale.ROOT),
                o.containsKey("show") ? Long.valueOf(o.get("show")) : null,
                o.containsKey("csv") ? java.nio.file.Path.of(o.get("csv")) : null,
                Integer.parseInt(o.getOrDefault("limit", "50"))), settings, System.out);
    }

    /** Starts the application, runs the command's job on it, stops it; returns the job's exit code. */
    public static int runJob(Main main, Command command, Map<String, String> options) {
        return runJob(main, command, options, System.out);
    }

    public static int runJob(Main main, Command command, Map<String, String> options, java.io.PrintStream out) {
        Job job = command.job();
        if (job.stoppable()) {
            onCtrlC(main, job);
        }
        try {
            main.start();
            return job.run(main.getCamelContext(), options, out);
        } catch (Exception e) {
            return failed(command, e);
        } finally {
            main.stop();
        }
    }

    /**
     * Ctrl+C asks the job to wrap up (it returns with its summary and the process exits normally); a second
     * Ctrl+C ends the process at once. The signal is taken over rather than left to shutdown hooks, which run
     * in no order: H2's own would close the state database under the job's last writes.
     */
    private static void onCtrlC(Main main, Job job) {
        AtomicBoolean asked = new AtomicBoolean();
        Signal.handle(new Signal("INT"), signal -> {
            if (asked.getAndSet(true)) {
                Runtime.getRuntime().halt(Job.EXIT_STOPPED);
            }
            CamelContext context = main.getCamelContext();
            if (context != null) {
                System.err.println("Stopping (Ctrl+C again to end at once)...");
                job.stop(context);
            }
        });
    }

    /** Says why {@code command} ended on {@code e}, as the operator needs it; returns exit code 1. */
    private static int failed(Command command, Exception e) {
        TimException refusal = refusalOfTheApp(e);
        if (refusal != null) {
            System.err.println(command.commandName() + " stopped: " + refusal.getMessage() + ".\nNo item was made"
                    + " a dead letter for it. Fix that, then run the same command again: it goes on where it stopped.");
            return 1;
        }
        StartRefused refused = find(e, StartRefused.class);
        if (refused != null) {
            System.err.println(command.commandName() + " cannot start: " + refused.getMessage());
            return 1;
        }
        System.err.println(command.commandName() + " failed: " + rootMessage(e));
        LOG.error("{} failed", command.commandName(), e);
        return 1;
    }

    /** The answer by which TIM refused the app itself (wrong secret, IP not allowed, ...), if that ended the job. */
    private static TimException refusalOfTheApp(Throwable e) {
        TimException tim = find(e, TimException.class);
        return tim != null && tim.isFatal() ? tim : null;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (cause: " + t.getMessage() + ")";
    }

    /** A Camel Main set up for {@code command}, with the command's routes and configuration classes. */
    public static Main newMain(Command command, Map<String, String> overrides) {
        return newMain(command, overrides, properties(profileOf(command, overrides), overrides));
    }

    /** As {@link #newMain(Command, Map)}, with the properties already read for {@code overrides}. */
    private static Main newMain(Command command, Map<String, String> overrides, PropertiesComponent properties) {
        Main main = new Main() {
            @Override
            protected CamelContext createCamelContext() {
                CamelContext context = super.createCamelContext();
                // Java reads .properties as ISO-8859-1; ours hold SQL with Chinese text and '…'.
                context.getPropertiesComponent().setEncoding(StandardCharsets.UTF_8.name());
                return context;
            }
        };
        String profile = profileOf(command, overrides);
        main.setPropertyPlaceholderLocations(propertyLocations(profile));
        command.defaults().forEach((key, value) -> {
            if (key.equals(Command.ROUTE_FOLDERS)) {
                main.addOverrideProperty("camel.main.routes-include-pattern",
                        routesIncludePattern(value, resolve(properties, ROUTES_DIR).orElse("").trim()));
            } else {
                main.addOverrideProperty(key, value);
            }
        });
        main.addOverrideProperty("camel.main.profile", profile);
        overrides.forEach(main::addOverrideProperty);
        // Found by Camel in the registry before its own: the management port's password, endpoint summaries with
        // the bound address, and Jolokia restricted by an access policy.
        // One factory only (Camel takes the registry's): with the callback route, the one that gates its path until
        // the route runs. Bound here, not in a configuration: camel-main sets up its servers before those run.
        main.bind("httpServers", command.configurations().contains(CallbackConfiguration.class)
                ? new CallbackHttpServerFactory("bridge.callback.path", "tim-callback-endpoint") : new HttpServers());
        main.bind(JolokiaPlatformHttpPlugin.NAME, new JolokiaAgent());
        command.configurations().forEach(main.configure()::addConfiguration);
        return main;
    }

    private static String profileOf(Command command, Map<String, String> overrides) {
        return overrides.getOrDefault("camel.main.profile", command.defaults().getOrDefault(
                "camel.main.profile", System.getenv().getOrDefault("TIMBRIDGE_PROFILE", "prod")));
    }

    /** The properties the application will see, read before it starts (to check them, to find the routes). */
    private static PropertiesComponent properties(String profile, Map<String, String> overrides) {
        // Never started, so not closed either: closing would log a Camel shutdown for a context that never ran.
        PropertiesComponent properties = new DefaultCamelContext().getPropertiesComponent();
        properties.setEncoding(StandardCharsets.UTF_8.name());
        properties.setLocation(propertyLocations(profile));
        Properties props = new Properties();
        overrides.forEach(props::setProperty);
        properties.setOverrideProperties(props);
        return properties;
    }

    /** {@code key}'s value, empty when it is unset or names an environment variable that is not set. */
    private static Optional<String> resolve(PropertiesComponent properties, String key) {
        try {
            return properties.resolveProperty(key).filter(v -> !v.isBlank());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The route files of {@code folders} (e.g. {@code common,import}): those packaged in the jar, or, with a
     * routes directory, the operator's copies there; a folder that is not there is an error naming the path,
     * so an edited copy is never silently ignored.
     */
    static String routesIncludePattern(String folders, String routesDir) {
        List<String> patterns = new ArrayList<>();
        for (String folder : folders.split(",")) {
            if (routesDir.isEmpty()) {
                packagedRoutes(folder).forEach(file -> patterns.add("classpath:" + file));
                continue;
            }
            Path dir = Path.of(routesDir, folder).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException(ROUTES_DIR + "=" + routesDir + ": there is no route folder " + dir
                        + " (copy the jar's routes/ there, or leave " + ROUTES_DIR + " empty for the packaged routes)");
            }
            patterns.add("file:" + dir + "/*.camel.yaml");
        }
        return String.join(",", patterns);
    }

    /**
     * The route files packaged under {@code routes/<folder>/}, by name. Camel's wildcard scan of a
     * {@code classpath:} pattern also loads a same-named folder of the working directory (a checkout has one),
     * which defines every route twice; naming each file keeps the packaged routes the only ones.
     */
    static List<String> packagedRoutes(String folder) {
        String dir = "routes/" + folder;
        URL url = Timbridge.class.getClassLoader().getResource(dir);
        if (url == null) {
            throw new IllegalStateException("this build has no " + dir + " inside; rebuild the jar (mvn package)");
        }
        try {
            if (url.getProtocol().equals("jar")) {
                JarURLConnection jar = (JarURLConnection) url.openConnection();
                jar.setUseCaches(false); // a JarFile of our own, so closing it cannot close one Camel reads from
                try (JarFile file = jar.getJarFile()) {
                    return file.stream().map(JarEntry::getName)
                            .filter(name -> name.startsWith(dir + "/") && name.endsWith(".camel.yaml")
                                    && name.indexOf('/', dir.length() + 1) < 0)
                            .sorted().toList();
                }
            }
            try (var files = Files.list(Path.of(url.toURI()))) {
                return files.map(f -> dir + "/" + f.getFileName()).filter(name -> name.endsWith(".camel.yaml"))
                        .sorted().toList();
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the packaged routes of " + url + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where properties come from. The first location that has a key wins: the profile over the defaults, and
     * the working directory's files over the copies packaged in the jar.
     */
    public static String propertyLocations(String profile) {
        return String.join(",",
                "file:application-" + profile + ".properties;optional=true",
                "classpath:application-" + profile + ".properties;optional=true",
                "file:application.properties;optional=true",
                "classpath:application.properties;optional=true");
    }

    /** {@code --name=value} pairs; a bare {@code --flag} means {@code flag=true}. */
    public static Map<String, String> parseOverrides(String[] args) {
        Map<String, String> props = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || arg.length() < 3) {
                throw new IllegalArgumentException("Expected --name=value or --flag, got '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            if (eq < 0) {
                props.put(arg.substring(2), "true");
            } else {
                props.put(arg.substring(2, eq), arg.substring(eq + 1));
            }
        }
        return props;
    }
}
