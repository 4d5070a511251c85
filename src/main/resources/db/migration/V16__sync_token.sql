-- mode=sync-token: the opaque token the last complete listing of a JSON source ended with (Google Calendar's
-- nextSyncToken, a Graph delta link); null means the next listing is a full one.
ALTER TABLE source_state ADD COLUMN sync_token TEXT;
