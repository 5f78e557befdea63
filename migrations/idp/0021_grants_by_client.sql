-- The administration console says how many people granted each relying party access: grants are
-- counted by client without reading every grant, and a disabled client's tokens are found by client.
CREATE INDEX oidc_models_client ON oidc_models (model, (payload ->> 'clientId')) WHERE model IN ('Grant', 'AuthorizationCode', 'AccessToken', 'RefreshToken', 'ClientCredentials');
