import {
  and,
  asc,
  count,
  desc,
  eq,
  ilike,
  isNotNull,
  isNull,
  or,
  sql,
  type SQL,
} from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { schema, type DbOrTx } from "@kaveret/db";
import { containsPattern, rowsOf } from "../../lib/sql.ts";
import type { ListCommunitiesQuery } from "@kaveret/contracts";
import type { CommunityVisibility } from "../../policy/policy.ts";

const c = schema.communities;
const parent = alias(schema.communities, "parent");

export type CommunityRow = typeof c.$inferSelect;
export type CommunityWithRelations = {
  community: CommunityRow;
  parentName: string | null;
  childCount: number;
};

// The outer row's columns are written with their table: drizzle leaves columns bare in a
// select list, and a bare "id" inside the subquery would be the child's own.
const childCount = sql<number>`(
  select count(*)::int from ${c} as child
  where child.department_id = "communities"."department_id" and child.parent_id = "communities"."id"
    and child.archived_at is null
)`.as("child_count");

const parentName = sql<string | null>`(
  select p.name from ${c} as p
  where p.department_id = "communities"."department_id" and p.id = "communities"."parent_id"
)`.as("parent_name");

/** A list row: the columns a list shows — no boundary geometry, just whether there is one. */
const listColumns = {
  id: c.id,
  kind: c.kind,
  level: c.level,
  parentId: c.parentId,
  name: c.name,
  altNames: c.altNames,
  description: c.description,
  membershipCriteria: c.membershipCriteria,
  population: c.population,
  languages: c.languages,
  mode: c.mode,
  statAreaCode: c.statAreaCode,
  archivedAt: c.archivedAt,
  version: c.version,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
  hasBoundary: sql<boolean>`(${c.boundary} is not null)`.as("has_boundary"),
  parentName,
  childCount,
};
export type CommunityListRow = {
  [K in keyof typeof listColumns]: K extends "hasBoundary"
    ? boolean
    : K extends "parentName"
      ? string | null
      : K extends "childCount"
        ? number
        : CommunityRow[K & keyof CommunityRow];
};

function selectWithRelations(db: DbOrTx) {
  return db
    .select({ community: c, parentName: parent.name, childCount })
    .from(c)
    .leftJoin(parent, and(eq(parent.departmentId, c.departmentId), eq(parent.id, c.parentId)));
}

/** SQL condition: the community is one the visibility allows. */
export function visibleCondition(v: CommunityVisibility): SQL {
  switch (v.kind) {
    case "none":
      return sql`false`;
    case "department":
      return eq(c.departmentId, v.departmentId);
    case "subtrees": {
      if (v.rootIds.length === 0) return sql`false`;
      const roots = sql.join(
        v.rootIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      );
      return and(
        eq(c.departmentId, v.departmentId),
        sql`${c.id} in (
          with recursive visible(id) as (
            select id from communities where department_id = ${v.departmentId} and id in (${roots})
            union
            select child.id from communities child join visible on child.parent_id = visible.id
            where child.department_id = ${v.departmentId}
          ) select id from visible
        )`,
      ) as SQL;
    }
  }
}

export async function findCommunity(
  db: DbOrTx,
  departmentId: string,
  id: string,
): Promise<CommunityWithRelations | undefined> {
  const [row] = await selectWithRelations(db)
    .where(and(eq(c.departmentId, departmentId), eq(c.id, id)))
    .limit(1);
  return row;
}

/** The community's id followed by its ancestors' ids, nearest first. */
export async function ancestorChain(
  db: DbOrTx,
  departmentId: string,
  id: string,
): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    with recursive chain(id, parent_id, depth) as (
      select id, parent_id, 0 from communities where department_id = ${departmentId} and id = ${id}
      union all
      select p.id, p.parent_id, chain.depth + 1 from communities p
      join chain on p.id = chain.parent_id
      where p.department_id = ${departmentId} and chain.depth < 32
    ) select id from chain order by depth`);
  return rowsOf<{ id: string }>(rows).map((r) => r.id);
}

/** Each community's id followed by its ancestors' ids (nearest first), in one query. */
export async function ancestorChains(
  db: DbOrTx,
  departmentId: string,
  ids: string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (ids.length === 0) return out;
  const roots = sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const rows = await db.execute(sql`
    with recursive chain(origin, id, parent_id, depth) as (
      select id, id, parent_id, 0 from communities
      where department_id = ${departmentId} and id in (${roots})
      union all
      select chain.origin, p.id, p.parent_id, chain.depth + 1 from communities p
      join chain on p.id = chain.parent_id
      where p.department_id = ${departmentId} and chain.depth < 32
    ) select origin, id from chain order by origin, depth`);
  for (const row of rowsOf<{ origin: string; id: string }>(rows)) {
    const list = out.get(row.origin) ?? [];
    list.push(row.id);
    out.set(row.origin, list);
  }
  return out;
}

/** Live geographic communities that have a boundary (for finding the community of a point). */
export async function geographicBoundaries(db: DbOrTx, departmentId: string) {
  return db
    .select({ id: c.id, level: c.level, boundary: c.boundary })
    .from(c)
    .where(
      and(
        eq(c.departmentId, departmentId),
        eq(c.kind, "geographic"),
        isNull(c.archivedAt),
        isNotNull(c.boundary),
      ),
    );
}

export async function listCommunities(
  db: DbOrTx,
  visibility: CommunityVisibility,
  q: ListCommunitiesQuery,
) {
  const where: (SQL | undefined)[] = [visibleCondition(visibility)];
  if (q.archived === "active") where.push(isNull(c.archivedAt));
  if (q.archived === "archived") where.push(isNotNull(c.archivedAt));
  if (q.kind) where.push(eq(c.kind, q.kind));
  if (q.level) where.push(eq(c.level, q.level));
  if (q.parentId === "root") where.push(isNull(c.parentId));
  else if (q.parentId) where.push(eq(c.parentId, q.parentId));
  if (q.q) {
    const pattern = containsPattern(q.q);
    where.push(or(ilike(c.name, pattern), ilike(sql`${c.altNames}::text`, pattern)));
  }
  const condition = and(...where);
  const order = q.sort === "updated" ? [desc(c.updatedAt), asc(c.id)] : [asc(c.name), asc(c.id)];
  const [items, [total]] = await Promise.all([
    db
      .select(listColumns)
      .from(c)
      .where(condition)
      .orderBy(...order)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(c).where(condition),
  ]);
  return { items, total: total?.n ?? 0 };
}

export async function insertCommunity(
  db: DbOrTx,
  values: typeof c.$inferInsert,
): Promise<CommunityRow> {
  const [row] = await db.insert(c).values(values).returning();
  return row!;
}

/** Applies a patch only if the stored version is the expected one; undefined when it moved on. */
export async function updateCommunityIfVersion(
  db: DbOrTx,
  departmentId: string,
  id: string,
  expectedVersion: number,
  patch: Partial<typeof c.$inferInsert>,
): Promise<CommunityRow | undefined> {
  const [row] = await db
    .update(c)
    .set({ ...patch, version: sql`${c.version} + 1`, updatedAt: new Date() })
    .where(and(eq(c.departmentId, departmentId), eq(c.id, id), eq(c.version, expectedVersion)))
    .returning();
  return row;
}

export async function countActiveChildren(
  db: DbOrTx,
  departmentId: string,
  id: string,
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(c)
    .where(and(eq(c.departmentId, departmentId), eq(c.parentId, id), isNull(c.archivedAt)));
  return row?.n ?? 0;
}

export async function countCommunities(
  db: DbOrTx,
  visibility: CommunityVisibility,
  level?: string,
) {
  const [row] = await db
    .select({ n: count() })
    .from(c)
    .where(
      and(
        visibleCondition(visibility),
        isNull(c.archivedAt),
        level ? eq(c.level, level) : undefined,
      ),
    );
  return row?.n ?? 0;
}

export async function recentCommunities(
  db: DbOrTx,
  visibility: CommunityVisibility,
  limit: number,
) {
  return db
    .select({ id: c.id, name: c.name, level: c.level })
    .from(c)
    .where(and(visibleCondition(visibility), isNull(c.archivedAt)))
    .orderBy(desc(c.updatedAt))
    .limit(limit);
}
