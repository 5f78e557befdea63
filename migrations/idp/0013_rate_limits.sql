-- Atomic limits. login_throttle: an attempt is reserved (pending) before the password or code is
-- checked, so parallel guesses cannot all pass one check; pending_since lets a reservation left by a
-- process that died expire with the window. rate_limits: the shared counters of src/kernel/rate_limit
-- (failed client authentication per address; members = the distinct values seen in the window).
ALTER TABLE login_throttle ADD COLUMN pending integer NOT NULL DEFAULT 0;
ALTER TABLE login_throttle ADD COLUMN pending_since timestamptz;

CREATE TABLE rate_limits (
  key bytea PRIMARY KEY,
  hits integer NOT NULL,
  window_start timestamptz NOT NULL,
  members bytea[] NOT NULL DEFAULT '{}'
);
