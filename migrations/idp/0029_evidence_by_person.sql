-- A person's evidence, revoked or not: their data export lists all of it. One index on every row
-- replaces the partial one (unrevoked only), which the lookups of unrevoked evidence filter just as well.
CREATE INDEX evidence_by_sub ON evidence (sub);
DROP INDEX evidence_sub;
-- A verifier's own decisions, the latest first (their page), without reading all evidence.
CREATE INDEX evidence_by_verifier ON evidence (verifier_sub, created_at) WHERE verifier_sub IS NOT NULL;
