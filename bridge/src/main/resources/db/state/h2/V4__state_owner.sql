-- Which migration this state belongs to: the legacy database and the TIM app its checkpoints and id map
-- describe. One row; a run for another legacy database or TIM app is refused instead of skipping rows.
create table tb_state_owner (
    id          smallint     not null,
    legacy_db   varchar(512) not null,
    tim_app     varchar(64)  not null,
    claimed_at  bigint       not null,
    primary key (id)
);
