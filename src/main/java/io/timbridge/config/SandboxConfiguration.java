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
        TimSandbox sandbox = new TimSandbox(SandboxConfig.from(Settings.resolved(context, "sandbox.", "tim."))).start();
        context.getRegistry().bind("timSandbox", sandbox);
        context.addService(BridgeConfiguration.closing(sandbox::stop), true, true);
    }
}
