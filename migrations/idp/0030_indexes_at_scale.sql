-- Lookups that read a whole table once it holds millions of rows (found by checking every statement
-- against the indexes; test/idp/hot_queries.test.ts checks their plans).
-- The administrators' audit log by date, and by service unit (an event names it as unit or hcode).
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_unit ON audit_events ((detail ->> 'unit')) WHERE detail ->> 'unit' IS NOT NULL;
CREATE INDEX audit_events_hcode ON audit_events ((detail ->> 'hcode')) WHERE detail ->> 'hcode' IS NOT NULL;
-- The sweeper's spent counters, every minute in every process. (Not pending_since: every login
-- changes it, and an index on it would cost those updates their in-place (HOT) writes.)
CREATE INDEX login_throttle_last_failure ON login_throttle (last_failure_at);
CREATE INDEX rate_limits_window ON rate_limits (window_start);
-- The coverage refresher's backlog, oldest first, every ten seconds.
CREATE INDEX coverage_pending_noted ON coverage_pending (noted_at);
-- One person's deletion requests (privacy page, data export), recoveries (a finished reset removes
-- them) and roles, withdrawn ones too (their history; an account's deletion cascades to them).
CREATE INDEX deletion_requests_sub ON deletion_requests (sub, requested_at);
CREATE INDEX account_recoveries_sub ON account_recoveries (sub);
CREATE INDEX unit_roles_sub ON unit_roles (sub, granted_at);
-- A unit's verifiers and administrators (its page, and the counts on the units list, per unit shown).
CREATE INDEX unit_roles_unit ON unit_roles (hcode, role, granted_at);
