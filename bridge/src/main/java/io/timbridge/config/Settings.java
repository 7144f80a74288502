package io.timbridge.config;

import org.apache.camel.CamelContext;

import java.util.Properties;

/**
 * Hands plain classes (TIM client, sandbox, generator) their settings as {@link Properties},
 * taken from Camel's property sources with every placeholder ({@code {{env:...}}}) resolved,
 * so those classes stay free of Camel.
 */
public final class Settings {

    private Settings() {
    }

    /** Every property whose key starts with one of {@code prefixes}, placeholders resolved. */
    public static Properties resolved(CamelContext context, String... prefixes) {
        Properties raw = context.getPropertiesComponent().loadProperties(key -> {
            for (String prefix : prefixes) {
                if (key.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        });
        Properties resolved = new Properties();
        for (String key : raw.stringPropertyNames()) {
            resolved.setProperty(key, context.resolvePropertyPlaceholders("{{" + key + "}}"));
        }
        return resolved;
    }
}
