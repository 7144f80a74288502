package io.timbridge.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings a command cannot run without, checked all at once before anything starts, so the operator
 * reads one list of what to set (each with its environment variable) instead of one Camel error per start.
 * A command asks only for what it uses: a dry run reads the legacy database and calls no TIM API. Who can reach
 * the management port is checked here too ({@link ManagementAccess}).
 */
public final class RequiredSettings {
    private static final Pattern ENV = Pattern.compile("\\{\\{env:([A-Za-z0-9_]+)");

    /** One setting a command needs, with what it is for the message. */
    record Requirement(String key, String what, Function<String, String> invalid) {
    }

    /** A setting that is missing or invalid: its key, the environment variable that sets it, and why. */
    public record Problem(String key, String env, String reason) {
        @Override
        public String toString() {
            return "  " + key + (env == null ? "" : " (environment variable " + env + ")") + ": " + reason;
        }
    }

    private static final Requirement SDK_APP_ID = new Requirement("tim.sdk-app-id",
            "the app's SDKAppID, from TIM's console", v -> v.matches("[1-9][0-9]*") ? null : "must be a number");
    private static final Requirement SECRET_KEY = new Requirement("tim.secret-key",
            "the app's secret key, from TIM's console", v -> null);
    private static final Requirement ADMIN = new Requirement("tim.admin-identifier",
            "an App admin's UserID", v -> null);
    private static final Requirement BASE_URL = new Requirement("tim.base-url",
            "TIM's REST domain", v -> v.matches("https?://[^\\s/]+.*") ? null : "must be an http(s):// URL");
    private static final Requirement LEGACY_URL = new Requirement("legacy.datasource.url",
            "the JDBC URL of the legacy database", RequiredSettings::jdbcUrl);
    private static final Requirement STATE_URL = new Requirement("state.datasource.url",
            "the JDBC URL of the bridge's state database", RequiredSettings::jdbcUrl);

    private RequiredSettings() {
    }

    /** What {@code command} needs; {@code dryRun}: it only reads (import --dry-run, replay --list) and calls nothing. */
    static List<Requirement> of(Command command, boolean dryRun) {
        List<Requirement> databases = List.of(LEGACY_URL, STATE_URL);
        List<Requirement> tim = List.of(SDK_APP_ID, SECRET_KEY, ADMIN, BASE_URL);
        return switch (command) {
            case IMPORT, REPLAY -> dryRun ? databases : concat(tim, databases);
            case VERIFY, SYNC -> concat(tim, databases);
            // The sandbox checks UserSigs against the app it stands in for.
            case SANDBOX -> List.of(SDK_APP_ID, SECRET_KEY, ADMIN);
            default -> List.of();
        };
    }

    /**
     * The problems with {@code command}'s settings, empty when it can start. {@code resolved} gives a key's
     * value with its placeholders resolved, empty when it is unset or its environment variable is missing;
     * {@code raw} the unresolved text, to name the environment variable.
     */
    public static List<Problem> check(Command command, boolean dryRun, Function<String, Optional<String>> resolved,
                                      Properties raw) {
        List<Problem> problems = new ArrayList<>();
        for (Requirement r : of(command, dryRun)) {
            String env = envOf(raw.getProperty(r.key()));
            String value = resolved.apply(r.key()).map(String::trim).orElse("");
            if (value.isEmpty()) {
                problems.add(new Problem(r.key(), env, "not set; " + r.what()));
            } else {
                String invalid = r.invalid().apply(value);
                if (invalid != null) {
                    problems.add(new Problem(r.key(), env, invalid + ", was '" + value + "'"));
                }
            }
        }
        problems.addAll(ManagementAccess.problems(command, resolved, raw));
        return problems;
    }

    /** The message for {@code problems}: one line per setting and how to set it. */
    public static String describe(String commandName, List<Problem> problems) {
        StringBuilder sb = new StringBuilder(commandName).append(" cannot start: ").append(problems.size())
                .append(problems.size() == 1 ? " setting is" : " settings are").append(" missing or invalid\n");
        problems.forEach(p -> sb.append(p).append('\n'));
        return sb.append("Set each with its environment variable, or as --<key>=<value> on the command line"
                + " or in ./application.properties.").toString();
    }

    static String envOf(String raw) {
        if (raw == null) {
            return null;
        }
        Matcher m = ENV.matcher(raw);
        return m.find() ? m.group(1) : null;
    }

    private static String jdbcUrl(String url) {
        try {
            Database.ofUrl(url);
            return null;
        } catch (IllegalArgumentException e) {
            return "must be a jdbc:mysql://, jdbc:mariadb://, jdbc:postgresql:// or jdbc:h2: URL";
        }
    }

    private static List<Requirement> concat(List<Requirement> a, List<Requirement> b) {
        List<Requirement> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
