package io.timbridge.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One accepted TIM callback, typed. Every event answers the three questions the callback routes
 * ask before writing anything:
 * <ul>
 * <li>{@link #idempotencyKey()}: equal for a replay of the same callback, different for any other
 * event;</li>
 * <li>{@link #orderingKey()}: events with the same key must be applied in order (one lane), events
 * with different keys may run in parallel;</li>
 * <li>{@link #skip()}: why the event is not written into the legacy database, if it is not.</li>
 * </ul>
 *
 * <p>Idempotency keys:
 * <ul>
 * <li>C2C message: TIM's {@code MsgKey};</li>
 * <li>group message: {@code GroupId + ":" + MsgSeq} ({@code TopicId} instead of {@code GroupId} for a
 * community topic, whose MsgSeq counts per topic);</li>
 * <li>group events: {@code <event>:<GroupId>:<EventTime>:<digest>}, with {@code <event>} the command's
 * {@link CallbackCommand#eventName()} and {@code <digest>} the first 16 hex digits of SHA-256 over
 * what the event reports: the member accounts, sorted, one per line (created, destroyed, joined,
 * exited), or the reported fields as {@code Field=value} lines (info changed). The digest tells
 * apart two events of one group in one millisecond and keeps the key under 100 characters (the
 * size of Camel's JDBC idempotent repository column) for any valid GroupId (≤ 48 bytes).</li>
 * </ul>
 */
public sealed interface CallbackEvent {

    CallbackCommand command();

    String idempotencyKey();

    /** The user pair (C2C: the two accounts sorted, joined by {@code |}) or the GroupId. */
    String orderingKey();

    /** Whether the bridge's own write into TIM caused this callback ({@link EchoGuard}). */
    boolean causedByBridge();

    /** Why this event is not written into the legacy database; empty when it is. */
    Optional<Skip> skip();

    default boolean shouldWrite() {
        return skip().isEmpty();
    }

    /** Reasons an accepted callback writes nothing. */
    enum Skip {
        /** The bridge caused it: writing it would echo what came from the legacy side. */
        ECHO,
        /** {@code SendMsgResult} ≠ 0: TIM did not deliver the message (e.g. dirty-word filter). */
        SEND_FAILED,
        /**
         * {@code OnlineOnlyFlag} = 1: TIM keeps no history of online-only messages (typing
         * indicators and the like), so a legacy row would be a message only one side holds.
         */
        ONLINE_ONLY
    }

    /** C2C.CallbackAfterSendMsg. {@code msgTime} is in seconds. */
    record C2cMessage(String fromAccount, String toAccount, long msgSeq, long msgRandom, long msgTime,
            String msgKey, boolean onlineOnly, long sendMsgResult, JsonNode msgBody, String cloudCustomData,
            boolean causedByBridge) implements CallbackEvent {

        @Override
        public CallbackCommand command() {
            return CallbackCommand.C2C_AFTER_SEND_MSG;
        }

        @Override
        public String idempotencyKey() {
            return msgKey;
        }

        @Override
        public String orderingKey() {
            return fromAccount.compareTo(toAccount) <= 0 ? fromAccount + "|" + toAccount : toAccount + "|" + fromAccount;
        }

        @Override
        public Optional<Skip> skip() {
            if (causedByBridge) {
                return Optional.of(Skip.ECHO);
            }
            if (sendMsgResult != 0) {
                return Optional.of(Skip.SEND_FAILED);
            }
            return onlineOnly ? Optional.of(Skip.ONLINE_ONLY) : Optional.empty();
        }
    }

    /** Group.CallbackAfterSendMsg. {@code msgTime} is in seconds; {@code topicId} is null outside topics. */
    record GroupMessage(String groupId, String topicId, String fromAccount, String operatorAccount, long random,
            long msgSeq, long msgTime, boolean onlineOnly, JsonNode msgBody, String cloudCustomData,
            boolean causedByBridge) implements CallbackEvent {

        @Override
        public CallbackCommand command() {
            return CallbackCommand.GROUP_AFTER_SEND_MSG;
        }

        @Override
        public String idempotencyKey() {
            return (topicId != null ? topicId : groupId) + ":" + msgSeq;
        }

        @Override
        public String orderingKey() {
            return groupId;
        }

        @Override
        public Optional<Skip> skip() {
            if (causedByBridge) {
                return Optional.of(Skip.ECHO);
            }
            return onlineOnly ? Optional.of(Skip.ONLINE_ONLY) : Optional.empty();
        }
    }

    /**
     * Group.CallbackAfterCreateGroup. {@code ownerAccount} is null for an ownerless group; introduction,
     * notification and faceUrl are null when the group was created without them.
     */
    record GroupCreated(String groupId, String type, String name, String introduction, String notification,
            String faceUrl, String ownerAccount, String operatorAccount, List<String> members, long eventTime,
            boolean causedByBridge) implements GroupEvent {

        @Override
        public CallbackCommand command() {
            return CallbackCommand.GROUP_AFTER_CREATE_GROUP;
        }

        @Override
        public String idempotencyKey() {
            return GroupEvent.key(this, GroupEvent.memberLines(members));
        }
    }

    /** Group.CallbackAfterGroupDestroyed; {@code members} is empty for Community groups. */
    record GroupDestroyed(String groupId, List<String> members, long eventTime,
            boolean causedByBridge) implements GroupEvent {

        @Override
        public CallbackCommand command() {
            return CallbackCommand.GROUP_AFTER_GROUP_DESTROYED;
        }

        @Override
        public String idempotencyKey() {
            return GroupEvent.key(this, GroupEvent.memberLines(members));
        }
    }

    /** Group.CallbackAfterGroupInfoChanged: a field is null when the callback did not report it. */
    record GroupInfoChanged(String groupId, String operatorAccount, String name, String introduction,
            String notification, String faceUrl, long eventTime, boolean causedByBridge) implements GroupEvent {

        @Override
        public CallbackCommand command() {
            return CallbackCommand.GROUP_AFTER_GROUP_INFO_CHANGED;
        }

        @Override
        public String idempotencyKey() {
            StringBuilder fields = new StringBuilder();
            appendField(fields, "Name", name);
            appendField(fields, "Introduction", introduction);
            appendField(fields, "Notification", notification);
            appendField(fields, "FaceUrl", faceUrl);
            return GroupEvent.key(this, fields.toString());
        }

        private static void appendField(StringBuilder fields, String field, String value) {
            if (value != null) {
                fields.append(field).append('=').append(value).append('\n');
            }
        }
    }

    /** Group.CallbackAfterNewMemberJoin (applied, invited, or added by REST). */
    record MembersJoined(String groupId, String operatorAccount, List<String> members,
            long eventTime, boolean causedByBridge) implements GroupEvent {

        @Override
        public CallbackCommand command() {
            return CallbackCommand.GROUP_AFTER_NEW_MEMBER_JOIN;
        }

        @Override
        public String idempotencyKey() {
            return GroupEvent.key(this, GroupEvent.memberLines(members));
        }
    }

    /** Group.CallbackAfterMemberExit (quit, kicked, or removed by REST). */
    record MembersExited(String groupId, String operatorAccount, List<String> members,
            long eventTime, boolean causedByBridge) implements GroupEvent {

        @Override
        public CallbackCommand command() {
            return CallbackCommand.GROUP_AFTER_MEMBER_EXIT;
        }

        @Override
        public String idempotencyKey() {
            return GroupEvent.key(this, GroupEvent.memberLines(members));
        }
    }

    /** The group lifecycle and membership events: ordered per group, keyed by their EventTime (ms). */
    sealed interface GroupEvent extends CallbackEvent {
        String groupId();

        long eventTime();

        @Override
        default String orderingKey() {
            return groupId();
        }

        @Override
        default Optional<Skip> skip() {
            return causedByBridge() ? Optional.of(Skip.ECHO) : Optional.empty();
        }

        private static String key(GroupEvent event, String reported) {
            return event.command().eventName() + ":" + event.groupId() + ":" + event.eventTime() + ":" + digest(reported);
        }

        private static String memberLines(List<String> members) {
            return members.stream().sorted().collect(Collectors.joining("\n"));
        }

        private static String digest(String text) {
            try {
                byte[] sha = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(sha, 0, 8);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        }
    }
}
