package io.timbridge.ops;

import io.vertx.core.Future;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.BasicAuthHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.main.DefaultMainHttpServerFactory;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.apache.camel.main.HttpServerConfigurationProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Camel's HTTP servers (the callback server and the management port) as Camel builds them, plus two things Camel
 * does not do: basic authentication on the management port with the password of {@value #PASSWORD} (an
 * environment variable; Camel's own needs a users file holding the password), and an endpoint summary that names
 * the address the server is bound to (Camel's prints {@code http://0.0.0.0:...} whatever the host).
 */
public class HttpServers extends DefaultMainHttpServerFactory {
    public static final String USER = "bridge.management.user";
    public static final String PASSWORD = "bridge.management.password";
    private static final Logger LOG = LoggerFactory.getLogger(HttpServers.class);

    @Override
    public Service newHttpServer(CamelContext context, HttpServerConfigurationProperties configuration) {
        Service server = super.newHttpServer(context, configuration);
        summaryOnStart(context, "HTTP endpoints", configuration.getHost(), configuration.getPort(),
                PlatformHttpComponent::getHttpEndpoints);
        return server;
    }

    @Override
    public Service newHttpManagementServer(CamelContext context, HttpManagementServerConfigurationProperties configuration) {
        ManagementHttpServer server = (ManagementHttpServer) super.newHttpManagementServer(context, configuration);
        String password = context.resolvePropertyPlaceholders("{{" + PASSWORD + "}}");
        if (!password.isEmpty()) {
            String user = context.resolvePropertyPlaceholders("{{" + USER + "}}");
            AuthenticationConfig.AuthenticationConfigEntry basic = new AuthenticationConfig.AuthenticationConfigEntry();
            basic.setPath("/*");
            basic.setAuthenticationProviderFactory(vertx -> provider(user, password));
            basic.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
                @Override
                public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T provider) {
                    return BasicAuthHandler.create(provider, "timbridge");
                }
            });
            AuthenticationConfig auth = server.getConfiguration().getAuthenticationConfig();
            auth.getEntries().add(basic);
            auth.setEnabled(true);
        }
        summaryOnStart(context, "HTTP Management endpoints", configuration.getHost(), configuration.getPort(),
                PlatformHttpComponent::getHttpManagementEndpoints);
        return server;
    }

    /** Accepts {@code user} with {@code password} only; compared in constant time. */
    static AuthenticationProvider provider(String user, String password) {
        byte[] expected = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
        return (credentials, result) -> {
            UsernamePasswordCredentials given = new UsernamePasswordCredentials(credentials);
            byte[] actual = (given.getUsername() + ":" + given.getPassword()).getBytes(StandardCharsets.UTF_8);
            result.handle(MessageDigest.isEqual(expected, actual) ? Future.succeededFuture(User.fromName(user))
                    : Future.failedFuture("wrong user or password"));
        };
    }

    /** Logs the server's endpoints once the context has started, with the host and port it listens on. */
    private static void summaryOnStart(CamelContext context, String header, String host, int port,
                                       Function<PlatformHttpComponent, Set<HttpEndpointModel>> endpoints) {
        AtomicReference<Set<String>> printed = new AtomicReference<>(Set.of());
        try {
            // Called again for routes started later: printed again only when they add endpoints.
            context.addStartupListener((started, alreadyStarted) -> {
                String base = "http://" + host + ":" + boundPort(started, host, port);
                Set<String> lines = new TreeSet<>();
                endpoints.apply(started.getComponent("platform-http", PlatformHttpComponent.class)).forEach(m ->
                        lines.add(base + m.getUri() + (m.getVerbs() == null ? "" : " (" + m.getVerbs() + ")")));
                if (!lines.isEmpty() && !lines.equals(printed.getAndSet(lines))) {
                    LOG.info("{}: {}", header, String.join(", ", lines));
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the endpoint summary", e);
        }
    }

    /** The port the server listens on: the configured one, or the one picked for port 0. */
    private static int boundPort(CamelContext context, String host, int port) {
        return context.hasServices(VertxPlatformHttpServer.class).stream()
                .filter(s -> s.getConfigurationPort() == port && host.equals(s.getHost()))
                .mapToInt(VertxPlatformHttpServer::getPort).findFirst().orElse(port);
    }
}
