-- Upstream identity providers (ThaID first): a login under way at the upstream (its state, nonce and
-- PKCE verifier, encrypted, used once, ten minutes), and what an upstream vouched for once its ID token
-- was validated, held for the page that uses it (encrypted, used once, thirty minutes). The upstream's
-- access and refresh tokens are never stored.
CREATE TABLE upstream_logins (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('login', 'assertion')),
  upstream text NOT NULL,
  purpose text NOT NULL,
  data_cipher text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX upstream_logins_expires ON upstream_logins (expires_at);

-- Evidence from an upstream identity provider: its issuer, its subject (encrypted), the level it
-- asserted, the card data it vouched for, the mapping applied and the level granted (JSON).
ALTER TABLE evidence ADD COLUMN upstream jsonb;
