package io.timbridge.sync;

/**
 * The default SQL of the two-way sync against the reference legacy schema, one statement per
 * configuration key. Routes use the keys ({@code sql:{{legacy.sync.c2c-message.sql}}}); a legacy
 * schema that differs is a configuration change. Parameters are camel-sql named parameters
 * ({@code :#name}) taken from the message body, a map built by {@link LegacyWrites} for writes.
 *
 * <p>Every statement runs unchanged on H2, MySQL/MariaDB and PostgreSQL.
 *
 * <p><b>Marking the bridge's writes.</b> {@code bridge_origin} says who made a write, for the pollers
 * and for the change-log triggers ({@code db/legacy/<db>/changelog.sql}):
 * <ul>
 * <li>an insert by the bridge sets {@code 'tim'} (the app's inserts leave it NULL); a message row gets
 * {@code 'tim:<12 hex>'}, a digest of its TIM identity (MsgKey, or GroupId and MsgSeq);</li>
 * <li>an update by the bridge sets a stamp {@code 'tim:<12 hex>'} that differs from the row's current
 * value; a trigger sees a bridge update as one that changed {@code bridge_origin} to non-NULL, and
 * an app update, which never touches the column, as one that left it unchanged;</li>
 * <li>a delete by the bridge first sets {@code 'tim:delete'} ({@link #MEMBER_EXIT_MARK}), then deletes
 * ({@link #MEMBER_EXIT}); the trigger skips deletes of rows carrying that mark. Run the two in
 * order for each member; replaying both is harmless.</li>
 * </ul>
 *
 * <p><b>Idempotency.</b> Messages have no natural key in the legacy tables: a replay is stopped upstream
 * by the callback's idempotency key and the id map, and before inserting a message the route looks for
 * its row by the conversation, the time and the message's mark ({@link #C2C_MESSAGE_WRITTEN}), for the
 * callback applied again after a crash between the insert and the id map (an index on the conversation
 * and time keeps that cheap). One lane applies a conversation's callbacks, so nothing races the two
 * statements; a single INSERT ... SELECT ... WHERE NOT EXISTS would instead take gap locks that make
 * concurrent inserts fail on MySQL/MariaDB (error 1467).
 * Group and member inserts are insert-if-absent; updates write the same values again. Two concurrent inserts of one member can still meet the unique key: the callback
 * routes apply one group's events in one lane, and a retry of the loser finds the row and does nothing.
 *
 * <p><b>Polling.</b> Append-only tables are read by id after a cursor, skipping the bridge's own rows;
 * group and membership changes come from {@code bridge_changelog}. The cursor may only move past ids
 * whose TIM call succeeded. An auto-increment id becomes visible when its transaction commits, which
 * can be after a higher id: a poller that must not miss such rows re-reads a margin below its
 * cursor and relies on TIM's deterministic dedup keys and the id map to drop what it already sent.
 */
public enum SyncSql {

    /** A C2C message from TIM. */
    C2C_MESSAGE("legacy.sync.c2c-message.sql",
            "INSERT INTO c2c_messages (sender_id, receiver_id, msg_type, content, created_at_ms, bridge_origin)"
                    + " VALUES (:#sender_id, :#receiver_id, :#msg_type, :#content, :#created_at_ms, :#bridge_origin)"),

    /** The legacy id of a C2C message from TIM written already (found by its mark), if any. */
    C2C_MESSAGE_WRITTEN("legacy.sync.c2c-message-written.sql",
            "SELECT id FROM c2c_messages WHERE sender_id = :#sender_id AND receiver_id = :#receiver_id"
                    + " AND created_at_ms = :#created_at_ms AND bridge_origin = :#bridge_origin"),

    /** A group message from TIM. */
    GROUP_MESSAGE("legacy.sync.group-message.sql",
            "INSERT INTO group_messages (group_id, sender_id, msg_type, content, created_at_ms, bridge_origin)"
                    + " VALUES (:#group_id, :#sender_id, :#msg_type, :#content, :#created_at_ms, :#bridge_origin)"),

    /** The legacy id of a group message from TIM written already (found by its mark), if any. */
    GROUP_MESSAGE_WRITTEN("legacy.sync.group-message-written.sql",
            "SELECT id FROM group_messages WHERE group_id = :#group_id AND created_at_ms = :#created_at_ms"
                    + " AND bridge_origin = :#bridge_origin"),

    /** A group created in TIM, unless the legacy database has it already; its members follow as {@link #MEMBER_JOIN}. */
    GROUP_CREATED("legacy.sync.group-created.sql",
            "INSERT INTO im_groups (group_id, owner_id, group_type, name, introduction, notification, avatar_url,"
                    + " created_at_ms, updated_at_ms, bridge_origin)"
                    + " SELECT :#group_id, :#owner_id, :#group_type, :#name, :#introduction, :#notification, :#avatar_url,"
                    + " :#created_at_ms, :#created_at_ms, :#bridge_origin"
                    + " FROM (SELECT 1 AS one) single_row"
                    + " WHERE NOT EXISTS (SELECT 1 FROM im_groups WHERE group_id = :#group_id)"),

    /** A group dismissed in TIM; a group dismissed already keeps its first dismissal time. */
    GROUP_DESTROYED("legacy.sync.group-destroyed.sql",
            "UPDATE im_groups SET dismissed_at_ms = :#dismissed_at_ms, updated_at_ms = :#dismissed_at_ms,"
                    + " bridge_origin = :#bridge_origin"
                    + " WHERE group_id = :#group_id AND dismissed_at_ms IS NULL"),

    /** Changed group fields: a NULL parameter means "not reported", and leaves the column as it is. */
    GROUP_INFO_CHANGED("legacy.sync.group-info-changed.sql",
            "UPDATE im_groups SET name = COALESCE(:#name, name), introduction = COALESCE(:#introduction, introduction),"
                    + " notification = COALESCE(:#notification, notification), avatar_url = COALESCE(:#avatar_url, avatar_url),"
                    + " updated_at_ms = :#updated_at_ms, bridge_origin = :#bridge_origin"
                    + " WHERE group_id = :#group_id"),

    /** A member who joined in TIM (or was in a group created there), unless already a member. */
    MEMBER_JOIN("legacy.sync.member-join.sql",
            "INSERT INTO group_members (group_id, user_id, role, joined_at_ms, unread_count, bridge_origin)"
                    + " SELECT :#group_id, :#user_id, :#role, :#joined_at_ms, 0, :#bridge_origin"
                    + " FROM (SELECT 1 AS one) single_row"
                    + " WHERE NOT EXISTS (SELECT 1 FROM group_members WHERE group_id = :#group_id AND user_id = :#user_id)"),

    /** Marks a member row the bridge is about to delete, so the change-log trigger skips the delete. */
    MEMBER_EXIT_MARK("legacy.sync.member-exit-mark.sql",
            "UPDATE group_members SET bridge_origin = :#bridge_origin WHERE group_id = :#group_id AND user_id = :#user_id"),

    /** A member who left or was removed in TIM; run after {@link #MEMBER_EXIT_MARK}. */
    MEMBER_EXIT("legacy.sync.member-exit.sql",
            "DELETE FROM group_members WHERE group_id = :#group_id AND user_id = :#user_id"),

    /** New C2C messages the app wrote, after the cursor {@code after_id}, at most {@code batch_size}. */
    POLL_C2C_MESSAGES("legacy.sync.poll.c2c-messages.sql",
            "SELECT id, sender_id, receiver_id, msg_type, content, created_at_ms FROM c2c_messages"
                    + " WHERE id > :#after_id AND bridge_origin IS NULL ORDER BY id LIMIT :#batch_size"),

    /** The highest id in c2c_messages, whoever wrote the row: the poller's scan starts above the bridge's rows. */
    POLL_C2C_LAST_ID("legacy.sync.poll.c2c-messages-last-id.sql", "SELECT MAX(id) FROM c2c_messages"),

    /** New group messages the app wrote, after the cursor {@code after_id}, at most {@code batch_size}. */
    POLL_GROUP_MESSAGES("legacy.sync.poll.group-messages.sql",
            "SELECT m.id, m.group_id, m.sender_id, m.msg_type, m.content, m.created_at_ms FROM group_messages m"
                    + " JOIN im_groups g ON g.group_id = m.group_id WHERE m.id > :#after_id AND m.bridge_origin IS NULL"
                    + " AND g.dismissed_at_ms IS NULL ORDER BY m.id LIMIT :#batch_size"),

    /** The highest id in group_messages, whoever wrote the row (as {@link #POLL_C2C_LAST_ID}). */
    POLL_GROUP_LAST_ID("legacy.sync.poll.group-messages-last-id.sql", "SELECT MAX(id) FROM group_messages"),

    /**
     * Changes of groups and members the app made, from the trigger-fed change log: {@code op} I, U or D;
     * {@code changed_fields} lists the changed columns of an update, comma-separated.
     */
    POLL_CHANGELOG("legacy.sync.poll.changelog.sql",
            "SELECT id, table_name, op, group_id, user_id, changed_fields, created_at_ms FROM bridge_changelog"
                    + " WHERE id > :#after_id ORDER BY id LIMIT :#batch_size"),

    /** The current row of a group named by the change log: TIM gets its present values. */
    GROUP_ROW("legacy.sync.group-row.sql",
            "SELECT group_id, owner_id, group_type, name, introduction, notification, avatar_url, created_at_ms,"
                    + " dismissed_at_ms FROM im_groups WHERE group_id = :#group_id"),

    /** Forgets change-log entries TIM has (up to the checkpoint {@code up_to_id}) once older than {@code before_ms}. */
    PURGE_CHANGELOG("legacy.sync.changelog-purge.sql",
            "DELETE FROM bridge_changelog WHERE id <= :#up_to_id AND created_at_ms < :#before_ms");

    private final String key;
    private final String sql;

    SyncSql(String key, String sql) {
        this.key = key;
        this.sql = sql;
    }

    /** The configuration key, e.g. {@code legacy.sync.c2c-message.sql}. */
    public String key() {
        return key;
    }

    /** The default SQL for the reference schema. */
    public String sql() {
        return sql;
    }
}
