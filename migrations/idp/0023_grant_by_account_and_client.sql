-- Every login looks up the person's consent for the client (src/idp/oidc/sessions.ts latestGrantId).
-- With only (model, accountId) and (model, clientId) to choose from, the planner could walk every
-- grant of a national relying party (measured: milliseconds at thousands of accounts, growing with
-- them); one index on both answers it in one probe at any size (docs/benchmarks.md).
CREATE INDEX oidc_models_grant_account_client ON oidc_models ((payload ->> 'accountId'), (payload ->> 'clientId'), expires_at) WHERE model = 'Grant';

-- Revoking a grant's tokens (a reused refresh token, logout, a revoked consent) finds them by grant
-- and model in one probe; with (grant_id) alone beside (model, clientId) the planner could prefer to
-- walk every access token of the model.
DROP INDEX oidc_models_grant_id;
CREATE INDEX oidc_models_grant_id_model ON oidc_models (grant_id, model) WHERE grant_id IS NOT NULL;
