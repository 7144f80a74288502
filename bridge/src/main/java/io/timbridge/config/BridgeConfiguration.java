package io.timbridge.config;

import com.zaxxer.hikari.HikariDataSource;
import io.timbridge.legacy.DatabaseErrors;
import io.timbridge.sandbox.SandboxConfig;
import io.timbridge.sandbox.TimSandbox;
import io.timbridge.state.Checkpoints;
import io.timbridge.state.DeadLetters;
import io.timbridge.state.IdMap;
import io.timbridge.state.StateOwner;
import io.timbridge.state.StateSchema;
import io.timbridge.tim.TimClient;
import io.timbridge.tim.TimClientConfig;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;

import java.util.Properties;

/**
 * The bridge's shared wiring: the legacy and state databases, the TIM client (and, in the embedded demo,
 * the TIM sandbox it talks to), and the bridge state. The DataSources and their dependants are created
 * together here, not in YAML beans, because YAML beans are created before properties-defined ones.
 */
public class BridgeConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Properties props = Settings.resolved(context, "legacy.", "state.", "bridge.", "tim.", "sandbox.");
        Registry registry = context.getRegistry();

        HikariDataSource legacy = pool(props, "legacy", "the legacy database");
        HikariDataSource state = pool(props, "state", "the bridge's state database");
        StateSchema.migrate(state);
        // import --dry-run (which sets bridge.dry-run) reads legacy only and writes no state: it claims nothing.
        if (!Boolean.parseBoolean(props.getProperty("bridge.dry-run", "false"))) {
            try {
                new StateOwner(state).claim(props.getProperty("state.datasource.url"),
                        props.getProperty("legacy.datasource.url"), Long.parseLong(props.getProperty("tim.sdk-app-id").trim()));
            } catch (IllegalStateException e) {
                legacy.close();
                state.close();
                throw new StartRefused(e.getMessage(), e);
            }
        }
        registry.bind("legacyDataSource", legacy);
        registry.bind("stateDataSource", state);

        if (Boolean.parseBoolean(props.getProperty("bridge.embedded-sandbox", "false"))) {
            TimSandbox sandbox = SandboxConfiguration.start(new TimSandbox(SandboxConfig.from(props)));
            registry.bind("timSandbox", sandbox);
            // The client follows the port the sandbox actually bound (0 = any free port in tests).
            props.setProperty("tim.base-url", "http://127.0.0.1:" + sandbox.port());
            context.addService(closing(sandbox::stop), true, true);
        }
        registry.bind("timClient", new TimClient(TimClientConfig.from(props)));
        registry.bind("checkpoints", new Checkpoints(state));
        registry.bind("deadLetters", new DeadLetters(state));
        registry.bind("idMap", new IdMap(state));
        context.addService(closing(() -> {
            legacy.close();
            state.close();
        }), true, true);
    }

    /** The pool of {@code name}; one that cannot connect is refused naming the database, its URL and what to check. */
    private static HikariDataSource pool(Properties props, String prefix, String name) {
        try {
            return Database.pool(props, prefix + ".datasource");
        } catch (RuntimeException e) {
            String env = prefix.toUpperCase(java.util.Locale.ROOT) + "_DB_";
            throw new StartRefused(name + " cannot be reached at " + props.getProperty(prefix + ".datasource.url")
                    + ": " + DatabaseErrors.describe(e) + ". Check that it runs and that the host, port, database"
                    + " name and user (" + env + "URL, " + env + "USER, " + env + "PASSWORD) are right.", e);
        }
    }

    /** A service whose only job is to release {@code resource} when the application stops. */
    static ServiceSupport closing(Runnable resource) {
        return new ServiceSupport() {
            @Override
            protected void doStop() {
                resource.run();
            }
        };
    }
}
