package io.timbridge.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Samples of a Prometheus text exposition (format 0.0.4), as {@code /observe/metrics} serves them: enough of
 * the format for {@code status} to read back the bridge's meters (comments skipped, labels unescaped).
 */
public final class PrometheusText {

    public record Sample(String name, Map<String, String> labels, double value) {
        public String label(String key) {
            return labels.getOrDefault(key, "");
        }
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    public static PrometheusText parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            int brace = line.indexOf('{');
            int space;
            String name;
            if (brace >= 0 && brace < line.indexOf(' ')) {
                name = line.substring(0, brace);
                int end = parseLabels(line, brace + 1, labels);
                space = end;
            } else {
                space = line.indexOf(' ');
                name = line.substring(0, space);
            }
            String[] rest = line.substring(space).strip().split("\\s+");
            out.add(new Sample(name, labels, value(rest[0])));
        }
        return new PrometheusText(out);
    }

    /** Reads {@code key="value",...}} from {@code start}; returns the index after the closing brace. */
    private static int parseLabels(String line, int start, Map<String, String> labels) {
        int i = start;
        while (i < line.length() && line.charAt(i) != '}') {
            int eq = line.indexOf('=', i);
            String key = line.substring(i, eq).strip();
            StringBuilder value = new StringBuilder();
            int j = eq + 2; // after ="
            while (line.charAt(j) != '"') {
                char ch = line.charAt(j);
                if (ch == '\\') {
                    char next = line.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(ch);
                }
                j++;
            }
            labels.put(key, value.toString());
            i = j + 1;
            if (i < line.length() && line.charAt(i) == ',') {
                i++;
            }
        }
        return i + 1;
    }

    private static double value(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    public List<Sample> all(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    public List<Sample> all(String name, Predicate<Sample> filter) {
        return all(name).stream().filter(filter).toList();
    }

    /** The first sample of {@code name} whose labels include every {@code key, value} pair given. */
    public Optional<Sample> find(String name, String... labelPairs) {
        return all(name, s -> {
            for (int i = 0; i + 1 < labelPairs.length; i += 2) {
                if (!labelPairs[i + 1].equals(s.labels().get(labelPairs[i]))) {
                    return false;
                }
            }
            return true;
        }).stream().findFirst();
    }

    /** Value of {@link #find}, or NaN when there is no such sample. */
    public double value(String name, String... labelPairs) {
        return find(name, labelPairs).map(Sample::value).orElse(Double.NaN);
    }
}
