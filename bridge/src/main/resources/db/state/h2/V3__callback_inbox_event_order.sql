-- The drain reads the earliest NEW events first (event time, then MsgSeq, then arrival), so that a batch
-- never leaves out an earlier event of a conversation it applies.
create index ix_callback_inbox_event_order on tb_callback_inbox (status, event_order, event_seq, id);
