-- Deliveries of one appointment to one target go out in order of creation: a row is claimable only
-- while no older row of the same (target, appointment) is still pending. The appointment id is copied
-- onto the delivery so that check is one index probe.
ALTER TABLE delivery ADD COLUMN appointment_id TEXT;
UPDATE delivery d SET appointment_id = e.appointment_id FROM event e WHERE e.id = d.event_id;
ALTER TABLE delivery ALTER COLUMN appointment_id SET NOT NULL;
CREATE INDEX delivery_pending_appointment_idx ON delivery (target, appointment_id, id) WHERE status = 'pending';
