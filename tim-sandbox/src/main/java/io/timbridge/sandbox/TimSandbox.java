package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbridge.tim.TimApi;
import io.timbridge.tim.UserSig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A local stand-in for Tencent Cloud IM: the REST API under {@code /v4/<service>/<command>} with UserSig checks,
 * frequency and batch limits, TIM's state rules and callbacks, plus (under {@code /sandbox/}, no UserSig) the
 * client, inspection and fault-injection API described in {@link ControlApi}.
 *
 * <pre>
 * TimSandbox sandbox = new TimSandbox(SandboxConfig.from(props)).start();
 * int port = sandbox.port();
 * sandbox.user("alice").sendC2c("bob", body);
 * sandbox.inspect().counts();
 * sandbox.stop();
 * </pre>
 */
public final class TimSandbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TimSandbox.class);
    /** The APIs the sandbox serves; other catalogue entries answer like an unknown path. */
    static final Set<TimApi> SERVED = EnumSet.complementOf(EnumSet.of(TimApi.ACCOUNT_DELETE));

    private final SandboxConfig config;
    private final Clock clock;
    private final Callbacks callbacks;
    private final Accounts accounts;
    private final C2c c2c;
    private final Groups groups;
    private final RateLimiter rateLimiter;
    private final Faults faults;
    private final Inspection inspection;
    private final ControlApi controlApi;
    private final Map<TimApi, LongAdder> requests = new EnumMap<>(TimApi.class);
    private final Map<TimApi, LongAdder> failures = new EnumMap<>(TimApi.class);
    private final LongAdder rateLimited = new LongAdder();
    private Vertx vertx;
    private HttpServer server;

    public TimSandbox(SandboxConfig config) {
        this(config, Clock.systemUTC());
    }

    /** With a clock of the caller's choice: tests move time to cross dedup windows and rate-limit seconds. */
    public TimSandbox(SandboxConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        MessageBodies bodies = new MessageBodies(config.storeBodies);
        this.callbacks = new Callbacks(config, clock);
        this.accounts = new Accounts(config, clock, callbacks);
        this.c2c = new C2c(config, clock, accounts, callbacks, bodies);
        this.groups = new Groups(config, clock, accounts, callbacks, bodies);
        this.rateLimiter = new RateLimiter(clock, config.limits, config.rateLimitsEnabled);
        this.faults = new Faults(config.faultSeed);
        config.faults.forEach(faults::set);
        for (TimApi api : TimApi.values()) {
            requests.put(api, new LongAdder());
            failures.put(api, new LongAdder());
        }
        this.inspection = new Inspection(this);
        this.controlApi = new ControlApi(this);
    }

    /** Binds {@code sandbox.host:sandbox.port} and returns once the server listens. */
    public synchronized TimSandbox start() {
        if (server != null) {
            return this;
        }
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setMaxEventLoopExecuteTime(5).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS));
        try {
            server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host).setPort(config.port))
                    .requestHandler(this::handle)
                    .listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            vertx = null;
            throw new IllegalStateException("TIM sandbox cannot listen on " + config.host + ":" + config.port, e);
        }
        LOG.info("TIM sandbox for SDKAppID {} listening on http://{}:{}", config.sdkAppId, config.host, server.actualPort());
        return this;
    }

    /** The bound port (the ephemeral one when {@code sandbox.port=0}). */
    public int port() {
        if (server == null) {
            throw new IllegalStateException("the sandbox is not started");
        }
        return server.actualPort();
    }

    /** Stops serving and sending callbacks; a stopped sandbox is not started again (make a new one). */
    public synchronized void stop() {
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("TIM sandbox did not stop cleanly", e);
            }
            vertx = null;
            server = null;
        }
        callbacks.close();
    }

    @Override
    public void close() {
        stop();
    }

    /** An app 2.0 user acting through the client SDK; callbacks name them as operator with {@code sandbox.client-platform}. */
    public AppUser user(String userId) {
        return new AppUser(this, userId, config.clientPlatform);
    }

    public AppUser user(String userId, String optPlatform) {
        return new AppUser(this, userId, optPlatform);
    }

    public Inspection inspect() {
        return inspection;
    }

    public Faults faults() {
        return faults;
    }

    /** Lifts ({@code false}) or restores every frequency limit at runtime. */
    public void setRateLimitsEnabled(boolean enabled) {
        rateLimiter.setEnabled(enabled);
    }

    /** Changes one API's frequency limit at runtime; 0 = unlimited. */
    public void setQps(String command, int qps) {
        rateLimiter.setQps(TimApi.byCommand(command)
                .orElseThrow(() -> new IllegalArgumentException("unknown TIM command " + command)), qps);
    }

    /** Forgets all state (the admin account stays), dedup windows, callback log and counters; faults stay. */
    public void reset() {
        accounts.reset();
        c2c.reset();
        groups.reset();
        callbacks.reset();
        rateLimiter.reset();
        requests.values().forEach(LongAdder::reset);
        failures.values().forEach(LongAdder::reset);
        rateLimited.reset();
    }

    SandboxConfig config() {
        return config;
    }

    Accounts accounts() {
        return accounts;
    }

    C2c c2c() {
        return c2c;
    }

    Groups groups() {
        return groups;
    }

    Callbacks callbacks() {
        return callbacks;
    }

    RateLimiter rateLimiter() {
        return rateLimiter;
    }

    Map<TimApi, LongAdder> requests() {
        return requests;
    }

    Map<TimApi, LongAdder> failures() {
        return failures;
    }

    long rateLimited() {
        return rateLimited.sum();
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        req.body().onSuccess(buf -> {
            try {
                if (path.startsWith("/v4/")) {
                    rest(req, path.substring(4), buf);
                } else if (path.startsWith("/sandbox/")) {
                    controlApi.handle(req, buf);
                } else {
                    reply(req, 200, Envelope.fail(null, 60009, "unknown path " + path));
                }
            } catch (RuntimeException e) {
                LOG.error("TIM sandbox failed on {}", path, e);
                reply(req, 500, Envelope.fail(null, 60008, "sandbox internal error"));
            }
        });
    }

    private void rest(HttpServerRequest req, String apiPath, Buffer buf) {
        TimApi api = TimApi.byPath(apiPath).filter(SERVED::contains).orElse(null);
        if (api == null) {
            reply(req, 200, Envelope.fail(null, 60009, "no such API: /v4/" + apiPath));
            return;
        }
        Service service = Service.of(api.service());
        requests.get(api).increment();
        TimException refused = refusal(req, api, service);
        if (refused != null) {
            failures.get(api).increment();
            reply(req, 200, Envelope.fail(service, refused.code(), refused.getMessage()));
            return;
        }
        Faults.Decision fault = faults.decide(api);
        if (fault.delayMillis() > 0) {
            vertx.setTimer(fault.delayMillis(), t -> answer(req, api, service, buf, fault));
        } else {
            answer(req, api, service, buf, fault);
        }
    }

    private void answer(HttpServerRequest req, TimApi api, Service service, Buffer buf, Faults.Decision fault) {
        if ((fault.drop() || fault.http5xx() != 0) && !fault.afterProcessing()) {
            failures.get(api).increment();
            failHard(req, fault);
            return;
        }
        if (fault.errorCode() != 0) {
            failures.get(api).increment();
            reply(req, 200, Envelope.fail(service, fault.errorCode(), "injected fault"));
            return;
        }
        ObjectNode response = execute(api, service, buf, Caller.rest(config.adminIdentifier, remoteIp(req)));
        if (response.path("ErrorCode").asInt() != 0) {
            failures.get(api).increment();
        }
        if (fault.drop() || fault.http5xx() != 0) {
            failHard(req, fault);
            return;
        }
        reply(req, 200, response);
    }

    private static void failHard(HttpServerRequest req, Faults.Decision fault) {
        if (fault.drop()) {
            req.connection().close();
        } else {
            req.response().setStatusCode(fault.http5xx()).putHeader("Content-Type", "text/plain")
                    .end("Bad Gateway (injected)");
        }
    }

    /** Why TIM would refuse this request before running it (URL, UserSig, admin, frequency), or null. */
    private TimException refusal(HttpServerRequest req, TimApi api, Service service) {
        if (req.method() != HttpMethod.POST) {
            return new TimException(60002, "only POST is served");
        }
        String appId = req.getParam("sdkappid");
        if (appId == null || appId.isEmpty()) {
            return new TimException(60012, "sdkappid is missing");
        }
        long app;
        try {
            app = Long.parseLong(appId);
        } catch (NumberFormatException e) {
            return new TimException(60006, "sdkappid is not a number");
        }
        if (config.strictQueryParams) {
            String random = req.getParam("random");
            if (random == null || !random.matches("\\d{1,10}") || Long.parseLong(random) > Fields.U32_MAX) {
                return new TimException(60002, "random must be an unsigned 32-bit integer");
            }
            if (!"json".equals(req.getParam("contenttype"))) {
                return new TimException(60002, "contenttype must be json");
            }
        }
        if (app != config.sdkAppId) {
            return new TimException(70020, "SDKAppID " + app + " not found");
        }
        String identifier = req.getParam("identifier");
        String sig = req.getParam("usersig");
        if (identifier == null || identifier.isEmpty() || sig == null || sig.isEmpty()) {
            return new TimException(60005, "identifier and usersig are required");
        }
        UserSig.Verdict verdict = UserSig.verify(sig, config.sdkAppId, identifier, config.secretKey, clock.millis() / 1000);
        if (verdict != UserSig.Verdict.VALID) {
            return new TimException(verdict.errorCode(), verdict.info());
        }
        if (!identifier.equals(config.adminIdentifier)) {
            return new TimException(service.adminRequired, "identifier must be an app admin");
        }
        if (!rateLimiter.tryAcquire(api)) {
            rateLimited.increment();
            return new TimException(60007, "REST API call rate over the limit of " + rateLimiter.qps(api) + "/s");
        }
        return null;
    }

    private ObjectNode execute(TimApi api, Service service, Buffer buf, Caller caller) {
        JsonNode body;
        try {
            body = buf.length() == 0 ? null : MessageBodies.JSON.readTree(buf.getBytes());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            return Envelope.fail(service, service.parseError, "request body is not a JSON object");
        }
        try {
            return Envelope.ok(service, dispatch(api, body, caller));
        } catch (TimException e) {
            return Envelope.fail(service, e.code(), e.getMessage());
        }
    }

    private ObjectNode dispatch(TimApi api, JsonNode body, Caller caller) {
        int batch = config.limits.batchSize(api);
        return switch (api) {
            case ACCOUNT_IMPORT -> accounts.accountImport(body);
            case MULTIACCOUNT_IMPORT -> accounts.multiAccountImport(body, batch);
            case ACCOUNT_CHECK -> accounts.accountCheck(body, batch);
            case PORTRAIT_SET -> accounts.portraitSet(body);
            case PORTRAIT_GET -> accounts.portraitGet(body, batch);
            case FRIEND_ADD -> accounts.friendWrite(body, batch, false, caller);
            case FRIEND_IMPORT -> accounts.friendWrite(body, batch, true, caller);
            case FRIEND_CHECK -> accounts.friendCheck(body, batch);
            case FRIEND_GET -> accounts.friendGet(body);
            case IMPORTMSG -> c2c.importMsg(body);
            case SENDMSG -> c2c.sendMsg(body, caller);
            case ADMIN_GETROAMMSG -> c2c.adminGetRoamMsg(body, batch);
            case IMPORT_GROUP -> groups.importGroup(body, caller);
            case IMPORT_GROUP_MEMBER -> groups.importGroupMember(body, batch);
            case IMPORT_GROUP_MSG -> groups.importGroupMsg(body, batch);
            case SET_UNREAD_MSG_NUM -> groups.setUnreadMsgNum(body);
            case CREATE_GROUP -> groups.createGroup(body, caller, batch);
            case DESTROY_GROUP -> groups.destroyGroup(body, caller);
            case MODIFY_GROUP_BASE_INFO -> groups.modifyGroupBaseInfo(body, caller);
            case ADD_GROUP_MEMBER -> groups.addGroupMember(body, caller, batch);
            case DELETE_GROUP_MEMBER -> groups.deleteGroupMember(body, caller, batch);
            case SEND_GROUP_MSG -> groups.sendGroupMsg(body, caller);
            case GET_GROUP_INFO -> groups.getGroupInfo(body, batch);
            case GET_GROUP_MEMBER_INFO -> groups.getGroupMemberInfo(body, batch);
            case GROUP_MSG_GET_SIMPLE -> groups.groupMsgGetSimple(body, batch);
            case ACCOUNT_DELETE -> throw new TimException(60009, "account_delete is not served by the sandbox");
        };
    }

    static String remoteIp(HttpServerRequest req) {
        return req.remoteAddress() == null ? "" : req.remoteAddress().host();
    }

    static void reply(HttpServerRequest req, int status, JsonNode body) {
        req.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                .end(body.toString());
    }
}
