import { and, asc, count, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { schema, type DbOrTx } from "@kaveret/db";
import { DEFAULT_NEED_CATEGORIES } from "@kaveret/contracts";
import { DEFAULT_CATEGORY_LABELS } from "./needs.defaults.ts";
import type { NeedVisibility } from "../../policy/policy.ts";
import { subtreeIds } from "../residents/residents.scope.ts";
import { containsPattern, rowsOf } from "../../lib/sql.ts";
import { auditRowSql, type AuditEntry } from "../audit/audit.service.ts";
import { notifyChannel } from "../../events/bus.ts";

const n = schema.needs;
const ev = schema.needEvents;
const att = schema.needAttachments;
const cat = schema.needCategories;
const c = schema.communities;

/** Reports at or above this spam score wait in their own view, out of the queue. */
export const SPAM_THRESHOLD = 60;

/* ------------------------------------------------------------------ */
/* Scope.                                                               */
/* ------------------------------------------------------------------ */

/** SQL for "needs this reader may see" (policy.needVisibility), live ones only (not merged away). */
export function needScope(v: NeedVisibility): SQL {
  if (v.kind === "none") return sql`false`;
  const live = sql`${n.departmentId} = ${v.departmentId} and ${n.mergedIntoId} is null`;
  if (v.all) return live;
  const reach: SQL[] = [sql`${n.assigneeId} = ${v.assignedTo}`];
  if (v.communityRoots.length) {
    reach.push(sql`${n.communityId} is null`);
    reach.push(sql`${n.communityId} in (${subtreeIds(v.departmentId, v.communityRoots)})`);
  }
  return sql`(${live} and (${sql.join(reach, sql` or `)}))`;
}

/* ------------------------------------------------------------------ */
/* Lists.                                                               */
/* ------------------------------------------------------------------ */

export type NeedFilter = {
  departmentId: string;
  text?: string;
  number?: number;
  statuses?: string[];
  categories?: string[];
  /** Include needs with no category. */
  uncategorized?: boolean;
  urgencies?: string[];
  channels?: string[];
  communityId?: string;
  assignee?: { kind: "user"; id: string } | { kind: "none" };
  residentId?: string;
  spam: boolean;
};

function filterConditions(f: NeedFilter): SQL[] {
  const where: SQL[] = [];
  if (f.number !== undefined) where.push(eq(n.number, f.number));
  else if (f.text) where.push(sql`${n.searchText} like ${containsPattern(f.text)}`);
  if (f.statuses?.length) where.push(inArray(n.status, f.statuses));
  if (f.categories?.length || f.uncategorized) {
    const parts: SQL[] = [];
    if (f.categories?.length) parts.push(inArray(n.category, f.categories));
    if (f.uncategorized) parts.push(isNull(n.category));
    where.push(sql`(${sql.join(parts, sql` or `)})`);
  }
  if (f.urgencies?.length) where.push(inArray(n.urgency, f.urgencies));
  if (f.channels?.length) where.push(inArray(n.channel, f.channels));
  if (f.communityId) {
    where.push(sql`${n.communityId} in (${subtreeIds(f.departmentId, [f.communityId])})`);
  }
  if (f.assignee?.kind === "user") where.push(eq(n.assigneeId, f.assignee.id));
  if (f.assignee?.kind === "none") where.push(isNull(n.assigneeId));
  if (f.residentId) where.push(eq(n.residentId, f.residentId));
  where.push(
    f.spam ? sql`${n.spamScore} >= ${SPAM_THRESHOLD}` : sql`${n.spamScore} < ${SPAM_THRESHOLD}`,
  );
  return where;
}

const urgencyRank = sql<number>`(case ${n.urgency} when 'critical' then 0 when 'high' then 1 when 'normal' then 2 else 3 end)`;

export type NeedSort = "urgency" | "newest" | "oldest" | "updated";

function orderOf(sort: NeedSort): SQL[] {
  switch (sort) {
    case "newest":
      return [desc(n.createdAt), desc(n.id)];
    case "oldest":
      return [asc(n.createdAt), asc(n.id)];
    case "updated":
      return [desc(n.updatedAt), desc(n.id)];
    case "urgency":
      return [asc(urgencyRank), asc(n.createdAt), asc(n.id)];
  }
}

// Columns of the outer row are written out with their table: in a select list drizzle leaves
// them unqualified, and a bare "id" inside a subquery would mean the subquery's own.
const assignee = sql<
  string | null
>`(select u.name from "user" u where u.id = "needs"."assignee_id")`;
const communityName = sql<string | null>`(select cm.name from communities cm
  where cm.department_id = "needs"."department_id" and cm.id = "needs"."community_id")`;
const attachmentCount = sql<number>`(select count(*)::int from need_attachments a
  where a.department_id = "needs"."department_id" and a.need_id = "needs"."id")`;

export const listColumns = {
  id: n.id,
  number: n.number,
  channel: n.channel,
  status: n.status,
  category: n.category,
  urgency: n.urgency,
  description: n.description,
  language: n.language,
  communityId: n.communityId,
  communityName,
  assigneeId: n.assigneeId,
  assigneeName: assignee,
  residentId: n.residentId,
  lat: n.lat,
  lon: n.lon,
  attachmentCount,
  suggestion: n.suggestion,
  spamScore: n.spamScore,
  createdAt: n.createdAt,
  updatedAt: n.updatedAt,
  version: n.version,
};

export type NeedListRow = {
  id: string;
  number: number;
  channel: string;
  status: string;
  category: string | null;
  urgency: string;
  description: string;
  language: string;
  communityId: string | null;
  communityName: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  residentId: string | null;
  lat: number | null;
  lon: number | null;
  attachmentCount: number;
  suggestion: Record<string, unknown>;
  spamScore: number;
  createdAt: Date;
  updatedAt: Date;
  version: number;
};

export async function listNeeds(
  db: DbOrTx,
  scope: SQL,
  f: NeedFilter,
  sort: NeedSort,
  page: { limit: number; offset: number },
): Promise<{ items: NeedListRow[]; total: number }> {
  const where = and(scope, ...filterConditions(f));
  const [items, [total]] = await Promise.all([
    db
      .select(listColumns)
      .from(n)
      .where(where)
      .orderBy(...orderOf(sort))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ n: count() }).from(n).where(where),
  ]);
  return { items: items as NeedListRow[], total: total?.n ?? 0 };
}

/** The queue's headline counts within the reader's scope (not the filters). */
export async function queueCounts(db: DbOrTx, scope: SQL) {
  const rows = await db
    .select({
      new: sql<number>`count(*) filter (where ${n.status} = 'new')::int`,
      open: sql<number>`count(*) filter (where ${n.status} in ('new', 'triaged', 'in_progress'))::int`,
      urgent: sql<number>`count(*) filter (where ${n.status} in ('new', 'triaged', 'in_progress') and ${n.urgency} in ('high', 'critical'))::int`,
    })
    .from(n)
    .where(and(scope, sql`${n.spamScore} < ${SPAM_THRESHOLD}`));
  return rows[0] ?? { new: 0, open: 0, urgent: 0 };
}

/** Open needs with a location (map, community page). */
export async function needPoints(
  db: DbOrTx,
  scope: SQL,
  departmentId: string,
  o: { communityId?: string; bbox?: [number, number, number, number] },
  limit: number,
) {
  return db
    .select({
      id: n.id,
      number: n.number,
      lat: sql<number>`${n.lat}`,
      lon: sql<number>`${n.lon}`,
      urgency: n.urgency,
      status: n.status,
      category: n.category,
    })
    .from(n)
    .where(
      and(
        scope,
        sql`${n.status} in ('new', 'triaged', 'in_progress')`,
        sql`${n.spamScore} < ${SPAM_THRESHOLD}`,
        sql`${n.lat} is not null`,
        o.communityId
          ? sql`${n.communityId} in (${subtreeIds(departmentId, [o.communityId])})`
          : undefined,
        o.bbox
          ? sql`${n.lon} between ${o.bbox[0]} and ${o.bbox[2]} and ${n.lat} between ${o.bbox[1]} and ${o.bbox[3]}`
          : undefined,
      ),
    )
    .orderBy(asc(urgencyRank), desc(n.createdAt))
    .limit(limit);
}

/* ------------------------------------------------------------------ */
/* One need.                                                            */
/* ------------------------------------------------------------------ */

export async function findNeed(db: DbOrTx, departmentId: string, id: string) {
  const [row] = await db
    .select({
      ...listColumns,
      addressText: n.addressText,
      contactEnc: n.contactEnc,
      mergedIntoId: n.mergedIntoId,
      searchText: n.searchText,
      createdBy: n.createdBy,
    })
    .from(n)
    .where(and(eq(n.departmentId, departmentId), eq(n.id, id)))
    .limit(1);
  return row as
    | (NeedListRow & {
        addressText: string;
        contactEnc: string | null;
        mergedIntoId: string | null;
        searchText: string;
        createdBy: string | null;
      })
    | undefined;
}

export async function needNumber(db: DbOrTx, departmentId: string, id: string) {
  const [row] = await db
    .select({ number: n.number })
    .from(n)
    .where(and(eq(n.departmentId, departmentId), eq(n.id, id)))
    .limit(1);
  return row?.number ?? null;
}

/** The next running number of a counter (need references…), in the caller's transaction. */
export async function nextNumber(db: DbOrTx, departmentId: string, name: string) {
  const rows = await db.execute<{ value: number }>(sql`
    insert into department_counters (department_id, name, value) values (${departmentId}, ${name}, 1)
    on conflict (department_id, name) do update set value = department_counters.value + 1
    returning value`);
  return Number(rowsOf<{ value: number }>(rows)[0]!.value);
}

export async function insertNeed(db: DbOrTx, values: typeof n.$inferInsert) {
  await db.insert(n).values(values);
}

/** A new need as `createNeedRecord` writes it (its number comes from the department's counter). */
export type NewNeed = {
  departmentId: string;
  id: string;
  channel: string;
  category: string | null;
  urgency: string;
  description: string;
  searchText: string;
  language: string;
  lat: number | null;
  lon: number | null;
  addressText: string;
  communityId: string | null;
  residentId: string | null;
  assigneeId: string | null;
  contactEnc: string | null;
  suggestion: Record<string, unknown>;
  responseId: string | null;
  createdBy: string | null;
};

export type NewNeedPhoto = {
  contentType: string;
  bytes: number;
  width: number | null;
  height: number | null;
  dataEnc: string;
};

/** A spam verdict of a public report: its score and the signs that made it. */
export type SpamOutcome = { score: number; signs: string[] };

export type CreateNeedRecord = {
  need: NewNeed;
  /** History rows, in order ("created", then "assigned"…). */
  events: { kind: string; actorId: string | null; toValue: string | null }[];
  photos: NewNeedPhoto[];
  /** The audit row; with `publicReport`, `details` gets `spamSigns` from the verdict chosen. */
  audit: AuditEntry;
  /**
   * A report from the public: written only while the department takes reports online and
   * the category (if any) is active; its spam verdict is `fresh`, or `repeated` when the
   * same text came from the public in the last 10 minutes (checked in the statement).
   */
  publicReport?: { fresh: SpamOutcome; repeated: SpamOutcome };
  /** The live event ("created"), published at commit unless the report is suspected spam. */
  announce: { at: string } | null;
  /**
   * A further write of the same statement, e.g. the sync command that made the need (a
   * data-modifying statement; it may select from `ins`: department_id, id, number, version).
   */
  also?: SQL;
};

/**
 * Writes a new need in ONE statement (one round trip, one transaction): the department's
 * next reference number, the need, its photos, its history rows, its audit row, and the
 * live event (pg_notify, delivered at commit). Null when a `publicReport` guard failed
 * (unknown or closed department, unknown or inactive category): nothing was written, not
 * even a number; the caller finds out which.
 */
export async function createNeedRecord(
  db: DbOrTx,
  r: CreateNeedRecord,
): Promise<{ number: number; createdAt: Date; version: number; spamScore: number } | null> {
  const v = r.need;
  const p = r.publicReport;
  const guard = p
    ? sql`exists (select 1 from departments d where d.id = ${v.departmentId}::uuid
          and (d.settings -> 'publicIntake') is distinct from 'false'::jsonb)
        and (${v.category}::text is null or exists (select 1 from need_categories k
          where k.department_id = ${v.departmentId}::uuid and k.code = ${v.category}::text and k.active))`
    : sql`true`;
  // The duplicate check of public intake: the same normalized text from the public lately.
  const repeated = p
    ? sql`exists (select 1 from needs x where x.department_id = ${v.departmentId}::uuid
          and x.search_text = ${v.searchText}::text and x.created_at > now() - interval '10 minutes'
          and x.created_by is null)`
    : sql`false`;
  const spamScore = p
    ? sql`(case when (select r from repeat) then ${p.repeated.score} else ${p.fresh.score} end)::smallint`
    : sql`0::smallint`;
  const withSigns = (signs: string[]) => JSON.stringify({ ...r.audit.details, spamSigns: signs });
  const audit = auditRowSql(
    r.audit,
    p
      ? sql`(case when (select r from repeat) then ${withSigns(p.repeated.signs)}::jsonb
          else ${withSigns(p.fresh.signs)}::jsonb end)`
      : undefined,
  );
  const photos = r.photos.length
    ? sql`, photos as (
        insert into need_attachments (department_id, need_id, content_type, bytes, width, height, data_enc)
        select ins.department_id, ins.id, ph.content_type, ph.bytes, ph.width, ph.height, ph.data_enc
        from ins, (values ${sql.join(
          r.photos.map(
            (ph) =>
              sql`(${ph.contentType}::text, ${ph.bytes}::int, ${ph.width}::int, ${ph.height}::int, ${ph.dataEnc}::text)`,
          ),
          sql`, `,
        )}) as ph(content_type, bytes, width, height, data_enc))`
    : sql``;
  const events = r.events.length
    ? sql`, history as (
        insert into need_events (department_id, need_id, kind, actor_id, to_value)
        select ins.department_id, ins.id, e.kind, e.actor_id, e.to_value
        from ins, (values ${sql.join(
          r.events.map(
            (e, i) => sql`(${i}::int, ${e.kind}::text, ${e.actorId}::text, ${e.toValue}::text)`,
          ),
          sql`, `,
        )}) as e(ord, kind, actor_id, to_value) order by e.ord)`
    : sql``;
  const announced = r.announce
    ? sql`(select count(*) from (select pg_notify(${notifyChannel("needs")}, json_build_object(
          'type', 'created', 'departmentId', ins.department_id, 'id', ins.id,
          'reference', '#' || ins.number, 'urgency', ins.urgency, 'communityId', ins.community_id,
          'assigneeId', ins.assignee_id, 'at', ${r.announce.at}::text)::text)
        from ins where ins.spam_score < ${SPAM_THRESHOLD}) notified)`
    : sql`0`;
  const result = await db.execute<{
    number: number;
    created_at: string | Date;
    version: number;
    spam_score: number;
    notified: number;
  }>(sql`
    with repeat as (select ${repeated} as r),
    num as (
      insert into department_counters (department_id, name, value)
      select ${v.departmentId}::uuid, 'need', 1 where ${guard}
      on conflict (department_id, name) do update set value = department_counters.value + 1
      returning value),
    ins as (
      insert into needs (department_id, id, number, channel, category, urgency, status,
        description, search_text, language, lat, lon, address_text, community_id, resident_id,
        assignee_id, contact_enc, suggestion, spam_score, response_id, created_by)
      select ${v.departmentId}::uuid, ${v.id}::uuid, num.value, ${v.channel}::text,
        ${v.category}::text, ${v.urgency}::text, 'new', ${v.description}::text,
        ${v.searchText}::text, ${v.language}::text, ${v.lat}::float8, ${v.lon}::float8,
        ${v.addressText}::text, ${v.communityId}::uuid, ${v.residentId}::uuid,
        ${v.assigneeId}::text, ${v.contactEnc}::text, ${JSON.stringify(v.suggestion)}::jsonb,
        ${spamScore}, ${v.responseId}::uuid, ${v.createdBy}::text
      from num
      returning department_id, id, number, urgency, community_id, assignee_id, spam_score,
        version, created_at)${photos}${events}${r.also ? sql`, also_written as (${r.also})` : sql``},
    audited as (
      insert into audit_events (${audit.columns})
      select ${audit.values} from ins)
    select ins.number, ins.created_at, ins.version, ins.spam_score, ${announced} as notified
    from ins`);
  const row = rowsOf<{
    number: number;
    created_at: string | Date;
    version: number;
    spam_score: number;
  }>(result)[0];
  if (!row) return null;
  return {
    number: Number(row.number),
    createdAt: new Date(row.created_at),
    version: Number(row.version),
    spamScore: Number(row.spam_score),
  };
}

/** Applies a change if the need is still at `version`; false when it moved on. */
export async function updateNeedIfVersion(
  db: DbOrTx,
  departmentId: string,
  id: string,
  version: number,
  values: Partial<typeof n.$inferInsert>,
): Promise<boolean> {
  const rows = await db
    .update(n)
    .set({ ...values, version: sql`${n.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(n.departmentId, departmentId), eq(n.id, id), eq(n.version, version)))
    .returning({ id: n.id });
  return rows.length === 1;
}

export async function insertEvents(db: DbOrTx, rows: (typeof ev.$inferInsert)[]) {
  if (rows.length) await db.insert(ev).values(rows);
}

export async function eventsOf(db: DbOrTx, departmentId: string, needId: string) {
  return db
    .select({
      id: ev.id,
      kind: ev.kind,
      at: ev.at,
      actorId: ev.actorId,
      actorName: sql<
        string | null
      >`(select u.name from "user" u where u.id = "need_events"."actor_id")`,
      fromValue: ev.fromValue,
      toValue: ev.toValue,
      text: ev.text,
    })
    .from(ev)
    .where(and(eq(ev.departmentId, departmentId), eq(ev.needId, needId)))
    .orderBy(asc(ev.seq))
    .limit(500);
}

/** Ids a need's history keeps, by what they name. */
export interface HistoryIds {
  users: string[];
  communities: string[];
  residents: string[];
}

/**
 * Names for the ids in a need's history: staff of the department (deactivated ones too),
 * its communities (archived too), and only the residents `residentsVisible` (the reader's
 * residents.scope `visible`) lets through — the others stay unnamed.
 */
export async function historyNames(
  db: DbOrTx,
  departmentId: string,
  residentsVisible: SQL,
  ids: HistoryIds,
) {
  const r = schema.residents;
  const [users, communities, residents] = await Promise.all([
    ids.users.length
      ? db.execute<{ id: string; name: string }>(sql`
          select u.id, u.name from "user" u
          where u.id in (${sql.join(
            ids.users.map((id) => sql`${id}`),
            sql`, `,
          )})
            and exists (select 1 from role_assignments ra
                        where ra.user_id = u.id and ra.department_id = ${departmentId})`)
      : null,
    ids.communities.length
      ? db
          .select({ id: c.id, name: c.name })
          .from(c)
          .where(and(eq(c.departmentId, departmentId), inArray(c.id, ids.communities)))
      : [],
    ids.residents.length
      ? db
          .select({ id: r.id, name: sql<string>`${r.firstName} || ' ' || ${r.lastName}` })
          .from(r)
          .where(
            and(residentsVisible, eq(r.departmentId, departmentId), inArray(r.id, ids.residents)),
          )
      : [],
  ]);
  const toMap = (rows: { id: string; name: string }[]) => new Map(rows.map((x) => [x.id, x.name]));
  return {
    users: toMap(users ? rowsOf<{ id: string; name: string }>(users) : []),
    communities: toMap(communities),
    residents: toMap(residents),
  };
}
export type HistoryNames = Awaited<ReturnType<typeof historyNames>>;

export async function attachmentsOf(db: DbOrTx, departmentId: string, needId: string) {
  return db
    .select({
      id: att.id,
      contentType: att.contentType,
      bytes: att.bytes,
      width: att.width,
      height: att.height,
      createdAt: att.createdAt,
    })
    .from(att)
    .where(and(eq(att.departmentId, departmentId), eq(att.needId, needId)))
    .orderBy(asc(att.createdAt));
}

export async function attachmentData(db: DbOrTx, departmentId: string, needId: string, id: string) {
  const [row] = await db
    .select({ contentType: att.contentType, dataEnc: att.dataEnc })
    .from(att)
    .where(and(eq(att.departmentId, departmentId), eq(att.needId, needId), eq(att.id, id)))
    .limit(1);
  return row;
}

export async function insertAttachment(db: DbOrTx, values: typeof att.$inferInsert) {
  await db.insert(att).values(values);
}

/** Moves a duplicate's attachments and history under the survivor. */
export async function moveChildren(db: DbOrTx, departmentId: string, fromId: string, toId: string) {
  await db
    .update(att)
    .set({ needId: toId })
    .where(and(eq(att.departmentId, departmentId), eq(att.needId, fromId)));
}

/**
 * Possible duplicates: live needs of the last 90 days with similar words (pg_trgm) or
 * within 300 m, scored by both; best first.
 */
export async function similarNeeds(
  db: DbOrTx,
  scope: SQL,
  need: { id: string; searchText: string; lat: number | null; lon: number | null },
  limit = 5,
) {
  const near =
    need.lat !== null && need.lon !== null
      ? sql`(111320 * sqrt(power(${n.lat} - ${need.lat}, 2) + power((${n.lon} - ${need.lon}) * cos(radians(${need.lat})), 2)))`
      : sql`null::float8`;
  const box =
    need.lat !== null && need.lon !== null
      ? sql`(${n.lat} between ${need.lat - 0.003} and ${need.lat + 0.003} and ${n.lon} between ${need.lon - 0.0035} and ${need.lon + 0.0035})`
      : sql`false`;
  const text = need.searchText || " ";
  const rows = await db.execute<{
    id: string;
    number: number;
    description: string;
    status: string;
    similarity: number;
    distance: number | null;
  }>(sql`
    select id, number, description, status, similarity, distance from (
      select ${n.id} as id, ${n.number} as number, ${n.description} as description, ${n.status} as status,
        similarity(${n.searchText}, ${text})::float8 as similarity, ${near} as distance
      from ${n}
      where ${scope} and ${n.id} <> ${need.id}
        and ${n.createdAt} > now() - interval '90 days'
        and ${n.spamScore} < ${SPAM_THRESHOLD}
        and (${n.searchText} % ${text} or ${box})
      limit 200
    ) candidates
    order by similarity desc
    limit 50`);
  return rowsOf<{
    id: string;
    number: number;
    description: string;
    status: string;
    similarity: number;
    distance: number | null;
  }>(rows)
    .map((r) => {
      const distance = r.distance === null ? null : Number(r.distance);
      const proximity = distance !== null && distance <= 300 ? 1 - distance / 300 : 0;
      const score = Number(r.similarity) * 0.7 + proximity * 0.3;
      return { ...r, distance, score: Math.round(score * 100) / 100 };
    })
    .filter((r) => r.score >= 0.3)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}

/* ------------------------------------------------------------------ */
/* Categories.                                                          */
/* ------------------------------------------------------------------ */

/** A department gets the default taxonomy the first time its categories are read. */
export async function ensureDefaultCategories(db: DbOrTx, departmentId: string) {
  const [any] = await db
    .select({ code: cat.code })
    .from(cat)
    .where(eq(cat.departmentId, departmentId))
    .limit(1);
  if (any) return;
  await db
    .insert(cat)
    .values(
      DEFAULT_NEED_CATEGORIES.map((code, i) => ({
        departmentId,
        code,
        labels: DEFAULT_CATEGORY_LABELS[code],
        builtIn: true,
        sortOrder: (i + 1) * 10,
      })),
    )
    .onConflictDoNothing();
}

export async function categories(db: DbOrTx, departmentId: string) {
  await ensureDefaultCategories(db, departmentId);
  return db
    .select({
      code: cat.code,
      labels: cat.labels,
      active: cat.active,
      builtIn: cat.builtIn,
      sortOrder: cat.sortOrder,
      openCount: sql<number>`(select count(*)::int from needs x
        where x.department_id = "need_categories"."department_id" and x.category = "need_categories"."code"
          and x.status in ('new', 'triaged', 'in_progress') and x.merged_into_id is null)`,
    })
    .from(cat)
    .where(eq(cat.departmentId, departmentId))
    .orderBy(asc(cat.sortOrder), asc(cat.code));
}

export async function activeCategoryCodes(db: DbOrTx, departmentId: string): Promise<string[]> {
  await ensureDefaultCategories(db, departmentId);
  const rows = await db
    .select({ code: cat.code })
    .from(cat)
    .where(and(eq(cat.departmentId, departmentId), eq(cat.active, true)));
  return rows.map((r) => r.code);
}

export async function insertCategory(db: DbOrTx, values: typeof cat.$inferInsert) {
  const rows = await db
    .insert(cat)
    .values(values)
    .onConflictDoNothing()
    .returning({ code: cat.code });
  return rows.length === 1;
}

export async function updateCategory(
  db: DbOrTx,
  departmentId: string,
  code: string,
  values: Partial<typeof cat.$inferInsert>,
) {
  const rows = await db
    .update(cat)
    .set(values)
    .where(and(eq(cat.departmentId, departmentId), eq(cat.code, code)))
    .returning({ code: cat.code });
  return rows.length === 1;
}

/** Labelled needs for training: the category a person set (not merged away, not spam). */
export async function labelledNeeds(db: DbOrTx, departmentId: string, limit: number) {
  return db
    .select({ text: n.description, category: sql<string>`${n.category}`, language: n.language })
    .from(n)
    .where(
      and(
        eq(n.departmentId, departmentId),
        sql`${n.category} is not null`,
        isNull(n.mergedIntoId),
        sql`${n.spamScore} < ${SPAM_THRESHOLD}`,
      ),
    )
    .orderBy(desc(n.createdAt))
    .limit(limit);
}

/* ------------------------------------------------------------------ */
/* Communities and people.                                              */
/* ------------------------------------------------------------------ */

export async function liveCommunity(db: DbOrTx, departmentId: string, id: string) {
  const [row] = await db
    .select({ id: c.id })
    .from(c)
    .where(and(eq(c.departmentId, departmentId), eq(c.id, id), isNull(c.archivedAt)))
    .limit(1);
  return row ?? null;
}

/** Department staff a need may be assigned to. */
export async function assignableStaff(db: DbOrTx, departmentId: string) {
  const rows = await db.execute<{ id: string; name: string; roles: string[] }>(sql`
    select u.id, u.name, array_agg(distinct ra.role order by ra.role) as roles
    from role_assignments ra join "user" u on u.id = ra.user_id
    where ra.department_id = ${departmentId} and ra.active and u.active
      and ra.role in ('manager', 'community_worker', 'social_worker')
    group by u.id, u.name
    order by u.name
    limit 500`);
  return rowsOf<{ id: string; name: string; roles: string[] }>(rows);
}

/* ------------------------------------------------------------------ */
/* Classifier model and intake settings.                                */
/* ------------------------------------------------------------------ */

export async function findModel(db: DbOrTx, departmentId: string) {
  const [row] = await db
    .select()
    .from(schema.needModels)
    .where(eq(schema.needModels.departmentId, departmentId))
    .limit(1);
  return row ?? null;
}

export async function saveModel(db: DbOrTx, values: typeof schema.needModels.$inferInsert) {
  await db
    .insert(schema.needModels)
    .values(values)
    .onConflictDoUpdate({
      target: schema.needModels.departmentId,
      set: {
        model: values.model,
        evaluation: values.evaluation,
        examples: values.examples,
        trainedAt: sql`now()`,
      },
    });
}

export async function departmentRow(db: DbOrTx, departmentId: string) {
  const [row] = await db
    .select({
      id: schema.departments.id,
      name: schema.departments.name,
      altNames: schema.departments.altNames,
      settings: schema.departments.settings,
    })
    .from(schema.departments)
    .where(eq(schema.departments.id, departmentId))
    .limit(1);
  return row ?? null;
}
