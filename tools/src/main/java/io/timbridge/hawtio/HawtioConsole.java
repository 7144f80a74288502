package io.timbridge.hawtio;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.ee10.webapp.WebAppClassLoader;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code hawtio}: the Hawtio 4 console (the hawtio-war beside the jar, in an embedded Jetty) set up to show one
 * bridge. It runs in its own process, never inside the bridge: the war carries its own Jolokia, which clashes
 * with the bridge's.
 *
 * <p>Hawtio 4.2 keeps its remote connections in the browser's local storage and connects to the one named by
 * {@code ?con=}; the console's root page stores a connection to the bridge's Jolokia there and opens
 * {@code /hawtio/?con=timbridge}. Hawtio's own proxy ({@code /hawtio/proxy/...}) then carries the Jolokia calls.
 */
public final class HawtioConsole {
    /** The id (and name) of the connection the root page stores in the browser. */
    private static final String CONNECTION_ID = "timbridge";
    public static final String DEFAULT_JOLOKIA_URL = "http://127.0.0.1:9876/observe/jolokia";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final Server server;

    private HawtioConsole(Server server) {
        this.server = server;
    }

    /**
     * Runs the console until the process is stopped. Options ({@code --name=value}): {@code hawtio.port}
     * (default 8888), {@code hawtio.host} (127.0.0.1), {@code hawtio.jolokia-url} (the bridge's Jolokia,
     * {@value #DEFAULT_JOLOKIA_URL}), {@code hawtio.war} (default: {@code hawtio/hawtio.war} beside the jar).
     */
    public static int run(Map<String, String> options, PrintStream out, PrintStream err) throws Exception {
        Map<String, String> unknown = new LinkedHashMap<>(options);
        String host = value(unknown, "hawtio.host", "127.0.0.1");
        Path war = Path.of(value(unknown, "hawtio.war", besideTheJar().toString()));
        int port;
        URI jolokia;
        try {
            port = Integer.parseInt(value(unknown, "hawtio.port", "8888"));
            jolokia = jolokiaUrl(value(unknown, "hawtio.jolokia-url", DEFAULT_JOLOKIA_URL));
        } catch (IllegalArgumentException e) {
            err.println("hawtio: " + e.getMessage());
            return 2;
        }
        if (!unknown.isEmpty()) {
            err.println("hawtio: unknown options " + unknown.keySet()
                    + " (known: hawtio.port, hawtio.host, hawtio.jolokia-url, hawtio.war)");
            return 2;
        }
        if (!Files.isRegularFile(war)) {
            err.println("hawtio: no Hawtio war at " + war + " (mvn package puts it there, or give --hawtio.war=...)");
            return 1;
        }
        String bridge = probe(jolokia);
        if (bridge != null) {
            err.println("hawtio: " + bridge);
        }
        HawtioConsole console = start(host, port, jolokia, war);
        out.println("Hawtio console for the bridge at " + jolokia + ": open " + console.url());
        console.server.join();
        return 0;
    }

    /**
     * What stands between the console and the bridge's Jolokia at {@code jolokia}, or null when it answers. The
     * console runs either way: Hawtio connects once the bridge is up, so it can be started first or outlive a
     * restart of the bridge.
     */
    static String probe(URI jolokia) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
        URI version = URI.create(jolokia.toString().replaceAll("/+$", "") + "/version");
        HttpResponse<String> answer;
        try {
            answer = http.send(HttpRequest.newBuilder(version).timeout(PROBE_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return "no bridge answers at " + jolokia + " (" + (e.getMessage() == null ? e : e.getMessage()) + ").\n"
                    + "  Start it, e.g. '" + launchCommand() + " sync' (or import); the console connects once it answers.\n"
                    + "  A bridge on another host or port: --hawtio.jolokia-url=http://<host>:<camel.management.port>/observe/jolokia";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        if (answer.statusCode() == 401) {
            return "the bridge at " + jolokia + " asks for a password: sign in to Hawtio with bridge.management.user"
                    + " and the bridge's MANAGEMENT_PASSWORD.";
        }
        if (answer.statusCode() != 200 || !answer.body().contains("\"agent\"")) {
            return jolokia + " answers HTTP " + answer.statusCode() + ", but not as a bridge's Jolokia: point"
                    + " --hawtio.jolokia-url at http://<host>:<camel.management.port>/observe/jolokia.";
        }
        return null;
    }

    /** How this jar is started from the working directory, for the operator to copy. */
    private static String launchCommand() {
        try {
            Path code = Path.of(HawtioConsole.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path here = Path.of("").toAbsolutePath();
            Path jar = code.startsWith(here) ? here.relativize(code) : code;
            return code.toString().endsWith(".jar") ? "java -jar " + jar : "java -jar target/timbridge.jar";
        } catch (URISyntaxException e) {
            return "java -jar timbridge.jar";
        }
    }

    /** Starts the console on {@code host:port} (0 = any free port), set up for the bridge's Jolokia URL. */
    private static HawtioConsole start(String host, int port, URI jolokia, Path war) throws Exception {
        // Local use: the console binds to localhost and reaches only the bridge's host through its proxy.
        System.setProperty("hawtio.authenticationEnabled", "false");
        System.setProperty("hawtio.proxyAllowlist", "localhost,127.0.0.1," + jolokia.getHost());
        System.setProperty("hawtio.localAddressProbing", "false");

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);

        WebAppContext hawtio = new WebAppContext();
        hawtio.setContextPath("/hawtio");
        hawtio.setWar(war.toAbsolutePath().toString());
        hawtio.setClassLoader(new WebAppClassLoader(servletApiOnly(), hawtio));

        ContextHandler root = new ContextHandler(new EntryPage(entryPage(jolokia)), "/");
        server.setHandler(new ContextHandlerCollection(hawtio, root));
        server.start();
        if (hawtio.getUnavailableException() != null) {
            server.stop();
            throw new IllegalStateException("Hawtio did not start", hawtio.getUnavailableException());
        }
        return new HawtioConsole(server);
    }

    /** The URL to open: the root page, which connects Hawtio to the bridge. */
    private String url() {
        ServerConnector connector = (ServerConnector) server.getConnectors()[0];
        return "http://" + connector.getHost() + ":" + connector.getLocalPort() + "/";
    }

    /**
     * The war's parent class loader: the servlet API and Jetty only. The jar's own classes stay out of sight,
     * above all its newer Jolokia, whose service lists would otherwise mix with the war's Jolokia classes.
     */
    private static ClassLoader servletApiOnly() {
        ClassLoader app = HawtioConsole.class.getClassLoader();
        return new ClassLoader("hawtio-parent", ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (name.startsWith("jakarta.servlet.") || name.startsWith("org.eclipse.jetty.")) {
                    return app.loadClass(name);
                }
                throw new ClassNotFoundException(name);
            }
        };
    }

    /** Stores the connection to the bridge in the browser (keeping the operator's others) and opens Hawtio on it. */
    private static String entryPage(URI jolokia) {
        Map<String, Object> connection = new LinkedHashMap<>();
        connection.put("id", CONNECTION_ID);
        connection.put("name", CONNECTION_ID);
        connection.put("scheme", jolokia.getScheme());
        connection.put("host", jolokia.getHost());
        connection.put("port", jolokia.getPort() > 0 ? jolokia.getPort() : jolokia.getScheme().equals("https") ? 443 : 80);
        connection.put("path", jolokia.getRawPath());
        String json;
        try {
            // Escaped so that no value can close the script element.
            json = new ObjectMapper().writeValueAsString(connection).replace("<", "\\u003c");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return """
                <!doctype html>
                <html><head><meta charset="utf-8"><title>timbridge - Hawtio</title></head><body>
                <p>Opening Hawtio on the bridge&hellip;</p>
                <script>
                  const bridge = %s;
                  const connections = JSON.parse(localStorage.getItem('connect.connections') || '{}');
                  connections[bridge.id] = bridge;
                  localStorage.setItem('connect.connections', JSON.stringify(connections));
                  location.replace('/hawtio/?con=' + encodeURIComponent(bridge.id));
                </script>
                </body></html>
                """.formatted(json);
    }

    private static URI jolokiaUrl(String url) {
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("hawtio.jolokia-url must be an http(s) URL, got '" + url + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("hawtio.jolokia-url is not a URL: '" + url + "'", e);
        }
    }

    /** {@code hawtio/hawtio.war} in the directory of the jar (or of target/classes when run from the build). */
    private static Path besideTheJar() throws URISyntaxException {
        Path code = Path.of(HawtioConsole.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return code.getParent().resolve("hawtio").resolve("hawtio.war");
    }

    private static String value(Map<String, String> options, String key, String fallback) {
        String v = options.remove(key);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** Serves the entry page for every path outside /hawtio. */
    private static final class EntryPage extends Handler.Abstract {
        private final String html;

        EntryPage(String html) {
            this.html = html;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            Content.Sink.write(response, true, html, callback);
            return true;
        }
    }
}
