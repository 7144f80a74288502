package io.timbridge.ops;

import io.netty.buffer.ByteBufInputStream;
import io.timbridge.config.StartRefused;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.Utils;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.plugin.JolokiaPlatformHttpPlugin;
import org.apache.camel.support.service.ServiceSupport;
import org.jolokia.core.api.LogHandler;
import org.jolokia.json.JSONStructure;
import org.jolokia.server.core.config.ConfigKey;
import org.jolokia.server.core.config.StaticConfiguration;
import org.jolokia.server.core.http.HttpRequestHandler;
import org.jolokia.server.core.restrictor.RestrictorFactory;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.jolokia.server.core.service.JolokiaServiceManagerFactory;
import org.jolokia.server.core.service.api.JolokiaServiceManager;
import org.jolokia.server.core.util.NetworkUtil;
import org.jolokia.service.jmx.LocalRequestHandler;
import org.jolokia.service.serializer.JolokiaSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The Jolokia behind {@code /observe/jolokia}, restricted by the access policy {@value #POLICY} names (the jar's
 * {@code jolokia-access.xml} by default). It takes the place of Camel's own plugin, which always reads
 * {@code classpath:/jolokia-access.xml}, cannot be pointed elsewhere, and allows everything (with its "NEVER use
 * this in a production environment" warning) when that file is missing. Here a policy that cannot be read refuses
 * the start instead.
 */
public final class JolokiaAgent extends ServiceSupport implements JolokiaPlatformHttpPlugin {
    /** The setting naming the policy: a {@code classpath:}, {@code file:} or {@code http(s):} URL. */
    public static final String POLICY = "bridge.management.jolokia-policy";
    /** What to do about a policy that cannot be read. */
    public static final String POLICY_FIX = "name a jolokia-access.xml as " + POLICY
            + "=file:/path/jolokia-access.xml, or drop that setting for the policy packaged in the jar";
    private static final Logger LOG = LoggerFactory.getLogger(JolokiaAgent.class);

    private CamelContext camelContext;
    private JolokiaServiceManager services;
    private HttpRequestHandler jolokia;

    /**
     * The policy at {@code location}; an IllegalArgumentException saying why when there is none or it is not a
     * Jolokia policy (so the start is refused, never opened up).
     */
    public static PolicyRestrictor policy(String location) {
        try {
            PolicyRestrictor policy = RestrictorFactory.lookupPolicyRestrictor(location);
            if (policy == null) {
                throw new IllegalArgumentException("there is no Jolokia access policy at '" + location + "'");
            }
            return policy;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("the Jolokia access policy at '" + location + "' cannot be read: "
                    + e.getMessage(), e);
        }
    }

    @Override
    protected void doStart() {
        String location = camelContext.resolvePropertyPlaceholders("{{" + POLICY + "}}");
        PolicyRestrictor policy;
        try {
            policy = policy(location);
        } catch (IllegalArgumentException e) {
            throw new StartRefused(e.getMessage() + ": " + POLICY_FIX + ".", e);
        }
        var config = new StaticConfiguration(ConfigKey.AGENT_ID, NetworkUtil.getAgentId(hashCode(), "vertx"),
                ConfigKey.POLICY_LOCATION, location);
        services = JolokiaServiceManagerFactory.createJolokiaServiceManager(config, new Log(), policy);
        services.addService(new JolokiaSerializer());
        services.addService(new LocalRequestHandler(1));
        jolokia = new HttpRequestHandler(services.start());
        LOG.debug("Jolokia on the management port with the access policy {}", location);
    }

    @Override
    protected void doStop() {
        if (services != null) {
            services.stop();
        }
    }

    @Override
    public Object getHandler() {
        return (Handler<RoutingContext>) this::handle;
    }

    @Override
    public String getId() {
        return NAME;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /** One Jolokia request: answers in JSON, errors and refusals (status 403 in the JSON) included. */
    private void handle(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        JSONStructure answer;
        int status = 200;
        try {
            String origin = request.getHeader(HttpHeaders.ORIGIN);
            if (origin == null) {
                origin = request.getHeader(HttpHeaders.REFERER);
            }
            String client = request.remoteAddress().host();
            jolokia.checkAccess(request.scheme(), client, client, origin == null ? "" : origin.replaceAll("[\\n\\r]", ""));
            String pathInfo = Utils.pathOffset(request.path(), routing);
            if (request.method() == HttpMethod.GET) {
                answer = jolokia.handleGetRequest(request.uri(), pathInfo, params(request.params()));
            } else {
                try (InputStream body = new ByteBufInputStream(routing.body().buffer().getByteBuf())) {
                    answer = jolokia.handlePostRequest(request.uri(), body, StandardCharsets.UTF_8.name(),
                            params(request.params()));
                }
            }
        } catch (Exception e) {
            // A refused host or origin, a malformed request: Jolokia's own error answer, as the console expects.
            status = e instanceof SecurityException ? 403 : 500;
            answer = jolokia.handleThrowable(e);
        }
        routing.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(answer == null ? "" : answer.toJSONString());
    }

    private static Map<String, String[]> params(MultiMap params) {
        Map<String, String[]> map = new HashMap<>();
        for (String name : params.names()) {
            map.put(name, params.getAll(name).toArray(String[]::new));
        }
        return map;
    }

    /** Jolokia's own lines, under this class in the bridge's log. */
    private static final class Log implements LogHandler {
        @Override
        public void debug(String message) {
            LOG.debug(message);
        }

        /** Jolokia's start-up chatter: for debugging only. */
        @Override
        public void info(String message) {
            LOG.debug(message);
        }

        @Override
        public void error(String message, Throwable t) {
            LOG.error(message, t);
        }

        @Override
        public boolean isDebug() {
            return LOG.isDebugEnabled();
        }
    }
}
