-- The shared counters of src/kernel/rate_limit: forged or expired bearer tokens per client address,
-- and the distinct people (keyed hashes of ID numbers, in members) each API caller looked up.
CREATE TABLE authencode.rate_limits (
  key bytea PRIMARY KEY,
  hits integer NOT NULL,
  window_start timestamptz NOT NULL,
  members bytea[] NOT NULL DEFAULT '{}'
);
