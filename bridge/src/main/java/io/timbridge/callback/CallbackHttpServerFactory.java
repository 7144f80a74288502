package io.timbridge.callback;

import io.timbridge.ops.HttpServers;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.main.HttpServerConfigurationProperties;

/**
 * camel-main's HTTP server (camel.server.*) with the {@link CallbackGate} in its router before the port opens.
 *
 * <p>camel-main starts that server eagerly, before the routes, and the server makes its router and listens in one
 * step: nothing outside it can add a handler in between. This factory, which camel-main takes from the registry
 * in place of its own (so it must be bound before camel-main sets up its server), builds the same server, with the
 * settings camel-main's own factory gives it, whose Vert.x server installs the gate between the two. The management
 * server, and the rest of what the bridge's servers do, are {@link HttpServers}'.
 */
public final class CallbackHttpServerFactory extends HttpServers {
    private final String pathProperty;
    private final String routeId;

    /** Gates the path that property {@code pathProperty} names, served by the route {@code routeId}. */
    public CallbackHttpServerFactory(String pathProperty, String routeId) {
        this.pathProperty = pathProperty;
        this.routeId = routeId;
    }

    @Override
    public Service newHttpServer(CamelContext context, HttpServerConfigurationProperties properties) {
        MainHttpServer configured = (MainHttpServer) super.newHttpServer(context, properties);
        MainHttpServer server = new GatedMainServer(new CallbackGate(context,
                context.resolvePropertyPlaceholders("{{" + pathProperty + "}}"), routeId));
        server.setCamelContext(context);
        server.setConfiguration(configured.getConfiguration());
        server.setStaticEnabled(configured.isStaticEnabled());
        server.setStaticContextPath(configured.getStaticContextPath());
        server.setStaticSourceDir(configured.getStaticSourceDir());
        return server;
    }

    private static final class GatedMainServer extends MainHttpServer {
        private final CallbackGate gate;

        GatedMainServer(CallbackGate gate) {
            this.gate = gate;
        }

        @Override
        protected void doInit() throws Exception {
            // As MainHttpServer.doInit (Camel 4.18), with the gated Vert.x server; the context stops it on shutdown.
            // The server type marks it as the one platform-http consumers use, not the management server.
            getConfiguration().setServerType(VertxPlatformHttpRouter.SERVER_TYPE_SERVER);
            getCamelContext().addService(new GatedVertxServer(getConfiguration(), gate));
        }
    }

    // A named class: Camel names the server's thread pool after it, and refuses an anonymous class's empty name.
    private static final class GatedVertxServer extends VertxPlatformHttpServer {
        private final VertxPlatformHttpServerConfiguration configuration;
        private final CallbackGate gate;

        GatedVertxServer(VertxPlatformHttpServerConfiguration configuration, CallbackGate gate) {
            super(configuration);
            this.configuration = configuration;
            this.gate = gate;
        }

        @Override
        protected void startServer() throws Exception {
            gate.install(VertxPlatformHttpRouter.lookup(getCamelContext(),
                    VertxPlatformHttpRouter.getRouterNameFromPort(configuration.getPort())));
            super.startServer();
        }
    }
}
