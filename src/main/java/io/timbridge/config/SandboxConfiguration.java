package io.timbridge.config;

import io.timbridge.sandbox.SandboxConfig;
import io.timbridge.sandbox.TimSandbox;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Runs the TIM sandbox inside the Camel application, so it shares the configuration sources,
 * the command line overrides and the lifecycle (started and stopped with the context).
 */
public class SandboxConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        TimSandbox sandbox = new TimSandbox(SandboxConfig.from(Settings.resolved(context, "sandbox.", "tim.")));
        context.getRegistry().bind("timSandbox", sandbox);
        // Started at once (forceStart): callers may use it as soon as the application is up.
        context.addService(new ServiceSupport() {
            @Override
            protected void doStart() throws Exception {
                sandbox.start();
            }

            @Override
            protected void doStop() throws Exception {
                sandbox.stop();
            }
        }, true, true);
    }
}
