-- Where an import dead letter's legacy row was read: the keyset position its page started after, so a replay
-- re-reads the row as it is now (a fix in the data or the import SQL goes through) instead of the stored copy.
alter table tb_dead_letter add column legacy_page varchar(1000);
