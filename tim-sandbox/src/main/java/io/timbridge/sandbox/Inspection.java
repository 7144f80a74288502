package io.timbridge.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbridge.tim.TimApi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the sandbox holds, for tests and migration verification. Views are JSON in TIM's field names;
 * a missing account, conversation or group gives null. Message views always carry {@code BodyChecksum}
 * (hex of the first 8 bytes of SHA-256 over the key-sorted MsgBody JSON) so they compare in either store mode.
 */
public final class Inspection {
    private final TimSandbox sandbox;

    Inspection(TimSandbox sandbox) {
        this.sandbox = sandbox;
    }

    /**
     * {@code accounts, friendships, c2cConversations, c2cMessages, groups, groupMembers, groupMessages,
     * callbacksFired, callbacksDelivered, callbacksFailed, rateLimited, requests{command: n}, failures{command: n}}.
     */
    public ObjectNode counts() {
        ObjectNode o = MessageBodies.JSON.createObjectNode()
                .put("accounts", sandbox.accounts().count())
                .put("friendships", sandbox.accounts().friendships())
                .put("c2cConversations", sandbox.c2c().conversationCount())
                .put("c2cMessages", sandbox.c2c().messageCount())
                .put("groups", sandbox.groups().groupCount())
                .put("groupMembers", sandbox.groups().memberCount())
                .put("groupMessages", sandbox.groups().messageCount())
                .put("callbacksFired", sandbox.callbacks().fired())
                .put("callbacksDelivered", sandbox.callbacks().delivered())
                .put("callbacksFailed", sandbox.callbacks().failed())
                .put("rateLimited", sandbox.rateLimited());
        ObjectNode requests = o.putObject("requests");
        ObjectNode failures = o.putObject("failures");
        for (TimApi api : TimSandbox.SERVED) {
            requests.put(api.command(), sandbox.requests().get(api).sum());
            failures.put(api.command(), sandbox.failures().get(api).sum());
        }
        return o;
    }

    /** Sorted UserIDs, a page of them: {@code {total, UserIDs[]}}. */
    public ObjectNode accounts(int offset, int limit) {
        List<String> ids = new ArrayList<>(sandbox.accounts().ids());
        Collections.sort(ids);
        ObjectNode o = MessageBodies.JSON.createObjectNode().put("total", ids.size());
        ArrayNode list = o.putArray("UserIDs");
        ids.stream().skip(Math.max(0, offset)).limit(Math.max(0, limit)).forEach(list::add);
        return o;
    }

    /** {@code UserID, Profile{tag: value}, Friends[] (friend_get items), PendingFriendRequestsFrom[], C2cUnreadMsgNum}. */
    public ObjectNode account(String userId) {
        return sandbox.accounts().inspect(userId);
    }

    /**
     * Every message of the pair in history order (both sides' view), each with its {@code Source}, {@code BodyChecksum}
     * and {@code StoredAtMs} (when the sandbox stored it), with {@code UnreadMsgNum{user: n}}.
     */
    public ObjectNode c2c(String userA, String userB) {
        return sandbox.c2c().inspect(userA, userB);
    }

    /** Sorted GroupIds. */
    public List<String> groupIds() {
        List<String> ids = sandbox.groups().ids();
        Collections.sort(ids);
        return ids;
    }

    /** get_group_info fields plus {@code MsgCnt} and every member with {@code UnreadMsgNum}. */
    public ObjectNode group(String groupId) {
        return sandbox.groups().inspect(groupId);
    }

    /** Group messages in MsgSeq order, {@code offset} 0-based. */
    public ObjectNode groupMessages(String groupId, int offset, int limit) {
        return sandbox.groups().inspectMessages(groupId, offset, limit);
    }

    /** The last 10 000 callbacks: {@code Seq, CallbackCommand, OptPlatform, Url, Body, Outcome}. */
    public ArrayNode callbacks() {
        return sandbox.callbacks().log();
    }
}
