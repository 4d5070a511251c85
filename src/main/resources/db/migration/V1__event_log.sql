-- The one event log: received (source = 'inbound') and poll-derived events alike.
CREATE TABLE event (
    id              BIGSERIAL PRIMARY KEY,          -- event_id of the receiving contract
    uuid            UUID        NOT NULL UNIQUE,    -- stable webhook-id on every delivery
    type            TEXT        NOT NULL,
    source          TEXT        NOT NULL,
    appointment_id  TEXT        NOT NULL,
    patient_id      TEXT,
    occurred_at     TIMESTAMPTZ NOT NULL,
    received_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    idempotency_key TEXT,
    request_hash    TEXT,                           -- to tell a retry from a reused key
    notes           TEXT,
    payload         TEXT        NOT NULL            -- exact canonical JSON bytes (jsonb would reorder keys)
);

CREATE UNIQUE INDEX event_idempotency_uk ON event (source, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX event_appointment_idx ON event (appointment_id, id);
CREATE INDEX event_patient_idx ON event (patient_id, id);
CREATE INDEX event_type_idx ON event (type, id);
CREATE INDEX event_received_idx ON event (received_at);
