-- Bridge state: what timbridge itself must remember to be resumable and idempotent.
-- Nothing here is needed to rebuild TIM's data: TIM's own dedup keys are derived from legacy ids.

-- Progress of each import route: the last legacy key whose TIM call succeeded, per scope
-- (the empty scope for a whole table, or e.g. a GroupId for per-group history).
create table tb_checkpoint (
    route_id    varchar(64)  not null,
    scope_key   varchar(191) not null,
    position    varchar(191) not null,
    done_count  bigint       not null,
    finished    smallint     not null,
    updated_at  bigint       not null,
    primary key (route_id, scope_key)
);

-- Items TIM refused (or that cannot be converted), with everything needed to fix and replay them.
create table tb_dead_letter (
    id          bigint not null auto_increment,
    route_id    varchar(64)   not null,
    item_key    varchar(191)  not null,
    tim_api     varchar(100),
    error_code  integer,
    reason      varchar(2000) not null,
    payload     mediumtext,
    created_at  bigint        not null,
    status      varchar(16)   not null,
    attempts    integer       not null,
    primary key (id),
    constraint uq_dead_letter_item unique (route_id, item_key)
);
create index ix_dead_letter_status on tb_dead_letter (status, route_id);

-- Legacy id <-> TIM identity of every message and group the bridge moved in either direction
-- (group messages: GroupId + MsgSeq; C2C: MsgKey or the import triple).
create table tb_id_map (
    kind        varchar(16)  not null,
    legacy_id   varchar(191) not null,
    tim_key     varchar(191) not null,
    direction   char(1)      not null,
    created_at  bigint       not null,
    primary key (kind, legacy_id),
    constraint uq_id_map_tim unique (kind, tim_key)
);
