-- Durable inbox of TIM callbacks: a callback is stored here before TIM gets its OK, then applied to the
-- legacy database in event order per ordering key. The unique idempotency key makes a replayed callback
-- (or a message the gap sweep finds again) a no-op. event_order (ms: MsgTime × 1000 for messages,
-- EventTime for group events) and event_seq (MsgSeq) order the callbacks of one conversation, which TIM
-- may deliver out of order.
-- status: NEW (to apply), APPLIED (written), SKIPPED (echo, failed send, online-only: nothing to
-- write), DEAD (could not be applied: see tb_dead_letter).
create table tb_callback_inbox (
    id               bigint not null auto_increment,
    idempotency_key  varchar(191) character set utf8mb4 collate utf8mb4_bin not null,
    command          varchar(64)  not null,
    ordering_key     varchar(191) character set utf8mb4 collate utf8mb4_bin not null,
    opt_platform     varchar(32),
    payload          mediumtext not null,
    event_order      bigint       not null,
    event_seq        bigint       not null,
    received_at      bigint       not null,
    status           varchar(16)  not null,
    skip_reason      varchar(32),
    done_at          bigint,
    primary key (id),
    constraint uq_callback_inbox_key unique (idempotency_key)
);
create index ix_callback_inbox_status on tb_callback_inbox (status, id);
