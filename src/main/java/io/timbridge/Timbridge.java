package io.timbridge;

import io.timbridge.cli.Cli;
import io.timbridge.config.Command;
import io.timbridge.hawtio.HawtioConsole;
import io.timbridge.legacy.generator.SampleDataGenerator;
import io.timbridge.ops.StatusCommand;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

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
            Main main = newMain(command, new LinkedHashMap<>(settings));
            if (command.job() == null) {
                try {
                    return main.run(new String[0]);
                } catch (Exception e) {
                    System.err.println(command.commandName() + " failed: " + rootMessage(e));
                    return 1;
                }
            }
            return runJob(main, command, options);
        }

        @Override
        public int passThrough(Command command, String[] args) throws Exception {
            return switch (command) {
                case GENERATE -> SampleDataGenerator.run(args, System.out, System.err);
                case STATUS -> StatusCommand.run(args, System.out);
                case HAWTIO -> HawtioConsole.run(parseOverrides(args), System.out, System.err);
                default -> throw new IllegalArgumentException(command + " starts the application");
            };
        }
    }

    /** Starts the application, runs the command's job on it, stops it; returns the job's exit code. */
    public static int runJob(Main main, Command command, Map<String, String> options) {
        return runJob(main, command, options, System.out);
    }

    public static int runJob(Main main, Command command, Map<String, String> options, java.io.PrintStream out) {
        try {
            main.start();
            return command.job().run(main.getCamelContext(), options, out);
        } catch (Exception e) {
            System.err.println(command.commandName() + " failed: " + rootMessage(e));
            LOG.error("{} failed", command.commandName(), e);
            return 1;
        } finally {
            main.stop();
        }
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
        Main main = new Main();
        String profile = overrides.getOrDefault("camel.main.profile", command.defaults().getOrDefault(
                "camel.main.profile", System.getenv().getOrDefault("TIMBRIDGE_PROFILE", "prod")));
        main.setPropertyPlaceholderLocations(propertyLocations(profile));
        command.defaults().forEach((key, value) -> {
            if (key.equals(Command.ROUTE_FOLDERS)) {
                main.addOverrideProperty("camel.main.routes-include-pattern",
                        routesIncludePattern(value, routesDir(profile, overrides)));
            } else {
                main.addOverrideProperty(key, value);
            }
        });
        main.addOverrideProperty("camel.main.profile", profile);
        overrides.forEach(main::addOverrideProperty);
        command.configurations().forEach(main.configure()::addConfiguration);
        return main;
    }

    /** {@code bridge.routes-dir} as configured (command line, environment, properties); empty: the jar's routes. */
    private static String routesDir(String profile, Map<String, String> overrides) {
        // Never started, so not closed either: closing would log a Camel shutdown for a context that never ran.
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation(propertyLocations(profile));
        Properties props = new Properties();
        overrides.forEach(props::setProperty);
        context.getPropertiesComponent().setOverrideProperties(props);
        return context.getPropertiesComponent().resolveProperty(ROUTES_DIR).orElse("").trim();
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
                patterns.add("classpath:routes/" + folder + "/*.camel.yaml");
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
