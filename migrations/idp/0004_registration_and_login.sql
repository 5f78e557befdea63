-- Self-registration waits here until the phone is proved; the form data (with the password already
-- hashed) is encrypted, and rows expire.
CREATE TABLE pending_registrations (
  id text PRIMARY KEY,
  data_cipher text NOT NULL,
  otp_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX pending_registrations_expires ON pending_registrations (expires_at);

-- PDPA: which version of the privacy notice each person accepted, and when.
CREATE TABLE privacy_consents (
  sub text NOT NULL REFERENCES accounts (sub) ON DELETE CASCADE,
  version text NOT NULL,
  accepted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sub, version)
);

-- Requests to delete an account, kept for an administrator: health records may require retention.
CREATE TABLE deletion_requests (
  id bigserial PRIMARY KEY,
  sub text NOT NULL,
  reason text NOT NULL DEFAULT '',
  requested_at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'refused'))
);
CREATE INDEX deletion_requests_status ON deletion_requests (status, requested_at);

-- The factors a person has passed so far in one login interaction (keyed by its uid), e.g. the
-- password before a second factor, and the one-time code sent for an SMS second factor.
CREATE TABLE login_progress (
  uid text PRIMARY KEY,
  sub text NOT NULL,
  factors text[] NOT NULL,
  sms_otp_id text,
  expires_at timestamptz NOT NULL
);
CREATE INDEX login_progress_expires ON login_progress (expires_at);

ALTER TABLE accounts ADD COLUMN password_changed_at timestamptz;

-- A person's sessions and connected applications are listed from oidc-provider's own records.
CREATE INDEX oidc_models_account ON oidc_models (model, (payload ->> 'accountId')) WHERE model IN ('Session', 'Grant');

-- "Forgot password": a request proved by birth date and a code to the account's verified phone.
-- A request whose details matched no account has no sub and can never be completed, but looks the same.
CREATE TABLE account_recoveries (
  id text PRIMARY KEY,
  sub text REFERENCES accounts (sub) ON DELETE CASCADE,
  otp_id text,
  phone_verified_at timestamptz,
  expires_at timestamptz NOT NULL
);
CREATE INDEX account_recoveries_expires ON account_recoveries (expires_at);
