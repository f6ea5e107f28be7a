import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { insertUnnest, schema, unnestInserts, type Column, type DbOrTx } from "@kaveret/db";
import type { EmergencySummaryCounts } from "@kaveret/contracts";
import type { CallVisibility } from "../../policy/policy.ts";
import { inCommunities, liveResident, subtreeIds } from "../residents/residents.scope.ts";
import { rowsOf } from "../../lib/sql.ts";

/* The only code of the emergency module that touches the database. */

const e = schema.emergencies;
const calls = schema.emergencyCalls;
const attempts = schema.emergencyCallAttempts;
const links = schema.emergencyStatusLinks;
const reports = schema.emergencySelfReports;
const help = schema.emergencyHelpRequests;
const offers = schema.emergencyVolunteerOffers;
const log = schema.emergencyLog;
const reviews = schema.emergencyReviews;
const r = schema.residents;

export type EmergencyRow = typeof e.$inferSelect;
export type CallRow = typeof calls.$inferSelect;
export type AttemptRow = typeof attempts.$inferSelect;
export type HelpRow = typeof help.$inferSelect;
export type OfferRow = typeof offers.$inferSelect;
export type LogRow = typeof log.$inferSelect;
export type ReviewRow = typeof reviews.$inferSelect;

const uuidList = (ids: readonly string[]) =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

/* ------------------------------------------------------------------ */
/* Emergencies.                                                         */
/* ------------------------------------------------------------------ */

export async function findActive(db: DbOrTx, departmentId: string) {
  const [row] = await db
    .select()
    .from(e)
    .where(and(eq(e.departmentId, departmentId), eq(e.status, "active")))
    .limit(1);
  return row;
}

export async function findEmergency(db: DbOrTx, departmentId: string, id: string) {
  const [row] = await db
    .select()
    .from(e)
    .where(and(eq(e.departmentId, departmentId), eq(e.id, id)));
  return row;
}

export async function listEmergencies(db: DbOrTx, departmentId: string) {
  return db
    .select()
    .from(e)
    .where(eq(e.departmentId, departmentId))
    .orderBy(desc(e.startedAt))
    .limit(200);
}

export async function insertEmergency(db: DbOrTx, values: typeof e.$inferInsert) {
  const [row] = await db.insert(e).values(values).returning();
  return row!;
}

export async function updateEmergencyIfVersion(
  db: DbOrTx,
  departmentId: string,
  id: string,
  version: number,
  patch: Partial<typeof e.$inferInsert>,
) {
  const [row] = await db
    .update(e)
    .set({ ...patch, version: version + 1, updatedAt: new Date() })
    .where(and(eq(e.departmentId, departmentId), eq(e.id, id), eq(e.version, version)))
    .returning();
  return row;
}

/** Communities of the department among `ids` that exist and are not archived. */
export async function liveCommunities(db: DbOrTx, departmentId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: schema.communities.id, name: schema.communities.name })
    .from(schema.communities)
    .where(
      and(
        eq(schema.communities.departmentId, departmentId),
        inArray(schema.communities.id, ids),
        isNull(schema.communities.archivedAt),
      ),
    );
}

export async function communityNames(db: DbOrTx, departmentId: string, ids: string[]) {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: schema.communities.id, name: schema.communities.name })
    .from(schema.communities)
    .where(
      and(
        eq(schema.communities.departmentId, departmentId),
        inArray(schema.communities.id, unique),
      ),
    );
  return new Map(rows.map((x) => [x.id, x.name]));
}

/** Sets the routine/emergency mode of the communities and everything inside them. */
export async function setCommunityMode(
  db: DbOrTx,
  departmentId: string,
  rootIds: string[],
  mode: "routine" | "emergency",
) {
  if (rootIds.length === 0) return;
  await db.execute(sql`
    update communities set mode = ${mode}
    where department_id = ${departmentId} and id in (${subtreeIds(departmentId, rootIds)})
      and mode <> ${mode}`);
}

export async function userNames(db: DbOrTx, ids: (string | null | undefined)[]) {
  const unique = [...new Set(ids.filter((x): x is string => !!x))];
  if (unique.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: schema.user.id, name: schema.user.name })
    .from(schema.user)
    .where(inArray(schema.user.id, unique));
  return new Map(rows.map((x) => [x.id, x.name]));
}

/** Active department roles of these users (who may be given calls or claims). */
export async function departmentRoles(db: DbOrTx, departmentId: string, userIds: string[]) {
  if (userIds.length === 0) return new Map<string, { name: string; roles: string[] }>();
  const rows = await db
    .select({
      userId: schema.roleAssignments.userId,
      role: schema.roleAssignments.role,
      name: schema.user.name,
    })
    .from(schema.roleAssignments)
    .innerJoin(schema.user, eq(schema.user.id, schema.roleAssignments.userId))
    .where(
      and(
        eq(schema.roleAssignments.departmentId, departmentId),
        eq(schema.roleAssignments.active, true),
        eq(schema.user.active, true),
        inArray(schema.roleAssignments.userId, userIds),
      ),
    );
  const out = new Map<string, { name: string; roles: string[] }>();
  for (const row of rows) {
    const entry = out.get(row.userId) ?? { name: row.name, roles: [] };
    entry.roles.push(row.role);
    out.set(row.userId, entry);
  }
  return out;
}

/**
 * Who an unreachable resident's call is escalated to: a community worker assigned to one
 * of the resident's communities (not the caller who missed them), else null.
 */
export async function communityWorkerFor(
  db: DbOrTx,
  departmentId: string,
  communityIds: string[],
  exclude: string | null,
): Promise<string | null> {
  if (communityIds.length === 0) return null;
  const rows = rowsOf<{ user_id: string }>(
    await db.execute(sql`
      select ca.user_id from community_assignments ca
      join role_assignments ra on ra.user_id = ca.user_id and ra.department_id = ca.department_id
        and ra.role = 'community_worker' and ra.active
      where ca.department_id = ${departmentId} and ca.community_id in (${uuidList(communityIds)})
        ${exclude ? sql`and ca.user_id <> ${exclude}` : sql``}
      order by ca.created_at, ca.user_id
      limit 1`),
  );
  return rows[0]?.user_id ?? null;
}

/* ------------------------------------------------------------------ */
/* Figures.                                                             */
/* ------------------------------------------------------------------ */

export async function counts(
  db: DbOrTx,
  departmentId: string,
  emergencyId: string,
): Promise<EmergencySummaryCounts> {
  const [c] = rowsOf<Record<string, number>>(
    await db.execute(sql`
      select count(*)::int as calls,
        count(*) filter (where status = 'pending')::int as pending,
        count(*) filter (where status = 'retry')::int as retry,
        count(*) filter (where status = 'escalated')::int as escalated,
        count(*) filter (where outcome = 'reached_ok')::int as reached_ok,
        count(*) filter (where outcome = 'reached_needs_help')::int as reached_needs_help,
        count(*) filter (where outcome = 'not_reached')::int as not_reached,
        count(*) filter (where last_source = 'self')::int as self_calls
      from emergency_calls where department_id = ${departmentId} and emergency_id = ${emergencyId}`),
  );
  const [h] = rowsOf<Record<string, number>>(
    await db.execute(sql`
      select count(*) filter (where status = 'open')::int as open,
        count(*) filter (where status = 'claimed')::int as claimed,
        count(*) filter (where status = 'completed')::int as completed
      from emergency_help_requests where department_id = ${departmentId} and emergency_id = ${emergencyId}`),
  );
  const [s] = rowsOf<{ n: number }>(
    await db.execute(sql`
      select count(distinct resident_id)::int as n from emergency_self_reports
      where department_id = ${departmentId} and emergency_id = ${emergencyId}`),
  );
  return {
    calls: c!.calls ?? 0,
    pending: c!.pending ?? 0,
    retry: c!.retry ?? 0,
    escalated: c!.escalated ?? 0,
    reachedOk: c!.reached_ok ?? 0,
    reachedNeedsHelp: c!.reached_needs_help ?? 0,
    notReached: c!.not_reached ?? 0,
    selfReported: s!.n ?? 0,
    helpOpen: h!.open ?? 0,
    helpClaimed: h!.claimed ?? 0,
    helpCompleted: h!.completed ?? 0,
  };
}

/**
 * Call figures per community in scope (a resident counts in each scope community they belong
 * to). Driven from the emergency's calls (then each resident by primary key), never from the
 * communities' residents: right after a town-wide list is written the planner still believes
 * the emergency has no calls (PGlite never refreshes statistics while running) and a plan
 * starting from the residents compared every resident with every call — minutes for 100k.
 */
export async function countsByCommunity(
  db: DbOrTx,
  departmentId: string,
  emergencyId: string,
  communityIds: string[],
) {
  if (communityIds.length === 0) return [];
  type Counts = {
    community_id: string;
    calls: number;
    reached_ok: number;
    reached_needs_help: number;
    not_reached: number;
    pending: number;
  };
  const rows = rowsOf<Counts>(
    await db.execute(sql`
      select cid as community_id, count(*)::int as calls,
        count(*) filter (where c.outcome = 'reached_ok')::int as reached_ok,
        count(*) filter (where c.outcome = 'reached_needs_help')::int as reached_needs_help,
        count(*) filter (where c.outcome = 'not_reached')::int as not_reached,
        count(*) filter (where c.status = 'pending')::int as pending
      from emergency_calls c
      join residents res on res.department_id = c.department_id and res.id = c.resident_id
      cross join lateral unnest(res.community_ids) as cid
      where c.department_id = ${departmentId} and c.emergency_id = ${emergencyId}
        and cid = any(array[${uuidList(communityIds)}])
      group by cid`),
  );
  const byId = new Map(rows.map((row) => [row.community_id, row]));
  return communityIds.map(
    (id): Counts =>
      byId.get(id) ?? {
        community_id: id,
        calls: 0,
        reached_ok: 0,
        reached_needs_help: 0,
        not_reached: 0,
        pending: 0,
      },
  );
}

export async function helpByCategory(db: DbOrTx, departmentId: string, emergencyId: string) {
  return rowsOf<{
    category: string;
    total: number;
    open: number;
    claimed: number;
    completed: number;
    became_needs: number;
  }>(
    await db.execute(sql`
      select category, count(*)::int as total,
        count(*) filter (where status = 'open')::int as open,
        count(*) filter (where status = 'claimed')::int as claimed,
        count(*) filter (where status = 'completed')::int as completed,
        count(*) filter (where need_id is not null)::int as became_needs
      from emergency_help_requests where department_id = ${departmentId} and emergency_id = ${emergencyId}
      group by category order by category`),
  );
}

export async function callerLoads(db: DbOrTx, departmentId: string, emergencyId: string) {
  const now = new Date().toISOString();
  return rowsOf<{ assignee_id: string; assigned: number; done: number; due: number }>(
    await db.execute(sql`
      select assignee_id, count(*)::int as assigned,
        count(*) filter (where status = 'done')::int as done,
        count(*) filter (where status = 'pending' or (status = 'retry' and next_attempt_at <= ${now}))::int as due
      from emergency_calls
      where department_id = ${departmentId} and emergency_id = ${emergencyId} and assignee_id is not null
      group by assignee_id order by assignee_id`),
  );
}

export async function logCount(db: DbOrTx, departmentId: string, emergencyId: string) {
  const [row] = rowsOf<{ n: number }>(
    await db.execute(sql`select count(*)::int as n from emergency_log
      where department_id = ${departmentId} and emergency_id = ${emergencyId}`),
  );
  return row?.n ?? 0;
}

export async function volunteerCount(db: DbOrTx, departmentId: string, emergencyId: string) {
  const [row] = rowsOf<{ n: number }>(
    await db.execute(sql`select count(distinct u)::int as n from (
        select user_id as u from emergency_volunteer_offers
          where department_id = ${departmentId} and emergency_id = ${emergencyId}
        union all
        select c.assignee_id from emergency_calls c
          join role_assignments ra on ra.user_id = c.assignee_id and ra.department_id = c.department_id
            and ra.role = 'volunteer'
          where c.department_id = ${departmentId} and c.emergency_id = ${emergencyId}
      ) x where u is not null`),
  );
  return row?.n ?? 0;
}

/* ------------------------------------------------------------------ */
/* Call list: generation.                                               */
/* ------------------------------------------------------------------ */

export type Candidate = {
  id: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  birthYear: number | null;
  flagTokens: string[];
  consents: string[];
  languages: string[];
  streetId: string | null;
  houseNumber: string | null;
  homeCommunityId: string | null;
};

/**
 * Live residents of the communities in scope who may be at risk (a risk flag's blind-index
 * token, or born in or before `bornBy`) and are not on this emergency's list yet.
 */
export async function candidates(
  db: DbOrTx,
  departmentId: string,
  emergencyId: string,
  communityIds: string[],
  flagTokens: string[],
  bornBy: number,
): Promise<Candidate[]> {
  return db
    .select({
      id: r.id,
      firstName: r.firstName,
      lastName: r.lastName,
      phone: r.phone,
      birthYear: r.birthYear,
      flagTokens: r.flagTokens,
      consents: r.consents,
      languages: r.languages,
      streetId: r.streetId,
      houseNumber: r.houseNumber,
      homeCommunityId: r.homeCommunityId,
    })
    .from(r)
    .where(
      and(
        eq(r.departmentId, departmentId),
        liveResident,
        inCommunities(communityIds),
        sql`(${r.flagTokens} && array[${sql.join(
          flagTokens.map((t) => sql`${t}`),
          sql`, `,
        )}]::text[] or ${r.birthYear} <= ${bornBy})`,
        sql`not exists (select 1 from emergency_calls ec where ec.department_id = ${departmentId}
          and ec.emergency_id = ${emergencyId} and ec.resident_id = ${r.id})`,
      ),
    );
}

/** A call as generation writes it (department and emergency given once). */
export type NewCall = {
  id: string;
  residentId: string;
  rank: number;
  riskScore: number;
  riskEnc: string;
  consented: boolean;
  streetId: string | null;
  houseNumber: string | null;
  languages: string[];
  homeCommunityId: string | null;
};

const CALL_COLUMNS = [
  ["id", "uuid"],
  ["emergency_id", "uuid"],
  ["resident_id", "uuid"],
  ["drill", "bool"],
  ["rank", "int"],
  ["risk_score", "int"],
  ["risk_enc", "text"],
  ["consented", "bool"],
  ["street_id", "uuid"],
  ["house_number", "text"],
  ["languages", "text[]"],
  ["home_community_id", "uuid"],
] as const satisfies readonly Column[];

/** New calls, already ranked: one `insert … select from unnest(…)` per 5,000. */
export async function insertCalls(
  db: DbOrTx,
  emergency: { departmentId: string; id: string; drill: boolean },
  rows: readonly NewCall[],
) {
  await insertUnnest(
    db,
    "emergency_calls",
    emergency.departmentId,
    CALL_COLUMNS,
    rows.map((c) => [
      c.id,
      emergency.id,
      c.residentId,
      emergency.drill,
      c.rank,
      c.riskScore,
      c.riskEnc,
      c.consented,
      c.streetId,
      c.houseNumber,
      c.languages,
      c.homeCommunityId,
    ]),
  );
}

export type RankRow = Awaited<ReturnType<typeof rankRows>>[number];

/** What the risk order needs of every call on the list. */
export async function rankRows(db: DbOrTx, departmentId: string, emergencyId: string) {
  return db
    .select({
      id: calls.id,
      rank: calls.rank,
      score: calls.riskScore,
      birthYear: r.birthYear,
      lastName: r.lastName,
      firstName: r.firstName,
    })
    .from(calls)
    .innerJoin(r, and(eq(r.departmentId, calls.departmentId), eq(r.id, calls.residentId)))
    .where(and(eq(calls.departmentId, departmentId), eq(calls.emergencyId, emergencyId)));
}

/** New ranks of calls already on the list: one update per 5,000. */
export async function setRanks(
  db: DbOrTx,
  departmentId: string,
  ranks: { id: string; rank: number }[],
) {
  for (let i = 0; i < ranks.length; i += 5000) {
    const part = ranks.slice(i, i + 5000);
    await db.execute(sql`
      update emergency_calls c set rank = x.rank
      from unnest(${sql.param(part.map((p) => p.id))}::uuid[],
                  ${sql.param(part.map((p) => p.rank))}::int[]) as x(id, rank)
      where c.department_id = ${departmentId} and c.id = x.id and c.rank <> x.rank`);
  }
}

/* ------------------------------------------------------------------ */
/* Call list: assignment and work.                                       */
/* ------------------------------------------------------------------ */

export async function callsToSplit(
  db: DbOrTx,
  departmentId: string,
  emergencyId: string,
  reassignAll: boolean,
) {
  return db
    .select({
      id: calls.id,
      rank: calls.rank,
      streetId: calls.streetId,
      houseNumber: calls.houseNumber,
      languages: calls.languages,
      consented: calls.consented,
      assigneeId: calls.assigneeId,
    })
    .from(calls)
    .where(
      and(
        eq(calls.departmentId, departmentId),
        eq(calls.emergencyId, emergencyId),
        inArray(calls.status, ["pending", "retry"]),
        reassignAll ? undefined : isNull(calls.assigneeId),
      ),
    )
    .orderBy(asc(calls.rank));
}

/** Open calls each of these users holds now. */
export async function openLoads(
  db: DbOrTx,
  departmentId: string,
  emergencyId: string,
  userIds: string[],
) {
  if (userIds.length === 0) return new Map<string, number>();
  const rows = await db
    .select({ userId: calls.assigneeId, n: sql<number>`count(*)::int` })
    .from(calls)
    .where(
      and(
        eq(calls.departmentId, departmentId),
        eq(calls.emergencyId, emergencyId),
        inArray(calls.status, ["pending", "retry"]),
        inArray(calls.assigneeId, userIds),
      ),
    )
    .groupBy(calls.assigneeId);
  return new Map(rows.map((x) => [x.userId!, Number(x.n)]));
}

export async function assignCalls(
  db: DbOrTx,
  departmentId: string,
  assigneeId: string | null,
  ids: string[],
) {
  for (let i = 0; i < ids.length; i += 1000) {
    const part = ids.slice(i, i + 1000);
    await db
      .update(calls)
      .set({
        assigneeId,
        version: sql`${calls.version} + 1`,
        updatedAt: new Date(),
      })
      .where(
        and(
          eq(calls.departmentId, departmentId),
          inArray(calls.id, part),
          assigneeId === null
            ? sql`${calls.assigneeId} is not null`
            : sql`${calls.assigneeId} is distinct from ${assigneeId}`,
        ),
      );
  }
}

/** SQL for "calls this reader may list" (policy.callVisibility). */
export function callScope(v: CallVisibility, emergencyActive: boolean): SQL {
  if (v.kind === "none") return sql`false`;
  const base = sql`${calls.departmentId} = ${v.departmentId}`;
  if (v.all) return base;
  const held = v.openOnly
    ? emergencyActive
      ? sql`(${calls.assigneeId} = ${v.heldBy} and ${calls.status} in ('pending', 'retry'))`
      : sql`false`
    : sql`(${calls.assigneeId} = ${v.heldBy} or ${calls.escalatedTo} = ${v.heldBy})`;
  const reach: SQL[] = [held];
  if (v.communityRoots.length) {
    reach.push(sql`exists (select 1 from residents sr where sr.department_id = ${calls.departmentId}
      and sr.id = ${calls.residentId} and ${sql.raw("sr.community_ids")} && array[${uuidList(v.communityRoots)}])`);
  }
  return sql`(${base} and (${sql.join(reach, sql` or `)}))`;
}

export const callColumns = {
  call: calls,
  firstName: r.firstName,
  lastName: r.lastName,
  phone: r.phone,
  residentLanguages: r.languages,
  lat: r.lat,
  lon: r.lon,
  houseNumber: r.houseNumber,
  apartment: r.apartment,
  addressNote: r.addressNote,
  communityIds: r.communityIds,
  streetName: schema.streets.name,
  homeCommunityName: schema.communities.name,
};

export type CallListRow = {
  call: CallRow;
  firstName: string;
  lastName: string;
  phone: string | null;
  residentLanguages: string[];
  lat: number | null;
  lon: number | null;
  houseNumber: string | null;
  apartment: string | null;
  addressNote: string;
  communityIds: string[];
  streetName: string | null;
  homeCommunityName: string | null;
};

function selectCalls(db: DbOrTx) {
  return db
    .select(callColumns)
    .from(calls)
    .innerJoin(r, and(eq(r.departmentId, calls.departmentId), eq(r.id, calls.residentId)))
    .leftJoin(
      schema.streets,
      and(eq(schema.streets.departmentId, r.departmentId), eq(schema.streets.id, r.streetId)),
    )
    .leftJoin(
      schema.communities,
      and(
        eq(schema.communities.departmentId, r.departmentId),
        eq(schema.communities.id, r.homeCommunityId),
      ),
    );
}

export type CallFilter = {
  emergencyId: string;
  assignee?: { kind: "user"; id: string } | { kind: "none" };
  statuses?: string[];
  due?: boolean;
  communityId?: string;
};

export async function listCalls(
  db: DbOrTx,
  scope: SQL,
  f: CallFilter,
  page: { offset: number; limit: number },
): Promise<{ rows: CallListRow[]; total: number }> {
  const where: SQL[] = [scope, eq(calls.emergencyId, f.emergencyId)];
  if (f.assignee?.kind === "user") {
    where.push(
      sql`(${calls.assigneeId} = ${f.assignee.id} or ${calls.escalatedTo} = ${f.assignee.id})`,
    );
  }
  if (f.assignee?.kind === "none") where.push(isNull(calls.assigneeId));
  if (f.statuses?.length) where.push(inArray(calls.status, f.statuses));
  if (f.due) {
    where.push(
      sql`(${calls.status} in ('pending', 'escalated') or (${calls.status} = 'retry' and ${calls.nextAttemptAt} <= ${new Date().toISOString()}))`,
    );
  }
  if (f.communityId) where.push(sql`${r.communityIds} @> array[${f.communityId}::uuid]`);
  const cond = and(...where);
  const [rows, [count]] = await Promise.all([
    selectCalls(db)
      .where(cond)
      .orderBy(asc(calls.rank))
      .offset(page.offset)
      .limit(page.limit) as Promise<CallListRow[]>,
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(calls)
      .innerJoin(r, and(eq(r.departmentId, calls.departmentId), eq(r.id, calls.residentId)))
      .where(cond),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

export async function findCall(
  db: DbOrTx,
  departmentId: string,
  id: string,
): Promise<CallListRow | undefined> {
  const [row] = (await selectCalls(db).where(
    and(eq(calls.departmentId, departmentId), eq(calls.id, id)),
  )) as CallListRow[];
  return row;
}

export async function findCallOf(
  db: DbOrTx,
  departmentId: string,
  emergencyId: string,
  residentId: string,
) {
  const [row] = await db
    .select()
    .from(calls)
    .where(
      and(
        eq(calls.departmentId, departmentId),
        eq(calls.emergencyId, emergencyId),
        eq(calls.residentId, residentId),
      ),
    );
  return row;
}

export async function callsByIds(db: DbOrTx, departmentId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return (await selectCalls(db).where(
    and(eq(calls.departmentId, departmentId), inArray(calls.id, ids)),
  )) as CallListRow[];
}

export async function updateCallIfVersion(
  db: DbOrTx,
  departmentId: string,
  id: string,
  version: number,
  patch: Partial<typeof calls.$inferInsert>,
) {
  const [row] = await db
    .update(calls)
    .set({ ...patch, version: version + 1, updatedAt: new Date() })
    .where(and(eq(calls.departmentId, departmentId), eq(calls.id, id), eq(calls.version, version)))
    .returning();
  return row;
}

export async function attemptsFor(db: DbOrTx, departmentId: string, callIds: string[]) {
  if (callIds.length === 0) return [];
  return db
    .select()
    .from(attempts)
    .where(and(eq(attempts.departmentId, departmentId), inArray(attempts.callId, callIds)))
    .orderBy(asc(attempts.at), asc(attempts.createdAt));
}

export async function findAttempt(db: DbOrTx, departmentId: string, id: string) {
  const [row] = await db
    .select()
    .from(attempts)
    .where(and(eq(attempts.departmentId, departmentId), eq(attempts.id, id)));
  return row;
}

export async function insertAttempt(db: DbOrTx, values: typeof attempts.$inferInsert) {
  await db.insert(attempts).values(values);
}

/** Makes every call of the emergency show up in the next sync pull (to be removed on devices). */
export async function touchCallsForSync(db: DbOrTx, departmentId: string, emergencyId: string) {
  await db.execute(
    sql`select pg_advisory_xact_lock(hashtextextended('change_log:' || ${departmentId}::text, 0))`,
  );
  await db.execute(sql`
    insert into change_log (department_id, kind, record_id, op, version)
    select department_id, 'emergency_call', id, 'upsert', version from emergency_calls
    where department_id = ${departmentId} and emergency_id = ${emergencyId}
      and assignee_id is not null
    order by rank`);
}

/** Calls (by id) the reader holds, with their emergency's status — what a device may keep. */
export async function heldCallsForSync(db: DbOrTx, departmentId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return (await selectCalls(db)
    .innerJoin(e, and(eq(e.departmentId, calls.departmentId), eq(e.id, calls.emergencyId)))
    .where(
      and(eq(calls.departmentId, departmentId), inArray(calls.id, ids), eq(e.status, "active")),
    )) as CallListRow[];
}

/* ------------------------------------------------------------------ */
/* Status links and self reports.                                        */
/* ------------------------------------------------------------------ */

export async function findLinkByHash(db: DbOrTx, tokenHash: string) {
  const [row] = await db
    .select({
      link: links,
      emergency: e,
      firstName: r.firstName,
      languages: r.languages,
      lat: r.lat,
      lon: r.lon,
      homeCommunityId: r.homeCommunityId,
      houseNumber: r.houseNumber,
      streetName: schema.streets.name,
      departmentName: schema.departments.name,
      departmentAltNames: schema.departments.altNames,
    })
    .from(links)
    .innerJoin(e, and(eq(e.departmentId, links.departmentId), eq(e.id, links.emergencyId)))
    .innerJoin(r, and(eq(r.departmentId, links.departmentId), eq(r.id, links.residentId)))
    .innerJoin(schema.departments, eq(schema.departments.id, links.departmentId))
    .leftJoin(
      schema.streets,
      and(eq(schema.streets.departmentId, r.departmentId), eq(schema.streets.id, r.streetId)),
    )
    .where(eq(links.tokenHash, tokenHash));
  return row;
}

/** Residents who have a status link for this emergency already. */
export async function linkedResidents(
  db: DbOrTx,
  departmentId: string,
  emergencyId: string,
): Promise<Set<string>> {
  const rows = await db
    .select({ residentId: links.residentId })
    .from(links)
    .where(and(eq(links.departmentId, departmentId), eq(links.emergencyId, emergencyId)));
  return new Set(rows.map((l) => l.residentId));
}

export async function linksOf(
  db: DbOrTx,
  departmentId: string,
  emergencyId: string,
  residentIds: string[],
) {
  if (residentIds.length === 0) return [];
  return db
    .select()
    .from(links)
    .where(
      and(
        eq(links.departmentId, departmentId),
        eq(links.emergencyId, emergencyId),
        inArray(links.residentId, residentIds),
      ),
    );
}

const LINK_COLUMNS = [
  ["emergency_id", "uuid"],
  ["resident_id", "uuid"],
  ["token_hash", "text"],
  ["token_enc", "text"],
] as const satisfies readonly Column[];

/** New status links (one statement per 5,000); a resident who has one already keeps it. */
export async function insertLinks(
  db: DbOrTx,
  departmentId: string,
  rows: readonly { emergencyId: string; residentId: string; tokenHash: string; tokenEnc: string }[],
) {
  const values = rows.map((l) => [l.emergencyId, l.residentId, l.tokenHash, l.tokenEnc]);
  for (const statement of unnestInserts(
    "emergency_status_links",
    departmentId,
    LINK_COLUMNS,
    values,
  ))
    await db.execute(sql`${statement} on conflict do nothing`);
}

export async function markLinksSent(
  db: DbOrTx,
  departmentId: string,
  emergencyId: string,
  residentIds: string[],
) {
  if (residentIds.length === 0) return;
  await db
    .update(links)
    .set({ sentAt: new Date() })
    .where(
      and(
        eq(links.departmentId, departmentId),
        eq(links.emergencyId, emergencyId),
        inArray(links.residentId, residentIds),
      ),
    );
}

export async function insertSelfReport(db: DbOrTx, values: typeof reports.$inferInsert) {
  const [row] = await db.insert(reports).values(values).returning();
  return row!;
}

/* ------------------------------------------------------------------ */
/* Help requests.                                                        */
/* ------------------------------------------------------------------ */

export async function nextHelpNumber(db: DbOrTx, departmentId: string) {
  const rows = await db.execute(sql`
    insert into department_counters (department_id, name, value) values (${departmentId}, 'emergency_help', 1)
    on conflict (department_id, name) do update set value = department_counters.value + 1
    returning value`);
  return Number(rowsOf<{ value: number }>(rows)[0]!.value);
}

export async function insertHelp(db: DbOrTx, values: typeof help.$inferInsert) {
  const [row] = await db.insert(help).values(values).returning();
  return row!;
}

export async function findHelp(db: DbOrTx, departmentId: string, id: string) {
  const [row] = await db
    .select()
    .from(help)
    .where(and(eq(help.departmentId, departmentId), eq(help.id, id)));
  return row;
}

export async function updateHelpIfVersion(
  db: DbOrTx,
  departmentId: string,
  id: string,
  version: number,
  patch: Partial<typeof help.$inferInsert>,
) {
  const [row] = await db
    .update(help)
    .set({ ...patch, version: version + 1, updatedAt: new Date() })
    .where(and(eq(help.departmentId, departmentId), eq(help.id, id), eq(help.version, version)))
    .returning();
  return row;
}

export type HelpFilter = {
  departmentId: string;
  emergencyId: string;
  statuses?: string[];
  category?: string;
  /** Staff reach: null = all of the department. */
  reach: SQL | null;
};

export async function listHelp(db: DbOrTx, f: HelpFilter) {
  const where: SQL[] = [eq(help.departmentId, f.departmentId), eq(help.emergencyId, f.emergencyId)];
  if (f.statuses?.length) where.push(inArray(help.status, f.statuses));
  if (f.category) where.push(eq(help.category, f.category));
  if (f.reach) where.push(f.reach);
  return db
    .select()
    .from(help)
    .where(and(...where))
    .orderBy(
      sql`case ${help.urgency} when 'critical' then 0 when 'high' then 1 else 2 end`,
      asc(help.createdAt),
    )
    .limit(2000);
}

/** Staff reach over help requests (policy.helpRequestAccess, as SQL). */
export function helpReach(
  departmentId: string,
  o: { communityRoots: string[]; userId: string; createdToo: boolean },
): SQL {
  const parts: SQL[] = [sql`${help.claimedBy} = ${o.userId}`];
  if (o.createdToo) parts.push(sql`${help.createdBy} = ${o.userId}`);
  if (o.communityRoots.length) {
    parts.push(sql`${help.communityId} is null`);
    parts.push(sql`${help.communityId} in (${subtreeIds(departmentId, o.communityRoots)})`);
  }
  return sql`(${sql.join(parts, sql` or `)})`;
}

export async function openHelpOfResident(
  db: DbOrTx,
  departmentId: string,
  emergencyId: string,
  residentId: string,
) {
  return db
    .select()
    .from(help)
    .where(
      and(
        eq(help.departmentId, departmentId),
        eq(help.emergencyId, emergencyId),
        eq(help.residentId, residentId),
        inArray(help.status, ["open", "claimed"]),
      ),
    );
}

export async function helpToConvert(db: DbOrTx, departmentId: string, emergencyId: string) {
  return db
    .select()
    .from(help)
    .where(
      and(
        eq(help.departmentId, departmentId),
        eq(help.emergencyId, emergencyId),
        inArray(help.status, ["open", "claimed"]),
        isNull(help.needId),
      ),
    )
    .orderBy(asc(help.number));
}

export async function needsMadeFrom(db: DbOrTx, departmentId: string, emergencyId: string) {
  return db
    .select({ id: schema.needs.id, number: schema.needs.number })
    .from(help)
    .innerJoin(
      schema.needs,
      and(eq(schema.needs.departmentId, help.departmentId), eq(schema.needs.id, help.needId)),
    )
    .where(and(eq(help.departmentId, departmentId), eq(help.emergencyId, emergencyId)))
    .orderBy(asc(schema.needs.number));
}

export async function needNumbers(db: DbOrTx, departmentId: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, number>();
  const rows = await db
    .select({ id: schema.needs.id, number: schema.needs.number })
    .from(schema.needs)
    .where(and(eq(schema.needs.departmentId, departmentId), inArray(schema.needs.id, ids)));
  return new Map(rows.map((x) => [x.id, x.number]));
}

export async function activeClaims(db: DbOrTx, departmentId: string, emergencyId: string) {
  const rows = await db
    .select({ userId: help.claimedBy, n: sql<number>`count(*)::int` })
    .from(help)
    .where(
      and(
        eq(help.departmentId, departmentId),
        eq(help.emergencyId, emergencyId),
        eq(help.status, "claimed"),
      ),
    )
    .groupBy(help.claimedBy);
  return new Map(rows.map((x) => [x.userId!, Number(x.n)]));
}

/* ------------------------------------------------------------------ */
/* Volunteer offers.                                                     */
/* ------------------------------------------------------------------ */

export async function upsertOffer(db: DbOrTx, values: typeof offers.$inferInsert) {
  const [row] = await db
    .insert(offers)
    .values(values)
    .onConflictDoUpdate({
      target: [offers.departmentId, offers.emergencyId, offers.userId],
      set: {
        categories: values.categories,
        languages: values.languages,
        skills: values.skills,
        lat: values.lat,
        lon: values.lon,
        radiusKm: values.radiusKm,
        hasVehicle: values.hasVehicle,
        note: values.note,
        active: true,
        updatedAt: new Date(),
      },
    })
    .returning();
  return row!;
}

export async function listOffers(
  db: DbOrTx,
  departmentId: string,
  emergencyId: string,
  userId?: string,
) {
  return db
    .select()
    .from(offers)
    .where(
      and(
        eq(offers.departmentId, departmentId),
        eq(offers.emergencyId, emergencyId),
        userId ? eq(offers.userId, userId) : undefined,
      ),
    )
    .orderBy(asc(offers.createdAt));
}

export async function findOffer(db: DbOrTx, departmentId: string, id: string) {
  const [row] = await db
    .select()
    .from(offers)
    .where(and(eq(offers.departmentId, departmentId), eq(offers.id, id)));
  return row;
}

export async function setOfferActive(
  db: DbOrTx,
  departmentId: string,
  id: string,
  active: boolean,
) {
  const [row] = await db
    .update(offers)
    .set({ active, updatedAt: new Date() })
    .where(and(eq(offers.departmentId, departmentId), eq(offers.id, id)))
    .returning();
  return row!;
}

/* ------------------------------------------------------------------ */
/* Shelters (asset directory).                                          */
/* ------------------------------------------------------------------ */

export async function shelters(db: DbOrTx, departmentId: string, communityIds: string[]) {
  const l = schema.locations;
  return db
    .select({
      id: l.id,
      name: l.name,
      type: l.assetType,
      communityId: l.communityId,
      communityName: schema.communities.name,
      address: l.address,
      houseNumber: l.houseNumber,
      streetName: schema.streets.name,
      lat: l.lat,
      lon: l.lon,
      capacity: l.capacity,
      occupancy: l.occupancy,
      phone: l.phone,
      version: l.version,
      updatedAt: l.updatedAt,
    })
    .from(l)
    .leftJoin(
      schema.communities,
      and(
        eq(schema.communities.departmentId, l.departmentId),
        eq(schema.communities.id, l.communityId),
      ),
    )
    .leftJoin(
      schema.streets,
      and(eq(schema.streets.departmentId, l.departmentId), eq(schema.streets.id, l.streetId)),
    )
    .where(
      and(
        eq(l.departmentId, departmentId),
        inArray(l.assetType, ["shelter", "distribution_point"]),
        isNull(l.archivedAt),
        // In scope, or department-wide (no community).
        sql`(${l.communityId} is null or ${l.communityId} in (${subtreeIds(departmentId, communityIds)}))`,
      ),
    )
    .orderBy(asc(l.assetType), asc(l.name))
    .limit(1000);
}

/* ------------------------------------------------------------------ */
/* Map points.                                                          */
/* ------------------------------------------------------------------ */

export async function callPoints(db: DbOrTx, scope: SQL, emergencyId: string, limit: number) {
  return db
    .select({
      id: calls.id,
      status: calls.status,
      outcome: calls.outcome,
      lat: r.lat,
      lon: r.lon,
    })
    .from(calls)
    .innerJoin(r, and(eq(r.departmentId, calls.departmentId), eq(r.id, calls.residentId)))
    .where(
      and(
        scope,
        eq(calls.emergencyId, emergencyId),
        sql`${r.lat} is not null and ${r.lon} is not null`,
      ),
    )
    .orderBy(asc(calls.rank))
    .limit(limit);
}

/* ------------------------------------------------------------------ */
/* Shift log and review.                                                 */
/* ------------------------------------------------------------------ */

export async function insertLog(db: DbOrTx, values: typeof log.$inferInsert) {
  const [row] = await db.insert(log).values(values).returning();
  return row!;
}

export async function listLog(db: DbOrTx, departmentId: string, emergencyId: string) {
  return db
    .select()
    .from(log)
    .where(and(eq(log.departmentId, departmentId), eq(log.emergencyId, emergencyId)))
    .orderBy(desc(log.at), desc(log.id))
    .limit(1000);
}

export async function findReview(db: DbOrTx, departmentId: string, emergencyId: string) {
  const [row] = await db
    .select()
    .from(reviews)
    .where(and(eq(reviews.departmentId, departmentId), eq(reviews.emergencyId, emergencyId)));
  return row;
}

export async function insertReview(db: DbOrTx, values: typeof reviews.$inferInsert) {
  const [row] = await db.insert(reviews).values(values).onConflictDoNothing().returning();
  return row;
}

export async function updateReviewIfVersion(
  db: DbOrTx,
  departmentId: string,
  emergencyId: string,
  version: number,
  patch: Partial<typeof reviews.$inferInsert>,
) {
  const [row] = await db
    .update(reviews)
    .set({ ...patch, version: version + 1, updatedAt: new Date() })
    .where(
      and(
        eq(reviews.departmentId, departmentId),
        eq(reviews.emergencyId, emergencyId),
        eq(reviews.version, version),
      ),
    )
    .returning();
  return row;
}

/* ------------------------------------------------------------------ */
/* A resident's emergency history.                                       */
/* ------------------------------------------------------------------ */

export async function residentHistory(db: DbOrTx, departmentId: string, residentId: string) {
  const [callRows, reportRows, helpRows] = await Promise.all([
    db
      .select()
      .from(calls)
      .where(and(eq(calls.departmentId, departmentId), eq(calls.residentId, residentId))),
    db
      .select()
      .from(reports)
      .where(and(eq(reports.departmentId, departmentId), eq(reports.residentId, residentId)))
      .orderBy(asc(reports.at)),
    db
      .select()
      .from(help)
      .where(and(eq(help.departmentId, departmentId), eq(help.residentId, residentId)))
      .orderBy(asc(help.createdAt)),
  ]);
  const emergencyIds = [
    ...new Set([
      ...callRows.map((x) => x.emergencyId),
      ...reportRows.map((x) => x.emergencyId),
      ...helpRows.map((x) => x.emergencyId),
    ]),
  ];
  const emergencies = emergencyIds.length
    ? await db
        .select()
        .from(e)
        .where(and(eq(e.departmentId, departmentId), inArray(e.id, emergencyIds)))
        .orderBy(desc(e.startedAt))
    : [];
  return { callRows, reportRows, helpRows, emergencies };
}

/** The rows of the call-level CSV export. */
export async function exportRows(db: DbOrTx, departmentId: string, emergencyId: string) {
  return selectCalls(db)
    .where(and(eq(calls.departmentId, departmentId), eq(calls.emergencyId, emergencyId)))
    .orderBy(asc(calls.rank)) as Promise<CallListRow[]>;
}
