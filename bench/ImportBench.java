import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimClient;
import io.timbridge.tim.TimClientConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the sandbox and the import as separate processes (as TIM and the bridge would be), samples the
 * sandbox's per-API request counters every second, and prints the figures as ratios measured in this run.
 */
public class ImportBench {
    static final Path DIR = Path.of("target/bench");
    static final String JAR = "target/timbridge.jar";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final List<String> IMPORT_APIS = List.of("multiaccount_import", "portrait_set", "friend_import",
            "importmsg", "import_group", "import_group_member", "import_group_msg", "set_unread_msg_num");
    static final Map<String, Integer> TIM_LIMIT = Map.of("multiaccount_import", 100, "portrait_set", 200,
            "friend_import", 200, "importmsg", 200, "import_group", 200, "import_group_member", 200,
            "import_group_msg", 200, "set_unread_msg_num", 200);
    static final Map<String, String> TIM_APP = Map.of("tim.sdk-app-id", "1400000000",
            "tim.admin-identifier", "administrator", "tim.secret-key", "bench-key");
    static final String APP = "--tim.sdk-app-id=" + TIM_APP.get("tim.sdk-app-id");
    static final String ADMIN = "--tim.admin-identifier=" + TIM_APP.get("tim.admin-identifier");
    static final String KEY = "--tim.secret-key=" + TIM_APP.get("tim.secret-key");

    public static void main(String[] args) throws Exception {
        Files.createDirectories(DIR);
        String part = args.length > 0 ? args[0] : "all";
        System.out.println("timbridge import benchmark, " + Runtime.getRuntime().availableProcessors() + " cores");
        if (part.equals("a") || part.equals("all")) {
            partA();
        }
        if (part.equals("b") || part.equals("all")) {
            partB();
        }
        if (part.equals("c") || part.equals("all")) {
            partC();
        }
    }

    /** (a) TIM's default limits: the rate each import API reaches, over its busiest 60 s, against its limit. */
    static void partA() throws Exception {
        Path db = DIR.resolve("a-legacy");
        generate(db, "--users=600000", "--friends-per-user=1", "--groups=16000", "--messages=100000",
                "--group-message-share=0.85");
        int port = 18391;
        Process sandbox = start("a-sandbox", "sandbox", APP, ADMIN, KEY, "--sandbox.port=" + port,
                "--camel.management.enabled=false", "--sandbox.store-bodies=checksum",
                "--sandbox.roaming-retention-days=0");
        waitForSandbox(port);
        // A fresh sandbox holds nothing: the import starts from nothing too, not from an earlier run's checkpoints.
        deleteTree(DIR.resolve("a-state"));
        List<String> importArgs = new ArrayList<>(List.of("import", APP, ADMIN, KEY,
                "--tim.base-url=http://127.0.0.1:" + port,
                "--legacy.datasource.url=jdbc:h2:file:" + db.toAbsolutePath() + "/legacy",
                "--legacy.datasource.username=sa",
                "--state.datasource.url=jdbc:h2:file:" + DIR.toAbsolutePath() + "/a-state/state",
                "--camel.management.enabled=false", "--progress-seconds=30"));
        // Extra import settings for experiments, e.g. BENCH_IMPORT_ARGS="--bridge.import.page-size=8000"
        String extra = System.getenv("BENCH_IMPORT_ARGS");
        if (extra != null && !extra.isBlank()) {
            importArgs.addAll(List.of(extra.trim().split("\\s+")));
        }
        Process importer = start("a-import", importArgs.toArray(String[]::new));
        Map<String, List<Long>> series = new TreeMap<>();
        List<Long> sampledAt = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(14).toNanos();
        long rateLimitedBefore = counts(port).path("rateLimited").asLong();
        while (importer.isAlive() && System.nanoTime() < deadline && !allMeasured(series)) {
            JsonNode requests = counts(port).path("requests");
            sampledAt.add(System.nanoTime());
            for (String api : IMPORT_APIS) {
                series.computeIfAbsent(api, k -> new ArrayList<>()).add(requests.path(api).asLong());
            }
            Thread.sleep(1000);
        }
        long rateLimited = counts(port).path("rateLimited").asLong() - rateLimitedBefore;
        boolean diedEarly = !importer.isAlive() && importer.exitValue() != 0 && importer.exitValue() != 3;
        importer.destroy();
        importer.waitFor();
        sandbox.destroy();
        sandbox.waitFor();
        if (diedEarly) {
            throw new IllegalStateException("the import failed, see " + DIR.resolve("a-import.log"));
        }
        writeSeries(DIR.resolve("a-requests.csv"), sampledAt, series);
        System.out.println();
        System.out.println("(a) TIM default limits; the independent chains run at the same time");
        System.out.printf("%-22s %8s %14s %10s %8s%n", "API", "limit/s", "busiest 60 s/s", "ratio", "target");
        for (String api : IMPORT_APIS) {
            List<Long> s = series.getOrDefault(api, List.of());
            double best = 0;
            int j = 0;
            for (int i = 0; i < s.size(); i++) {
                // the shortest window of at least 60 s ending at sample i, timed by the samples' own clock
                while (j + 1 < i && sampledAt.get(i) - sampledAt.get(j + 1) >= 60_000_000_000L) {
                    j++;
                }
                long span = sampledAt.get(i) - sampledAt.get(j);
                if (span >= 60_000_000_000L) {
                    best = Math.max(best, (s.get(i) - s.get(j)) * 1e9 / span);
                }
            }
            System.out.printf("%-22s %8d %14.1f %10.3f %8s%n", api, TIM_LIMIT.get(api), best,
                    best / TIM_LIMIT.get(api), ">= 0.95");
        }
        System.out.println("requests the sandbox refused for going over a frequency limit: " + rateLimited);
    }

    /** The sampled counters, one row a second, so a dip in an API's rate can be located in the run. */
    static void writeSeries(Path file, List<Long> sampledAt, Map<String, List<Long>> series) throws IOException {
        StringBuilder csv = new StringBuilder("ms," + String.join(",", IMPORT_APIS) + "\n");
        for (int i = 0; i < sampledAt.size(); i++) {
            csv.append((sampledAt.get(i) - sampledAt.get(0)) / 1_000_000);
            for (String api : IMPORT_APIS) {
                csv.append(',').append(series.get(api).get(i));
            }
            csv.append('\n');
        }
        Files.writeString(file, csv);
    }

    /** Stops sampling once every API has had 70 s of activity after it started. */
    static boolean allMeasured(Map<String, List<Long>> series) {
        for (String api : IMPORT_APIS) {
            List<Long> s = series.get(api);
            if (s == null) {
                return false;
            }
            int firstActive = -1;
            for (int i = 0; i < s.size(); i++) {
                if (s.get(i) > 0) {
                    firstActive = i;
                    break;
                }
            }
            if (firstActive < 0 || s.size() - firstActive < 70) {
                return false;
            }
        }
        return true;
    }

    /** (b) Limits lifted: the whole import of >= 1 M one-to-one and 100 k group messages. */
    static void partB() throws Exception {
        Path db = DIR.resolve("b-legacy");
        generate(db, "--users=20000", "--friends-per-user=5", "--groups=2000", "--messages=1100000",
                "--group-message-share=0.0909");
        int port = 18392;
        Process sandbox = start("b-sandbox", "sandbox", APP, ADMIN, KEY, "--sandbox.port=" + port,
                "--camel.management.enabled=false", "--sandbox.store-bodies=checksum",
                "--sandbox.rate-limits.enabled=false", "--sandbox.roaming-retention-days=0");
        waitForSandbox(port);
        deleteTree(DIR.resolve("b-state"));
        List<String> args = new ArrayList<>(List.of("import", APP, ADMIN, KEY,
                "--tim.base-url=http://127.0.0.1:" + port,
                "--legacy.datasource.url=jdbc:h2:file:" + db.toAbsolutePath() + "/legacy",
                "--legacy.datasource.username=sa",
                "--state.datasource.url=jdbc:h2:file:" + DIR.toAbsolutePath() + "/b-state/state",
                "--camel.management.enabled=false", "--progress-seconds=30"));
        for (String api : IMPORT_APIS) {
            args.add("--tim.limits." + api + ".qps=0");
        }
        Path gcLog = DIR.resolve("b-import-gc.log");
        Files.deleteIfExists(gcLog);
        long start = System.nanoTime();
        Process importer = startJava("b-import", List.of("-Xmx512m", "-Xlog:gc:file=" + gcLog), args);
        int code = importer.waitFor();
        if (code != 0 && code != 3) {
            throw new IllegalStateException("the import failed, see " + DIR.resolve("b-import.log"));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        JsonNode counts = counts(port);
        sandbox.destroy();
        sandbox.waitFor();
        long calls = 0;
        for (String api : IMPORT_APIS) {
            calls += counts.path("requests").path(api).asLong();
        }
        long messages = counts.path("c2cMessages").asLong() + counts.path("groupMessages").asLong();
        System.out.println();
        System.out.println("(b) limits lifted, import exit code " + code);
        System.out.printf("one-to-one messages in TIM %,d, group messages %,d, in %.0f s%n",
                counts.path("c2cMessages").asLong(), counts.path("groupMessages").asLong(), seconds);
        System.out.printf("calls/s %,.0f   messages/s %,.0f%n", calls / seconds, messages / seconds);
        List<long[]> heap = heapAfterGc(gcLog);
        if (!heap.isEmpty()) {
            long end = heap.get(heap.size() - 1)[0];
            System.out.println("heap after GC (MB), by quarter of the run: " + quarterPeaks(heap, end)
                    + "  (flat = memory does not grow with the data)");
        }
    }

    /**
     * (c) The TIM client alone, at TIM's default limits: 16 threads per import API call the sandbox as fast as the
     * client's limiter lets them, all eight APIs at once, no legacy database and no routes. What (a) falls short
     * of this is lost in the import routes, not in the client, its limiter or the transport.
     */
    static void partC() throws Exception {
        int port = 18393;
        Process sandbox = start("c-sandbox", "sandbox", APP, ADMIN, KEY, "--sandbox.port=" + port,
                "--camel.management.enabled=false");
        waitForSandbox(port);
        Properties props = new Properties();
        TIM_APP.forEach(props::setProperty);
        props.setProperty("tim.base-url", "http://127.0.0.1:" + port);
        TimClient tim = new TimClient(TimClientConfig.from(props));
        List<Thread> callers = new ArrayList<>();
        for (String api : IMPORT_APIS) {
            TimApi timApi = java.util.Arrays.stream(TimApi.values()).filter(a -> a.command().equals(api)).findFirst()
                    .orElseThrow();
            for (int i = 0; i < 16; i++) {
                // An empty body: TIM refuses its content, but the call counts against the API's limit all the same.
                Thread t = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        try {
                            tim.call(timApi, Map.of());
                        } catch (RuntimeException refused) {
                            // the answer is not what is measured here
                        }
                    }
                });
                t.setDaemon(true);
                t.start();
                callers.add(t);
            }
        }
        Thread.sleep(5_000);
        JsonNode before = counts(port);
        long start = System.nanoTime();
        Thread.sleep(60_000);
        JsonNode after = counts(port);
        double seconds = (System.nanoTime() - start) / 1e9;
        callers.forEach(Thread::interrupt);
        sandbox.destroy();
        sandbox.waitFor();
        System.out.println();
        System.out.println("(c) the TIM client alone: 16 threads per API, all eight APIs at once, over 60 s");
        System.out.printf("%-22s %8s %14s %10s%n", "API", "limit/s", "calls/s", "ratio");
        for (String api : IMPORT_APIS) {
            double rate = (after.path("requests").path(api).asLong() - before.path("requests").path(api).asLong()) / seconds;
            System.out.printf("%-22s %8d %14.1f %10.3f%n", api, TIM_LIMIT.get(api), rate, rate / TIM_LIMIT.get(api));
        }
        System.out.println("requests the sandbox refused for going over a frequency limit: "
                + (after.path("rateLimited").asLong() - before.path("rateLimited").asLong()));
    }

    static String quarterPeaks(List<long[]> heap, long end) {
        long[] peak = new long[4];
        for (long[] h : heap) {
            int q = (int) Math.min(3, h[0] * 4 / Math.max(1, end));
            peak[q] = Math.max(peak[q], h[1]);
        }
        return String.format("Q1 %d, Q2 %d, Q3 %d, Q4 %d", peak[0], peak[1], peak[2], peak[3]);
    }

    /** (uptime ms, heap after GC MB) from -Xlog:gc lines such as "[12.3s][info][gc] GC(7) Pause Young ... 120M->40M(512M)". */
    static List<long[]> heapAfterGc(Path log) throws IOException {
        Pattern line = Pattern.compile("\\[(\\d+\\.\\d+)s].*?(\\d+)M->(\\d+)M\\(");
        List<long[]> out = new ArrayList<>();
        for (String l : Files.readAllLines(log)) {
            Matcher m = line.matcher(l);
            if (m.find()) {
                out.add(new long[]{(long) (Double.parseDouble(m.group(1)) * 1000), Long.parseLong(m.group(3))});
            }
        }
        return out;
    }

    /** Generates the dataset, or reuses the one generated before with the same options. */
    static void generate(Path db, String... options) throws Exception {
        Path made = db.resolve("generated-with.txt");
        String wanted = String.join(" ", options);
        if (Files.exists(db.resolve("legacy.mv.db")) && Files.exists(made) && Files.readString(made).equals(wanted)) {
            System.out.println("reusing " + db + " (" + wanted + ")");
            return;
        }
        deleteTree(db);
        List<String> args = new ArrayList<>(List.of("generate", "--url=jdbc:h2:file:" + db.toAbsolutePath() + "/legacy"));
        args.addAll(List.of(options));
        Process p = startJava("generate-" + db.getFileName(), List.of("-Xmx1g"), args);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("generate failed, see " + DIR.resolve("generate-" + db.getFileName() + ".log"));
        }
        System.out.print(Files.readString(DIR.resolve("generate-" + db.getFileName() + ".log")));
        Files.writeString(made, wanted);
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    static Process start(String name, String... args) throws IOException {
        return startJava(name, List.of("-Xmx2g"), List.of(args));
    }

    static Process startJava(String name, List<String> jvm, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", JAR));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(DIR.resolve(name + ".log").toFile())
                .start();
    }

    static void waitForSandbox(int port) throws Exception {
        for (int i = 0; i < 300; i++) {
            try {
                counts(port);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("sandbox did not start on " + port);
    }

    static JsonNode counts(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/sandbox/counts")).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }
}
