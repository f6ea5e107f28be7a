import { and, asc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { ASSIGNABLE_COMMUNITY_LEVELS } from "@kaveret/contracts";
import { schema, type DbOrTx } from "@kaveret/db";
import { formScope } from "./forms.repository.ts";

/*
 * Door-to-door assignments: the only code that touches form_assignments. A target is a
 * community of an assignable level (street cluster, building) or a street of the list;
 * its name is read with the assignment, and the answers taken on it are counted.
 */

const a = schema.formAssignments;

/** Surveyors: people who do field work (the roles the device syncs for). */
export const SURVEYOR_ROLES = ["manager", "community_worker", "social_worker"] as const;

// Outer columns written out with their table (drizzle leaves them bare in a select list).
const targetName = sql<string | null>`case "form_assignments"."target_kind"
  when 'community' then (select c.name from communities c
    where c.department_id = "form_assignments"."department_id" and c.id = "form_assignments"."target_id")
  else (select s.name from streets s
    where s.department_id = "form_assignments"."department_id" and s.id = "form_assignments"."target_id")
  end`;
const targetLevel = sql<string | null>`case "form_assignments"."target_kind"
  when 'community' then (select c.level from communities c
    where c.department_id = "form_assignments"."department_id" and c.id = "form_assignments"."target_id")
  else null end`;
const answerCount = sql<number>`(select count(*)::int from form_responses r
  where r.department_id = "form_assignments"."department_id"
    and r.assignment_id = "form_assignments"."id")`;

export const assignmentColumns = {
  id: a.id,
  formId: a.formId,
  userId: a.userId,
  userName: sql<string>`(select u.name from "user" u where u.id = "form_assignments"."user_id")`,
  targetKind: a.targetKind,
  targetId: a.targetId,
  targetName,
  targetLevel,
  note: a.note,
  answers: answerCount,
  createdAt: a.createdAt,
};

export async function listForForm(db: DbOrTx, departmentId: string, formId: string) {
  return db
    .select(assignmentColumns)
    .from(a)
    .where(and(eq(a.departmentId, departmentId), eq(a.formId, formId)))
    .orderBy(asc(a.createdAt), asc(a.id));
}

export type AssignmentRow = Awaited<ReturnType<typeof listForForm>>[number];

export async function findAssignment(db: DbOrTx, departmentId: string, id: string) {
  const [row] = await db
    .select(assignmentColumns)
    .from(a)
    .where(and(eq(a.departmentId, departmentId), eq(a.id, id)))
    .limit(1);
  return row;
}

/** Inserts once: null when the same surveyor already has this target of the form. */
export async function insertAssignment(
  db: DbOrTx,
  values: typeof a.$inferInsert,
): Promise<string | null> {
  const rows = await db.insert(a).values(values).onConflictDoNothing().returning({ id: a.id });
  return rows[0]?.id ?? null;
}

export async function deleteAssignment(
  db: DbOrTx,
  departmentId: string,
  formId: string,
  id: string,
): Promise<boolean> {
  const rows = await db
    .delete(a)
    .where(and(eq(a.departmentId, departmentId), eq(a.formId, formId), eq(a.id, id)))
    .returning({ id: a.id });
  return rows.length === 1;
}

/**
 * A user's assignments on open forms they may fill (`communityRoots` as formScope takes
 * them: null for the whole department), with the form's title: what their device keeps.
 */
export async function listForSurveyor(
  db: DbOrTx,
  departmentId: string,
  userId: string,
  communityRoots: string[] | null,
) {
  return db
    .select({ ...assignmentColumns, formTitle: schema.forms.title })
    .from(a)
    .innerJoin(
      schema.forms,
      and(eq(schema.forms.departmentId, a.departmentId), eq(schema.forms.id, a.formId)),
    )
    .where(
      and(
        eq(a.departmentId, departmentId),
        eq(a.userId, userId),
        eq(schema.forms.status, "open"),
        formScope(departmentId, communityRoots),
      ),
    )
    .orderBy(asc(a.createdAt), asc(a.id));
}

/** Active staff of the department holding a surveyor role, with their roles there. */
export async function surveyors(db: DbOrTx, departmentId: string) {
  const rows = await db
    .select({
      id: schema.user.id,
      name: schema.user.name,
      role: schema.roleAssignments.role,
    })
    .from(schema.roleAssignments)
    .innerJoin(schema.user, eq(schema.user.id, schema.roleAssignments.userId))
    .where(
      and(
        eq(schema.roleAssignments.departmentId, departmentId),
        eq(schema.roleAssignments.active, true),
        inArray(schema.roleAssignments.role, [...SURVEYOR_ROLES]),
      ),
    );
  const byId = new Map<string, { id: string; name: string; roles: string[] }>();
  for (const r of rows) {
    const p = byId.get(r.id) ?? { id: r.id, name: r.name, roles: [] };
    p.roles.push(r.role);
    byId.set(r.id, p);
  }
  return [...byId.values()];
}

/** Communities each community worker of the department is assigned to. */
export async function assignedCommunities(db: DbOrTx, departmentId: string, userIds: string[]) {
  if (userIds.length === 0) return new Map<string, string[]>();
  const rows = await db
    .select({
      userId: schema.communityAssignments.userId,
      communityId: schema.communityAssignments.communityId,
    })
    .from(schema.communityAssignments)
    .where(
      and(
        eq(schema.communityAssignments.departmentId, departmentId),
        inArray(schema.communityAssignments.userId, userIds),
      ),
    );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.userId, [...(out.get(r.userId) ?? []), r.communityId]);
  return out;
}

const assignableCommunity = (departmentId: string): SQL | undefined =>
  and(
    eq(schema.communities.departmentId, departmentId),
    eq(schema.communities.kind, "geographic"),
    inArray(schema.communities.level, [...ASSIGNABLE_COMMUNITY_LEVELS]),
    isNull(schema.communities.archivedAt),
  );

/** What may be walked: street clusters and buildings, and the streets of the list. */
export async function targets(db: DbOrTx, departmentId: string, ids?: string[]) {
  const [communities, streets] = await Promise.all([
    db
      .select({
        id: schema.communities.id,
        name: schema.communities.name,
        level: schema.communities.level,
      })
      .from(schema.communities)
      .where(
        and(
          assignableCommunity(departmentId),
          ids ? inArray(schema.communities.id, ids) : undefined,
        ),
      )
      .orderBy(asc(schema.communities.name))
      .limit(2000),
    db
      .select({ id: schema.streets.id, name: schema.streets.name })
      .from(schema.streets)
      .where(
        and(
          eq(schema.streets.departmentId, departmentId),
          ids ? inArray(schema.streets.id, ids) : undefined,
        ),
      )
      .orderBy(asc(schema.streets.name))
      .limit(2000),
  ]);
  return [
    ...communities.map((c) => ({
      kind: "community" as const,
      id: c.id,
      name: c.name,
      level: c.level,
    })),
    ...streets.map((s) => ({ kind: "street" as const, id: s.id, name: s.name, level: null })),
  ];
}
