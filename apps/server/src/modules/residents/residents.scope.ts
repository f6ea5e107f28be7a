import { sql, type SQL } from "drizzle-orm";
import { schema } from "@kaveret/db";
import type { ResidentVisibility } from "../../policy/policy.ts";

/**
 * SQL for "which residents may this reader see, and how much" — the one
 * translation of policy.residentVisibility into SQL. Every query that returns or
 * counts residents (lists, search, exports, map points, community figures,
 * duplicates) goes through `residentScope`, so no path can return a resident the
 * reader could not open.
 */

const r = schema.residents;

/** Ids of the given communities and everything nested inside them (same department). */
export function subtreeIds(departmentId: string, rootIds: string[]): SQL {
  if (rootIds.length === 0) return sql`select null::uuid where false`;
  const roots = sql.join(
    rootIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  return sql`with recursive sub(id) as (
      select id from communities where department_id = ${departmentId} and id in (${roots})
      union
      select child.id from communities child join sub on child.parent_id = sub.id
      where child.department_id = ${departmentId}
    ) select id from sub`;
}

/** The resident (alias-free: uses residents' own columns) belongs to a community in these subtrees. */
export function inCommunities(departmentId: string, rootIds: string[]): SQL {
  if (rootIds.length === 0) return sql`false`;
  return sql`exists (
    select 1 from resident_communities rc
    where rc.department_id = ${r.departmentId} and rc.resident_id = ${r.id}
      and rc.community_id in (${subtreeIds(departmentId, rootIds)})
  )`;
}

export type ResidentScope = {
  /** Rows the reader may see at all (live records of their department only). */
  visible: SQL;
  /** Rows the reader sees in full (the others, if any, are contact-only). */
  full: SQL;
  /** `'full' | 'contact'` per row. */
  access: SQL<"full" | "contact">;
};

/** Live records: not merged away, not archived. */
export const liveResident = sql`(${r.mergedIntoId} is null and ${r.archivedAt} is null)`;

export function residentScope(v: ResidentVisibility): ResidentScope {
  if (v.kind === "none") {
    return { visible: sql`false`, full: sql`false`, access: sql<"contact">`'contact'` };
  }
  const parts: SQL[] = [];
  if (v.full.all) parts.push(sql`true`);
  if (v.full.communityRoots.length)
    parts.push(inCommunities(v.departmentId, v.full.communityRoots));
  if (v.full.caseloadOf) {
    parts.push(sql`exists (
      select 1 from resident_caseworkers cw
      where cw.department_id = ${r.departmentId} and cw.resident_id = ${r.id}
        and cw.user_id = ${v.full.caseloadOf}
    )`);
  }
  const full = parts.length ? sql`(${sql.join(parts, sql` or `)})` : sql`false`;
  const contact = v.contact
    ? sql`(${v.contact.requiredConsent} = any(${r.consents}) and ${inCommunities(
        v.departmentId,
        v.contact.communityRoots,
      )})`
    : sql`false`;
  const visible = sql`(${r.departmentId} = ${v.departmentId} and ${liveResident} and (${full} or ${contact}))`;
  const access = v.contact
    ? sql<"full" | "contact">`(case when ${full} then 'full' else 'contact' end)`
    : sql<"full">`'full'`;
  return { visible, full, access };
}
