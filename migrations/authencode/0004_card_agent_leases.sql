-- Card reader agents that register themselves with their IdP client-credentials token hold a lease,
-- renewed while the IdP keeps issuing them tokens; their card reads count only while it runs.
-- Agents registered by an operator (`mpid authencode agent register`) have none (NULL).
ALTER TABLE authencode.card_agents ADD COLUMN lease_until timestamptz;
