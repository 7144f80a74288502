package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The sandbox's own HTTP API beside TIM's, on the same port, without UserSig (it is a local rehearsal tool;
 * bind {@code sandbox.host} to loopback to keep it private). JSON in and out.
 *
 * <table>
 * <caption>Paths</caption>
 * <tr><th>method and path</th><th>body / query</th><th>answer</th></tr>
 * <tr><td>GET /sandbox/counts</td><td></td><td>{@link Inspection#counts()}</td></tr>
 * <tr><td>GET /sandbox/accounts</td><td>?offset=0&amp;limit=1000</td><td>{@code {total, UserIDs[]}}</td></tr>
 * <tr><td>GET /sandbox/account</td><td>?UserID=</td><td>{@link Inspection#account(String)}</td></tr>
 * <tr><td>GET /sandbox/c2c</td><td>?A=&amp;B=</td><td>{@link Inspection#c2c(String, String)}</td></tr>
 * <tr><td>GET /sandbox/groups</td><td></td><td>{@code {GroupIdList[]}}</td></tr>
 * <tr><td>GET /sandbox/group</td><td>?GroupId=</td><td>{@link Inspection#group(String)}</td></tr>
 * <tr><td>GET /sandbox/group-messages</td><td>?GroupId=&amp;offset=0&amp;limit=1000</td><td>{@link Inspection#groupMessages}</td></tr>
 * <tr><td>GET /sandbox/callbacks</td><td></td><td>{@code {Callbacks[]}}</td></tr>
 * <tr><td>POST /sandbox/reset</td><td>{}</td><td>{@code {}}; see {@link TimSandbox#reset()}</td></tr>
 * <tr><td>GET /sandbox/faults</td><td></td><td>{@code {command: FaultSpec}}</td></tr>
 * <tr><td>PUT /sandbox/faults/&lt;command|*&gt;</td><td>{@code {errorCode, errorProbability, http5xxProbability, httpStatus,
 *   slowProbability, slowMillis, dropProbability, afterProcessing}}</td><td>all faults</td></tr>
 * <tr><td>DELETE /sandbox/faults[/&lt;command|*&gt;]</td><td></td><td>all faults left</td></tr>
 * <tr><td>POST /sandbox/rate-limits</td><td>{@code {"enabled": false, "qps": {"importmsg": 50}}}, both optional</td><td>{@code {enabled}}</td></tr>
 * <tr><td>POST /sandbox/client/c2c/send</td><td>{@code {UserID, OptPlatform?, To_Account, MsgBody, CloudCustomData?}}</td><td>TIM envelope + MsgSeq, MsgRandom, MsgTime, MsgKey, MsgId</td></tr>
 * <tr><td>POST /sandbox/client/group/send</td><td>{@code {UserID, OptPlatform?, GroupId, MsgBody, …send_group_msg fields}}</td><td>envelope + MsgSeq, MsgTime</td></tr>
 * <tr><td>POST /sandbox/client/group/create</td><td>{@code {UserID, OptPlatform?, …create_group fields}}</td><td>envelope + GroupId</td></tr>
 * <tr><td>POST /sandbox/client/group/modify</td><td>{@code {UserID, OptPlatform?, …modify_group_base_info fields}}</td><td>envelope</td></tr>
 * <tr><td>POST /sandbox/client/group/destroy, /join, /leave</td><td>{@code {UserID, OptPlatform?, GroupId}}</td><td>envelope</td></tr>
 * </table>
 * Unknown paths answer 404, malformed bodies 400, both with {@code {"error": "..."}}.
 */
final class ControlApi {
    private final TimSandbox sandbox;

    ControlApi(TimSandbox sandbox) {
        this.sandbox = sandbox;
    }

    void handle(HttpServerRequest req, Buffer buf) {
        String path = req.path().substring("/sandbox/".length());
        HttpMethod method = req.method();
        JsonNode body;
        try {
            body = buf.length() == 0 ? MessageBodies.JSON.createObjectNode() : MessageBodies.JSON.readTree(buf.getBytes());
        } catch (IOException e) {
            error(req, 400, "body is not JSON");
            return;
        }
        if (body == null || !body.isObject()) {
            error(req, 400, "body must be a JSON object");
            return;
        }
        try {
            if (method == HttpMethod.GET) {
                get(req, path);
            } else if (path.startsWith("client/") && method == HttpMethod.POST) {
                client(req, path.substring("client/".length()), body);
            } else if (path.equals("reset") && method == HttpMethod.POST) {
                sandbox.reset();
                TimSandbox.reply(req, 200, MessageBodies.JSON.createObjectNode());
            } else if (path.startsWith("faults")) {
                faults(req, method, path, body);
            } else if (path.equals("rate-limits") && method == HttpMethod.POST) {
                rateLimits(req, body);
            } else {
                error(req, 404, "no such sandbox path: " + method + " /sandbox/" + path);
            }
        } catch (IllegalArgumentException e) {
            error(req, 400, e.getMessage());
        }
    }

    private void get(HttpServerRequest req, String path) {
        Inspection in = sandbox.inspect();
        JsonNode out = switch (path) {
            case "counts" -> in.counts();
            case "accounts" -> in.accounts(intParam(req, "offset", 0), intParam(req, "limit", 1000));
            case "account" -> in.account(req.getParam("UserID"));
            case "c2c" -> in.c2c(nonNull(req.getParam("A")), nonNull(req.getParam("B")));
            case "groups" -> {
                ObjectNode o = MessageBodies.JSON.createObjectNode();
                in.groupIds().forEach(o.putArray("GroupIdList")::add);
                yield o;
            }
            case "group" -> in.group(req.getParam("GroupId"));
            case "group-messages" -> in.groupMessages(nonNull(req.getParam("GroupId")),
                    intParam(req, "offset", 0), intParam(req, "limit", 1000));
            case "callbacks" -> {
                ObjectNode o = MessageBodies.JSON.createObjectNode();
                o.set("Callbacks", in.callbacks());
                yield o;
            }
            case "faults" -> sandbox.faults().toJson();
            default -> {
                error(req, 404, "no such sandbox path: GET /sandbox/" + path);
                yield null;
            }
        };
        if (out == null && !req.response().ended()) {
            error(req, 404, "not found");
        } else if (out != null) {
            TimSandbox.reply(req, 200, out);
        }
    }

    private void client(HttpServerRequest req, String action, JsonNode body) {
        String userId = body.path("UserID").asText("");
        String platform = body.path("OptPlatform").asText(sandbox.config().clientPlatform);
        if (userId.isEmpty()) {
            throw new IllegalArgumentException("UserID is required");
        }
        AppUser user = new AppUser(sandbox, userId, platform, TimSandbox.remoteIp(req));
        ObjectNode request = ((ObjectNode) body).deepCopy();
        request.remove("UserID");
        request.remove("OptPlatform");
        String groupId = body.path("GroupId").asText(null);
        ObjectNode out = switch (action) {
            case "c2c/send" -> user.sendC2c(request);
            case "group/send" -> user.sendGroupMsg(request);
            case "group/create" -> user.createGroup(request);
            case "group/modify" -> user.modifyGroup(request);
            case "group/destroy" -> user.destroyGroup(groupId);
            case "group/join" -> user.joinGroup(groupId);
            case "group/leave" -> user.leaveGroup(groupId);
            default -> null;
        };
        if (out == null) {
            error(req, 404, "no such client action: " + action);
        } else {
            TimSandbox.reply(req, 200, out);
        }
    }

    private void faults(HttpServerRequest req, HttpMethod method, String path, JsonNode body) {
        String command = path.startsWith("faults/") ? path.substring("faults/".length()) : null;
        if (method == HttpMethod.PUT && command != null) {
            sandbox.faults().set(command, FaultSpec.fromJson(body));
        } else if (method == HttpMethod.DELETE) {
            if (command == null) {
                sandbox.faults().clearAll();
            } else {
                sandbox.faults().clear(command);
            }
        } else {
            error(req, 404, "use PUT /sandbox/faults/<command> or DELETE /sandbox/faults[/<command>]");
            return;
        }
        TimSandbox.reply(req, 200, sandbox.faults().toJson());
    }

    private void rateLimits(HttpServerRequest req, JsonNode body) {
        if (body.has("enabled")) {
            sandbox.setRateLimitsEnabled(body.get("enabled").asBoolean());
        }
        JsonNode qps = body.path("qps");
        for (Iterator<Map.Entry<String, JsonNode>> it = qps.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            sandbox.setQps(e.getKey(), e.getValue().asInt());
        }
        TimSandbox.reply(req, 200, MessageBodies.JSON.createObjectNode().put("enabled", sandbox.rateLimiter().enabled()));
    }

    private static int intParam(HttpServerRequest req, String name, int def) {
        String v = req.getParam(name);
        try {
            return v == null ? def : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer");
        }
    }

    private static String nonNull(String s) {
        if (s == null) {
            throw new IllegalArgumentException("missing query parameter");
        }
        return s;
    }

    private static void error(HttpServerRequest req, int status, String message) {
        TimSandbox.reply(req, status, MessageBodies.JSON.createObjectNode().put("error", message));
    }
}
