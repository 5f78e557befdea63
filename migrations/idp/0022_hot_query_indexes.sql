-- The login step reads a person's latest logins (times and devices) by action, not their whole
-- activity: an index on (subject, action, at) answers it from the newest end (docs/benchmarks.md).
CREATE INDEX audit_events_subject_action ON audit_events (subject, action, at);
