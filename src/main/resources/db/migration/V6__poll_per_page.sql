-- Poll cycles commit page by page (issue 10). A cycle is claimed with a lease instead of a transaction-scoped
-- advisory lock, since no transaction spans the cycle: fence grows with every claim and every page commit
-- checks it, so a replica that outlived its lease cannot write.
ALTER TABLE source_state ADD COLUMN fence BIGINT NOT NULL DEFAULT 0;
ALTER TABLE source_state ADD COLUMN lease_owner TEXT;
ALTER TABLE source_state ADD COLUMN lease_until TIMESTAMPTZ;
-- Deletes: next Appointment/_history?_since=, and why detection is off when the server refused _history.
ALTER TABLE source_state ADD COLUMN history_cursor_at TIMESTAMPTZ;
ALTER TABLE source_state ADD COLUMN deletes_off_reason TEXT;

-- Cancellations seen in a cycle that has not ended: a later page may show a rebooking, which folds them.
-- Appended to the event log when the cycle ends, or dropped when folded. Kept here, not in memory, because
-- the pages that saw them are already committed.
CREATE TABLE held_cancellation (
    source         TEXT        NOT NULL,
    appointment_id TEXT        NOT NULL,
    uuid           UUID        NOT NULL,
    patient_id     TEXT,
    occurred_at    TIMESTAMPTZ NOT NULL,
    payload        TEXT        NOT NULL,
    held_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (source, appointment_id)
);

-- Upstream records that could not be read (no status, unknown status code, unparseable date). Ids and the
-- reason only, never the record. A row goes when a readable version of the appointment is seen.
CREATE TABLE quarantine (
    source          TEXT        NOT NULL,
    appointment_id  TEXT        NOT NULL,
    reason          TEXT        NOT NULL,
    last_updated    TIMESTAMPTZ,
    first_seen_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (source, appointment_id)
);
