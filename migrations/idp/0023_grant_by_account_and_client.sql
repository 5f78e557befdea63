-- Every login looks up the person's consent for the client (src/idp/oidc/sessions.ts latestGrantId).
-- With only (model, accountId) and (model, clientId) to choose from, the planner could walk every
-- grant of a national relying party (measured: milliseconds at thousands of accounts, growing with
-- them); one index on both answers it in one probe at any size (docs/benchmarks.md).
CREATE INDEX oidc_models_grant_account_client ON oidc_models ((payload ->> 'accountId'), (payload ->> 'clientId'), expires_at) WHERE model = 'Grant';
