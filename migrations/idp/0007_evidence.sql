-- Identity proofing evidence: what was checked, by which method, where and by whom, and the decision.
-- An account's IAL is computed from its unrevoked evidence by the policy table (src/proofing/policy.ts);
-- no bare level is stored.
CREATE TABLE evidence (
  id bigserial PRIMARY KEY,
  sub text NOT NULL REFERENCES accounts (sub) ON DELETE CASCADE,
  method text NOT NULL,
  checks text[] NOT NULL,
  documents jsonb NOT NULL DEFAULT '[]',
  unit_hcode text,
  verifier_sub text,
  decision text NOT NULL CHECK (decision IN ('approved', 'rejected')),
  reason text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  revoked_by text,
  revoke_reason text
);
CREATE INDEX evidence_sub ON evidence (sub) WHERE revoked_at IS NULL;

-- Every try of a remote proofing method (for the per-day limits), without the data that was typed.
CREATE TABLE proofing_attempts (
  id bigserial PRIMARY KEY,
  sub text NOT NULL REFERENCES accounts (sub) ON DELETE CASCADE,
  method text NOT NULL,
  outcome text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX proofing_attempts_sub ON proofing_attempts (sub, method, at);
