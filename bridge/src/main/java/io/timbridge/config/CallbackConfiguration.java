package io.timbridge.config;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.timbridge.callback.CallbackDrain;
import io.timbridge.callback.CallbackInbox;
import io.timbridge.callback.CallbackIntake;
import io.timbridge.callback.InboxWriter;
import io.timbridge.callback.CallbackSweep;
import io.timbridge.convert.MessageConverter;
import io.timbridge.state.DeadLetters;
import io.timbridge.state.IdMap;
import io.timbridge.sync.CallbackAuth;
import io.timbridge.sync.CallbackParser;
import io.timbridge.sync.EchoGuard;
import io.timbridge.sync.LegacyWrites;
import io.timbridge.tim.TimClient;
import io.vertx.core.VertxOptions;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutorService;

/**
 * Beans of the TIM → legacy half of the sync: the callback check and parser, the durable inbox, the drain
 * and its lane pool, the circuit breaker around the legacy writes, and the gap sweep. Needs the beans of
 * {@link BridgeConfiguration} (DataSources, TIM client, dead letters, id map).
 */
public class CallbackConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Properties props = Settings.resolved(context, "tim.", "bridge.callback.");
        Registry registry = context.getRegistry();
        DataSource state = registry.lookupByNameAndType("stateDataSource", DataSource.class);
        DeadLetters deadLetters = registry.lookupByNameAndType("deadLetters", DeadLetters.class);
        IdMap idMap = registry.lookupByNameAndType("idMap", IdMap.class);
        TimClient tim = registry.lookupByNameAndType("timClient", TimClient.class);

        EchoGuard echoGuard = new EchoGuard(props.getProperty("tim.admin-identifier"),
                Boolean.parseBoolean(property(props, "bridge.callback.rest-api-is-bridge", "true")));
        CallbackParser parser = new CallbackParser(echoGuard,
                Integer.parseInt(property(props, "bridge.callback.max-body-bytes",
                        String.valueOf(CallbackParser.DEFAULT_MAX_BODY_BYTES))));
        CallbackAuth auth = new CallbackAuth(Long.parseLong(props.getProperty("tim.sdk-app-id", "").trim()),
                props.getProperty("tim.callback-token"), Clock.systemUTC());
        CallbackInbox inbox = new CallbackInbox(state);
        registry.bind("callbackInbox", inbox);
        InboxWriter writer = new InboxWriter(inbox,
                Integer.parseInt(property(props, "bridge.callback.inbox.max-batch", "200")));
        context.addService(BridgeConfiguration.closing(writer::close), true, true);
        registry.bind("callbackIntake", new CallbackIntake(auth, parser, writer));
        registry.bind("callbackDrain", new CallbackDrain(inbox, parser, new LegacyWrites(new MessageConverter()),
                deadLetters, idMap, Long.parseLong(property(props, "bridge.callback.drain.settle-ms", "300")),
                Clock.systemUTC()));
        registry.bind("callbackSweep", new CallbackSweep(tim, parser, inbox, idMap,
                Long.parseLong(property(props, "bridge.callback.sweep.lookback-seconds", "3600")), Clock.systemUTC()));

        // The HTTP server runs each request on a Vert.x worker, which waits there until its callback is committed:
        // the pool bounds how many callbacks one inbox commit can carry.
        registry.bind("callbackHttpWorkers", new VertxOptions().setWorkerPoolSize(
                Integer.parseInt(property(props, "bridge.callback.http-workers", "64"))));

        ExecutorService lanes = context.getExecutorServiceManager().newFixedThreadPool(this, "callbackLanes",
                Integer.parseInt(property(props, "bridge.callback.lanes", "8")));
        registry.bind("callbackLanes", lanes);
        registry.bind("legacyCircuitBreaker", CircuitBreaker.of("legacy-writes", CircuitBreakerConfig.custom()
                .failureRateThreshold(50)
                .minimumNumberOfCalls(Integer.parseInt(property(props, "bridge.callback.breaker.minimum-calls", "5")))
                .slidingWindowSize(Integer.parseInt(property(props, "bridge.callback.breaker.window", "20")))
                .slowCallDurationThreshold(Duration.ofMillis(
                        Long.parseLong(property(props, "bridge.callback.breaker.slow-call-ms", "2000"))))
                .waitDurationInOpenState(Duration.ofMillis(
                        Long.parseLong(property(props, "bridge.callback.breaker.open-ms", "5000"))))
                .permittedNumberOfCallsInHalfOpenState(1)
                .build()));
    }

    private static String property(Properties props, String key, String fallback) {
        String value = props.getProperty(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
