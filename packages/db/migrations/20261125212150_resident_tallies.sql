CREATE TABLE "resident_count_deltas" (
	"department_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"n" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resident_counts" (
	"department_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "resident_counts_department_id_community_id_metric_pk" PRIMARY KEY("department_id","community_id","metric")
);
--> statement-breakpoint
CREATE TABLE "resident_household_members" (
	"department_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "resident_household_members_department_id_community_id_household_id_pk" PRIMARY KEY("department_id","community_id","household_id")
);
--> statement-breakpoint
CREATE TABLE "resident_map_cell_deltas" (
	"department_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"cx" integer NOT NULL,
	"cy" integer NOT NULL,
	"n" integer NOT NULL,
	"sum_lat" double precision NOT NULL,
	"sum_lon" double precision NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resident_map_cells" (
	"department_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"cx" integer NOT NULL,
	"cy" integer NOT NULL,
	"n" integer NOT NULL,
	"sum_lat" double precision NOT NULL,
	"sum_lon" double precision NOT NULL,
	CONSTRAINT "resident_map_cells_department_id_community_id_cx_cy_pk" PRIMARY KEY("department_id","community_id","cx","cy")
);
--> statement-breakpoint
ALTER TABLE "resident_counts" ADD CONSTRAINT "resident_counts_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_map_cells" ADD CONSTRAINT "resident_map_cells_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "resident_count_deltas_idx" ON "resident_count_deltas" USING btree ("department_id","community_id");--> statement-breakpoint
CREATE INDEX "resident_map_cell_deltas_idx" ON "resident_map_cell_deltas" USING btree ("department_id","community_id","cx");--> statement-breakpoint
-- Resident tallies (see schema.ts): the counts the community page and the low-zoom map read,
-- kept by statement triggers on residents in the writer's transaction. Writers only INSERT
-- signed deltas; kaveret_resident_tallies_fold adds them into the totals, and
-- kaveret_resident_tallies_recount rebuilds a department from its residents.
-- The map cell is map.service's cellSizeFor(16) = 360 / (256 * 2^16) * 60 degrees, exactly.
-- What one residents row counts for (sign +1 as it is now, -1 as it was): the counted columns only.
CREATE TYPE kaveret_resident_tally AS (
  sign integer, department_id uuid, community_ids uuid[], lat double precision, lon double precision,
  consents text[], flag_tokens text[], household_id uuid
);--> statement-breakpoint
CREATE OR REPLACE FUNCTION kaveret_resident_tallies_apply(changes kaveret_resident_tally[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  WITH live AS (
    SELECT * FROM unnest(changes)
  ),
  member AS (
    SELECT l.sign, l.department_id, l.lat, l.consents, l.flag_tokens, l.household_id, m.id AS community_id
    FROM live l CROSS JOIN LATERAL unnest(l.community_ids) AS m(id)
  ),
  counted AS (
    INSERT INTO resident_count_deltas (department_id, community_id, metric, n)
    SELECT department_id, community_id, metric, sum(sign)
    FROM (
      SELECT sign, department_id, community_id, 'residents' AS metric FROM member
      UNION ALL
      SELECT sign, department_id, community_id, 'with_location' FROM member WHERE lat IS NOT NULL
      UNION ALL
      SELECT sign, department_id, community_id, 'listed_to_activists' FROM member
      WHERE 'listed_to_activists' = ANY (consents)
      UNION ALL
      SELECT sign, department_id, community_id, 'flag:' || t FROM member CROSS JOIN LATERAL unnest(flag_tokens) AS t
    ) m
    GROUP BY department_id, community_id, metric
    HAVING sum(sign) <> 0
  ),
  household_change AS (
    SELECT department_id, community_id, household_id, sum(sign)::int AS delta FROM member
    WHERE household_id IS NOT NULL
    GROUP BY department_id, community_id, household_id
    HAVING sum(sign) <> 0
  ),
  household_now AS (
    INSERT INTO resident_household_members AS h (department_id, community_id, household_id, n)
    SELECT department_id, community_id, household_id, delta FROM household_change
    ORDER BY department_id, community_id, household_id
    ON CONFLICT (department_id, community_id, household_id) DO UPDATE SET n = h.n + excluded.n
    RETURNING h.department_id, h.community_id, h.household_id, h.n
  ),
  households AS (
    -- A household counts in a community while it has a live member there: 0 → 1 adds it, 1 → 0 removes it.
    INSERT INTO resident_count_deltas (department_id, community_id, metric, n)
    SELECT department_id, community_id, 'households', sum(step)
    FROM (
      SELECT now.department_id, now.community_id, (now.n > 0)::int - (now.n - c.delta > 0)::int AS step
      FROM household_now now
      JOIN household_change c USING (department_id, community_id, household_id)
    ) s
    GROUP BY department_id, community_id
    HAVING sum(step) <> 0
  )
  INSERT INTO resident_map_cell_deltas (department_id, community_id, cx, cy, n, sum_lat, sum_lon)
  SELECT l.department_id, k.id,
    floor(l.lon / 0.0012874603271484375::float8)::int, floor(l.lat / 0.0012874603271484375::float8)::int,
    sum(l.sign), sum(l.sign * l.lat), sum(l.sign * l.lon)
  FROM live l CROSS JOIN LATERAL unnest(array_prepend(l.department_id, l.community_ids)) AS k(id)
  WHERE l.lat IS NOT NULL AND l.lon IS NOT NULL
  GROUP BY 1, 2, 3, 4
  HAVING sum(l.sign) <> 0 OR sum(l.sign * l.lat) <> 0 OR sum(l.sign * l.lon) <> 0;
END
$$;--> statement-breakpoint
-- The trigger functions pass live rows only (not merged away, not archived).
CREATE OR REPLACE FUNCTION kaveret_residents_tallies_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM kaveret_resident_tallies_apply(ARRAY(
    SELECT ROW(1, n.department_id, n.community_ids, n.lat, n.lon, n.consents, n.flag_tokens,
      n.household_id)::kaveret_resident_tally
    FROM new_rows n WHERE n.merged_into_id IS NULL AND n.archived_at IS NULL
  ));
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION kaveret_residents_tallies_update() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  changes kaveret_resident_tally[];
BEGIN
  -- Only rows whose counted columns (or liveness) changed; a name or note edit costs one join.
  WITH changed AS MATERIALIZED (
    SELECT o.merged_into_id IS NULL AND o.archived_at IS NULL AS was_live,
      n.merged_into_id IS NULL AND n.archived_at IS NULL AS is_live,
      ROW(-1, o.department_id, o.community_ids, o.lat, o.lon, o.consents, o.flag_tokens,
        o.household_id)::kaveret_resident_tally AS was,
      ROW(1, n.department_id, n.community_ids, n.lat, n.lon, n.consents, n.flag_tokens,
        n.household_id)::kaveret_resident_tally AS is_now
    FROM old_rows o JOIN new_rows n ON n.department_id = o.department_id AND n.id = o.id
    WHERE (o.merged_into_id IS NULL AND o.archived_at IS NULL, o.community_ids, o.lat, o.lon, o.consents,
           o.flag_tokens, o.household_id)
      IS DISTINCT FROM (n.merged_into_id IS NULL AND n.archived_at IS NULL, n.community_ids, n.lat, n.lon,
           n.consents, n.flag_tokens, n.household_id)
  )
  SELECT array_agg(t) INTO changes FROM (
    SELECT was AS t FROM changed WHERE was_live
    UNION ALL
    SELECT is_now FROM changed WHERE is_live
  ) x;
  IF changes IS NOT NULL THEN
    PERFORM kaveret_resident_tallies_apply(changes);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION kaveret_residents_tallies_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM kaveret_resident_tallies_apply(ARRAY(
    SELECT ROW(-1, o.department_id, o.community_ids, o.lat, o.lon, o.consents, o.flag_tokens,
      o.household_id)::kaveret_resident_tally
    FROM old_rows o WHERE o.merged_into_id IS NULL AND o.archived_at IS NULL
  ));
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER residents_tallies_insert AFTER INSERT ON residents
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kaveret_residents_tallies_insert();--> statement-breakpoint
CREATE TRIGGER residents_tallies_update AFTER UPDATE ON residents
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kaveret_residents_tallies_update();--> statement-breakpoint
CREATE TRIGGER residents_tallies_delete AFTER DELETE ON residents
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kaveret_residents_tallies_delete();--> statement-breakpoint
-- One fold or recount of a department at a time (they take this transaction-level advisory lock).
CREATE OR REPLACE FUNCTION kaveret_resident_tallies_lock(dept uuid) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$ SELECT hashtextextended('kaveret.resident_tallies:' || dept::text, 0) $$;--> statement-breakpoint
-- Adds a department's deltas into its totals, in one snapshot (deltas written meanwhile stay for
-- the next fold). Returns the total rows written, or -1 when another fold or recount holds the lock.
CREATE OR REPLACE FUNCTION kaveret_resident_tallies_fold(dept uuid) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  counts integer;
  cells integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock(kaveret_resident_tallies_lock(dept)) THEN
    RETURN -1;
  END IF;
  WITH d AS (
    DELETE FROM resident_count_deltas WHERE department_id = dept RETURNING community_id, metric, n
  )
  INSERT INTO resident_counts AS t (department_id, community_id, metric, n)
  SELECT dept, community_id, metric, sum(n) FROM d
  GROUP BY community_id, metric ORDER BY community_id, metric
  ON CONFLICT (department_id, community_id, metric) DO UPDATE SET n = t.n + excluded.n;
  GET DIAGNOSTICS counts = ROW_COUNT;
  WITH d AS (
    DELETE FROM resident_map_cell_deltas WHERE department_id = dept
    RETURNING community_id, cx, cy, n, sum_lat, sum_lon
  )
  INSERT INTO resident_map_cells AS t (department_id, community_id, cx, cy, n, sum_lat, sum_lon)
  SELECT dept, community_id, cx, cy, sum(n), sum(sum_lat), sum(sum_lon) FROM d
  GROUP BY community_id, cx, cy ORDER BY community_id, cx, cy
  ON CONFLICT (department_id, community_id, cx, cy) DO UPDATE
    SET n = t.n + excluded.n, sum_lat = t.sum_lat + excluded.sum_lat, sum_lon = t.sum_lon + excluded.sum_lon;
  GET DIAGNOSTICS cells = ROW_COUNT;
  RETURN counts + cells;
END
$$;--> statement-breakpoint
-- Repairs a department's tallies: counts its live residents now and writes the difference
-- from the tallies (totals + deltas) as deltas, and corrects household member counts that
-- differ. Nothing is deleted, so no writer waits for it. Run it in a REPEATABLE READ
-- transaction when writers may be active (one snapshot for both sides; a writer changing a
-- household row it corrects makes it fail with a serialization error, and the caller tries
-- again), holding the session-level advisory lock kaveret_resident_tallies_lock(dept) from
-- before the transaction begins (so a second recount cannot start from the first's old
-- snapshot and correct the same difference twice). Returns how many keys differed (0: the
-- tallies were right); fold afterwards.
CREATE OR REPLACE FUNCTION kaveret_resident_tallies_recount(dept uuid) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  members_fixed integer;
  counts_fixed integer;
  cells_fixed integer;
BEGIN
  PERFORM pg_advisory_xact_lock(kaveret_resident_tallies_lock(dept));
  DROP TABLE IF EXISTS kaveret_tally_live, kaveret_tally_households;
  -- One pass over the residents: the counted columns of live rows.
  CREATE TEMP TABLE kaveret_tally_live ON COMMIT DROP AS
    SELECT community_ids, lat, lon, consents, flag_tokens, household_id FROM residents
    WHERE department_id = dept AND merged_into_id IS NULL AND archived_at IS NULL;
  CREATE TEMP TABLE kaveret_tally_households ON COMMIT DROP AS
    SELECT m.id AS community_id, l.household_id, count(*)::int AS n
    FROM kaveret_tally_live l CROSS JOIN LATERAL unnest(l.community_ids) AS m(id)
    WHERE l.household_id IS NOT NULL
    GROUP BY 1, 2;
  WITH diff AS (
    SELECT coalesce(f.community_id, h.community_id) AS community_id,
      coalesce(f.household_id, h.household_id) AS household_id, coalesce(f.n, 0) - coalesce(h.n, 0) AS delta
    FROM kaveret_tally_households f
    FULL JOIN (
      SELECT community_id, household_id, n FROM resident_household_members WHERE department_id = dept
    ) h ON h.community_id = f.community_id AND h.household_id = f.household_id
    WHERE coalesce(f.n, 0) <> coalesce(h.n, 0)
  )
  INSERT INTO resident_household_members AS h (department_id, community_id, household_id, n)
  SELECT dept, community_id, household_id, delta FROM diff ORDER BY community_id, household_id
  ON CONFLICT (department_id, community_id, household_id) DO UPDATE SET n = h.n + excluded.n;
  GET DIAGNOSTICS members_fixed = ROW_COUNT;
  WITH member AS (
    SELECT l.lat, l.consents, l.flag_tokens, m.id AS community_id
    FROM kaveret_tally_live l CROSS JOIN LATERAL unnest(l.community_ids) AS m(id)
  ),
  fresh AS (
    SELECT community_id, metric, count(*)::int AS n
    FROM (
      SELECT community_id, 'residents' AS metric FROM member
      UNION ALL
      SELECT community_id, 'with_location' FROM member WHERE lat IS NOT NULL
      UNION ALL
      SELECT community_id, 'listed_to_activists' FROM member WHERE 'listed_to_activists' = ANY (consents)
      UNION ALL
      SELECT community_id, 'flag:' || t FROM member CROSS JOIN LATERAL unnest(flag_tokens) AS t
      UNION ALL
      SELECT community_id, 'households' FROM kaveret_tally_households
    ) m
    GROUP BY community_id, metric
  ),
  tallied AS (
    SELECT community_id, metric, sum(n)::int AS n
    FROM (
      SELECT community_id, metric, n FROM resident_counts WHERE department_id = dept
      UNION ALL
      SELECT community_id, metric, n FROM resident_count_deltas WHERE department_id = dept
    ) t
    GROUP BY community_id, metric
  )
  INSERT INTO resident_count_deltas (department_id, community_id, metric, n)
  SELECT dept, coalesce(f.community_id, t.community_id), coalesce(f.metric, t.metric),
    coalesce(f.n, 0) - coalesce(t.n, 0)
  FROM fresh f FULL JOIN tallied t ON t.community_id = f.community_id AND t.metric = f.metric
  WHERE coalesce(f.n, 0) <> coalesce(t.n, 0);
  GET DIAGNOSTICS counts_fixed = ROW_COUNT;
  WITH fresh AS (
    SELECT k.id AS community_id,
      floor(l.lon / 0.0012874603271484375::float8)::int AS cx, floor(l.lat / 0.0012874603271484375::float8)::int AS cy,
      count(*)::int AS n, sum(l.lat) AS sum_lat, sum(l.lon) AS sum_lon
    FROM kaveret_tally_live l CROSS JOIN LATERAL unnest(array_prepend(dept, l.community_ids)) AS k(id)
    WHERE l.lat IS NOT NULL AND l.lon IS NOT NULL
    GROUP BY 1, 2, 3
  ),
  tallied AS (
    SELECT community_id, cx, cy, sum(n)::int AS n, sum(sum_lat) AS sum_lat, sum(sum_lon) AS sum_lon
    FROM (
      SELECT community_id, cx, cy, n, sum_lat, sum_lon FROM resident_map_cells WHERE department_id = dept
      UNION ALL
      SELECT community_id, cx, cy, n, sum_lat, sum_lon FROM resident_map_cell_deltas WHERE department_id = dept
    ) t
    GROUP BY community_id, cx, cy
  )
  INSERT INTO resident_map_cell_deltas (department_id, community_id, cx, cy, n, sum_lat, sum_lon)
  SELECT dept, coalesce(f.community_id, t.community_id), coalesce(f.cx, t.cx), coalesce(f.cy, t.cy),
    coalesce(f.n, 0) - coalesce(t.n, 0), coalesce(f.sum_lat, 0) - coalesce(t.sum_lat, 0),
    coalesce(f.sum_lon, 0) - coalesce(t.sum_lon, 0)
  FROM fresh f FULL JOIN tallied t ON t.community_id = f.community_id AND t.cx = f.cx AND t.cy = f.cy
  WHERE coalesce(f.n, 0) <> coalesce(t.n, 0)
    OR abs(coalesce(f.sum_lat, 0) - coalesce(t.sum_lat, 0)) > 1e-7 * greatest(coalesce(f.n, 0), 1)
    OR abs(coalesce(f.sum_lon, 0) - coalesce(t.sum_lon, 0)) > 1e-7 * greatest(coalesce(f.n, 0), 1);
  GET DIAGNOSTICS cells_fixed = ROW_COUNT;
  DROP TABLE kaveret_tally_live, kaveret_tally_households;
  RETURN members_fixed + counts_fixed + cells_fixed;
END
$$;--> statement-breakpoint
-- Existing residents: every department counted once, then folded.
DO $$
DECLARE
  d uuid;
BEGIN
  FOR d IN SELECT id FROM departments LOOP
    PERFORM kaveret_resident_tallies_recount(d);
    PERFORM kaveret_resident_tallies_fold(d);
  END LOOP;
END
$$;
