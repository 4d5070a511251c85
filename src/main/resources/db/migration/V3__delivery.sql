-- Outbox: one row per event x target, created in the event's own transaction.
CREATE TABLE delivery (
    id               BIGSERIAL PRIMARY KEY,
    event_id         BIGINT      NOT NULL REFERENCES event (id),
    target           TEXT        NOT NULL,
    status           TEXT        NOT NULL,      -- pending | sent | dead | skipped
    attempts         INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),  -- also the claim lease while in flight
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_attempt_at  TIMESTAMPTZ,
    last_status_code INTEGER,
    last_error       TEXT,
    sent_at          TIMESTAMPTZ,
    UNIQUE (event_id, target)
);
CREATE INDEX delivery_due_idx ON delivery (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX delivery_target_idx ON delivery (target, status, id);

-- Every attempt, for operators: status code, duration, error, the start of the response body.
CREATE TABLE delivery_attempt (
    id            BIGSERIAL PRIMARY KEY,
    delivery_id   BIGINT      NOT NULL REFERENCES delivery (id),
    attempt       INTEGER     NOT NULL,
    attempted_at  TIMESTAMPTZ NOT NULL,
    status_code   INTEGER,
    duration_ms   INTEGER     NOT NULL,
    error         TEXT,
    response_body TEXT
);
CREATE INDEX delivery_attempt_delivery_idx ON delivery_attempt (delivery_id, id);

-- A target disabled by a 410 Gone (or an operator) stays disabled across restarts until enabled.
CREATE TABLE target_state (
    name            TEXT PRIMARY KEY,
    enabled         BOOLEAN     NOT NULL DEFAULT TRUE,
    disabled_reason TEXT,
    changed_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
