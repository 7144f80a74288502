package io.timbridge.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Recognises TIM callbacks that the bridge caused itself, so that what the bridge wrote into TIM
 * never comes back into the legacy database (design.md, "No echo"). A callback is the bridge's when
 * any of these holds:
 * <ol>
 * <li>its {@code CloudCustomData} is a JSON object whose {@code "timbridge"} member is the string
 * {@code "legacy"} — the marker the import and the live sync put on every message they send;</li>
 * <li>its {@code Operator_Account} is the bridge's admin identifier ({@code tim.admin-identifier}),
 * compared exactly, as TIM UserIDs are case-sensitive;</li>
 * <li>its {@code OptPlatform} query parameter is {@code RESTAPI}, unless the guard was built to
 * trust REST calls as the app's own. REST creations, changes and membership calls fire
 * after-callbacks that cannot be suppressed, and a REST call made for another operator (e.g.
 * modify_group_base_info with {@code From_Account}) reports that user as the operator, so the
 * platform is the only sign left. An app whose own backend also calls TIM's REST API must turn
 * this off, and the bridge must then never name another operator in its REST calls.</li>
 * </ol>
 * Thread-safe.
 */
public final class EchoGuard {

    /** The member of {@code CloudCustomData} that marks a message the bridge sent. */
    public static final String MARKER_FIELD = "timbridge";
    /** Its value: the message came from the legacy side. */
    public static final String MARKER_VALUE = "legacy";
    public static final String REST_API_PLATFORM = "RESTAPI";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String adminIdentifier;
    private final boolean restApiIsBridge;

    /**
     * @param adminIdentifier the admin UserID the bridge signs its REST calls for
     * @param restApiIsBridge whether every {@code OptPlatform=RESTAPI} callback is the bridge's (true
     *                        unless the app's own backend calls TIM's REST API too)
     */
    public EchoGuard(String adminIdentifier, boolean restApiIsBridge) {
        if (adminIdentifier == null || adminIdentifier.isBlank()) {
            throw new IllegalArgumentException("the echo guard needs the bridge's admin identifier");
        }
        this.adminIdentifier = adminIdentifier;
        this.restApiIsBridge = restApiIsBridge;
    }

    /**
     * @param optPlatform     the request's {@code OptPlatform} query parameter, or null
     * @param operatorAccount the body's {@code Operator_Account}, or null when the callback has none
     * @param cloudCustomData the body's {@code CloudCustomData}, or null
     */
    public boolean causedByBridge(String optPlatform, String operatorAccount, String cloudCustomData) {
        return isMarked(cloudCustomData)
                || adminIdentifier.equals(operatorAccount)
                || restApiIsBridge && REST_API_PLATFORM.equals(optPlatform);
    }

    /** Whether {@code CloudCustomData} carries the bridge's marker; text that is not JSON never does. */
    public static boolean isMarked(String cloudCustomData) {
        if (cloudCustomData == null || cloudCustomData.indexOf('{') < 0) {
            return false;
        }
        try {
            JsonNode node = JSON.readTree(cloudCustomData);
            return node != null && node.isObject() && MARKER_VALUE.equals(node.path(MARKER_FIELD).textValue());
        } catch (JsonProcessingException notJson) {
            return false;
        }
    }
}
