-- The bridge state (checkpoints, id map, dead letters, callback inbox) in a database of its own beside the
-- legacy one, created at the MySQL container's first start; timbridge creates its tables (Flyway) on start.
-- utf8mb4_bin: the state keys hold IM account and group ids, which are case-sensitive ('Alice' and 'alice'
-- are two dead letters, two id-map entries), and the state DDL takes the database's default collation.
CREATE DATABASE IF NOT EXISTS timbridge_state CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
GRANT ALL PRIVILEGES ON timbridge_state.* TO 'timbridge'@'%';
