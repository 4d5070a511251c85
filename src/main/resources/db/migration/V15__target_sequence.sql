-- Every delivery a target is sent carries the next number of that target's sequence (bridge-sequence), gapless from
-- 1: the outbox insert takes the numbers from target_sequence in the event's own transaction, so a rollback gives
-- them back and two replicas serialise on the target's row. Skipped rows (the format cannot express the event) are
-- never sent and take no number. The receiver fetches what it missed from GET /feed/<target> by number.
SET LOCAL lock_timeout = '30s';

CREATE TABLE target_sequence (
    target       TEXT PRIMARY KEY,
    last         BIGINT      NOT NULL DEFAULT 0,    -- the last number assigned (committed)
    heartbeat_at TIMESTAMPTZ                        -- the last heartbeat sent, so one replica sends each
);

ALTER TABLE delivery ADD COLUMN sequence BIGINT;

-- What was stored before numbering began is numbered in the order it was stored.
UPDATE delivery d SET sequence = n.seq
  FROM (SELECT id, row_number() OVER (PARTITION BY target ORDER BY id) AS seq FROM delivery
         WHERE status <> 'skipped') n
 WHERE d.id = n.id;
INSERT INTO target_sequence (target, last)
SELECT target, max(sequence) FROM delivery WHERE sequence IS NOT NULL GROUP BY target;

-- The feed reads one range of it; unique: no number is ever given twice.
CREATE UNIQUE INDEX delivery_sequence_idx ON delivery (target, sequence) WHERE sequence IS NOT NULL;
