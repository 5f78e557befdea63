-- A person's evidence, revoked or not: their data export lists all of it. One index on every row
-- replaces the partial one (unrevoked only), which the lookups of unrevoked evidence filter just as well.
CREATE INDEX evidence_by_sub ON evidence (sub);
DROP INDEX evidence_sub;
