-- TRUNCATE skips row triggers: without this a single statement emptied the append-only audit log and
-- left a chain that verifies (zero events). Refused like UPDATE and DELETE.
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
