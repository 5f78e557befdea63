-- A resource server an administrator disabled: the token endpoint refuses it (invalid_target) until it
-- is enabled again (src/idp/admin/resource_servers). Its row stays, so its settings come back with it.
ALTER TABLE resource_servers ADD COLUMN disabled_at timestamptz;
