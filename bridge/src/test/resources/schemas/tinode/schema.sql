-- Tinode's MySQL schema, the four tables an import into TIM reads, with Tinode's own names, types and indexes.
-- Source: github.com/tinode/chat, server/db/mysql/adapter.go (CreateDb), commit
-- 22a7c18e9cd695e9a061bf1b8c84175196ef5a15. Tinode creates its database with utf8mb4_0900_ai_ci, a MySQL 8
-- collation MariaDB lacks; the test database's utf8mb4_unicode_ci is case-insensitive as well.
-- Tables left out: usertags, devices, auth, topictags, dellog, credentials, fileuploads, filemsglinks, kvmeta.

CREATE TABLE users(
    id        BIGINT NOT NULL,
    createdat DATETIME(3) NOT NULL,
    updatedat DATETIME(3) NOT NULL,
    state     SMALLINT NOT NULL DEFAULT 0,
    stateat   DATETIME(3),
    access    JSON,
    lastseen  DATETIME,
    useragent VARCHAR(255) DEFAULT '',
    public    JSON,
    trusted   JSON,
    tags      JSON,
    PRIMARY KEY(id),
    INDEX users_state_stateat(state, stateat),
    INDEX users_lastseen_updatedat(lastseen, updatedat)
);

CREATE TABLE topics(
    id        INT NOT NULL AUTO_INCREMENT,
    createdat DATETIME(3) NOT NULL,
    updatedat DATETIME(3) NOT NULL,
    state     SMALLINT NOT NULL DEFAULT 0,
    stateat   DATETIME(3),
    touchedat DATETIME(3),
    name      CHAR(25) NOT NULL,
    usebt     TINYINT DEFAULT 0,
    owner     BIGINT NOT NULL DEFAULT 0,
    access    JSON,
    seqid     INT NOT NULL DEFAULT 0,
    delid     INT DEFAULT 0,
    subcnt    INT DEFAULT 0,
    public    JSON,
    trusted   JSON,
    tags      JSON,
    aux       JSON,
    PRIMARY KEY(id),
    UNIQUE INDEX topics_name(name),
    INDEX topics_owner(owner),
    INDEX topics_state_stateat(state, stateat),
    INDEX topics_name_state_seqid(name, state, seqid)
);

CREATE TABLE subscriptions(
    id        INT NOT NULL AUTO_INCREMENT,
    createdat DATETIME(3) NOT NULL,
    updatedat DATETIME(3) NOT NULL,
    deletedat DATETIME(3),
    userid    BIGINT NOT NULL,
    topic     CHAR(25) NOT NULL,
    delid     INT DEFAULT 0,
    recvseqid INT DEFAULT 0,
    readseqid INT DEFAULT 0,
    modewant  CHAR(8),
    modegiven CHAR(8),
    private   JSON,
    PRIMARY KEY(id),
    FOREIGN KEY(userid) REFERENCES users(id),
    UNIQUE INDEX subscriptions_topic_userid(topic, userid),
    INDEX subscriptions_topic(topic),
    INDEX subscriptions_deletedat(deletedat),
    INDEX subscriptions_userid_topic_deletedat(userid, topic, deletedat)
);

CREATE TABLE messages(
    id        INT NOT NULL AUTO_INCREMENT,
    createdat DATETIME(3) NOT NULL,
    updatedat DATETIME(3) NOT NULL,
    deletedat DATETIME(3),
    delid     INT DEFAULT 0,
    seqid     INT NOT NULL,
    topic     CHAR(25) NOT NULL,
    `from`    BIGINT NOT NULL,
    head      JSON,
    content   JSON,
    PRIMARY KEY(id),
    FOREIGN KEY(topic) REFERENCES topics(name),
    UNIQUE INDEX messages_topic_seqid(topic, seqid)
);
