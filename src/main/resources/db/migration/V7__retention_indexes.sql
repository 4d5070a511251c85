-- Retention (issue 12): finished deliveries are found by age without scanning pending ones, and the
-- targets' last-hour success rate reads recent attempts by time instead of the whole attempt table.
CREATE INDEX delivery_finished_created_idx ON delivery (created_at) WHERE status <> 'pending';
CREATE INDEX delivery_attempt_attempted_idx ON delivery_attempt (attempted_at);
