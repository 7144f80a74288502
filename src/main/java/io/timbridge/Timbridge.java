package io.timbridge;

import io.timbridge.config.Command;
import io.timbridge.legacy.generator.SampleDataGenerator;
import org.apache.camel.main.Main;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The timbridge command line: {@code java -jar timbridge.jar <command> [--name=value ...]}.
 * Every {@code --name=value} overrides the property of that name from application.properties.
 */
public final class Timbridge {

    private Timbridge() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(Command.usage());
            return;
        }
        Command command = Command.byName(args[0]).orElse(null);
        if (command == null) {
            System.err.println("Unknown command '" + args[0] + "'.\n\n" + Command.usage());
            System.exit(2);
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (command == Command.GENERATE) {
            System.exit(SampleDataGenerator.run(rest, System.out, System.err));
            return;
        }
        Map<String, String> overrides = parseOverrides(rest);
        Main main = newMain(command, overrides);
        System.exit(main.run(new String[0]));
    }

    /** A Camel Main set up for {@code command}, with the command's routes and configuration classes. */
    public static Main newMain(Command command, Map<String, String> overrides) {
        Main main = new Main();
        String profile = overrides.getOrDefault("camel.main.profile",
                System.getenv().getOrDefault("TIMBRIDGE_PROFILE", "prod"));
        // The first location that has a key wins: the profile over the defaults, and the working
        // directory's files over the copies packaged in the jar.
        main.setPropertyPlaceholderLocations(String.join(",",
                "file:application-" + profile + ".properties;optional=true",
                "classpath:application-" + profile + ".properties;optional=true",
                "file:application.properties;optional=true",
                "classpath:application.properties;optional=true"));
        command.defaults().forEach(main::addOverrideProperty);
        main.addOverrideProperty("camel.main.profile", profile);
        overrides.forEach(main::addOverrideProperty);
        command.configurations().forEach(main.configure()::addConfiguration);
        return main;
    }

    static Map<String, String> parseOverrides(String[] args) {
        Map<String, String> props = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("Expected --name=value, got '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            props.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return props;
    }
}
