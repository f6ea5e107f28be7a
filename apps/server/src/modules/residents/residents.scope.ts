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

/**
 * The resident (residents' own columns) belongs to one of these communities or to anything
 * nested inside them: `community_ids` holds every membership and all its ancestors (kept
 * by triggers), so this is one array overlap served by residents_attrs_idx.
 */
export function inCommunities(rootIds: string[]): SQL {
  if (rootIds.length === 0) return sql`false`;
  const ids = sql.join(
    rootIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  return rootIds.length === 1
    ? sql`${r.communityIds} @> array[${ids}]`
    : sql`${r.communityIds} && array[${ids}]`;
}

export type ResidentScope = {
  /** Rows the reader may see at all (live records of their department only). */
  visible: SQL;
  /** Rows the reader sees in full (the others, if any, are contact-only). */
  full: SQL;
  /** `'full' | 'contact'` per row. */
  access: SQL<"full" | "contact">;
  /** Whether some rows may be contact-only (filters on other fields must then keep to `full`). */
  hasContact: boolean;
};

/** Live records: not merged away, not archived. */
export const liveResident = sql`(${r.mergedIntoId} is null and ${r.archivedAt} is null)`;

/**
 * Builds the scope with no constant `true`/`false` left in it: PostgreSQL turns an
 * `exists` at the top of a WHERE into a semi-join (driven by the caseload or
 * membership index) only when it is not wrapped in an OR — and it does that before it
 * folds constants, so `(exists … or false)` would stay a per-row filter.
 */
export function residentScope(v: ResidentVisibility): ResidentScope {
  if (v.kind === "none") {
    return {
      visible: sql`false`,
      full: sql`false`,
      access: sql<"contact">`'contact'`,
      hasContact: false,
    };
  }
  const parts: SQL[] = [];
  if (!v.full.all && v.full.communityRoots.length) parts.push(inCommunities(v.full.communityRoots));
  if (!v.full.all && v.full.caseloadOf) {
    parts.push(sql`exists (
      select 1 from resident_caseworkers cw
      where cw.department_id = ${r.departmentId} and cw.resident_id = ${r.id}
        and cw.user_id = ${v.full.caseloadOf}
    )`);
  }
  const full = v.full.all
    ? sql`true`
    : parts.length === 0
      ? sql`false`
      : parts.length === 1
        ? parts[0]!
        : sql`(${sql.join(parts, sql` or `)})`;
  // The consent through its GIN index (residents_consents_idx).
  const contact =
    v.contact && !v.full.all
      ? sql`(${r.consents} @> array[${v.contact.requiredConsent}]::text[] and ${inCommunities(v.contact.communityRoots)})`
      : null;
  const reach = v.full.all
    ? null
    : parts.length && contact
      ? sql`(${full} or ${contact})`
      : parts.length
        ? full
        : contact;
  const visible = reach
    ? sql`(${r.departmentId} = ${v.departmentId} and ${liveResident} and ${reach})`
    : sql`(${r.departmentId} = ${v.departmentId} and ${liveResident})`;
  const access =
    contact && parts.length
      ? sql<"full" | "contact">`(case when ${full} then 'full' else 'contact' end)`
      : contact
        ? sql<"contact">`'contact'`
        : sql<"full">`'full'`;
  return { visible, full, access, hasContact: contact !== null };
}
