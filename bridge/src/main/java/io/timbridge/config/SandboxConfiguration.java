package io.timbridge.config;

import io.timbridge.sandbox.SandboxConfig;
import io.timbridge.sandbox.TimSandbox;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * Runs the TIM sandbox inside the Camel application, so it shares the configuration sources,
 * the command line overrides and the lifecycle (stopped with the context).
 */
public class SandboxConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        TimSandbox sandbox = start(new TimSandbox(SandboxConfig.from(Settings.resolved(context, "sandbox.", "tim."))));
        context.getRegistry().bind("timSandbox", sandbox);
        context.addService(BridgeConfiguration.closing(sandbox::stop), true, true);
    }

    /** Starts {@code sandbox}; a port in use is refused with the way out instead of a stack trace. */
    static TimSandbox start(TimSandbox sandbox) {
        try {
            return sandbox.start();
        } catch (IllegalStateException e) {
            throw new StartRefused(e.getMessage() + ": the port is in use, most likely by another sandbox or demo."
                    + " Stop that one, or choose another port with sandbox.port (SANDBOX_PORT).", e);
        }
    }
}
