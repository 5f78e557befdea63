-- Phone one-time codes: only a keyed hash of each code is stored; tries and resends are counted.
CREATE TABLE otp_codes (
  id text PRIMARY KEY,
  phone_index bytea NOT NULL,
  purpose text NOT NULL,
  code_hash bytea NOT NULL,
  address_index bytea NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX otp_codes_phone ON otp_codes (phone_index, created_at);
CREATE INDEX otp_codes_address ON otp_codes (address_index, created_at);
CREATE INDEX otp_codes_expires ON otp_codes (expires_at);

-- Test zone only: the SMS messages that would have been sent (GET /test-zone/sms?to=…).
CREATE TABLE sms_outbox (
  id bigserial PRIMARY KEY,
  to_index bytea NOT NULL,
  to_cipher text NOT NULL,
  body_cipher text NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sms_outbox_to ON sms_outbox (to_index, sent_at);
