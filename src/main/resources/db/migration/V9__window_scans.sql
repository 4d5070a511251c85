-- Window-mode sources (issue 14): the last complete scan's size, the floor for the next one's
-- (window.min-ratio), and what the last scan concluded, shown on /admin/sources.
ALTER TABLE source_state ADD COLUMN window_items INTEGER;
ALTER TABLE source_state ADD COLUMN window_note TEXT;

-- The known appointments starting inside a scanned window, read once per complete scan.
CREATE INDEX appointment_snapshot_start_idx ON appointment_snapshot (source, start_at);
