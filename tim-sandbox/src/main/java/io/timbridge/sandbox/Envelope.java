package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** TIM's response envelope (README §2): ActionStatus, ErrorCode, ErrorInfo (+ ErrorDisplay for profile and sns). */
final class Envelope {
    private Envelope() {
    }

    static ObjectNode ok(Service service, ObjectNode fields) {
        ObjectNode o = MessageBodies.JSON.createObjectNode().put("ActionStatus", "OK").put("ErrorCode", 0).put("ErrorInfo", "");
        if (service != null && service.errorDisplay) {
            o.put("ErrorDisplay", "");
        }
        o.setAll(fields);
        return o;
    }

    static ObjectNode fail(Service service, int code, String info) {
        ObjectNode o = MessageBodies.JSON.createObjectNode().put("ActionStatus", "FAIL").put("ErrorCode", code)
                .put("ErrorInfo", info == null ? "" : info);
        if (service != null && service.errorDisplay) {
            o.put("ErrorDisplay", "");
        }
        return o;
    }
}
