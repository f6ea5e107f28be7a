-- Trigram search over residents' names (typo-tolerant, any script), and btree_gin so one GIN
-- index can lead with department_id. Both are "trusted" extensions: a database owner may
-- create them without superuser rights (PostgreSQL ≥ 13); PGlite loads them at open.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gin;
