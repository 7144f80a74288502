package io.timbridge.tim;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** {@code tim:<service>/<command>}: sends the message body to that TIM API. Producer only. */
public class TimEndpoint extends DefaultEndpoint {
    private final TimApi api;

    public TimEndpoint(String uri, TimComponent component, TimApi api) {
        super(uri, component);
        this.api = api;
    }

    public TimApi getApi() {
        return api;
    }

    @Override
    public TimComponent getComponent() {
        return (TimComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new TimProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(
                "tim: endpoints only send; TIM's callbacks arrive over HTTP at the bridge's callback route");
    }
}
