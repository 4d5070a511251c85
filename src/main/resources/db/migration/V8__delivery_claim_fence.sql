-- Fencing token of the delivery claim (issue 13): every claim increments it, and an outcome is recorded only
-- if the row still carries the claim it was sent under. A worker that outlived its lease cannot overwrite
-- the outcome of the worker that claimed the row after it. Never reset (attempts is, by an operator retry).
ALTER TABLE delivery ADD COLUMN claim BIGINT NOT NULL DEFAULT 0;

-- The admin view's "last error" of a target reads the newest failed attempts only (bench/retention.sh: with
-- 5 million attempts and few errors, the search walked the whole table: /admin/targets p50 1.3 s).
CREATE INDEX delivery_attempt_error_idx ON delivery_attempt (id) WHERE error IS NOT NULL;
