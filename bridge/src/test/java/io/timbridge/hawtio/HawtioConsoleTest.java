package io.timbridge.hawtio;

import io.timbridge.Timbridge;
import io.timbridge.config.Command;
import io.timbridge.legacy.LegacySchema;
import io.timbridge.sync.ChangeLogSchema;
import io.timbridge.testsupport.FreePorts;
import io.timbridge.testsupport.TestDatabases;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code hawtio} command as an operator uses it: a running bridge, the console started as its own process,
 * Debian's chromium (headless) opening the one URL the command prints, and the bridge's Camel routes listed.
 * Without chromium and chromedriver the test is skipped, except on CI ({@code -Dtimbridge.require-servers=true}).
 */
class HawtioConsoleTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("timbridge.test.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER =
            Path.of(System.getProperty("timbridge.test.chromedriver", "/usr/bin/chromedriver"));
    private static final Path OUT = Path.of("target", "hawtio");
    /** Ids of Hawtio's Camel tree items: this prefix, the context name, then -folder-&lt;child&gt;..., then -folder. */
    private static final String TREE = "org.apache.camel-folder-CamelContexts-folder-";
    /** Routes of both commands that an operator looks for first. */
    private static final List<String> ROUTES = List.of("import-accounts", "import-group-history",
            "sync-c2c-messages-to-tim", "sync-group-messages-to-tim", "tim-callback-endpoint");

    @TempDir
    Path browserProfile;

    private TestDatabases.TestDatabase legacy;
    private Main importBridge;
    private Main syncBridge;
    private Process console;
    private WebDriver browser;

    @AfterEach
    void stopAll() throws Exception {
        if (browser != null) {
            // What the browser showed last, also when the test failed: the screenshot and the page behind it.
            Files.createDirectories(OUT);
            File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), OUT.resolve("routes.png"), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(OUT.resolve("routes.html"), browser.getPageSource());
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
        // The Camel tree is rendered by Hawtio once it has reached the bridge's Jolokia through its proxy.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> {
                    browser.findElement(By.xpath("//a[normalize-space()='Camel']")).click();
                    return true;
                });
        showRoutes();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> assertThat(visibleLines()).containsAll(ROUTES));
        assertThat(browser.getCurrentUrl()).as("connected through the stored connection")
                .startsWith("http://127.0.0.1:" + consolePort + "/hawtio/");
    }

    /**
     * The bridge as during a cut-over: the {@code import} command's context (its routes idle until its job calls
     * them) and the {@code sync} command's context (pollers running, finding nothing new), on an H2 legacy
     * database with the reference schema and the embedded TIM sandbox. Both run in this JVM, as in SyncHarness,
     * so the sync context's Jolokia (management port) shows both; in production they are two processes.
     */
    private void startBridge(int managementPort) throws Exception {
        legacy = TestDatabases.create(TestDatabases.Kind.H2);
        try (Connection c = legacy.dataSource().getConnection()) {
            LegacySchema.apply(c);
            ChangeLogSchema.apply(c);
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

        Map<String, String> importing = new LinkedHashMap<>(p);
        importing.put("camel.management.enabled", "false");
        // Hawtio's tree keys contexts by name: the two contexts in one JVM need names of their own.
        importing.put("camel.main.name", "timbridge-import");
        importBridge = Timbridge.newMain(Command.IMPORT, importing);
        importBridge.start();

        Map<String, String> sync = new LinkedHashMap<>(p);
        sync.put("camel.server.port", String.valueOf(FreePorts.next()));
        sync.put("camel.management.port", String.valueOf(managementPort));
        sync.put("camel.main.name", "timbridge-sync");
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
                    assertThat(console.isAlive()).as("console process (see target/hawtio/console.log)").isTrue();
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

    /** The page's rendered text, line by line (what a person sees, hidden elements left out). */
    private List<String> visibleLines() {
        return browser.findElement(By.tagName("body")).getText().lines().map(String::trim).toList();
    }

}
