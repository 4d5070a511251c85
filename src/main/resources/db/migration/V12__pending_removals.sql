-- Issue 24: a window source that cannot read an appointment by id cancels an absent one only when the scan still
-- lists most of what its last complete scan listed, and no more than a bounded share of the window at once.
-- Absences beyond that wait here for an operator's confirmation (/admin/sources); an appointment listed again
-- leaves this table by itself.
CREATE TABLE pending_removal (
    source         TEXT        NOT NULL,
    appointment_id TEXT        NOT NULL,
    reason         TEXT        NOT NULL,
    why            TEXT        NOT NULL,
    held_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, appointment_id)
);
