package io.timbridge.tim;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.DefaultComponent;

import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The {@code tim:} component: {@code tim:<service>/<command>} calls that TIM REST API, so a YAML route
 * reads like the API it calls ({@code to: tim:openim/importmsg}). Only the APIs in {@link TimApi} are
 * accepted, and an unknown path fails when the route is built.
 * <p>
 * All endpoints share one {@link TimClient}, and with it one rate limiter per API: the one set here, else
 * the single {@code TimClient} in the registry, else one built from the {@code tim.*} properties
 * ({@link TimClientConfig}).
 */
public class TimComponent extends DefaultComponent {
    private TimClient client;

    public TimClient getClient() {
        return client;
    }

    public void setClient(TimClient client) {
        this.client = client;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        TimApi api = TimApi.byPath(remaining).orElseThrow(() -> new IllegalArgumentException(
                "Unknown TIM API '" + remaining + "' in " + uri + ": use tim:<service>/<command>, one of "
                        + Arrays.stream(TimApi.values()).map(TimApi::path).collect(Collectors.joining(", "))));
        TimEndpoint endpoint = new TimEndpoint(uri, this, api);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    synchronized TimClient resolveClient() {
        if (client == null) {
            client = getCamelContext().getRegistry().findSingleByType(TimClient.class);
        }
        if (client == null) {
            try {
                client = new TimClient(TimClientConfig.from(timProperties()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("tim: needs a TimClient: bind one in the registry, set it on the"
                        + " component, or configure the tim.* properties (" + e.getMessage() + ")", e);
            }
        }
        return client;
    }

    /** The {@code tim.*} properties with placeholders such as {@code {{env:TIM_SECRET_KEY}}} resolved. */
    private Properties timProperties() {
        PropertiesComponent pc = getCamelContext().getPropertiesComponent();
        Properties resolved = new Properties();
        for (String key : pc.loadProperties(k -> k.startsWith("tim.")).stringPropertyNames()) {
            pc.resolveProperty(key).ifPresent(value -> resolved.setProperty(key, value));
        }
        return resolved;
    }
}
