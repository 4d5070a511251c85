-- Each running replica, so that replicas configured differently (a canary, a rollout half done) see each other: its
-- name, release, a fingerprint of its sources and targets (names, kinds and addresses; never a secret), the names it
-- serves, and when it was last seen. A target's pending deliveries are retired only when no replica seen within the
-- grace period has it. A new small table: no lock on any existing one.
CREATE TABLE replica (
    instance    TEXT PRIMARY KEY,
    version     TEXT        NOT NULL,
    fingerprint TEXT        NOT NULL,
    targets     TEXT[]      NOT NULL,
    sources     TEXT[]      NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen   TIMESTAMPTZ NOT NULL DEFAULT now()
);
