-- Authenticator apps (TOTP, RFC 6238). The secret is personal-data ciphertext; a pending secret
-- waits for its first code. last_used_step makes each code work once (replay protection).
CREATE TABLE totp_authenticators (
  sub text PRIMARY KEY REFERENCES accounts (sub) ON DELETE CASCADE,
  secret_cipher text,
  pending_cipher text,
  confirmed_at timestamptz,
  last_used_step bigint,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Single-use recovery codes, stored only as keyed hashes.
CREATE TABLE recovery_codes (
  sub text NOT NULL REFERENCES accounts (sub) ON DELETE CASCADE,
  code_hash bytea NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sub, code_hash)
);

-- Passkeys (WebAuthn credentials with user verification). device_type 'singleDevice' means bound to
-- one authenticator (hardware), which with the password reaches AAL 3.
CREATE TABLE passkeys (
  id text PRIMARY KEY,
  sub text NOT NULL REFERENCES accounts (sub) ON DELETE CASCADE,
  public_key bytea NOT NULL,
  counter bigint NOT NULL DEFAULT 0,
  transports text[] NOT NULL DEFAULT '{}',
  device_type text NOT NULL,
  backed_up boolean NOT NULL,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);
CREATE INDEX passkeys_sub ON passkeys (sub);

-- The random WebAuthn user handle of an account (never its ID number or sub).
CREATE TABLE webauthn_users (
  sub text PRIMARY KEY REFERENCES accounts (sub) ON DELETE CASCADE,
  handle text NOT NULL UNIQUE
);

-- WebAuthn challenges: single use, short-lived, bound to the account when one is known.
CREATE TABLE webauthn_challenges (
  id text PRIMARY KEY,
  sub text,
  purpose text NOT NULL CHECK (purpose IN ('register', 'authenticate')),
  challenge text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX webauthn_challenges_expires ON webauthn_challenges (expires_at);
