-- Optional change log of the reference legacy schema for MySQL 8 / MariaDB 10.6+: the app's changes
-- to groups and memberships, for the legacy -> TIM sync to poll (legacy.sync.poll.changelog.sql).
-- Messages need none: c2c_messages and group_messages are append-only and polled by id.
-- The triggers skip the bridge's own writes, recognised by bridge_origin (see
-- io.timbridge.sync.SyncSql): an insert with it set, an update that changes it to non-NULL, a
-- delete of a row marked 'tim:delete'.
-- Each trigger is a single statement, so the script needs no DELIMITER. Creating triggers needs the
-- TRIGGER privilege, and with binary logging on either SUPER or log_bin_trust_function_creators=1.
-- Text is compared as binary: under the tables' _ci collation a change of case or of trailing
-- spaces would otherwise look like no change. Every statement can be run again.

-- op: I insert, U update, D delete. group_id/user_id: the row's key (user_id for group_members).
-- changed_fields: the changed columns of an update, comma-separated.
CREATE TABLE IF NOT EXISTS bridge_changelog (
    id              BIGINT       NOT NULL AUTO_INCREMENT,
    table_name      VARCHAR(64)  NOT NULL,
    op              CHAR(1)      NOT NULL,
    group_id        VARCHAR(64)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    user_id         VARCHAR(64)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
    changed_fields  VARCHAR(200),
    created_at_ms   BIGINT       NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

DROP TRIGGER IF EXISTS tb_changelog_im_groups_ins;
CREATE TRIGGER tb_changelog_im_groups_ins AFTER INSERT ON im_groups FOR EACH ROW
    INSERT INTO bridge_changelog (table_name, op, group_id, user_id, changed_fields, created_at_ms)
    SELECT 'im_groups', 'I', NEW.group_id, NULL, NULL, ROUND(UNIX_TIMESTAMP(CURRENT_TIMESTAMP(3)) * 1000)
    FROM DUAL WHERE NEW.bridge_origin IS NULL;

DROP TRIGGER IF EXISTS tb_changelog_im_groups_upd;
CREATE TRIGGER tb_changelog_im_groups_upd AFTER UPDATE ON im_groups FOR EACH ROW
    INSERT INTO bridge_changelog (table_name, op, group_id, user_id, changed_fields, created_at_ms)
    SELECT 'im_groups', 'U', NEW.group_id, NULL, c.changed, ROUND(UNIX_TIMESTAMP(CURRENT_TIMESTAMP(3)) * 1000)
    FROM (SELECT NULLIF(CONCAT_WS(',',
            IF(CAST(NEW.name AS BINARY) <=> CAST(OLD.name AS BINARY), NULL, 'name'),
            IF(CAST(NEW.introduction AS BINARY) <=> CAST(OLD.introduction AS BINARY), NULL, 'introduction'),
            IF(CAST(NEW.notification AS BINARY) <=> CAST(OLD.notification AS BINARY), NULL, 'notification'),
            IF(CAST(NEW.avatar_url AS BINARY) <=> CAST(OLD.avatar_url AS BINARY), NULL, 'avatar_url'),
            IF(NEW.dismissed_at_ms <=> OLD.dismissed_at_ms, NULL, 'dismissed_at_ms')), '') AS changed) c
    WHERE c.changed IS NOT NULL
      AND (NEW.bridge_origin IS NULL OR NEW.bridge_origin <=> OLD.bridge_origin);

DROP TRIGGER IF EXISTS tb_changelog_group_members_ins;
CREATE TRIGGER tb_changelog_group_members_ins AFTER INSERT ON group_members FOR EACH ROW
    INSERT INTO bridge_changelog (table_name, op, group_id, user_id, changed_fields, created_at_ms)
    SELECT 'group_members', 'I', NEW.group_id, NEW.user_id, NULL, ROUND(UNIX_TIMESTAMP(CURRENT_TIMESTAMP(3)) * 1000)
    FROM DUAL WHERE NEW.bridge_origin IS NULL;

DROP TRIGGER IF EXISTS tb_changelog_group_members_del;
CREATE TRIGGER tb_changelog_group_members_del AFTER DELETE ON group_members FOR EACH ROW
    INSERT INTO bridge_changelog (table_name, op, group_id, user_id, changed_fields, created_at_ms)
    SELECT 'group_members', 'D', OLD.group_id, OLD.user_id, NULL, ROUND(UNIX_TIMESTAMP(CURRENT_TIMESTAMP(3)) * 1000)
    FROM DUAL WHERE NOT (OLD.bridge_origin <=> 'tim:delete');
