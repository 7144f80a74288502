package io.timbridge.hawtio;

import com.sun.net.httpserver.HttpServer;
import io.timbridge.testsupport.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** What the hawtio command says at launch about the bridge it is to show (no browser needed). */
class HawtioLauncherTest {
    private HttpServer bridge;

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.stop(0);
        }
    }

    @Test
    void noBridgeIsNamedWithTheUrlTriedAndHowToStartOne() throws Exception {
        URI jolokia = URI.create("http://127.0.0.1:" + FreePorts.next() + "/observe/jolokia");

        assertThat(HawtioConsole.probe(jolokia)).contains("no bridge answers at " + jolokia, "java -jar ", " sync'",
                "the console connects once it answers", "--hawtio.jolokia-url=");
    }

    @Test
    void aBridgeThatAnswersNeedsNoWord() throws Exception {
        URI jolokia = serve(200, "{\"request\":{\"type\":\"version\"},\"value\":{\"agent\":\"2.5.0\"},\"status\":200}");

        assertThat(HawtioConsole.probe(jolokia)).isNull();
    }

    @Test
    void aBridgeWithAPasswordIsSaidToAskForIt() throws Exception {
        URI jolokia = serve(401, "");

        assertThat(HawtioConsole.probe(jolokia)).contains("asks for a password", "MANAGEMENT_PASSWORD");
    }

    @Test
    void somethingElseOnThatPortIsNotTakenForTheBridge() throws Exception {
        URI jolokia = serve(404, "not found");

        assertThat(HawtioConsole.probe(jolokia)).contains("answers HTTP 404, but not as a bridge's Jolokia");
    }

    private URI serve(int status, String body) throws Exception {
        bridge = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        bridge.createContext("/observe/jolokia/version", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        bridge.start();
        return URI.create("http://127.0.0.1:" + bridge.getAddress().getPort() + "/observe/jolokia");
    }
}
