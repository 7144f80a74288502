package io.timbridge.cli;

import io.timbridge.tim.TimApi;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code --<key>=<value>} settings of a command line: a key must be one of application.properties
 * (packaged or in the working directory) or a Camel one ({@code camel.*}, which Camel checks itself), so a
 * typo is refused with the nearest known key instead of silently becoming a setting nobody reads.
 */
final class Settings {
    private static final String CAMEL = "camel.";

    private Settings() {
    }

    static Map<String, String> parse(CommandLine command, List<String> args) {
        Set<String> known = knownKeys();
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> notOptions = new ArrayList<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String key = !arg.startsWith("--") ? null : eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            if (key == null || !key.contains(".")) {
                notOptions.add(arg);
                continue;
            }
            if (!key.startsWith(CAMEL) && !known.contains(key)) {
                throw new ParameterException(command, "Unknown setting '--" + key + "'" + nearest(key, known)
                        .map(k -> ". Did you mean --" + k + "?").orElse(".")
                        + " Settings are the keys of application.properties.");
            }
            settings.put(key, eq < 0 ? "true" : arg.substring(eq + 1));
        }
        if (!notOptions.isEmpty()) {
            throw new CommandLine.UnmatchedArgumentException(command, notOptions);
        }
        return settings;
    }

    /**
     * The keys of every application*.properties, packaged and in the working directory, and the per-API
     * frequency limits ({@code tim.limits.<command>.qps|batch-size}, the same under {@code sandbox.limits}).
     */
    static Set<String> knownKeys() {
        Set<String> keys = new TreeSet<>();
        for (TimApi api : TimApi.values()) {
            for (String prefix : new String[] {"tim.limits.", "sandbox.limits."}) {
                keys.add(prefix + api.command() + ".qps");
                keys.add(prefix + api.command() + ".batch-size");
            }
        }
        for (String name : new String[] {"application.properties", "application-dev.properties"}) {
            try (InputStream in = Settings.class.getClassLoader().getResourceAsStream(name)) {
                if (in != null) {
                    keys.addAll(load(new InputStreamReader(in, StandardCharsets.UTF_8)).stringPropertyNames());
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the packaged " + name, e);
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(""), "application*.properties")) {
            for (Path file : files) {
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    keys.addAll(load(in).stringPropertyNames());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read application*.properties in " + Path.of("").toAbsolutePath(), e);
        }
        return keys;
    }

    private static Properties load(Reader in) throws IOException {
        Properties p = new Properties();
        p.load(in);
        return p;
    }

    /** The known key nearest to a typo, if it is near enough to be what was meant. */
    static java.util.Optional<String> nearest(String key, Set<String> known) {
        return known.stream().min(Comparator.comparingInt(k -> distance(key, k)))
                .filter(k -> distance(key, k) <= Math.max(2, key.length() / 4));
    }

    /** Levenshtein distance; picocli's own suggestion helper is private, and this is all it takes. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
