package io.timbridge.hawtio;

import io.timbridge.Timbridge;
import io.timbridge.config.Command;
import io.timbridge.legacy.LegacySchema;
import io.timbridge.legacy.generator.GeneratorOptions;
import io.timbridge.legacy.generator.SampleDataGenerator;
import io.timbridge.sandbox.FaultSpec;
import io.timbridge.sandbox.TimSandbox;
import io.timbridge.sync.ChangeLogSchema;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.TimClient;
import io.timbridge.testsupport.FreePorts;
import io.timbridge.testsupport.TestDatabases;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code hawtio} command as an operator uses it: a running bridge, the console started as its own process,
 * Debian's chromium (headless) opening the one URL the command prints; the bridge's Camel routes listed, and the
 * bridge's own route beans (JMX tab, {@code timbridge} domain) showing an import's progress and a failing sync
 * route's failures as they change. Every value is read from the rendered page; screenshots of the moments
 * asserted go to target/hawtio-screenshots/. Without chromium and chromedriver the tests are skipped, except on CI
 * ({@code -Dtimbridge.require-servers=true}).
 */
class HawtioConsoleTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("timbridge.test.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER =
            Path.of(System.getProperty("timbridge.test.chromedriver", "/usr/bin/chromedriver"));
    private static final Path OUT = Path.of("target", "hawtio-screenshots");
    /** Ids of Hawtio's Camel tree items: this prefix, the context name, then -folder-&lt;child&gt;..., then -folder. */
    private static final String TREE = "org.apache.camel-folder-CamelContexts-folder-";
    /** Routes of both commands that an operator looks for first. */
    private static final List<String> ROUTES = List.of("import-accounts", "import-group-history",
            "sync-c2c-messages-to-tim", "sync-group-messages-to-tim", "tim-callback-endpoint");
    /** One-to-one history in legacy before the bridge starts: the import's work, which the sync starts after. */
    private static final int HISTORY = 400;
    /** TIM's importmsg budget the import keeps to: the history takes about 20 s, long enough to watch. */
    private static final int IMPORTMSG_QPS = 20;
    /** Hawtio's attribute view polls the bean (every 5 s by default); a change shows within a few polls. */
    private static final Duration SHOWN = Duration.ofSeconds(30);

    @TempDir
    Path browserProfile;

    private TestDatabases.TestDatabase legacy;
    private Main importBridge;
    private Main syncBridge;
    private Process console;
    private WebDriver browser;

    @AfterEach
    void stopAll(TestInfo test) throws Exception {
        if (browser != null) {
            // What the browser showed last, also when the test failed: the screenshot and the page behind it.
            String last = "last-" + test.getTestMethod().orElseThrow().getName();
            screenshot(last);
            Files.writeString(OUT.resolve(last + ".html"), browser.getPageSource());
            browser.quit();
        }
        if (console != null) {
            console.destroy();
            console.waitFor();
        }
        if (syncBridge != null) {
            syncBridge.stop();
        }
        if (importBridge != null) {
            importBridge.stop();
        }
        if (legacy != null) {
            legacy.close();
        }
    }

    @Test
    void theConsoleConnectsToTheRunningBridgeAndListsItsImportAndSyncRoutes() throws Exception {
        int consolePort = openConsole();
        browser.findElement(By.xpath("//a[normalize-space()='Camel']")).click();
        showRoutes();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> assertThat(visibleLines()).containsAll(ROUTES));
        assertThat(browser.getCurrentUrl()).as("connected through the stored connection")
                .startsWith("http://127.0.0.1:" + consolePort + "/hawtio/");
        screenshot("routes");
    }

    /**
     * The import of accounts and one-to-one history, paced by TIM's importmsg budget: the history route's bean
     * shows it running with what it expects, its Done growing from one look to the next, then finished with
     * everything done.
     */
    @Test
    void anImportsProgressShowsInItsRouteBeanWhileItRuns() throws Exception {
        openConsole();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        CompletableFuture<Integer> job = CompletableFuture.supplyAsync(() -> {
            try {
                return Command.IMPORT.job().run(importBridge.getCamelContext(),
                        Map.of("only", "accounts,c2c-history"), new PrintStream(log, true, StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        showAttributes("timbridge-import", "import-c2c-history");

        Map<String, String> running = awaitShown("the import running",
                a -> a.get("State").equals("running") && number(a, "Done") > 0);
        screenshot("import-progress");
        assertThat(running).containsEntry("Direction", "import").containsEntry("Expected", String.valueOf(HISTORY));
        assertThat(number(running, "Done")).isLessThan(HISTORY);
        assertThat(number(running, "EtaSeconds")).as("time left at TIM's budget").isPositive();

        long doneBefore = number(running, "Done");
        awaitShown("Done grown past " + doneBefore,
                a -> a.get("State").equals("running") && number(a, "Done") > doneBefore);
        screenshot("import-progress-later");

        Map<String, String> finished = awaitShown("the import finished", a -> a.get("State").equals("finished"));
        screenshot("import-finished");
        assertThat(finished).containsEntry("Done", String.valueOf(HISTORY))
                .containsEntry("Expected", String.valueOf(HISTORY)).containsEntry("RowsWaiting", "0")
                .containsEntry("FailuresHandled", "0");
        assertThat(job.get()).as(log.toString(StandardCharsets.UTF_8)).isZero();
    }

    /**
     * TIM refusing every importmsg (90012) while one-to-one messages are written in legacy: Camel's route bean
     * counts these handled failures as completed, the bridge's bean shows them, TIM's code and the dead letters.
     * Once TIM accepts again, the next messages go through and Done grows; the dead letters stay open.
     */
    @Test
    void aFailingSyncRouteShowsItsFailuresAndDeadLettersThenMovesOn() throws Exception {
        openConsole();
        var registry = syncBridge.getCamelContext().getRegistry();
        TimSandbox tim = registry.lookupByNameAndType("timSandbox", TimSandbox.class);
        // The two accounts are in TIM, so its 90012 is the injected fault's until the fault is cleared.
        registry.lookupByNameAndType("timClient", TimClient.class).call(TimApi.MULTIACCOUNT_IMPORT,
                Map.of("Accounts", List.of("ops-a", "ops-b")));
        legacyUpdate("INSERT INTO users (user_id, nickname, created_at_ms, updated_at_ms) VALUES"
                + " ('ops-a', 'A', 1700000000000, 1700000000000), ('ops-b', 'B', 1700000000000, 1700000000000)");
        showAttributes("timbridge-sync", "sync-c2c-messages-to-tim");
        assertThat(awaitShown("the poller", a -> true)).containsEntry("Direction", "legacy -> TIM")
                .containsEntry("FailuresHandled", "0").containsEntry("OpenDeadLetters", "0");

        tim.faults().set("importmsg", FaultSpec.error(90012, 1));
        for (int i = 0; i < 3; i++) {
            c2c("refused " + i);
        }
        Map<String, String> failing = awaitShown("3 failures, 3 dead letters and TIM's 90012",
                a -> number(a, "FailuresHandled") >= 3 && number(a, "OpenDeadLetters") >= 3
                        && a.get("LastErrorCode").equals("90012"));
        screenshot("sync-failures");
        assertThat(failing.get("LastError")).contains("90012");

        tim.faults().clearAll();
        for (int i = 0; i < 2; i++) {
            c2c("accepted " + i);
        }
        long doneBefore = number(failing, "Done");
        Map<String, String> moving = awaitShown("Done grown by the 2 accepted",
                a -> number(a, "Done") >= doneBefore + 2);
        screenshot("sync-recovered");
        assertThat(moving).containsEntry("FailuresHandled", failing.get("FailuresHandled"))
                .containsEntry("RowsWaiting", "0").containsEntry("LagSeconds", "0")
                .containsEntry("OpenDeadLetters", failing.get("OpenDeadLetters"));
    }

    /**
     * Starts the bridge and the console, opens the console in chromium and waits until Hawtio has reached the
     * bridge's Jolokia; returns the console's port.
     */
    private int openConsole() throws Exception {
        boolean browserPresent = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (TestDatabases.serversRequired()) {
            assertThat(browserPresent).as("chromium and chromedriver at %s, %s (.ci/run installs them)",
                    CHROMIUM, CHROMEDRIVER).isTrue();
        }
        Assumptions.assumeTrue(browserPresent, "no chromium/chromedriver: apt-get install chromium chromium-driver");

        int managementPort = FreePorts.next();
        startBridge(managementPort);
        int consolePort = FreePorts.next();
        console = startConsole(consolePort, "http://127.0.0.1:" + managementPort + "/observe/jolokia");
        String url = "http://127.0.0.1:" + consolePort + "/";
        awaitAnswer(url);

        browser = chromium();
        browser.get(url);
        // The Camel tab appears once Hawtio has reached the bridge's Jolokia through its proxy.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> browser.findElement(By.xpath("//a[normalize-space()='Camel']")).isDisplayed());
        return consolePort;
    }

    /**
     * The bridge as during a cut-over: the {@code import} command's context (its routes idle until its job calls
     * them) and the {@code sync} command's context (pollers running, finding nothing new), on an H2 legacy
     * database with the reference schema and the embedded TIM sandbox. Both run in this JVM, as in SyncHarness,
     * so the sync context's Jolokia (management port) shows both; in production they are two processes.
     */
    private void startBridge(int managementPort) throws Exception {
        legacy = TestDatabases.create(TestDatabases.Kind.H2);
        long historyEnd;
        try (Connection c = legacy.dataSource().getConnection()) {
            LegacySchema.apply(c);
            ChangeLogSchema.apply(c);
            new SampleDataGenerator(GeneratorOptions.parse("--users=40", "--friends-per-user=0", "--groups=0",
                    "--messages=" + HISTORY, "--group-message-share=0", "--bad-share=0")).generate(c);
            try (ResultSet rs = c.createStatement().executeQuery("SELECT MAX(id) FROM c2c_messages")) {
                rs.next();
                historyEnd = rs.getLong(1);
            }
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("legacy.datasource.url", legacy.url());
        p.put("legacy.datasource.username", legacy.user());
        p.put("legacy.datasource.password", legacy.password());
        p.put("state.datasource.url", "jdbc:h2:mem:state_" + UUID.randomUUID().toString().replace("-", "")
                + ";DB_CLOSE_DELAY=-1");
        p.put("tim.sdk-app-id", "1400000000");
        p.put("tim.admin-identifier", "administrator");
        p.put("tim.secret-key", "hawtio-test-key");
        p.put("bridge.embedded-sandbox", "true");
        p.put("sandbox.port", "0");
        p.put("camel.main.shutdown-timeout", "5");
        // Dead letters reach the route beans within a Hawtio poll, not after the default 5 s.
        p.put("bridge.metrics.state-refresh-ms", "500");

        Map<String, String> importing = new LinkedHashMap<>(p);
        importing.put("camel.management.enabled", "false");
        // Hawtio's tree keys contexts by name: the two contexts in one JVM need names of their own.
        importing.put("camel.main.name", "timbridge-import");
        importing.put("tim.limits.importmsg.qps", String.valueOf(IMPORTMSG_QPS));
        importBridge = Timbridge.newMain(Command.IMPORT, importing);
        importBridge.start();

        Map<String, String> sync = new LinkedHashMap<>(p);
        sync.put("camel.server.port", String.valueOf(FreePorts.next()));
        sync.put("camel.management.port", String.valueOf(managementPort));
        sync.put("camel.main.name", "timbridge-sync");
        // The history is the import's; live messages are those written after it.
        sync.put("bridge.sync.c2c-messages.start-after-id", String.valueOf(historyEnd));
        syncBridge = Timbridge.newMain(Command.SYNC, sync);
        syncBridge.start();
    }

    /** {@code java -cp <this classpath> io.timbridge.Timbridge hawtio ...}: the jar's command, as its own process. */
    private static Process startConsole(int port, String jolokiaUrl) throws IOException {
        Files.createDirectories(OUT);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Timbridge.class.getName(),
                "hawtio", "--hawtio.port=" + port, "--hawtio.jolokia-url=" + jolokiaUrl)
                .redirectErrorStream(true)
                .redirectOutput(OUT.resolve("console.log").toFile())
                .start();
    }

    private void awaitAnswer(String url) {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> {
                    assertThat(console.isAlive()).as("console process (see target/hawtio-screenshots/console.log)").isTrue();
                    return http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
    }

    private WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The flags that keep Debian's chromium quiet and working on a machine without outside network.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + browserProfile.toAbsolutePath(), "--window-size=1600,1400");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /**
     * Shows each context's routes in the Camel tree (context and "routes" folders open, the rest closed), then
     * selects the sync context's routes folder: the main panel lists its routes with their exchange counts.
     */
    private void showRoutes() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .until(() -> {
                    int clicks = 0;
                    for (WebElement item : browser.findElements(By.cssSelector("li[role='treeitem'][id^='" + TREE + "']"))) {
                        String id = item.getAttribute("id");
                        String path = id.substring(TREE.length(), id.length() - "-folder".length());
                        int depth = path.split("-folder-", -1).length - 1;
                        boolean open = depth == 0 || depth == 1 && path.endsWith("-folder-routes");
                        if (open != "true".equals(item.getAttribute("aria-expanded"))) {
                            item.findElement(By.cssSelector(":scope > div .pf-v5-c-tree-view__node-toggle")).click();
                            clicks++;
                        }
                    }
                    return clicks == 0;
                });
        browser.findElement(By.cssSelector("li[id='" + TREE + "timbridge-sync-folder-routes-folder'] > div"
                + " .pf-v5-c-tree-view__node-text")).click();
    }

    /**
     * Opens the route bean's attribute view: JMX tab, then timbridge &gt; context &gt; routes &gt; route in the tree,
     * only those folders opened.
     */
    private void showAttributes(String context, String route) {
        browser.findElement(By.xpath("//a[normalize-space()='JMX']")).click();
        // Hawtio opens Camel's domain in the shared tree; closed, the bean's table stays in the screenshots.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .until(() -> {
                    List<WebElement> open = browser.findElements(By.cssSelector("ul[role='tree'] >"
                            + " li[role='treeitem'][aria-expanded='true']:not([id='timbridge-folder'])"));
                    open.forEach(item -> item.findElement(
                            By.cssSelector(":scope > div .pf-v5-c-tree-view__node-toggle")).click());
                    return open.isEmpty();
                });
        String folder = "timbridge-folder";
        for (String child : List.of("", "-" + context + "-folder", "-routes-folder")) {
            String id = folder + child;
            await("Hawtio's JMX tree opens " + id).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                    .ignoreExceptions().until(() -> {
                        WebElement item = browser.findElement(By.id(id));
                        if (!"true".equals(item.getAttribute("aria-expanded"))) {
                            item.findElement(By.cssSelector(":scope > div .pf-v5-c-tree-view__node-toggle")).click();
                        }
                        return "true".equals(browser.findElement(By.id(id)).getAttribute("aria-expanded"));
                    });
            folder = id;
        }
        String leaf = folder + "-" + route;
        await("the attribute view of " + leaf).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .ignoreExceptions().until(() -> {
                    browser.findElement(By.cssSelector("li[id='" + leaf + "'] > div .pf-v5-c-tree-view__node-text"))
                            .click();
                    return shownAttributes().containsKey("Direction");
                });
    }

    /** Waits until the attribute view shows values that satisfy {@code shown} ({@code what}), and returns them. */
    private Map<String, String> awaitShown(String what, Predicate<Map<String, String>> shown) {
        return await("the attribute view to show " + what).atMost(SHOWN).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(this::shownAttributes, a -> a.containsKey("Direction") && shown.test(a));
    }

    /**
     * The attribute view's table as the page renders it: attribute name to the value shown. Read in one script
     * call, so the rows come from one of Hawtio's polls (read row by row, a poll landing in between mixes two).
     */
    private Map<String, String> shownAttributes() {
        Object rows = ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll(\"table[aria-label='Attributes'] tbody tr\"))"
                        + ".map(r => Array.from(r.cells).map(c => c.innerText.trim()));");
        Map<String, String> shown = new LinkedHashMap<>();
        for (Object row : (List<?>) rows) {
            List<?> cells = (List<?>) row;
            shown.put(String.valueOf(cells.get(0)), String.valueOf(cells.get(1)));
        }
        return shown;
    }

    private static long number(Map<String, String> shown, String attribute) {
        return Long.parseLong(shown.get(attribute));
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(OUT);
        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), OUT.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** A one-to-one message written in legacy now, as the old backend would: the sync's poller sends it. */
    private void c2c(String text) throws Exception {
        legacyUpdate("INSERT INTO c2c_messages (sender_id, receiver_id, msg_type, content, created_at_ms)"
                + " VALUES ('ops-a', 'ops-b', 'text', ?, ?)", text, System.currentTimeMillis());
    }

    private void legacyUpdate(String sql, Object... args) throws Exception {
        try (Connection c = legacy.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    /** The page's rendered text, line by line (what a person sees, hidden elements left out). */
    private List<String> visibleLines() {
        return browser.findElement(By.tagName("body")).getText().lines().map(String::trim).toList();
    }

}
