-- Until when a claimed delivery may be in flight (the claim's lease); null once its outcome is recorded. An operator's
-- retry or replay of an appointment's older delivery waits until no delivery of that appointment is in flight, so a
-- receiver never has two of its states on the wire at once, older finishing last. A nullable column: a catalogue
-- change only, no rewrite; rows of an earlier release's claims leave it null (not known to be in flight).
SET LOCAL lock_timeout = '5s';

ALTER TABLE delivery ADD COLUMN in_flight_until TIMESTAMPTZ;

-- Each replica's targets as the outbox needs them (name, format, event filter; no address, no secret), so an event
-- any replica takes in gets a row for the targets of every live replica: [{"name", "format", "events": [...]}].
-- A constant default on a small table; replicas of the release before write none (their targets are then known to
-- the others only once they run this release).
ALTER TABLE replica ADD COLUMN target_specs JSONB NOT NULL DEFAULT '[]';
