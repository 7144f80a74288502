package io.timbridge.sync;

import io.timbridge.convert.LegacyMessageBody;
import io.timbridge.convert.MessageConverter;
import io.timbridge.convert.TimGroupType;
import io.timbridge.sync.CallbackEvent.C2cMessage;
import io.timbridge.sync.CallbackEvent.GroupCreated;
import io.timbridge.sync.CallbackEvent.GroupDestroyed;
import io.timbridge.sync.CallbackEvent.GroupInfoChanged;
import io.timbridge.sync.CallbackEvent.GroupMessage;
import io.timbridge.sync.CallbackEvent.MembersExited;
import io.timbridge.sync.CallbackEvent.MembersJoined;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a TIM callback becomes in the legacy database: the statements ({@link SyncSql}) to run, in
 * order, each with its named parameters. Column semantics follow the reference schema
 * ({@code db/legacy/README.md}); times are epoch milliseconds ({@code MsgTime} × 1000, or
 * {@code EventTime}). Message bodies are converted by {@link MessageConverter}, whose
 * {@link io.timbridge.convert.ConversionException} (unknown element, several non-text elements)
 * reaches the caller for the dead letter.
 *
 * <p>Thread-safe.
 */
public final class LegacyWrites {

    /** {@code bridge_origin} of the group and member rows the bridge inserts. */
    public static final String INSERT_MARK = "tim";
    /** {@code bridge_origin} set on a member row just before the bridge deletes it. */
    public static final String DELETE_MARK = "tim:delete";
    private static final String MARK_PREFIX = "tim:";

    /** One statement to run and its parameters; a parameter may be null. */
    public record Write(SyncSql statement, Map<String, Object> params) {
        public Write {
            params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }
    }

    private final MessageConverter converter;

    public LegacyWrites(MessageConverter converter) {
        this.converter = converter;
    }

    /** The writes for an event, in order; none when the event is not to be written. */
    public List<Write> of(CallbackEvent event) {
        if (!event.shouldWrite()) {
            return List.of();
        }
        if (event instanceof C2cMessage m) {
            return List.of(c2cMessage(m));
        }
        if (event instanceof GroupMessage m) {
            return List.of(groupMessage(m));
        }
        if (event instanceof GroupCreated g) {
            return groupCreated(g);
        }
        if (event instanceof GroupDestroyed g) {
            return List.of(groupDestroyed(g));
        }
        if (event instanceof GroupInfoChanged g) {
            return List.of(groupInfoChanged(g));
        }
        if (event instanceof MembersJoined j) {
            return j.members().stream().map(user -> memberJoin(j.groupId(), user, "member", j.eventTime())).toList();
        }
        MembersExited x = (MembersExited) event;
        List<Write> writes = new ArrayList<>();
        for (String user : x.members()) {
            writes.add(new Write(SyncSql.MEMBER_EXIT_MARK, member(x.groupId(), user, DELETE_MARK)));
            writes.add(new Write(SyncSql.MEMBER_EXIT, member(x.groupId(), user, null)));
        }
        return writes;
    }

    private Write c2cMessage(C2cMessage m) {
        LegacyMessageBody body = converter.toLegacy(m.msgBody());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("sender_id", m.fromAccount());
        p.put("receiver_id", m.toAccount());
        p.put("msg_type", body.type());
        p.put("content", body.content());
        p.put("created_at_ms", m.msgTime() * 1000);
        p.put("bridge_origin", mark(m));
        return new Write(SyncSql.C2C_MESSAGE, p);
    }

    private Write groupMessage(GroupMessage m) {
        LegacyMessageBody body = converter.toLegacy(m.msgBody());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("group_id", m.groupId());
        p.put("sender_id", m.fromAccount());
        p.put("msg_type", body.type());
        p.put("content", body.content());
        p.put("created_at_ms", m.msgTime() * 1000);
        p.put("bridge_origin", mark(m));
        return new Write(SyncSql.GROUP_MESSAGE, p);
    }

    /** The group row, then the owner and the initial members (each once, the owner first). */
    private List<Write> groupCreated(GroupCreated g) {
        TimGroupType type = TimGroupType.parse(g.type()).orElseThrow(
                () -> new IllegalArgumentException("not a TIM group type: " + g.type()));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("group_id", g.groupId());
        p.put("owner_id", g.ownerAccount());
        p.put("group_type", type.legacyName());
        p.put("name", g.name());
        p.put("introduction", g.introduction());
        p.put("notification", g.notification());
        p.put("avatar_url", g.faceUrl());
        p.put("created_at_ms", g.eventTime());
        p.put("bridge_origin", INSERT_MARK);
        List<Write> writes = new ArrayList<>();
        writes.add(new Write(SyncSql.GROUP_CREATED, p));
        Set<String> members = new LinkedHashSet<>();
        if (g.ownerAccount() != null) {
            members.add(g.ownerAccount());
            writes.add(memberJoin(g.groupId(), g.ownerAccount(), "owner", g.eventTime()));
        }
        for (String user : g.members()) {
            if (members.add(user)) {
                writes.add(memberJoin(g.groupId(), user, "member", g.eventTime()));
            }
        }
        return writes;
    }

    private Write groupDestroyed(GroupDestroyed g) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("group_id", g.groupId());
        p.put("dismissed_at_ms", g.eventTime());
        p.put("bridge_origin", mark(g));
        return new Write(SyncSql.GROUP_DESTROYED, p);
    }

    private Write groupInfoChanged(GroupInfoChanged g) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("group_id", g.groupId());
        p.put("name", g.name());
        p.put("introduction", g.introduction());
        p.put("notification", g.notification());
        p.put("avatar_url", g.faceUrl());
        p.put("updated_at_ms", g.eventTime());
        p.put("bridge_origin", mark(g));
        return new Write(SyncSql.GROUP_INFO_CHANGED, p);
    }

    private static Write memberJoin(String groupId, String userId, String role, long joinedAtMs) {
        Map<String, Object> p = member(groupId, userId, INSERT_MARK);
        p.put("role", role);
        p.put("joined_at_ms", joinedAtMs);
        return new Write(SyncSql.MEMBER_JOIN, p);
    }

    private static Map<String, Object> member(String groupId, String userId, String origin) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("group_id", groupId);
        p.put("user_id", userId);
        if (origin != null) {
            p.put("bridge_origin", origin);
        }
        return p;
    }

    /**
     * {@code tim:} and 12 hex digits of SHA-256 of the event's idempotency key (16 characters, the
     * column's size): different for any two events, so every bridge update changes the column, and a
     * message row names the TIM message it came from, so inserting it again after a crash finds it.
     */
    static String mark(CallbackEvent event) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256")
                    .digest(event.idempotencyKey().getBytes(StandardCharsets.UTF_8));
            return MARK_PREFIX + HexFormat.of().formatHex(sha, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
