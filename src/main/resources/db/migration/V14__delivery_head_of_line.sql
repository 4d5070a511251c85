-- The claim reads one index range per target and nothing else (issue 25). A delivery may go out only while no older
-- delivery of its (target, source, appointment) is pending; that fact is kept on the row (head) instead of being
-- derived by an anti-join in every claim, which, on a burst the planner had no statistics for, walked the whole
-- backlog for every candidate row (a 35,000-row backlog: 284 s per claim). Maintained under a per-key advisory lock
-- by whoever moves a row into or out of 'pending' (DeliveryOrder).
--
-- Runs in Flyway's transaction under the table's lock; if the table is busy for long, the start fails and is retried
-- rather than queueing every writer behind this migration.
SET LOCAL lock_timeout = '30s';

-- Default true: a row written by a replica still running the previous release is claimable (at worst out of order
-- during the upgrade) rather than waiting for ever. A row the earlier release leaves waiting behind nothing (it
-- recorded the outcome without releasing the next one) is found through delivery_waiting_idx and released.
ALTER TABLE delivery ADD COLUMN head BOOLEAN NOT NULL DEFAULT true;
UPDATE delivery d SET head = false
 WHERE d.status = 'pending'
   AND EXISTS (SELECT 1 FROM delivery o
                WHERE o.status = 'pending' AND o.target = d.target AND o.appointment_id = d.appointment_id
                  AND o.id < d.id AND (o.source = d.source OR o.source = '' OR d.source = ''));

-- Leads with the target: a disabled target's backlog is a range no other target's claim enters.
CREATE INDEX delivery_claim_idx ON delivery (target, next_attempt_at, id) WHERE status = 'pending' AND head;
CREATE INDEX delivery_waiting_idx ON delivery (id) WHERE status = 'pending' AND NOT head;
DROP INDEX delivery_due_idx;

-- A queue table churns: analyze and vacuum it after a few percent of change, not the default 10-20 %, so plans and
-- dead index entries follow a burst within seconds where autovacuum runs.
ALTER TABLE delivery SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02,
                          autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0);
ALTER TABLE delivery_attempt SET (autovacuum_analyze_scale_factor = 0.05, autovacuum_vacuum_insert_scale_factor = 0.05);
