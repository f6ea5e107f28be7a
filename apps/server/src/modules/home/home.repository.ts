import { and, count, eq, gte, inArray, isNull, sql } from "drizzle-orm";
import { schema, type DbOrTx } from "@kaveret/db";

/** Department ids under a district, or all when districtId is null (ministry). */
export async function departmentIdsIn(db: DbOrTx, districtId: string | null): Promise<string[]> {
  const rows = await db
    .select({ id: schema.departments.id })
    .from(schema.departments)
    .innerJoin(
      schema.localAuthorities,
      eq(schema.localAuthorities.id, schema.departments.localAuthorityId),
    )
    .where(districtId ? eq(schema.localAuthorities.districtId, districtId) : undefined);
  return rows.map((r) => r.id);
}

export async function countCommunitiesIn(db: DbOrTx, departmentIds: string[]) {
  if (departmentIds.length === 0) return 0;
  const [row] = await db
    .select({ n: count() })
    .from(schema.communities)
    .where(
      and(
        inArray(schema.communities.departmentId, departmentIds),
        isNull(schema.communities.archivedAt),
      ),
    );
  return row?.n ?? 0;
}

export async function countActiveStaff(db: DbOrTx, departmentIds: string[]) {
  if (departmentIds.length === 0) return 0;
  const [row] = await db
    .select({ n: sql<number>`count(distinct ${schema.roleAssignments.userId})::int` })
    .from(schema.roleAssignments)
    .where(
      and(
        inArray(schema.roleAssignments.departmentId, departmentIds),
        eq(schema.roleAssignments.active, true),
        sql`${schema.roleAssignments.role} <> 'resident'`,
      ),
    );
  return row?.n ?? 0;
}

export async function countPendingInvitations(db: DbOrTx, departmentId: string) {
  const i = schema.invitations;
  const [row] = await db
    .select({ n: count() })
    .from(i)
    .where(
      and(
        eq(i.departmentId, departmentId),
        isNull(i.acceptedAt),
        isNull(i.revokedAt),
        gte(i.expiresAt, new Date()),
      ),
    );
  return row?.n ?? 0;
}

export async function countAuditSince(db: DbOrTx, departmentId: string, since: Date) {
  const a = schema.auditEvents;
  const [row] = await db
    .select({ n: count() })
    .from(a)
    .where(and(eq(a.departmentId, departmentId), gte(a.createdAt, since)));
  return row?.n ?? 0;
}
