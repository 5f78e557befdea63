-- An administrator's decision on a deletion request (PDPA): who decided, when, why, and what was
-- deleted, anonymised and kept (outcome). An account carried out is anonymised, not removed: its sub
-- stays for the audit log and the evidence the law requires to be kept; deleted_at marks it.
ALTER TABLE deletion_requests ADD COLUMN decided_at timestamptz, ADD COLUMN decided_by text, ADD COLUMN decision_reason text, ADD COLUMN outcome jsonb;
ALTER TABLE accounts ADD COLUMN deleted_at timestamptz;
