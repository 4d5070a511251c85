-- Deliveries are ordered per (target, source, appointment id): JSON APIs number their ids from 1, so two systems'
-- appointment 1042 are different appointments, and a retrying delivery of one must not hold the other back.
-- A constant default makes this a catalogue change only (no table rewrite, no long lock on a large delivery table,
-- safe under live traffic). Rows written before it, or by a replica still running the older release, carry ''
-- and are ordered against every source's rows of that id, as before; no backfill is needed. The claim's ordering
-- check keeps using delivery_pending_appointment_idx (target, appointment_id, id) and compares the source on the
-- few rows it finds there.
ALTER TABLE delivery ADD COLUMN source TEXT NOT NULL DEFAULT '';
