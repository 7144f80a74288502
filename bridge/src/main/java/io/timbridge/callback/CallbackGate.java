package io.timbridge.callback;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;

/**
 * Answers the callback path with 503 and Retry-After while the route that stores callbacks is not running.
 *
 * <p>The HTTP server listens before any route starts and stops after the routes stopped. In between the path has no
 * handler and Vert.x answers 404: TIM takes that as a failed delivery it never repeats, and nothing tells it apart
 * from a wrong URL. The gate is the first handler on the path and hands a request on only while the route is
 * started, so every request is either stored or refused outright.
 */
public final class CallbackGate {
    /** Seconds a refused caller is asked to wait; about one start-up of the bridge. */
    static final String RETRY_AFTER_SECONDS = "10";
    private static final String NOT_READY = "{\"ActionStatus\":\"FAIL\",\"ErrorInfo\":\"the bridge is not storing"
            + " callbacks yet\",\"ErrorCode\":1}";

    private final CamelContext context;
    private final String path;
    private final String routeId;

    /** Guards {@code path}, which the route {@code routeId} of {@code context} serves. */
    public CallbackGate(CamelContext context, String path, String routeId) {
        this.context = context;
        this.path = path;
        this.routeId = routeId;
    }

    /** Puts the gate on {@code router}; it must come before the route's own handler, so before the route starts. */
    void install(Router router) {
        router.route(path).handler(this::handle);
    }

    private void handle(RoutingContext request) {
        if (context.getRouteController().getRouteStatus(routeId) == ServiceStatus.Started) {
            request.next();
            return;
        }
        request.response().setStatusCode(503).putHeader("Retry-After", RETRY_AFTER_SECONDS)
                .putHeader("Content-Type", "application/json").end(NOT_READY);
    }
}
