import { sql, type SQL } from "drizzle-orm";
import { schema, type DbOrTx } from "@kaveret/db";
import { rowsOf } from "../../lib/sql.ts";
import { subtreeIds } from "../residents/residents.scope.ts";
import { publicGeography } from "../map/map.repository.ts";

/**
 * Area subscriptions (push_subscriptions of kind "area"): a phone asked for the department's
 * emergency alerts for one geographic community, without an account. No user, no resident:
 * the community, the language and the push keys are all there is.
 */

const s = schema.pushSubscriptions;
const c = schema.communities;

/** The communities a person chooses from: those the public report page names too. */
export async function publicCommunities(db: DbOrTx, departmentId: string) {
  return db
    .select({
      id: c.id,
      level: c.level,
      parentId: c.parentId,
      name: c.name,
      altNames: c.altNames,
    })
    .from(c)
    .where(publicGeography(departmentId))
    .orderBy(sql`${c.level} = 'neighbourhood'`, c.name);
}

export async function departmentName(db: DbOrTx, departmentId: string) {
  const [row] = await db
    .select({
      id: schema.departments.id,
      name: schema.departments.name,
      altNames: schema.departments.altNames,
    })
    .from(schema.departments)
    .where(sql`${schema.departments.id} = ${departmentId}`)
    .limit(1);
  return row ?? null;
}

/**
 * Stores or updates (same endpoint) an area subscription. Null when the endpoint already
 * belongs to a signed-in user's browser in this department (left as it is).
 */
export async function upsertAreaSubscription(
  db: DbOrTx,
  v: {
    departmentId: string;
    communityId: string;
    endpoint: string;
    p256dh: string;
    auth: string;
    language: string;
  },
): Promise<{ created: boolean } | null> {
  const [row] = rowsOf<{ created: boolean }>(
    await db.execute(sql`
      insert into push_subscriptions (department_id, kind, community_id, endpoint, p256dh, auth, language)
      values (${v.departmentId}, 'area', ${v.communityId}, ${v.endpoint}, ${v.p256dh}, ${v.auth}, ${v.language})
      on conflict (department_id, endpoint) do update set
        community_id = excluded.community_id, p256dh = excluded.p256dh, auth = excluded.auth,
        language = excluded.language, created_at = now()
      where push_subscriptions.kind = 'area'
      returning (xmax = 0) as created`),
  );
  return row ?? null;
}

/** Removes an area subscription; the auth secret proves the caller holds it. */
export async function deleteAreaSubscription(
  db: DbOrTx,
  departmentId: string,
  endpoint: string,
  auth: string,
): Promise<boolean> {
  const rows = await db
    .delete(s)
    .where(
      sql`${s.departmentId} = ${departmentId} and ${s.kind} = 'area' and ${s.endpoint} = ${endpoint}
        and ${s.auth} = ${auth}`,
    )
    .returning({ id: s.id });
  return rows.length > 0;
}

export type AreaFilter = { departmentId: string; communityIds: string[]; languages: string[] };

/** Area subscriptions in the audience: community within its communities' subtrees, language. */
function areaWhere(a: AreaFilter): SQL {
  const parts: SQL[] = [sql`s.department_id = ${a.departmentId}`, sql`s.kind = 'area'`];
  if (a.communityIds.length) {
    parts.push(sql`s.community_id in (${subtreeIds(a.departmentId, a.communityIds)})`);
  }
  if (a.languages.length) {
    parts.push(
      sql`s.language = any(array[${sql.join(
        a.languages.map((l) => sql`${l}`),
        sql`, `,
      )}]::text[])`,
    );
  }
  return sql.join(parts, sql` and `);
}

/** Area subscribers of an audience by their language (the dry run). */
export async function areaCounts(db: DbOrTx, a: AreaFilter) {
  return rowsOf<{ language: string; n: number }>(
    await db.execute(sql`select s.language, count(*)::int as n from push_subscriptions s
      where ${areaWhere(a)} group by s.language`),
  );
}

/** One page of area subscriptions in the audience, in id order, after `after`. */
export async function areaPage(
  db: DbOrTx,
  a: AreaFilter,
  after: string | null,
  limit: number,
): Promise<{ id: string; language: string }[]> {
  return rowsOf<{ id: string; language: string }>(
    await db.execute(sql`select s.id, s.language from push_subscriptions s
      where ${areaWhere(a)} ${after ? sql`and s.id > ${after}::uuid` : sql``}
      order by s.id limit ${limit}`),
  );
}

/** The last area subscription an interrupted fan-out already wrote a delivery for. */
export async function lastAreaFannedOut(
  db: DbOrTx,
  departmentId: string,
  broadcastId: string,
): Promise<string | null> {
  const [row] = rowsOf<{ last: string | null }>(
    await db.execute(sql`select max(subscription_id::text) as last from broadcast_deliveries
      where department_id = ${departmentId} and broadcast_id = ${broadcastId}
        and resident_id is null and subscription_id is not null`),
  );
  return row?.last ?? null;
}

/** Whether an emergency of the department exists and is real (not a drill). */
export async function isRealEmergency(
  db: DbOrTx,
  departmentId: string,
  emergencyId: string | null,
): Promise<boolean> {
  if (!emergencyId) return false;
  const [row] = await db
    .select({ drill: schema.emergencies.drill })
    .from(schema.emergencies)
    .where(
      sql`${schema.emergencies.departmentId} = ${departmentId} and ${schema.emergencies.id} = ${emergencyId}`,
    )
    .limit(1);
  return row ? !row.drill : false;
}
