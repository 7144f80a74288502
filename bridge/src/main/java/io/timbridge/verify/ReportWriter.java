package io.timbridge.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a {@link VerifyReport} three ways: a terminal summary (one line per data type), a JSON file
 * ({@code verify-report.json}, Jackson) and a self-contained HTML page ({@code verify-report.html}: no
 * scripts, no external files) with one table per data type, every listed difference and the dead letters.
 * Every legacy or TIM value is HTML-escaped: message text and nicknames are user input.
 */
public final class ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String ROW = "%-16s %10s %10s %10s %10s %10s %10s %10s %10s  %s%n";

    private ReportWriter() {
    }

    public static String summary(VerifyReport report) {
        StringBuilder sb = new StringBuilder(String.format(ROW, "type", "legacy", "TIM", "matching",
                "miss TIM", "miss legacy", "different", "dead lett.", "out reach", "verdict"));
        for (TypeResult t : report.types()) {
            sb.append(String.format(ROW, t.type(), n(t.legacy()), n(t.tim()), n(t.matching()), n(t.missingInTim()),
                    n(t.missingInLegacy()), n(t.different()), n(t.deadLetterCount()), n(t.outOfReach()), t.verdict()));
        }
        if (report.sampleSize() != null) {
            sb.append("Sample of ").append(report.sampleSize()).append(" keys per data type, seed ")
                    .append(report.seed()).append(" (--seed=").append(report.seed()).append(" repeats it).\n");
        }
        report.fullPassEstimates().forEach(e -> sb.append(e).append('\n'));
        for (TypeResult t : report.types()) {
            if (!t.matches()) {
                t.notes().forEach(note -> sb.append(t.type()).append(": ").append(note).append('\n'));
            }
        }
        sb.append(report.conclusion()).append('\n');
        return sb.toString();
    }

    private static String n(long v) {
        return String.format("%,d", v);
    }

    public static void writeJson(VerifyReport report, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), report);
    }

    public static void writeHtml(VerifyReport report, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, html(report), StandardCharsets.UTF_8);
    }

    public static String html(VerifyReport report) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>timbridge verify</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:.5em 0 1.5em}")
                .append("td,th{border:1px solid #bbb;padding:.2em .6em;text-align:left;vertical-align:top}")
                .append("td.n{text-align:right}.ok{color:#1a7f37}.bad{color:#c62828}code{white-space:pre-wrap}</style>")
                .append("</head><body>\n<h1>timbridge verify</h1>\n<p>Started ").append(esc(report.startedAt()))
                .append(", took ").append(String.format("%.1f", report.seconds())).append(" s. ")
                .append("<strong class=\"").append(report.matches() && report.unverified().isEmpty() ? "ok" : "bad")
                .append("\">").append(esc(report.conclusion())).append("</strong>").append("</p>\n");
        if (report.sampleSize() != null) {
            h.append("<p>Random sample of ").append(report.sampleSize()).append(" keys per data type, seed ")
                    .append(report.seed()).append(".</p>\n");
        }
        for (String e : report.fullPassEstimates()) {
            h.append("<p>").append(esc(e)).append("</p>\n");
        }
        h.append("<h2>Summary</h2>\n<table><tr><th>data type</th><th>legacy</th><th>TIM</th><th>matching</th>")
                .append("<th>missing in TIM</th><th>missing in legacy</th><th>different</th><th>dead letters</th>")
                .append("<th>out of reach</th><th>verdict</th></tr>\n");
        for (TypeResult t : report.types()) {
            h.append("<tr><td><a href=\"#").append(esc(t.type())).append("\">").append(esc(t.type()))
                    .append("</a></td>");
            for (long v : new long[]{t.legacy(), t.tim(), t.matching(), t.missingInTim(), t.missingInLegacy(),
                    t.different(), t.deadLetterCount(), t.outOfReach()}) {
                h.append("<td class=\"n\">").append(n(v)).append("</td>");
            }
            h.append("<td>").append(esc(t.verdict())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (TypeResult t : report.types()) {
            h.append("<h2 id=\"").append(esc(t.type())).append("\">").append(esc(t.type())).append("</h2>\n");
            for (String note : t.notes()) {
                h.append("<p>").append(esc(note)).append("</p>\n");
            }
            if (!t.verified()) {
                h.append("<p class=\"bad\">NOT VERIFIED: all ").append(n(t.outOfReach()))
                        .append(" legacy items are older than TIM's roaming window; none could be compared.</p>\n");
            } else if (t.differences().isEmpty()) {
                h.append("<p class=\"ok\">No differences.</p>\n");
            } else {
                h.append("<table><tr><th>key</th><th>difference</th><th>field</th><th>legacy</th><th>TIM</th></tr>\n");
                for (Difference d : t.differences()) {
                    h.append("<tr><td><code>").append(esc(d.key())).append("</code></td><td>")
                            .append(esc(d.kind().label())).append("</td><td>").append(esc(d.field()))
                            .append("</td><td><code>").append(esc(d.legacy())).append("</code></td><td><code>")
                            .append(esc(d.tim())).append("</code></td></tr>\n");
                }
                h.append("</table>\n");
                if (t.unlisted() > 0) {
                    h.append("<p>… and ").append(n(t.unlisted())).append(" more items with differences (counts above are exact;")
                            .append(" raise bridge.verify.max-listed to list more).</p>\n");
                }
            }
            if (!t.deadLetters().isEmpty()) {
                h.append("<h3>Dead letters (").append(n(t.deadLetterCount())).append(")</h3>\n")
                        .append("<table><tr><th>rule or TIM code</th><th>dead letters</th></tr>\n");
                t.deadLettersByReason().forEach((reason, count) -> h.append("<tr><td>").append(esc(reason))
                        .append("</td><td class=\"n\">").append(n(count)).append("</td></tr>\n"));
                h.append("</table>\n<details><summary>The first ").append(n(t.deadLetters().size()))
                        .append(" with their reasons ('dead-letters --csv=FILE' exports all)</summary>\n")
                        .append("<table><tr><th>key</th><th>reason</th></tr>\n");
                for (TypeResult.DeadLetter d : t.deadLetters()) {
                    h.append("<tr><td><code>").append(esc(d.key())).append("</code></td><td>").append(esc(d.reason()))
                            .append("</td></tr>\n");
                }
                h.append("</table>\n</details>\n");
            }
        }
        return h.append("</body></html>\n").toString();
    }

    /** Text as HTML content or attribute value. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
