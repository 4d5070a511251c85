-- Which replica made each attempt, so operators (and the two-replica test) see how work is spread.
ALTER TABLE delivery_attempt ADD COLUMN instance TEXT;
