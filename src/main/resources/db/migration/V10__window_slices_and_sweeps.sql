-- Issue 18: window scans per scope and slice, reconciliation sweeps, the complete-through watermark.

-- Each scope and slice's last complete scan (the floor for the next one, window.min-ratio) and its last
-- short scan (two short answers that agree are taken as the slice's new size).
CREATE TABLE window_slice (
    source         TEXT        NOT NULL,
    scope          TEXT        NOT NULL,
    slice_start    TIMESTAMPTZ NOT NULL,
    complete_items INTEGER     NOT NULL,
    short_items    INTEGER,
    scanned_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, scope, slice_start)
);

-- Replaced by window_slice: one floor per scope and slice instead of one per source.
ALTER TABLE source_state DROP COLUMN window_items;

-- Where a cursor source's sweep stands, spread over its cycles.
ALTER TABLE source_state ADD COLUMN sweep_due_at TIMESTAMPTZ;
ALTER TABLE source_state ADD COLUMN sweep_from TIMESTAMPTZ;
ALTER TABLE source_state ADD COLUMN sweep_next_unit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE source_state ADD COLUMN sweep_started_at TIMESTAMPTZ;
ALTER TABLE source_state ADD COLUMN sweep_note TEXT;
-- A window source's start of its last complete scan (cursor sources: their cursor).
ALTER TABLE source_state ADD COLUMN complete_through_at TIMESTAMPTZ;

-- The scope columns a window scan's known appointments are found by.
CREATE INDEX appointment_snapshot_location_start_idx ON appointment_snapshot (source, location_id, start_at);

-- When the source's first sync finished: a window slice seen for the first time announces only what was booked
-- or changed since then (older bookings are that slice's baseline). Existing sources: their last success, the
-- closest known.
ALTER TABLE source_state ADD COLUMN baseline_at TIMESTAMPTZ;
UPDATE source_state SET baseline_at = last_success_at WHERE baseline_done;
