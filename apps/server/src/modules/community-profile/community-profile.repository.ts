import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { schema, type DbOrTx } from "@kaveret/db";
import type { ResidentScope } from "../residents/residents.scope.ts";
import { rowsOf } from "../../lib/sql.ts";

const f = schema.communityFigures;
const r = schema.residents;
const loc = schema.locations;
const st = schema.streets;
const u = schema.user;

const uuidArray = (ids: string[]) => sql`${`{${ids.join(",")}}`}::uuid[]`;

/* ------------------------------------------------------------------ */
/* Figures.                                                             */
/* ------------------------------------------------------------------ */

const figureColumns = {
  indicator: f.indicator,
  period: f.period,
  value: f.value,
  source: f.source,
  updatedAt: f.updatedAt,
  updatedByName: u.name,
};
export type FigureRow = {
  indicator: string;
  period: string;
  value: number;
  source: string;
  updatedAt: Date;
  updatedByName: string | null;
};

/** Every figure of a community, each indicator's newest period first. */
export async function listFigures(
  db: DbOrTx,
  departmentId: string,
  communityId: string,
): Promise<FigureRow[]> {
  return db
    .select(figureColumns)
    .from(f)
    .leftJoin(u, eq(u.id, f.updatedBy))
    .where(and(eq(f.departmentId, departmentId), eq(f.communityId, communityId)))
    .orderBy(f.indicator, desc(f.period));
}

/** The newest period of each indicator. */
export async function latestFigures(
  db: DbOrTx,
  departmentId: string,
  communityId: string,
): Promise<FigureRow[]> {
  const rows = await db.execute<{
    indicator: string;
    period: string;
    value: number;
    source: string;
    updated_at: Date | string;
    updated_by_name: string | null;
  }>(sql`
    select distinct on (f.indicator) f.indicator, f.period, f.value, f.source,
      f.updated_at, u.name as updated_by_name
    from community_figures f left join "user" u on u.id = f.updated_by
    where f.department_id = ${departmentId} and f.community_id = ${communityId}
    order by f.indicator, f.period desc`);
  return rowsOf<{
    indicator: string;
    period: string;
    value: number;
    source: string;
    updated_at: Date | string;
    updated_by_name: string | null;
  }>(rows).map((x) => ({
    indicator: x.indicator,
    period: x.period,
    value: Number(x.value),
    source: x.source,
    updatedAt: new Date(x.updated_at),
    updatedByName: x.updated_by_name,
  }));
}

/** Sets the value of each (community, indicator, period); the previous value is replaced. */
export async function upsertFigures(
  db: DbOrTx,
  rows: {
    departmentId: string;
    communityId: string;
    indicator: string;
    period: string;
    value: number;
    source: string;
    updatedBy: string;
  }[],
): Promise<void> {
  if (rows.length === 0) return;
  const now = new Date();
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insert(f)
      .values(rows.slice(i, i + 500).map((x) => ({ ...x, updatedAt: now })))
      .onConflictDoUpdate({
        target: [f.departmentId, f.communityId, f.indicator, f.period],
        set: {
          value: sql`excluded.value`,
          source: sql`excluded.source`,
          updatedAt: sql`excluded.updated_at`,
          updatedBy: sql`excluded.updated_by`,
        },
      });
  }
}

export async function deleteFigures(
  db: DbOrTx,
  departmentId: string,
  communityId: string,
  pairs: { indicator: string; period: string }[],
): Promise<void> {
  for (const p of pairs) {
    await db
      .delete(f)
      .where(
        and(
          eq(f.departmentId, departmentId),
          eq(f.communityId, communityId),
          eq(f.indicator, p.indicator),
          eq(f.period, p.period),
        ),
      );
  }
}

/* ------------------------------------------------------------------ */
/* The community's tree.                                                */
/* ------------------------------------------------------------------ */

export type TreeNode = { id: string; parentId: string | null; archived: boolean };

/** The community and everything nested inside it (archived ones included), in one query. */
export async function subtree(db: DbOrTx, departmentId: string, id: string): Promise<TreeNode[]> {
  const rows = await db.execute<{ id: string; parent_id: string | null; archived: boolean }>(sql`
    with recursive sub(id, parent_id, archived, depth) as (
      select id, parent_id, archived_at is not null, 0 from communities
      where department_id = ${departmentId} and id = ${id}
      union all
      select child.id, child.parent_id, child.archived_at is not null, sub.depth + 1
      from communities child join sub on child.parent_id = sub.id
      where child.department_id = ${departmentId} and sub.depth < 32
    ) select id, parent_id, archived from sub`);
  return rowsOf<{ id: string; parent_id: string | null; archived: boolean }>(rows).map((x) => ({
    id: x.id,
    parentId: x.parent_id,
    archived: x.archived,
  }));
}

export async function childCommunities(db: DbOrTx, departmentId: string, id: string) {
  const rows = await db.execute<{
    id: string;
    name: string;
    kind: string;
    level: string | null;
    child_count: number;
  }>(sql`
    select c.id, c.name, c.kind, c.level,
      (select count(*)::int from communities g
        where g.department_id = c.department_id and g.parent_id = c.id and g.archived_at is null)
        as child_count
    from communities c
    where c.department_id = ${departmentId} and c.parent_id = ${id} and c.archived_at is null
    order by c.name`);
  return rowsOf<{
    id: string;
    name: string;
    kind: string;
    level: string | null;
    child_count: number;
  }>(rows);
}

/* ------------------------------------------------------------------ */
/* Residents: always through the reader's scope.                        */
/* ------------------------------------------------------------------ */

/**
 * The resident (residents' own columns) belongs to one of these communities (or to one
 * inside them: `community_ids` carries the ancestors too), through residents_attrs_idx.
 */
export function inCommunityIds(ids: string[]): SQL {
  if (ids.length === 0) return sql`false`;
  return sql`${r.communityIds} && ${uuidArray(ids)}`;
}

export type ResidentCounts = {
  residents: number;
  households: number;
  listedToActivists: number;
  withLocation: number;
  /** Per flag token, when asked for. */
  flagCounts: number[];
};

/** Counts over the residents the scope allows among the communities' members, in one scan. */
export async function countResidents(
  db: DbOrTx,
  scope: ResidentScope,
  communityIds: string[],
  flagTokens: string[],
): Promise<ResidentCounts> {
  const flagColumns = flagTokens.map(
    (token, i) =>
      sql`, count(*) filter (where ${r.flagTokens} @> array[${token}]::text[])::int as ${sql.raw(`f${i}`)}`,
  );
  const rows = await db.execute<Record<string, number>>(sql`
    select count(*)::int as residents,
      count(distinct ${r.householdId})::int as households,
      count(*) filter (where 'listed_to_activists' = any(${r.consents}))::int as listed,
      count(*) filter (where ${r.lat} is not null)::int as with_location
      ${sql.join(flagColumns, sql``)}
    from ${r}
    where ${scope.visible} and ${inCommunityIds(communityIds)}`);
  const row = rowsOf<Record<string, number>>(rows)[0] ?? {};
  return {
    residents: Number(row.residents ?? 0),
    households: Number(row.households ?? 0),
    listedToActivists: Number(row.listed ?? 0),
    withLocation: Number(row.with_location ?? 0),
    flagCounts: flagTokens.map((_, i) => Number(row[`f${i}`] ?? 0)),
  };
}

/**
 * The same counts for a reader who sees every live resident of the community, from the
 * tallies the triggers keep (resident_counts + pending deltas) instead of a count over the
 * residents: `residents` per child too. `pending` says how many delta rows were summed
 * (enough of them, and the caller asks for a fold).
 */
export async function talliedCounts(
  db: DbOrTx,
  departmentId: string,
  communityId: string,
  childIds: string[],
  flagTokens: string[],
): Promise<{ counts: ResidentCounts; byChild: Map<string, number>; pending: number }> {
  const ids = [communityId, ...childIds];
  const rows = await db.execute<{
    community_id: string;
    metric: string;
    n: number;
    pending: number;
  }>(
    sql`
    select community_id, metric, sum(n)::int as n, count(*) filter (where pending)::int as pending
    from (
      select community_id, metric, n, false as pending from resident_counts
      where department_id = ${departmentId} and community_id = any(${uuidArray(ids)})
      union all
      select community_id, metric, n, true from resident_count_deltas
      where department_id = ${departmentId} and community_id = any(${uuidArray(ids)})
    ) t
    group by community_id, metric`,
  );
  const own = new Map<string, number>();
  const byChild = new Map<string, number>();
  let pending = 0;
  for (const x of rowsOf<{ community_id: string; metric: string; n: number; pending: number }>(
    rows,
  )) {
    pending += Number(x.pending);
    if (x.community_id === communityId) own.set(x.metric, Number(x.n));
    else if (x.metric === "residents") byChild.set(x.community_id, Number(x.n));
  }
  return {
    counts: {
      residents: own.get("residents") ?? 0,
      households: own.get("households") ?? 0,
      listedToActivists: own.get("listed_to_activists") ?? 0,
      withLocation: own.get("with_location") ?? 0,
      flagCounts: flagTokens.map((token) => own.get(`flag:${token}`) ?? 0),
    },
    byChild,
    pending,
  };
}

/** Residents the scope allows per group of communities (a sub-community and its own subtree). */
export async function countResidentsByGroup(
  db: DbOrTx,
  scope: ResidentScope,
  departmentId: string,
  members: { communityId: string; group: string }[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (members.length === 0) return out;
  const rows = await db.execute<{ grp: string; n: number }>(sql`
    select m.grp, count(distinct ${r.id})::int as n
    from unnest(${uuidArray(members.map((m) => m.communityId))}, ${uuidArray(
      members.map((m) => m.group),
    )}) as m(community_id, grp)
    join resident_communities rc on rc.department_id = ${departmentId} and rc.community_id = m.community_id
    join ${r} on ${r.departmentId} = rc.department_id and ${r.id} = rc.resident_id
    where ${scope.visible}
    group by m.grp`);
  for (const x of rowsOf<{ grp: string; n: number }>(rows)) out.set(x.grp, Number(x.n));
  return out;
}

export type PersonRow = {
  id: string;
  firstName: string;
  lastName: string;
  otherNames: string;
  phone: string | null;
  email: string | null;
  birthYear: number | null;
  streetId: string | null;
  houseNumber: string | null;
  apartment: string | null;
  addressNote: string;
  homeCommunityId: string | null;
  languages: string[];
  communityRoles: string[];
  consents: string[];
  householdId: string | null;
  lat: number | null;
  version: number;
  updatedAt: Date;
  flagsEnc: string | null;
  streetName: string | null;
  homeCommunityName: string | null;
  access: "full" | "contact";
};

/** The first residents by name among the communities' members that the scope allows. */
export async function listPeople(
  db: DbOrTx,
  scope: ResidentScope,
  departmentId: string,
  communityIds: string[],
  limit: number,
): Promise<PersonRow[]> {
  const home = schema.communities;
  return db
    .select({
      id: r.id,
      firstName: r.firstName,
      lastName: r.lastName,
      otherNames: r.otherNames,
      phone: r.phone,
      email: r.email,
      birthYear: r.birthYear,
      streetId: r.streetId,
      houseNumber: r.houseNumber,
      apartment: r.apartment,
      addressNote: r.addressNote,
      homeCommunityId: r.homeCommunityId,
      languages: r.languages,
      communityRoles: r.communityRoles,
      consents: r.consents,
      householdId: r.householdId,
      lat: r.lat,
      version: r.version,
      updatedAt: r.updatedAt,
      flagsEnc: r.flagsEnc,
      streetName: sql<string | null>`(select s.name from streets s
        where s.department_id = ${r.departmentId} and s.id = ${r.streetId})`,
      homeCommunityName: sql<string | null>`(select h.name from ${home} h
        where h.department_id = ${r.departmentId} and h.id = ${r.homeCommunityId})`,
      access: sql<"full" | "contact">`${scope.access}`,
    })
    .from(r)
    .where(and(eq(r.departmentId, departmentId), scope.visible, inCommunityIds(communityIds)))
    .orderBy(r.lastName, r.firstName, r.id)
    .limit(limit);
}

/* ------------------------------------------------------------------ */
/* Assets and activity.                                                 */
/* ------------------------------------------------------------------ */

export async function assetsIn(
  db: DbOrTx,
  departmentId: string,
  communityIds: string[],
  limit: number,
) {
  return db
    .select({
      id: loc.id,
      name: loc.name,
      assetType: loc.assetType,
      address: loc.address,
      houseNumber: loc.houseNumber,
      streetName: st.name,
      communityId: loc.communityId,
    })
    .from(loc)
    .leftJoin(st, and(eq(st.departmentId, loc.departmentId), eq(st.id, loc.streetId)))
    .where(
      and(
        eq(loc.departmentId, departmentId),
        sql`${loc.archivedAt} is null`,
        sql`${loc.communityId} = any(${uuidArray(communityIds)})`,
      ),
    )
    .orderBy(loc.assetType, loc.name)
    .limit(limit);
}

export async function assetCountsByType(
  db: DbOrTx,
  departmentId: string,
  communityIds: string[],
): Promise<{ type: string; n: number }[]> {
  const rows = await db.execute<{ type: string; n: number }>(sql`
    select asset_type as type, count(*)::int as n from locations
    where department_id = ${departmentId} and archived_at is null
      and community_id = any(${uuidArray(communityIds)})
    group by asset_type order by asset_type`);
  return rowsOf<{ type: string; n: number }>(rows).map((x) => ({ type: x.type, n: Number(x.n) }));
}

/** The newest audited changes concerning these communities (reads, reveals and exports left out). */
export async function recentActivity(
  db: DbOrTx,
  departmentId: string,
  communityIds: string[],
  limit: number,
) {
  const rows = await db.execute<{
    id: number | string;
    created_at: Date | string;
    action: string;
    entity_type: string;
    entity_id: string | null;
    actor_name: string | null;
  }>(sql`
    select a.id, a.created_at, a.action, a.entity_type, a.entity_id, u.name as actor_name
    from audit_events a left join "user" u on u.id = a.actor_user_id
    where a.department_id = ${departmentId}
      and a.community_id = any(${uuidArray(communityIds)})
      and a.action not like '%.read' and a.action not like '%.reveal' and a.action not like '%.export'
    order by a.created_at desc, a.id desc
    limit ${limit}`);
  return rowsOf<{
    id: number | string;
    created_at: Date | string;
    action: string;
    entity_type: string;
    entity_id: string | null;
    actor_name: string | null;
  }>(rows).map((x) => ({
    id: Number(x.id),
    at: new Date(x.created_at),
    action: x.action,
    entityType: x.entity_type,
    entityId: x.entity_id,
    actorName: x.actor_name,
  }));
}
