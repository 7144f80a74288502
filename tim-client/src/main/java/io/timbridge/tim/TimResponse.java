package io.timbridge.tim;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Map;

/**
 * A successful TIM answer ({@code ActionStatus: OK}, {@code ErrorCode: 0}): the whole JSON body and
 * the batch items TIM did not apply. A non-empty {@link #failedItems()} means those items failed,
 * whatever the envelope says.
 */
public record TimResponse(TimApi api, JsonNode body, List<TimItemFailure> failedItems) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    public TimResponse {
        failedItems = List.copyOf(failedItems);
    }

    public String actionStatus() {
        return body.path("ActionStatus").asText("");
    }

    public int errorCode() {
        return body.path("ErrorCode").asInt(0);
    }

    public String errorInfo() {
        return body.path("ErrorInfo").asText("");
    }

    public boolean hasFailedItems() {
        return !failedItems.isEmpty();
    }

    /** The body as plain maps and lists, for Simple expressions in YAML routes. */
    public Map<String, Object> asMap() {
        return JSON.convertValue(body, MAP);
    }
}
