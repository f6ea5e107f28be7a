import { sql } from "drizzle-orm";
import pg from "pg";
import type { Database, DbOrTx } from "./client.ts";

/*
 * Resident tallies (schema.ts, migration resident_tallies): counts per community and map
 * cells kept by triggers on residents. These are the maintenance paths: fold the pending
 * deltas, rebuild from the residents ("full recount"), and compare without changing
 * anything. The server reads the tallies in community-profile and map.
 */

/** PostgreSQL's "could not serialize" and "deadlock detected": a recount that met a writer tries again. */
const RETRYABLE = new Set(["40001", "40P01"]);

/**
 * Adds a department's pending deltas into its totals (one short transaction of its own).
 * Returns the rows written, or -1 when another fold or recount of the department is running.
 */
export async function foldResidentTallies(db: DbOrTx, departmentId: string): Promise<number> {
  const result = await db.execute(
    sql`select kaveret_resident_tallies_fold(${departmentId}::uuid) as n`,
  );
  // node-postgres answers { rows }, PGlite's drizzle driver the same shape.
  const rows = (result as unknown as { rows: { n: number }[] }).rows;
  return Number(rows[0]?.n ?? 0);
}

/**
 * The "full recount": counts the live residents of one department (or of every department)
 * now and corrects the tallies where they differ — the difference is written as deltas, so
 * nothing is deleted and no writer waits — then folds. Returns, per department, the time it
 * took and how many keys were corrected (0 when the triggers had kept them right).
 */
export async function recountResidentTallies(
  database: Database,
  departmentId?: string,
): Promise<{ departmentId: string; ms: number; corrected: number }[]> {
  const ids = departmentId
    ? [departmentId]
    : (await database.query<{ id: string }>("select id from departments order by id")).map(
        (d) => d.id,
      );
  const out: { departmentId: string; ms: number; corrected: number }[] = [];
  for (const id of ids) {
    const started = performance.now();
    const corrected = await recountOne(database, id);
    await foldResidentTallies(database.db, id);
    out.push({ departmentId: id, ms: Math.round(performance.now() - started), corrected });
  }
  return out;
}

async function recountOne(database: Database, departmentId: string): Promise<number> {
  if (database.kind === "pglite" || !database.url) {
    // One connection, one statement at a time: nothing can interleave.
    const [row] = await database.query<{ n: number }>(
      "select kaveret_resident_tallies_recount($1::uuid) as n",
      [departmentId],
    );
    return Number(row?.n ?? 0);
  }
  // Its own connection: the advisory lock is taken before the transaction's snapshot, so a
  // second recount waits and then starts from this one's corrections.
  const client = new pg.Client({ connectionString: database.url, options: "-c jit=off" });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock(kaveret_resident_tallies_lock($1::uuid))", [
      departmentId,
    ]);
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query("begin isolation level repeatable read");
        const result = await client.query<{ n: number }>(
          "select kaveret_resident_tallies_recount($1::uuid) as n",
          [departmentId],
        );
        await client.query("commit");
        return Number(result.rows[0]?.n ?? 0);
      } catch (err) {
        await client.query("rollback").catch(() => undefined);
        const code = (err as { code?: string }).code;
        if (attempt >= 5 || !code || !RETRYABLE.has(code)) throw err;
      }
    }
  } finally {
    await client.end();
  }
}

export type TallyDifference = {
  table: "resident_counts" | "resident_household_members" | "resident_map_cells";
  communityId: string;
  /** The metric, the household id, or the cell as "cx,cy". */
  key: string;
  tallied: number;
  counted: number;
};

/**
 * Compares a department's tallies (totals + pending deltas) with a count made now from
 * its residents, changing nothing: every difference (map cell positions within 1e-6°).
 */
export async function checkResidentTallies(
  database: Database,
  departmentId: string,
): Promise<TallyDifference[]> {
  const counts = await database.query<{
    community_id: string;
    metric: string;
    tallied: number | null;
    counted: number | null;
  }>(
    `with live as materialized (
       select community_ids, lat, lon, consents, flag_tokens, household_id from residents
       where department_id = $1 and merged_into_id is null and archived_at is null
     ),
     member as materialized (
       select l.lat, l.consents, l.flag_tokens, l.household_id, m.id as community_id
       from live l cross join lateral unnest(l.community_ids) as m(id)
     ),
     counted as (
       select community_id, metric, count(*)::int as n from (
         select community_id, 'residents' as metric from member
         union all select community_id, 'with_location' from member where lat is not null
         union all select community_id, 'listed_to_activists' from member
           where 'listed_to_activists' = any (consents)
         union all select community_id, 'flag:' || t from member cross join lateral unnest(flag_tokens) as t
         union all select community_id, 'household:' || household_id from member
           where household_id is not null
       ) m group by community_id, metric
     ),
     counted_total as (
       select community_id, metric, n from counted
       union all
       select community_id, 'households', count(*)::int from counted where metric like 'household:%'
       group by community_id
     ),
     tallied as (
       select community_id, metric, sum(n)::int as n from (
         select community_id, metric, n from resident_counts where department_id = $1
         union all
         select community_id, metric, n from resident_count_deltas where department_id = $1
         union all
         select community_id, 'household:' || household_id, n from resident_household_members
         where department_id = $1
       ) t group by community_id, metric
     )
     select coalesce(t.community_id, c.community_id) as community_id,
       coalesce(t.metric, c.metric) as metric, t.n as tallied, c.n as counted
     from tallied t full join counted_total c on c.community_id = t.community_id and c.metric = t.metric
     where coalesce(t.n, 0) <> coalesce(c.n, 0)`,
    [departmentId],
  );
  const cells = await database.query<{
    community_id: string;
    cx: number;
    cy: number;
    tallied: number | null;
    counted: number | null;
  }>(
    `with counted as (
       select k.id as community_id,
         floor(r.lon / 0.0012874603271484375::float8)::int as cx,
         floor(r.lat / 0.0012874603271484375::float8)::int as cy,
         count(*)::int as n, sum(r.lat) as sum_lat, sum(r.lon) as sum_lon
       from residents r cross join lateral unnest(array_prepend(r.department_id, r.community_ids)) as k(id)
       where r.department_id = $1 and r.merged_into_id is null and r.archived_at is null
         and r.lat is not null and r.lon is not null
       group by 1, 2, 3
     ),
     tallied as (
       select community_id, cx, cy, sum(n)::int as n, sum(sum_lat) as sum_lat, sum(sum_lon) as sum_lon
       from (
         select community_id, cx, cy, n, sum_lat, sum_lon from resident_map_cells where department_id = $1
         union all
         select community_id, cx, cy, n, sum_lat, sum_lon from resident_map_cell_deltas where department_id = $1
       ) t group by community_id, cx, cy
     )
     select coalesce(t.community_id, c.community_id) as community_id, coalesce(t.cx, c.cx) as cx,
       coalesce(t.cy, c.cy) as cy, t.n as tallied, c.n as counted
     from tallied t full join counted c
       on c.community_id = t.community_id and c.cx = t.cx and c.cy = t.cy
     where coalesce(t.n, 0) <> coalesce(c.n, 0)
       or abs(coalesce(t.sum_lat, 0) - coalesce(c.sum_lat, 0)) > 1e-6 * greatest(coalesce(c.n, 0), 1)
       or abs(coalesce(t.sum_lon, 0) - coalesce(c.sum_lon, 0)) > 1e-6 * greatest(coalesce(c.n, 0), 1)`,
    [departmentId],
  );
  return [
    ...counts.map((d) => ({
      table: d.metric.startsWith("household:")
        ? ("resident_household_members" as const)
        : ("resident_counts" as const),
      communityId: d.community_id,
      key: d.metric.replace(/^household:/, ""),
      tallied: Number(d.tallied ?? 0),
      counted: Number(d.counted ?? 0),
    })),
    ...cells.map((d) => ({
      table: "resident_map_cells" as const,
      communityId: d.community_id,
      key: `${d.cx},${d.cy}`,
      tallied: Number(d.tallied ?? 0),
      counted: Number(d.counted ?? 0),
    })),
  ];
}
