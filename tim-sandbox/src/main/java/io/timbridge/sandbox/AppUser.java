package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbridge.tim.TimApi;

import java.util.Random;
import java.util.function.Supplier;

/**
 * An app 2.0 user acting through the client SDK: the same state changes and callbacks as TIM, with this user
 * as {@code Operator_Account} and a client {@code OptPlatform}. Every method answers with TIM's envelope
 * ({@code ActionStatus}, {@code ErrorCode}, …) so refusals are visible, never thrown.
 */
public final class AppUser {
    private static final Random RANDOM = new Random();

    private final TimSandbox sandbox;
    private final String userId;
    private final Caller caller;

    AppUser(TimSandbox sandbox, String userId, String optPlatform) {
        this(sandbox, userId, optPlatform, "127.0.0.1");
    }

    AppUser(TimSandbox sandbox, String userId, String optPlatform, String clientIp) {
        this.sandbox = sandbox;
        this.userId = userId;
        this.caller = new Caller(userId, optPlatform, clientIp, false);
    }

    public String userId() {
        return userId;
    }

    /** Sends {@code msgBody} (a MsgBody array) to {@code to}; answers MsgSeq, MsgRandom, MsgTime, MsgKey, MsgId. */
    public ObjectNode sendC2c(String to, JsonNode msgBody) {
        ObjectNode body = MessageBodies.JSON.createObjectNode().put("To_Account", to);
        body.set("MsgBody", msgBody);
        return sendC2c(body);
    }

    /** As {@link #sendC2c(String, JsonNode)} with a request of {@code To_Account, MsgBody, CloudCustomData}. */
    public ObjectNode sendC2c(JsonNode request) {
        return run(Service.OPENIM, () -> sandbox.c2c().clientSend(userId,
                Fields.text(request, "To_Account", 90003), request, caller));
    }

    /** Sends to a group this user belongs to; answers MsgSeq, MsgTime. */
    public ObjectNode sendGroupMsg(String groupId, JsonNode msgBody) {
        ObjectNode body = MessageBodies.JSON.createObjectNode().put("GroupId", groupId);
        body.set("MsgBody", msgBody);
        return sendGroupMsg(body);
    }

    /** As {@link #sendGroupMsg(String, JsonNode)} with a send_group_msg-shaped request; the SDK picks Random. */
    public ObjectNode sendGroupMsg(JsonNode request) {
        ObjectNode body = request.deepCopy();
        body.remove("From_Account");
        synchronized (RANDOM) {
            body.put("Random", Integer.toUnsignedLong(RANDOM.nextInt()));
        }
        return run(Service.GROUP, () -> sandbox.groups().sendGroupMsg(body, caller));
    }

    /** Creates a group owned by this user; {@code request} as create_group (Type, Name, GroupId?, MemberList?, …). */
    public ObjectNode createGroup(JsonNode request) {
        return run(Service.GROUP, () -> sandbox.groups().createGroup(request, caller,
                sandbox.config().limits.batchSize(TimApi.CREATE_GROUP)));
    }

    /** Destroys a group this user owns. */
    public ObjectNode destroyGroup(String groupId) {
        return run(Service.GROUP, () -> sandbox.groups().destroyGroup(
                MessageBodies.JSON.createObjectNode().put("GroupId", groupId), caller));
    }

    /** Changes a group this user owns or administers; {@code request} as modify_group_base_info. */
    public ObjectNode modifyGroup(JsonNode request) {
        return run(Service.GROUP, () -> sandbox.groups().modifyGroupBaseInfo(request, caller));
    }

    public ObjectNode joinGroup(String groupId) {
        return run(Service.GROUP, () -> sandbox.groups().clientJoin(groupId, caller));
    }

    public ObjectNode leaveGroup(String groupId) {
        return run(Service.GROUP, () -> sandbox.groups().clientLeave(groupId, caller));
    }

    private ObjectNode run(Service service, Supplier<ObjectNode> action) {
        try {
            if (sandbox.accounts().get(userId) == null) {
                throw new TimException(70107, "account " + userId + " is not imported and cannot log in");
            }
            return Envelope.ok(service, action.get());
        } catch (TimException e) {
            return Envelope.fail(service, e.code(), e.getMessage());
        }
    }
}
