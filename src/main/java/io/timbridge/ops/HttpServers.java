package io.timbridge.ops;

import io.vertx.core.Future;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.BasicAuthHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.DefaultMainHttpServerFactory;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Camel's HTTP servers (the callback server and the management port) as Camel builds them, plus basic
 * authentication on the management port with the password of {@value #PASSWORD} (an environment variable; Camel's
 * own needs a users file holding the password).
 */
public final class HttpServers extends DefaultMainHttpServerFactory {
    public static final String USER = "bridge.management.user";
    public static final String PASSWORD = "bridge.management.password";

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
}
