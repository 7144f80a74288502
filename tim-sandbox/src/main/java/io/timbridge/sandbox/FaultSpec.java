package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Properties;

/**
 * Faults injected into one API: each probability is checked per request, in the order
 * dropped connection, HTTP 5xx, TIM error code; a slow answer may come on top of any of them.
 * With {@code afterProcessing} a dropped connection or 5xx happens after the request took effect,
 * which is how a client learns to retry without doubling.
 */
public record FaultSpec(int errorCode, double errorProbability, double http5xxProbability, int httpStatus,
                        double slowProbability, long slowMillis, double dropProbability, boolean afterProcessing) {

    public FaultSpec {
        check("errorProbability", errorProbability);
        check("http5xxProbability", http5xxProbability);
        check("slowProbability", slowProbability);
        check("dropProbability", dropProbability);
        if (errorProbability > 0 && errorCode == 0) {
            throw new IllegalArgumentException("errorProbability needs a non-zero errorCode");
        }
        if (httpStatus < 500 || httpStatus > 599) {
            throw new IllegalArgumentException("httpStatus must be 5xx, was " + httpStatus);
        }
        if (slowMillis < 0) {
            throw new IllegalArgumentException("slowMillis must not be negative");
        }
    }

    private static void check(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be within 0..1, was " + p);
        }
    }

    /** Always answer with {@code code}. */
    public static FaultSpec error(int code, double probability) {
        return new FaultSpec(code, probability, 0, 502, 0, 0, 0, false);
    }

    public static FaultSpec http5xx(int status, double probability, boolean afterProcessing) {
        return new FaultSpec(0, 0, probability, status, 0, 0, 0, afterProcessing);
    }

    public static FaultSpec slow(long millis, double probability) {
        return new FaultSpec(0, 0, 0, 502, probability, millis, 0, false);
    }

    public static FaultSpec drop(double probability, boolean afterProcessing) {
        return new FaultSpec(0, 0, 0, 502, 0, 0, probability, afterProcessing);
    }

    static FaultSpec fromProperties(Properties p, String base) {
        return new FaultSpec(
                Integer.parseInt(p.getProperty(base + "error-code", "0").trim()),
                Double.parseDouble(p.getProperty(base + "error-probability", "0").trim()),
                Double.parseDouble(p.getProperty(base + "http-5xx-probability", "0").trim()),
                Integer.parseInt(p.getProperty(base + "http-status", "502").trim()),
                Double.parseDouble(p.getProperty(base + "slow-probability", "0").trim()),
                Long.parseLong(p.getProperty(base + "slow-ms", "0").trim()),
                Double.parseDouble(p.getProperty(base + "drop-probability", "0").trim()),
                Boolean.parseBoolean(p.getProperty(base + "after-processing", "false").trim()));
    }

    static FaultSpec fromJson(JsonNode j) {
        return new FaultSpec(j.path("errorCode").asInt(0), j.path("errorProbability").asDouble(0),
                j.path("http5xxProbability").asDouble(0), j.path("httpStatus").asInt(502),
                j.path("slowProbability").asDouble(0), j.path("slowMillis").asLong(0),
                j.path("dropProbability").asDouble(0), j.path("afterProcessing").asBoolean(false));
    }

    ObjectNode toJson() {
        ObjectNode o = MessageBodies.JSON.createObjectNode();
        o.put("errorCode", errorCode).put("errorProbability", errorProbability)
                .put("http5xxProbability", http5xxProbability).put("httpStatus", httpStatus)
                .put("slowProbability", slowProbability).put("slowMillis", slowMillis)
                .put("dropProbability", dropProbability).put("afterProcessing", afterProcessing);
        return o;
    }
}
