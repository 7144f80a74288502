package io.timbridge.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.timbridge.importing.ImportProgress;
import io.timbridge.ops.BridgeMetrics;
import io.timbridge.ops.RouteMonitors;
import org.apache.camel.support.service.ServiceSupport;
import io.timbridge.ops.DatabaseHealthCheck;
import io.timbridge.ops.DatabaseProbe;
import io.timbridge.ops.PollerHealthCheck;
import io.timbridge.ops.TimErrorRate;
import io.timbridge.ops.TimErrorRateHealthCheck;
import io.timbridge.ops.TimSignatureHealthCheck;
import io.timbridge.synctotim.SyncPoller;
import io.timbridge.tim.TimClient;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.health.RouteControllerHealthCheck;
import org.apache.camel.spi.Registry;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The operator surface of every bridge command: timbridge's meters in the Micrometer registry that the
 * management server's {@code /observe/metrics} serves, and health checks that {@code /observe/health} runs.
 * Added after the command's other configurations, whose beans it binds to (what a command lacks, e.g. the
 * pollers in an import, it skips).
 */
public class OpsConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Properties props = Settings.resolved(context, "bridge.");
        Registry registry = context.getRegistry();
        TimClient tim = registry.lookupByNameAndType("timClient", TimClient.class);
        DataSource legacy = registry.lookupByNameAndType("legacyDataSource", DataSource.class);
        DataSource state = registry.lookupByNameAndType("stateDataSource", DataSource.class);

        BridgeMetrics metrics = new BridgeMetrics(meterRegistry(registry), System::currentTimeMillis);
        registry.bind("bridgeMetrics", metrics);
        metrics.bindTim(tim);
        ImportProgress progress = registry.lookupByNameAndType("importProgress", ImportProgress.class);
        if (progress != null) {
            metrics.bindImport(progress, tim);
        }
        Set<SyncPoller> pollers = registry.findByType(SyncPoller.class);
        if (!pollers.isEmpty()) {
            metrics.bindPollers(pollers);
        }
        metrics.bindDeadLetters();
        RouteMonitors monitors = new RouteMonitors(context.getName(), metrics, System::currentTimeMillis);
        if (progress != null) {
            monitors.bindImport(progress, tim);
        }
        monitors.bindPollers(pollers);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                monitors.unregister();
            }
        });
        if (registry.lookupByName("callbackInbox") != null) {
            metrics.bindCallbacks();
        }
        int queryTimeout = (int) Math.max(1, Long.parseLong(get(props, "bridge.health.database-timeout-ms", "2000")) / 1000);
        ScheduledExecutorService refresher = context.getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "stateMetrics");
        refresher.scheduleWithFixedDelay(() -> metrics.refreshState(state, queryTimeout), 0,
                Long.parseLong(get(props, "bridge.metrics.state-refresh-ms", "5000")), TimeUnit.MILLISECONDS);

        Duration timeout = Duration.ofMillis(Long.parseLong(get(props, "bridge.health.database-timeout-ms", "2000")));
        ExecutorService probes = context.getExecutorServiceManager().newCachedThreadPool(this, "healthProbes");
        // camel-main does not register Camel's route-controller check: without it health is UP between the context's
        // start and the supervised routes' start, while the callback endpoint still refuses every callback.
        bindCheck(registry, new RouteControllerHealthCheck());
        bindCheck(registry, new TimSignatureHealthCheck(tim.stats()));
        TimErrorRateHealthCheck timErrors = new TimErrorRateHealthCheck(tim.stats(), new TimErrorRate(
                Long.parseLong(get(props, "bridge.health.tim-error-window-ms", "60000")),
                Double.parseDouble(get(props, "bridge.health.tim-error-ratio", "0.5")),
                Long.parseLong(get(props, "bridge.health.tim-error-min-calls", "10"))), System::currentTimeMillis);
        refresher.scheduleWithFixedDelay(timErrors::sample, 0, 1, TimeUnit.SECONDS);
        bindCheck(registry, timErrors);
        bindCheck(registry, new DatabaseHealthCheck("legacy-database", new DatabaseProbe(legacy, timeout, probes),
                "Import and legacy -> TIM reads stop; TIM callbacks wait in the inbox."));
        bindCheck(registry, new DatabaseHealthCheck("state-database", new DatabaseProbe(state, timeout, probes),
                "No progress can be saved: import and sync stop, and TIM callbacks are refused."));
        long interval = Long.parseLong(get(props, "bridge.sync.poll-interval-ms", "200"));
        int missed = Integer.parseInt(get(props, "bridge.health.poller-missed-polls", "750"));
        for (SyncPoller poller : pollers) {
            bindCheck(registry, new PollerHealthCheck(poller, interval, missed, System::currentTimeMillis));
        }
    }

    /**
     * The registry camel-micrometer-prometheus serves: it takes the one bound as {@code metricsRegistry} or
     * binds a new one there, whichever of us comes first.
     */
    private static MeterRegistry meterRegistry(Registry registry) {
        MeterRegistry found = MicrometerUtils.getMeterRegistryFromCamelRegistry(registry,
                MicrometerConstants.METRICS_REGISTRY_NAME);
        if (found != null) {
            return found;
        }
        PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, created);
        return created;
    }

    /** Health checks bound in the Camel registry are picked up by its health-check registry. */
    private static void bindCheck(Registry registry, HealthCheck check) {
        registry.bind("healthCheck-" + check.getId(), check);
    }

    private static String get(Properties props, String key, String fallback) {
        String value = props.getProperty(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
