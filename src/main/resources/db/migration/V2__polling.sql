-- Last known state of every polled appointment, per source. Only normalized fields: no patient names.
CREATE TABLE appointment_snapshot (
    source           TEXT        NOT NULL,
    appointment_id   TEXT        NOT NULL,
    status           TEXT        NOT NULL,
    start_at         TIMESTAMPTZ,
    end_at           TIMESTAMPTZ,
    duration_minutes INTEGER,
    provider_id      TEXT,
    location_id      TEXT,
    patient_id       TEXT,
    replaces_id      TEXT,                 -- the appointment this one was rebooked from
    replaced_by_id   TEXT,                 -- set on the earlier one when a rebooking is seen
    content_hash     TEXT        NOT NULL,
    last_updated     TIMESTAMPTZ,          -- the source's meta.lastUpdated
    last_seen_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (source, appointment_id)
);

-- One row per configured source: its cursor and what the last poll did (shown by GET /admin/sources).
CREATE TABLE source_state (
    name              TEXT PRIMARY KEY,
    cursor_at         TIMESTAMPTZ,          -- next poll reads _lastUpdated=ge{cursor_at}
    baseline_done     BOOLEAN     NOT NULL DEFAULT FALSE,
    last_poll_at      TIMESTAMPTZ,
    last_success_at   TIMESTAMPTZ,
    last_result       TEXT,                 -- ok | failed | skipped
    last_error        TEXT,                 -- status and reason only, never a response body
    last_records      INTEGER     NOT NULL DEFAULT 0,
    last_events       INTEGER     NOT NULL DEFAULT 0,
    polls_ok          BIGINT      NOT NULL DEFAULT 0,
    polls_failed      BIGINT      NOT NULL DEFAULT 0,
    events_total      BIGINT      NOT NULL DEFAULT 0
);
