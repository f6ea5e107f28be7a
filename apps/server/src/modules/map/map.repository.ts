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

/** The department's live town and neighbourhood shapes, for the public report page. */
export async function publicBoundaries(db: DbOrTx, departmentId: string) {
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
        eq(c.kind, "geographic"),
        inArray(c.level, [...PUBLIC_LEVELS]),
        isNull(c.archivedAt),
        isNotNull(c.boundary),
      ),
    )
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

export type ResidentArea = {
  scope: ResidentScope;
  bbox: Bbox;
  /** Only members of these communities (resolved beforehand), or everyone the scope allows. */
  communityIds: string[] | undefined;
};

function areaCondition(a: ResidentArea): SQL {
  const [w, s, e, n] = a.bbox;
  return sql`${a.scope.visible}
    and ${r.lon} between ${w} and ${e} and ${r.lat} between ${s} and ${n}
    ${a.communityIds ? sql`and ${inCommunityIds(a.communityIds)}` : sql``}`;
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
