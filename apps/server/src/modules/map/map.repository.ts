import { and, eq, inArray, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import { schema, type DbOrTx } from "@kaveret/db";
import type { Bbox } from "@kaveret/contracts";
import type { CommunityVisibility } from "../../policy/policy.ts";
import { visibleCondition } from "../communities/communities.repository.ts";
import { subtreeIds, type ResidentScope } from "../residents/residents.scope.ts";
import { inCommunityIds } from "../community-profile/community-profile.repository.ts";
import { ancestorChain } from "../communities/communities.repository.ts";
import { rowsOf } from "../../lib/sql.ts";

const c = schema.communities;
const loc = schema.locations;
const st = schema.streets;
const r = schema.residents;

/** Whether the community exists in the department and the visibility allows it. */
export async function isVisibleCommunity(
  db: DbOrTx,
  visibility: CommunityVisibility,
  departmentId: string,
  id: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: c.id })
    .from(c)
    .where(and(eq(c.departmentId, departmentId), eq(c.id, id), visibleCondition(visibility)))
    .limit(1);
  return row !== undefined;
}

export async function communityExists(
  db: DbOrTx,
  departmentId: string,
  id: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: c.id })
    .from(c)
    .where(and(eq(c.departmentId, departmentId), eq(c.id, id)))
    .limit(1);
  return row !== undefined;
}

/** Live communities with a boundary that the visibility allows (optionally one subtree only). */
export async function boundaries(
  db: DbOrTx,
  visibility: CommunityVisibility,
  departmentId: string,
  rootId: string | undefined,
) {
  return db
    .select({
      id: c.id,
      name: c.name,
      kind: c.kind,
      level: c.level,
      parentId: c.parentId,
      boundary: c.boundary,
    })
    .from(c)
    .where(
      and(
        eq(c.departmentId, departmentId),
        visibleCondition(visibility),
        isNull(c.archivedAt),
        isNotNull(c.boundary),
        rootId ? sql`${c.id} in (${subtreeIds(departmentId, [rootId])})` : undefined,
      ),
    )
    .orderBy(c.level, c.name);
}

/** Levels whose shapes the public report page shows: public geography, not buildings. */
export const PUBLIC_LEVELS = ["town", "neighbourhood"] as const;

/**
 * The communities the public pages (report a need, area alerts) may name: the department's
 * live geographic ones with a boundary, at town and neighbourhood level.
 */
export function publicGeography(departmentId: string) {
  return and(
    eq(c.departmentId, departmentId),
    eq(c.kind, "geographic"),
    inArray(c.level, [...PUBLIC_LEVELS]),
    isNull(c.archivedAt),
    isNotNull(c.boundary),
  );
}

/** The department's live town and neighbourhood shapes, for the public report page. */
export async function publicBoundaries(db: DbOrTx, departmentId: string) {
  return db
    .select({
      id: c.id,
      name: c.name,
      altNames: c.altNames,
      kind: c.kind,
      level: c.level,
      parentId: c.parentId,
      boundary: c.boundary,
    })
    .from(c)
    .where(publicGeography(departmentId))
    .orderBy(c.level, c.name)
    .limit(500);
}

/** Most asset points one map request returns. */
export const MAX_ASSET_POINTS = 5000;

/** Active assets with a position (optionally of one community's subtree). */
export async function assetPoints(db: DbOrTx, departmentId: string, rootId: string | undefined) {
  return db
    .select({
      id: loc.id,
      name: loc.name,
      assetType: loc.assetType,
      communityId: loc.communityId,
      lat: loc.lat,
      lon: loc.lon,
    })
    .from(loc)
    .where(
      and(
        eq(loc.departmentId, departmentId),
        isNull(loc.archivedAt),
        isNotNull(loc.lat),
        isNotNull(loc.lon),
        rootId ? sql`${loc.communityId} in (${subtreeIds(departmentId, [rootId])})` : undefined,
      ),
    )
    .orderBy(loc.name)
    .limit(MAX_ASSET_POINTS);
}

/** Streets with a line geometry: of the community's town (chain or subtree), or of the department. */
export async function streetLines(db: DbOrTx, departmentId: string, rootId: string | undefined) {
  let townFilter: SQL | undefined;
  if (rootId) {
    const chain = await ancestorChain(db, departmentId, rootId);
    const ids = sql.join(
      chain.map((id) => sql`${id}::uuid`),
      sql`, `,
    );
    townFilter = sql`(${st.townId} in (${ids}) or ${st.townId} in (${subtreeIds(departmentId, [rootId])}))`;
  }
  return db
    .select({ id: st.id, name: st.name, geometry: st.geometry })
    .from(st)
    .where(and(eq(st.departmentId, departmentId), isNotNull(st.geometry), townFilter))
    .orderBy(st.name)
    .limit(5000);
}

/** Ids of a community and everything nested inside it. */
export async function subtreeIdList(
  db: DbOrTx,
  departmentId: string,
  id: string,
): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(subtreeIds(departmentId, [id]));
  return rowsOf<{ id: string }>(rows).map((x) => x.id);
}

/**
 * The cells of the tallied grid (resident_map_cells, packages/db): squares of
 * TALLY_CELL degrees, `cx = floor(lon / TALLY_CELL)`, `cy = floor(lat / TALLY_CELL)` —
 * the map's cell at zoom 16, so the cell of any lower zoom z is exactly 2^(16 − z) of them.
 */
export const TALLY_ZOOM = 16;
export const TALLY_CELL = (360 / (256 * 2 ** TALLY_ZOOM)) * 60;

/** The tallied cells a box touches (inclusive ranges of cx and cy). */
export type CellRange = { x0: number; x1: number; y0: number; y1: number };

export function cellRange(bbox: Bbox): CellRange {
  const [w, s, e, n] = bbox;
  return {
    x0: Math.floor(w / TALLY_CELL),
    x1: Math.floor(e / TALLY_CELL),
    y0: Math.floor(s / TALLY_CELL),
    y1: Math.floor(n / TALLY_CELL),
  };
}

export type ResidentArea = {
  scope: ResidentScope;
  bbox: Bbox;
  /**
   * Clusters only: the box widened to whole tallied cells, so counting residents gives
   * exactly what the tallies give (what is in the cells the box touches).
   */
  cells?: CellRange;
  /** Only members of these communities (resolved beforehand), or everyone the scope allows. */
  communityIds: string[] | undefined;
};

function areaCondition(a: ResidentArea): SQL {
  const [w, s, e, n] = a.bbox;
  const members = a.communityIds ? sql`and ${inCommunityIds(a.communityIds)}` : sql``;
  if (!a.cells) {
    return sql`${a.scope.visible}
      and ${r.lon} between ${w} and ${e} and ${r.lat} between ${s} and ${n} ${members}`;
  }
  // The range a cell away on each side serves the index; the cell numbers decide, computed
  // as the tallies compute them.
  const { x0, x1, y0, y1 } = a.cells;
  const c = TALLY_CELL;
  return sql`${a.scope.visible}
    and ${r.lon} between ${(x0 - 1) * c} and ${(x1 + 2) * c}
    and ${r.lat} between ${(y0 - 1) * c} and ${(y1 + 2) * c}
    and floor(${r.lon} / ${c}::float8) between ${x0} and ${x1}
    and floor(${r.lat} / ${c}::float8) between ${y0} and ${y1} ${members}`;
}

/**
 * Clusters from the tallies: every live resident of the department (`key` = the department
 * id) or members of one community (`key` = its id), summed from the zoom-16 cells into
 * cells `factor` times larger — for readers who see all of them. `pending` counts the
 * unfolded delta rows summed.
 */
export async function talliedClusters(
  db: DbOrTx,
  departmentId: string,
  key: string,
  cells: CellRange,
  factor: number,
): Promise<{ clusters: { lat: number; lon: number; count: number }[]; pending: number }> {
  const { x0, x1, y0, y1 } = cells;
  const within = sql`department_id = ${departmentId} and community_id = ${key}
    and cx between ${x0} and ${x1} and cy between ${y0} and ${y1}`;
  const rows = await db.execute<{ lat: number; lon: number; count: number; pending: number }>(sql`
    select (sum(sum_lat) / sum(n))::float8 as lat, (sum(sum_lon) / sum(n))::float8 as lon,
      sum(n)::int as count, count(*) filter (where pending)::int as pending
    from (
      select cx, cy, n, sum_lat, sum_lon, false as pending from resident_map_cells where ${within}
      union all
      select cx, cy, n, sum_lat, sum_lon, true from resident_map_cell_deltas where ${within}
    ) c
    group by floor(cx / ${factor}::float8), floor(cy / ${factor}::float8)
    having sum(n) > 0`);
  const list = rowsOf<{ lat: number; lon: number; count: number; pending: number }>(rows);
  return {
    clusters: list.map((x) => ({ lat: Number(x.lat), lon: Number(x.lon), count: Number(x.count) })),
    pending: list.reduce((sum, x) => sum + Number(x.pending), 0),
  };
}

/**
 * Residents the scope allows in the box, grouped by a square grid of `cell` degrees:
 * count and mean position per cell. Grouping happens in SQL, so the browser never
 * holds more than a few hundred cells whatever the town's size.
 */
export async function residentClusters(db: DbOrTx, a: ResidentArea, cell: number) {
  const rows = await db.execute<{ lat: number; lon: number; count: number }>(sql`
    select avg(${r.lat})::float8 as lat, avg(${r.lon})::float8 as lon, count(*)::int as count
    from ${r}
    where ${areaCondition(a)}
    group by floor(${r.lon} / ${cell}::float8), floor(${r.lat} / ${cell}::float8)`);
  return rowsOf<{ lat: number; lon: number; count: number }>(rows);
}

/** Single residents in the box: id and position only. */
export async function residentPoints(db: DbOrTx, a: ResidentArea, limit: number) {
  const rows = await db.execute<{ id: string; lat: number; lon: number }>(sql`
    select ${r.id} as id, ${r.lat} as lat, ${r.lon} as lon
    from ${r}
    where ${areaCondition(a)}
    order by ${r.id}
    limit ${limit}`);
  return rowsOf<{ id: string; lat: number; lon: number }>(rows);
}

/** The box around the members the scope allows (to frame a community without a boundary). */
export async function residentsExtent(
  db: DbOrTx,
  scope: ResidentScope,
  communityIds: string[],
): Promise<[number, number, number, number] | null> {
  const rows = await db.execute<{ w: number | null; s: number; e: number; n: number }>(sql`
    select min(${r.lon})::float8 as w, min(${r.lat})::float8 as s,
      max(${r.lon})::float8 as e, max(${r.lat})::float8 as n
    from ${r}
    where ${scope.visible} and ${r.lat} is not null and ${r.lon} is not null
      and ${inCommunityIds(communityIds)}`);
  const x = rowsOf<{ w: number | null; s: number; e: number; n: number }>(rows)[0];
  return x && x.w !== null ? [Number(x.w), Number(x.s), Number(x.e), Number(x.n)] : null;
}
