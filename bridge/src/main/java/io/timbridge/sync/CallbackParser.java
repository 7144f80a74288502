package io.timbridge.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.timbridge.convert.TimGroupType;
import io.timbridge.sync.CallbackEvent.C2cMessage;
import io.timbridge.sync.CallbackEvent.GroupCreated;
import io.timbridge.sync.CallbackEvent.GroupDestroyed;
import io.timbridge.sync.CallbackEvent.GroupInfoChanged;
import io.timbridge.sync.CallbackEvent.GroupMessage;
import io.timbridge.sync.CallbackEvent.MembersExited;
import io.timbridge.sync.CallbackEvent.MembersJoined;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns the body of a TIM callback into a {@link CallbackEvent}, or into a {@link Refused} with a
 * reason. Nothing a caller sends makes it throw: oversized, malformed or mistyped bodies and unknown
 * commands are refusals, so the endpoint can answer and dead-letter them.
 *
 * <p>Field types follow callbacks.md strictly (numbers are JSON numbers, accounts are strings), except
 * {@code EventTime}, which some TIM pages show as a string: both forms are read, as milliseconds.
 * Duplicate members in the JSON are refused, since it is unclear which one TIM meant.
 *
 * <p>Thread-safe; one instance serves all callback routes.
 */
public final class CallbackParser {

    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    /** Seconds and milliseconds above this could not be a time and would overflow when scaled. */
    private static final long MAX_TIME = 1L << 50;
    private static final Pattern DIGITS = Pattern.compile("\\d{1,16}");

    /** Why a body was refused. */
    public enum Refusal {
        TOO_LARGE("too-large"),
        MALFORMED_JSON("malformed-json"),
        UNKNOWN_COMMAND("unknown-command"),
        /** The query's and the body's CallbackCommand differ. */
        COMMAND_MISMATCH("command-mismatch"),
        MISSING_FIELD("missing-field"),
        WRONG_TYPE("wrong-type"),
        /** The body could not be read to its end (the client went away). */
        UNREADABLE("unreadable");

        private final String code;

        Refusal(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** What {@link #parse} gives: an accepted event or a refusal. */
    public sealed interface Result {
    }

    public record Accepted(CallbackEvent event) implements Result {
    }

    public record Refused(Refusal reason, String detail) implements Result {
        @Override
        public String toString() {
            return reason.code() + ": " + detail;
        }
    }

    /** A refusal found deep inside the parsing; never leaves this class. */
    private static final class RefusedException extends Exception {
        private final Refusal reason;

        RefusedException(Refusal reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }

    private final ObjectMapper json = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private final EchoGuard echoGuard;
    private final int maxBodyBytes;

    public CallbackParser(EchoGuard echoGuard, int maxBodyBytes) {
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, was " + maxBodyBytes);
        }
        this.echoGuard = echoGuard;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Reads at most the size limit plus one byte from {@code body}, so an oversized request is refused
     * without being held in memory.
     *
     * @see #parse(String, String, byte[])
     */
    public Result parse(String queryCommand, String optPlatform, InputStream body) {
        byte[] bytes;
        try {
            bytes = body.readNBytes(maxBodyBytes + 1);
        } catch (IOException e) {
            return new Refused(Refusal.UNREADABLE, "the body could not be read: " + e.getMessage());
        }
        return parse(queryCommand, optPlatform, bytes);
    }

    /**
     * @param queryCommand the {@code CallbackCommand} query parameter, or null; when given it must equal
     *                     the body's
     * @param optPlatform  the {@code OptPlatform} query parameter, or null (used by the echo guard)
     * @param body         the request body, UTF-8 JSON
     */
    public Result parse(String queryCommand, String optPlatform, byte[] body) {
        if (body.length > maxBodyBytes) {
            return new Refused(Refusal.TOO_LARGE, "the body is over " + maxBodyBytes + " bytes");
        }
        try {
            JsonNode root = readObject(body);
            CallbackCommand command = command(queryCommand, root);
            return new Accepted(switch (command) {
                case C2C_AFTER_SEND_MSG -> c2cMessage(root, optPlatform);
                case GROUP_AFTER_SEND_MSG -> groupMessage(root, optPlatform);
                case GROUP_AFTER_CREATE_GROUP -> groupCreated(root, optPlatform);
                case GROUP_AFTER_GROUP_DESTROYED -> groupDestroyed(root, optPlatform);
                case GROUP_AFTER_GROUP_INFO_CHANGED -> groupInfoChanged(root, optPlatform);
                case GROUP_AFTER_NEW_MEMBER_JOIN -> membersJoined(root, optPlatform);
                case GROUP_AFTER_MEMBER_EXIT -> membersExited(root, optPlatform);
            });
        } catch (RefusedException e) {
            return new Refused(e.reason, e.getMessage());
        }
    }

    private JsonNode readObject(byte[] body) throws RefusedException {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            String message = e instanceof JsonProcessingException j
                    ? j.getOriginalMessage() : e.getMessage();
            throw new RefusedException(Refusal.MALFORMED_JSON, "the body is not JSON: " + oneLine(message));
        }
        if (root == null || !root.isObject()) {
            throw new RefusedException(Refusal.MALFORMED_JSON, "the body is not a JSON object");
        }
        return root;
    }

    private static CallbackCommand command(String queryCommand, JsonNode root) throws RefusedException {
        String bodyCommand = optText(root, "CallbackCommand");
        if (queryCommand != null && bodyCommand != null && !queryCommand.equals(bodyCommand)) {
            throw new RefusedException(Refusal.COMMAND_MISMATCH, "the query says '" + quote(queryCommand)
                    + "' and the body says '" + quote(bodyCommand) + "'");
        }
        String name = bodyCommand != null ? bodyCommand : queryCommand;
        if (name == null) {
            throw new RefusedException(Refusal.MISSING_FIELD, "CallbackCommand is missing");
        }
        return CallbackCommand.ofTimName(name).orElseThrow(() -> new RefusedException(Refusal.UNKNOWN_COMMAND,
                "the bridge does not handle CallbackCommand '" + quote(name) + "'"));
    }

    private C2cMessage c2cMessage(JsonNode b, String optPlatform) throws RefusedException {
        String cloud = optText(b, "CloudCustomData");
        return new C2cMessage(nonEmpty(b, "From_Account"), nonEmpty(b, "To_Account"),
                number(b, "MsgSeq"), number(b, "MsgRandom"), time(b, "MsgTime"), nonEmpty(b, "MsgKey"),
                optNumber(b, "OnlineOnlyFlag") == 1, optNumber(b, "SendMsgResult"), msgBody(b), cloud,
                echoGuard.causedByBridge(optPlatform, null, cloud));
    }

    private GroupMessage groupMessage(JsonNode b, String optPlatform) throws RefusedException {
        String operator = optText(b, "Operator_Account");
        String cloud = optText(b, "CloudCustomData");
        String topic = optText(b, "TopicId");
        return new GroupMessage(nonEmpty(b, "GroupId"), topic == null || topic.isEmpty() ? null : topic,
                nonEmpty(b, "From_Account"), operator, number(b, "Random"), number(b, "MsgSeq"), time(b, "MsgTime"),
                optNumber(b, "OnlineOnlyFlag") == 1, msgBody(b), cloud,
                echoGuard.causedByBridge(optPlatform, operator, cloud));
    }

    private GroupCreated groupCreated(JsonNode b, String optPlatform) throws RefusedException {
        String type = nonEmpty(b, "Type");
        if (TimGroupType.parse(type).isEmpty()) {
            throw new RefusedException(Refusal.WRONG_TYPE, "Type '" + quote(type) + "' is not a TIM group type");
        }
        String owner = optText(b, "Owner_Account");
        String operator = optText(b, "Operator_Account");
        return new GroupCreated(nonEmpty(b, "GroupId"), type, nonEmpty(b, "Name"), optText(b, "Introduction"),
                optText(b, "Notification"), optText(b, "FaceUrl"), owner == null || owner.isEmpty() ? null : owner, operator, members(b, "MemberList", false),
                eventTime(b), echoGuard.causedByBridge(optPlatform, operator, null));
    }

    private GroupDestroyed groupDestroyed(JsonNode b, String optPlatform) throws RefusedException {
        // The destroy callback names no operator: the platform is the only echo sign.
        return new GroupDestroyed(nonEmpty(b, "GroupId"), members(b, "MemberList", false), eventTime(b),
                echoGuard.causedByBridge(optPlatform, null, null));
    }

    private GroupInfoChanged groupInfoChanged(JsonNode b, String optPlatform) throws RefusedException {
        String operator = optText(b, "Operator_Account");
        return new GroupInfoChanged(nonEmpty(b, "GroupId"), operator, optText(b, "Name"),
                optText(b, "Introduction"), optText(b, "Notification"), optText(b, "FaceUrl"), eventTime(b),
                echoGuard.causedByBridge(optPlatform, operator, null));
    }

    private MembersJoined membersJoined(JsonNode b, String optPlatform) throws RefusedException {
        String operator = optText(b, "Operator_Account");
        return new MembersJoined(nonEmpty(b, "GroupId"), operator,
                members(b, "NewMemberList", true), eventTime(b), echoGuard.causedByBridge(optPlatform, operator, null));
    }

    private MembersExited membersExited(JsonNode b, String optPlatform) throws RefusedException {
        String operator = optText(b, "Operator_Account");
        return new MembersExited(nonEmpty(b, "GroupId"), operator,
                members(b, "ExitMemberList", true), eventTime(b), echoGuard.causedByBridge(optPlatform, operator, null));
    }

    // ---- fields -------------------------------------------------------------------------

    private static String optText(JsonNode b, String field) throws RefusedException {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new RefusedException(Refusal.WRONG_TYPE, field + " must be a string, was " + v.getNodeType());
        }
        return v.textValue();
    }

    private static String nonEmpty(JsonNode b, String field) throws RefusedException {
        String value = optText(b, field);
        if (value == null || value.isEmpty()) {
            throw new RefusedException(Refusal.MISSING_FIELD, field + " is missing or empty");
        }
        return value;
    }

    private static long number(JsonNode b, String field) throws RefusedException {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            throw new RefusedException(Refusal.MISSING_FIELD, field + " is missing");
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new RefusedException(Refusal.WRONG_TYPE, field + " must be a whole number, was " + v.getNodeType());
        }
        return v.longValue();
    }

    /** An optional whole number; absent means 0 (OnlineOnlyFlag, SendMsgResult). */
    private static long optNumber(JsonNode b, String field) throws RefusedException {
        JsonNode v = b.get(field);
        return v == null || v.isNull() ? 0 : number(b, field);
    }

    private static long time(JsonNode b, String field) throws RefusedException {
        long value = number(b, field);
        if (value < 0 || value > MAX_TIME) {
            throw new RefusedException(Refusal.WRONG_TYPE, field + " is out of range: " + value);
        }
        return value;
    }

    /** EventTime in milliseconds, as a JSON number or a string of digits. */
    private static long eventTime(JsonNode b) throws RefusedException {
        JsonNode v = b.get("EventTime");
        if (v != null && v.isTextual()) {
            if (!DIGITS.matcher(v.textValue()).matches()) {
                throw new RefusedException(Refusal.WRONG_TYPE, "EventTime must be milliseconds, was '"
                        + quote(v.textValue()) + "'");
            }
            long value = Long.parseLong(v.textValue());
            if (value > MAX_TIME) {
                throw new RefusedException(Refusal.WRONG_TYPE, "EventTime is out of range: " + value);
            }
            return value;
        }
        return time(b, "EventTime");
    }

    private static JsonNode msgBody(JsonNode b) throws RefusedException {
        JsonNode v = b.get("MsgBody");
        if (v == null || v.isNull()) {
            throw new RefusedException(Refusal.MISSING_FIELD, "MsgBody is missing");
        }
        if (!v.isArray() || v.isEmpty()) {
            throw new RefusedException(Refusal.WRONG_TYPE, "MsgBody must be a non-empty array");
        }
        return v;
    }

    /** The {@code Member_Account} of each item of a member list; absent lists are empty unless required. */
    private static List<String> members(JsonNode b, String field, boolean required) throws RefusedException {
        JsonNode list = b.get(field);
        if (list == null || list.isNull()) {
            if (required) {
                throw new RefusedException(Refusal.MISSING_FIELD, field + " is missing");
            }
            return List.of();
        }
        if (!list.isArray()) {
            throw new RefusedException(Refusal.WRONG_TYPE, field + " must be an array");
        }
        if (required && list.isEmpty()) {
            throw new RefusedException(Refusal.MISSING_FIELD, field + " is empty");
        }
        List<String> members = new ArrayList<>(list.size());
        for (JsonNode item : list) {
            if (!item.isObject()) {
                throw new RefusedException(Refusal.WRONG_TYPE, field + " items must be objects");
            }
            members.add(nonEmpty(item, "Member_Account"));
        }
        return List.copyOf(members);
    }

    private static String quote(String untrusted) {
        String oneLine = oneLine(untrusted);
        return oneLine.length() <= 64 ? oneLine : oneLine.substring(0, 64) + "…";
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\p{Cntrl}", "?");
    }
}
