import { and, asc, count, desc, eq, ilike, sql, type SQL } from "drizzle-orm";
import { schema, type DbOrTx } from "@kaveret/db";
import { containsPattern } from "../../lib/sql.ts";
import { auditRowSql, type AuditEntry } from "../audit/audit.service.ts";
import { subtreeIds } from "../residents/residents.scope.ts";

const f = schema.forms;
const r = schema.formResponses;

/** Forms a reader may see: the department's, or (community workers) theirs and department-wide ones. */
export function formScope(departmentId: string, communityRoots: string[] | null): SQL {
  const own = eq(f.departmentId, departmentId);
  if (communityRoots === null) return own;
  const reach = communityRoots.length
    ? sql`(${f.communityId} is null or ${f.communityId} in (${subtreeIds(departmentId, communityRoots)}))`
    : sql`${f.communityId} is null`;
  return sql`(${own} and ${reach})`;
}

// Outer columns written out with their table (drizzle leaves them bare in a select list).
const responseCount = sql<number>`(select count(*)::int from form_responses x
  where x.department_id = "forms"."department_id" and x.form_id = "forms"."id")`;
const communityName = sql<string | null>`(select c.name from communities c
  where c.department_id = "forms"."department_id" and c.id = "forms"."community_id")`;

export const formColumns = {
  id: f.id,
  departmentId: f.departmentId,
  title: f.title,
  status: f.status,
  anonymous: f.anonymous,
  definition: f.definition,
  definitionVersion: f.definitionVersion,
  communityId: f.communityId,
  communityName,
  responseCount,
  version: f.version,
  createdAt: f.createdAt,
  updatedAt: f.updatedAt,
};
export type FormRow = {
  id: string;
  departmentId: string;
  title: string;
  status: string;
  anonymous: boolean;
  definition: Record<string, unknown>;
  definitionVersion: number;
  communityId: string | null;
  communityName: string | null;
  responseCount: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
};

export async function listForms(
  db: DbOrTx,
  scope: SQL,
  q: { text?: string; status?: string },
  page: { limit: number; offset: number },
) {
  const where = and(
    scope,
    q.text ? ilike(f.title, containsPattern(q.text)) : undefined,
    q.status ? eq(f.status, q.status) : undefined,
  );
  const [items, [total]] = await Promise.all([
    db
      .select(formColumns)
      .from(f)
      .where(where)
      .orderBy(desc(f.updatedAt), asc(f.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ n: count() }).from(f).where(where),
  ]);
  return { items: items as FormRow[], total: total?.n ?? 0 };
}

export async function findForm(db: DbOrTx, departmentId: string, id: string) {
  const [row] = await db
    .select(formColumns)
    .from(f)
    .where(and(eq(f.departmentId, departmentId), eq(f.id, id)))
    .limit(1);
  return row as FormRow | undefined;
}

/** An open form by id alone (the public link carries no department). */
export async function findOpenForm(db: DbOrTx, id: string) {
  const [row] = await db
    .select({
      ...formColumns,
      departmentName: sql<string>`(select d.name from departments d where d.id = "forms"."department_id")`,
      departmentAltNames: sql<
        Record<string, string>
      >`(select d.alt_names from departments d where d.id = "forms"."department_id")`,
    })
    .from(f)
    .where(eq(f.id, id))
    .limit(1);
  return row as
    (FormRow & { departmentName: string; departmentAltNames: Record<string, string> }) | undefined;
}

export async function insertForm(db: DbOrTx, values: typeof f.$inferInsert) {
  await db.insert(f).values(values);
}

export async function updateFormIfVersion(
  db: DbOrTx,
  departmentId: string,
  id: string,
  version: number,
  values: Partial<typeof f.$inferInsert>,
) {
  const rows = await db
    .update(f)
    .set({ ...values, version: sql`${f.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(f.departmentId, departmentId), eq(f.id, id), eq(f.version, version)))
    .returning({ id: f.id });
  return rows.length === 1;
}

/* Responses. */

export type ResponseFilter = {
  formId: string;
  channel?: string;
  communityId?: string;
  id?: string;
};

function responseWhere(departmentId: string, q: ResponseFilter): SQL | undefined {
  return and(
    eq(r.departmentId, departmentId),
    eq(r.formId, q.formId),
    q.id ? eq(r.id, q.id) : undefined,
    q.channel ? eq(r.channel, q.channel) : undefined,
    q.communityId
      ? sql`${r.communityId} in (${subtreeIds(departmentId, [q.communityId])})`
      : undefined,
  );
}

export async function listResponses(
  db: DbOrTx,
  departmentId: string,
  q: ResponseFilter,
  page: { limit: number; offset: number },
) {
  const where = responseWhere(departmentId, q);
  const [items, [total]] = await Promise.all([
    db
      .select({
        id: r.id,
        channel: r.channel,
        language: r.language,
        communityId: r.communityId,
        communityName: sql<string | null>`(select c.name from communities c
          where c.department_id = "form_responses"."department_id" and c.id = "form_responses"."community_id")`,
        submittedBy: r.submittedBy,
        submittedByName: sql<
          string | null
        >`(select u.name from "user" u where u.id = "form_responses"."submitted_by")`,
        answers: r.answers,
        formVersion: r.formVersion,
        needIds: sql<string[]>`(select coalesce(array_agg(n.id::text), '{}') from needs n
          where n.department_id = "form_responses"."department_id" and n.response_id = "form_responses"."id")`,
        createdAt: r.createdAt,
      })
      .from(r)
      .where(where)
      .orderBy(desc(r.createdAt), desc(r.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ n: count() }).from(r).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

/** Every answer of the filter (analysis, export): answers, channel, time only. */
export async function allAnswers(
  db: DbOrTx,
  departmentId: string,
  q: ResponseFilter,
  limit: number,
) {
  return db
    .select({
      id: r.id,
      answers: r.answers,
      channel: r.channel,
      language: r.language,
      communityId: r.communityId,
      createdAt: r.createdAt,
    })
    .from(r)
    .where(responseWhere(departmentId, q))
    .orderBy(asc(r.createdAt), asc(r.id))
    .limit(limit);
}

export async function findResponse(db: DbOrTx, departmentId: string, id: string) {
  const [row] = await db
    .select()
    .from(r)
    .where(and(eq(r.departmentId, departmentId), eq(r.id, id)))
    .limit(1);
  return row;
}

/**
 * An answer with no photos and its audit row, in one statement (one round trip, one
 * transaction). Inserted once (nothing when the id exists); the audit row is written
 * either way, as the answer's transaction does.
 */
export async function insertResponseAudited(
  db: DbOrTx,
  v: typeof r.$inferInsert,
  audit: AuditEntry,
  /** A further write of the same statement (the sync command that sent the answer). */
  also?: SQL,
) {
  const row = auditRowSql(audit);
  await db.execute(sql`
    with ins as (
      insert into form_responses (department_id, id, form_id, form_version, channel, answers,
        language, community_id, resident_id, submitted_by, assignment_id)
      values (${v.departmentId}::uuid, ${v.id}::uuid, ${v.formId}::uuid, ${v.formVersion}::int,
        ${v.channel}::text, ${JSON.stringify(v.answers)}::jsonb, ${v.language ?? "he"}::text,
        ${v.communityId ?? null}::uuid, ${v.residentId ?? null}::uuid,
        ${v.submittedBy ?? null}::text, ${v.assignmentId ?? null}::uuid)
      on conflict do nothing
      returning id)${also ? sql`, also_written as (${also})` : sql``}
    insert into audit_events (${row.columns}) select ${row.values}`);
}

/** Inserts once: false when a response with this id already exists. */
export async function insertResponse(db: DbOrTx, values: typeof r.$inferInsert) {
  const rows = await db.insert(r).values(values).onConflictDoNothing().returning({ id: r.id });
  return rows.length === 1;
}
