package io.timbridge.legacy.generator;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link SampleDataGenerator} produces and where. Parsed from {@code --name=value}
 * arguments; every option has a default, see {@link #usage()}.
 *
 * @param messages          one-to-one plus group messages
 * @param groupMessageShare the part of {@code messages} sent in groups
 * @param badShare          the share of users, groups and messages TIM must refuse
 * @param reset             drop and recreate the legacy tables first
 */
public record GeneratorOptions(
        String url,
        String user,
        String password,
        int users,
        int friendsPerUser,
        int conversations,
        int groups,
        long messages,
        double groupMessageShare,
        long seed,
        double badShare,
        int batchSize,
        boolean reset,
        LocalDate startDate,
        int days) {

    public GeneratorOptions {
        require(users >= 2, "--users must be at least 2");
        require(friendsPerUser >= 0, "--friends-per-user must not be negative");
        require(conversations >= 0, "--conversations must not be negative");
        require(groups >= 0, "--groups must not be negative");
        require(messages >= 0, "--messages must not be negative");
        require(groupMessageShare >= 0 && groupMessageShare <= 1, "--group-message-share must be within 0..1");
        require(badShare >= 0 && badShare < 1, "--bad-share must be within 0..1 (exclusive)");
        require(batchSize >= 1, "--batch-size must be at least 1");
        require(days >= 1, "--days must be at least 1");
    }

    /** Defaults for a quick local demo on the embedded H2 file database. */
    public static GeneratorOptions defaults() {
        return parse();
    }

    public static GeneratorOptions parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'\n" + usage());
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            values.put(name, eq < 0 ? "true" : arg.substring(eq + 1));
        }
        Options o = new Options(values);
        int users = o.integer("users", 1000);
        GeneratorOptions parsed = new GeneratorOptions(
                o.text("url", "jdbc:h2:file:./data/legacy"),
                o.text("user", "sa"),
                o.text("password", ""),
                users,
                o.integer("friends-per-user", 10),
                o.integer("conversations", users),
                o.integer("groups", Math.max(1, users / 20)),
                o.longInteger("messages", 20_000),
                o.decimal("group-message-share", 0.4),
                o.longInteger("seed", 42),
                o.decimal("bad-share", 0.01),
                o.integer("batch-size", 1000),
                Boolean.parseBoolean(o.text("reset", "false")),
                LocalDate.parse(o.text("start-date", "2023-01-01")),
                o.integer("days", 365));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + values.keySet() + "\n" + usage());
        }
        return parsed;
    }

    public GeneratorOptions withUrl(String url, String user, String password) {
        return new GeneratorOptions(url, user, password, users, friendsPerUser, conversations, groups, messages,
                groupMessageShare, seed, badShare, batchSize, reset, startDate, days);
    }

    public static String usage() {
        return """
                usage: generate [--name=value ...]
                  --url=jdbc:h2:file:./data/legacy  JDBC URL of the legacy database (H2, MariaDB/MySQL, PostgreSQL)
                  --user=sa --password=             its credentials
                  --users=1000                      accounts
                  --friends-per-user=10             average friends per account (mutual pairs)
                  --conversations=<users>           one-to-one conversations; message counts follow a Zipf law
                  --groups=<users/20>               groups; sizes follow a Pareto law (most small, a few large)
                  --messages=20000                  one-to-one plus group messages
                  --group-message-share=0.4         part of --messages sent in groups
                  --seed=42                         same seed, same rows
                  --bad-share=0.01                  share of users, groups and messages TIM must refuse
                  --batch-size=1000                 rows per JDBC batch and commit
                  --start-date=2023-01-01 --days=365  the period the history covers
                  --reset                           drop and recreate the legacy tables first""";
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Consumes the parsed values, so whatever is left afterwards is an unknown option. */
    private record Options(Map<String, String> values) {
        String text(String name, String fallback) {
            String value = values.remove(name);
            return value == null ? fallback : value;
        }

        int integer(String name, int fallback) {
            return (int) parse(name, fallback, Integer.MAX_VALUE);
        }

        long longInteger(String name, long fallback) {
            return parse(name, fallback, Long.MAX_VALUE);
        }

        double decimal(String name, double fallback) {
            String value = values.remove(name);
            try {
                return value == null ? fallback : Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a number, was '" + value + "'");
            }
        }

        private long parse(String name, long fallback, long max) {
            String value = values.remove(name);
            if (value == null) {
                return fallback;
            }
            try {
                long parsed = Long.parseLong(value.replace("_", ""));
                if (parsed > max) {
                    throw new NumberFormatException();
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a whole number up to " + max
                        + ", was '" + value + "'");
            }
        }
    }
}
