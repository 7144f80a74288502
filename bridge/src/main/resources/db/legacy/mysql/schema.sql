-- Reference legacy IM schema for MySQL 8 / MariaDB 10.6+ (utf8mb4).
-- Identifiers use utf8mb4_bin: IM account and group ids are case-sensitive, and keyset
-- pagination (WHERE user_id > ? ORDER BY user_id) must follow byte order on every database.
-- Times are epoch milliseconds (BIGINT), as most IM backends store them.
-- bridge_origin: NULL for rows the app wrote; set by timbridge when it writes a row that came
-- from TIM, so the legacy → TIM pollers skip it (no echo).
-- Indexes are declared inside CREATE TABLE because MySQL has no CREATE INDEX IF NOT EXISTS.

CREATE TABLE IF NOT EXISTS users (
    user_id        VARCHAR(64)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    nickname       VARCHAR(100),
    avatar_url     VARCHAR(512),
    gender         SMALLINT     NOT NULL DEFAULT 0 COMMENT '0 unknown, 1 male, 2 female',
    birthday       DATE,
    signature      VARCHAR(500),
    location       VARCHAR(100),
    created_at_ms  BIGINT       NOT NULL,
    updated_at_ms  BIGINT       NOT NULL,
    PRIMARY KEY (user_id),
    KEY idx_users_updated (updated_at_ms, user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- App-defined profile fields as key/value rows; mapped by configuration to Tag_Profile_Custom_<key>.
CREATE TABLE IF NOT EXISTS user_custom_fields (
    user_id        VARCHAR(64)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    field_key      VARCHAR(32)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    field_value    VARCHAR(1000),
    PRIMARY KEY (user_id, field_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per direction: a mutual friendship is two rows, each with its owner's remark and tag.
CREATE TABLE IF NOT EXISTS friendships (
    id             BIGINT       NOT NULL AUTO_INCREMENT,
    user_id        VARCHAR(64)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    friend_id      VARCHAR(64)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    remark         VARCHAR(96),
    group_name     VARCHAR(30),
    add_source     VARCHAR(16),
    added_at_ms    BIGINT       NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_friendships_pair (user_id, friend_id),
    KEY idx_friendships_friend (friend_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- content: plain text for msg_type 'text', a JSON document for the other types (see README.md).
CREATE TABLE IF NOT EXISTS c2c_messages (
    id             BIGINT       NOT NULL AUTO_INCREMENT,
    sender_id      VARCHAR(64)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    receiver_id    VARCHAR(64)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    msg_type       VARCHAR(32)  NOT NULL,
    content        TEXT,
    created_at_ms  BIGINT       NOT NULL,
    bridge_origin  VARCHAR(16),
    PRIMARY KEY (id),
    KEY idx_c2c_sender (sender_id, id),
    KEY idx_c2c_receiver (receiver_id, id),
    -- A conversation's messages by time: how an app reads a chat, and how timbridge finds a message it wrote.
    KEY idx_c2c_conversation (sender_id, receiver_id, created_at_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- group_type: work | public | meeting | live | community (TIM: Private, Public, ChatRoom, AVChatRoom, Community).
CREATE TABLE IF NOT EXISTS im_groups (
    group_id         VARCHAR(64)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    owner_id         VARCHAR(64)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
    group_type       VARCHAR(16)  NOT NULL,
    name             VARCHAR(100) NOT NULL,
    introduction     VARCHAR(1000),
    notification     VARCHAR(1000),
    avatar_url       VARCHAR(512),
    created_at_ms    BIGINT       NOT NULL,
    updated_at_ms    BIGINT       NOT NULL,
    dismissed_at_ms  BIGINT       COMMENT 'NULL while the group exists',
    bridge_origin    VARCHAR(16),
    PRIMARY KEY (group_id),
    KEY idx_groups_owner (owner_id),
    KEY idx_groups_updated (updated_at_ms, group_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- role: owner | admin | member. unread_count: messages of the group this member has not read.
CREATE TABLE IF NOT EXISTS group_members (
    id             BIGINT       NOT NULL AUTO_INCREMENT,
    group_id       VARCHAR(64)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    user_id        VARCHAR(64)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    role           VARCHAR(16)  NOT NULL DEFAULT 'member',
    joined_at_ms   BIGINT       NOT NULL,
    unread_count   INT          NOT NULL DEFAULT 0,
    bridge_origin  VARCHAR(16),
    PRIMARY KEY (id),
    UNIQUE KEY uk_group_members (group_id, user_id),
    KEY idx_group_members_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS group_messages (
    id             BIGINT       NOT NULL AUTO_INCREMENT,
    group_id       VARCHAR(64)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    sender_id      VARCHAR(64)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    msg_type       VARCHAR(32)  NOT NULL,
    content        TEXT,
    created_at_ms  BIGINT       NOT NULL,
    bridge_origin  VARCHAR(16),
    PRIMARY KEY (id),
    KEY idx_group_messages_group (group_id, id),
    KEY idx_group_messages_time (group_id, created_at_ms, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
