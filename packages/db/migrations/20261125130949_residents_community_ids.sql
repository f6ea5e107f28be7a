DROP INDEX "residents_flags_idx";--> statement-breakpoint
DROP INDEX "residents_consents_idx";--> statement-breakpoint
ALTER TABLE "residents" ADD COLUMN "community_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
-- residents.community_ids = every community the resident belongs to and all their ancestors,
-- so "members of X or anything inside it" is one array test served by a GIN index.
CREATE OR REPLACE FUNCTION kaveret_resident_community_ids(dept uuid, resident uuid) RETURNS uuid[]
LANGUAGE sql STABLE AS $$
  WITH RECURSIVE up(id, depth) AS (
    SELECT rc.community_id, 0 FROM resident_communities rc
    WHERE rc.department_id = dept AND rc.resident_id = resident
    UNION
    SELECT c.parent_id, up.depth + 1 FROM up
    JOIN communities c ON c.department_id = dept AND c.id = up.id
    WHERE c.parent_id IS NOT NULL AND up.depth < 32
  )
  SELECT coalesce(array_agg(DISTINCT id ORDER BY id), '{}'::uuid[]) FROM up
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION kaveret_memberships_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE residents r SET community_ids = kaveret_resident_community_ids(r.department_id, r.id)
    WHERE (r.department_id, r.id) IN (SELECT DISTINCT department_id, resident_id FROM new_rows);
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE residents r SET community_ids = kaveret_resident_community_ids(r.department_id, r.id)
    WHERE (r.department_id, r.id) IN (SELECT DISTINCT department_id, resident_id FROM old_rows);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER resident_communities_ids_insert AFTER INSERT ON resident_communities
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kaveret_memberships_changed();--> statement-breakpoint
CREATE TRIGGER resident_communities_ids_update AFTER UPDATE ON resident_communities
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kaveret_memberships_changed();--> statement-breakpoint
CREATE TRIGGER resident_communities_ids_delete AFTER DELETE ON resident_communities
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kaveret_memberships_changed();--> statement-breakpoint
-- A community moved under another parent: its members' (and its descendants' members') ancestors change.
CREATE OR REPLACE FUNCTION kaveret_community_moved() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE residents r SET community_ids = kaveret_resident_community_ids(r.department_id, r.id)
  WHERE r.department_id = NEW.department_id AND r.community_ids @> ARRAY[NEW.id];
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER communities_moved_ids AFTER UPDATE OF parent_id ON communities
  FOR EACH ROW WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id) EXECUTE FUNCTION kaveret_community_moved();--> statement-breakpoint
-- Existing rows, in one pass.
WITH RECURSIVE up(department_id, resident_id, id, depth) AS (
  SELECT rc.department_id, rc.resident_id, rc.community_id, 0 FROM resident_communities rc
  UNION
  SELECT up.department_id, up.resident_id, c.parent_id, up.depth + 1 FROM up
  JOIN communities c ON c.department_id = up.department_id AND c.id = up.id
  WHERE c.parent_id IS NOT NULL AND up.depth < 32
), agg AS (
  SELECT department_id, resident_id, array_agg(DISTINCT id ORDER BY id) AS ids FROM up GROUP BY 1, 2
)
UPDATE residents r SET community_ids = agg.ids FROM agg
WHERE r.department_id = agg.department_id AND r.id = agg.resident_id;--> statement-breakpoint
CREATE INDEX "residents_attrs_idx" ON "residents" USING gin ("department_id","community_ids","flag_tokens","languages","consents","community_roles");
