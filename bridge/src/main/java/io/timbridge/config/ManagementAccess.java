package io.timbridge.config;

import io.timbridge.ops.HttpServers;
import io.timbridge.ops.JolokiaAgent;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Who can reach the management port (health, metrics, Jolokia): checked with the other settings before anything
 * starts. Bound to this machine only (loopback) it needs no password; bound anywhere else it must ask for one,
 * and Jolokia's access policy must be readable.
 */
final class ManagementAccess {
    static final String ENABLED = "camel.management.enabled";
    static final String HOST = "camel.management.host";
    static final String JOLOKIA = "camel.management.jolokia-enabled";
    /** Camel's own authentication (a users file or JWT), which counts as well. */
    static final String CAMEL_AUTHENTICATION = "camel.management.authentication-enabled";

    private ManagementAccess() {
    }

    static List<RequiredSettings.Problem> problems(Command command, Function<String, Optional<String>> resolved,
                                                   Properties raw) {
        List<RequiredSettings.Problem> problems = new ArrayList<>();
        String enabled = command.defaults().getOrDefault(ENABLED, value(resolved, ENABLED, "false"));
        if (!Boolean.parseBoolean(enabled)) {
            return problems;
        }
        // Camel binds every interface when the host is not set.
        String host = value(resolved, HOST, "0.0.0.0");
        boolean authenticated = !value(resolved, HttpServers.PASSWORD, "").isEmpty()
                || Boolean.parseBoolean(value(resolved, CAMEL_AUTHENTICATION, "false"));
        if (!loopback(host) && !authenticated) {
            String passwordEnv = RequiredSettings.envOf(raw.getProperty(HttpServers.PASSWORD));
            problems.add(new RequiredSettings.Problem(HOST, RequiredSettings.envOf(raw.getProperty(HOST)),
                    "is '" + host + "', which other machines can reach, and the management port asks for no password:"
                            + " set " + HttpServers.PASSWORD + (passwordEnv == null ? "" : " (environment variable "
                            + passwordEnv + ")") + " to require basic authentication as " + HttpServers.USER
                            + ", or bind it to 127.0.0.1 and reach it through an SSH tunnel"));
        }
        if (Boolean.parseBoolean(value(resolved, JOLOKIA, "false"))) {
            String policy = value(resolved, JolokiaAgent.POLICY, "");
            try {
                JolokiaAgent.policy(policy);
            } catch (IllegalArgumentException e) {
                problems.add(new RequiredSettings.Problem(JolokiaAgent.POLICY,
                        RequiredSettings.envOf(raw.getProperty(JolokiaAgent.POLICY)), e.getMessage()
                        + ": " + JolokiaAgent.POLICY_FIX));
            }
        }
        return problems;
    }

    /** Only this machine can connect: 127.0.0.0/8, ::1, or a name that resolves to them. */
    static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String value(Function<String, Optional<String>> resolved, String key, String fallback) {
        return resolved.apply(key).map(String::trim).orElse(fallback);
    }
}
