import { and, count, eq, ilike, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { schema, type DbOrTx } from "@kaveret/db";
import { containsPattern } from "../../lib/sql.ts";

const u = schema.user;
const ra = schema.roleAssignments;
const ca = schema.communityAssignments;

export type UserListFilter = {
  departmentId: string;
  q?: string | undefined;
  role?: string | undefined;
  status: "active" | "inactive" | "all";
  page: number;
  pageSize: number;
};

export type DepartmentUserRow = {
  id: string;
  name: string;
  email: string;
  twoFactorEnabled: boolean | null;
  createdAt: Date;
  roles: string[];
  active: boolean;
  communityIds: string[];
};

/** The department's staff (residents with accounts are not team members), grouped per person. */
function selectDepartmentUsers(db: DbOrTx, departmentId: string, where: (SQL | undefined)[]) {
  return db
    .select({
      id: u.id,
      name: u.name,
      email: u.email,
      twoFactorEnabled: u.twoFactorEnabled,
      createdAt: u.createdAt,
      roles: sql<string[]>`array_agg(distinct ${ra.role} order by ${ra.role})`,
      active: sql<boolean>`bool_or(${ra.active})`,
      communityIds: sql<string[]>`coalesce((
        select array_agg(${ca.communityId}) from ${ca}
        where ${ca.departmentId} = ${departmentId} and ${ca.userId} = ${u.id}
      ), '{}')`,
    })
    .from(u)
    .innerJoin(ra, eq(ra.userId, u.id))
    .where(and(eq(ra.departmentId, departmentId), eq(u.kind, "staff"), ...where))
    .groupBy(u.id);
}

/** People holding a role in the department, with their roles and assigned communities there. */
export async function listDepartmentUsers(db: DbOrTx, f: UserListFilter) {
  const where: (SQL | undefined)[] = [];
  if (f.q) {
    const pattern = containsPattern(f.q);
    where.push(or(ilike(u.name, pattern), ilike(u.email, pattern)));
  }
  if (f.role) {
    where.push(
      sql`${u.id} in (select user_id from role_assignments where department_id = ${f.departmentId} and role = ${f.role})`,
    );
  }
  const having =
    f.status === "active"
      ? sql`bool_or(${ra.active})`
      : f.status === "inactive"
        ? sql`not bool_or(${ra.active})`
        : undefined;
  const base = selectDepartmentUsers(db, f.departmentId, where);
  const filtered = having ? base.having(having) : base;
  const [items, [total]] = await Promise.all([
    filtered
      .orderBy(u.name, u.id)
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize),
    db.select({ n: count() }).from(filtered.as("filtered")),
  ]);
  return { items: items as DepartmentUserRow[], total: total?.n ?? 0 };
}

export async function findDepartmentUser(
  db: DbOrTx,
  departmentId: string,
  userId: string,
): Promise<DepartmentUserRow | undefined> {
  const [row] = await selectDepartmentUsers(db, departmentId, [eq(u.id, userId)]);
  return row;
}

/** Active managers of the department other than `exceptUserId`. */
export async function countOtherActiveManagers(
  db: DbOrTx,
  departmentId: string,
  exceptUserId: string,
) {
  const [row] = await db
    .select({ n: count() })
    .from(ra)
    .innerJoin(u, eq(u.id, ra.userId))
    .where(
      and(
        eq(ra.departmentId, departmentId),
        eq(ra.role, "manager"),
        eq(ra.active, true),
        eq(u.active, true),
        sql`${ra.userId} <> ${exceptUserId}`,
      ),
    );
  return row?.n ?? 0;
}

export async function replaceRoles(
  db: DbOrTx,
  departmentId: string,
  userId: string,
  roles: string[],
  by: string,
) {
  await db.delete(ra).where(and(eq(ra.departmentId, departmentId), eq(ra.userId, userId)));
  if (roles.length) {
    await db
      .insert(ra)
      .values(roles.map((role) => ({ userId, role, departmentId, createdBy: by })));
  }
}

export async function replaceCommunityAssignments(
  db: DbOrTx,
  departmentId: string,
  userId: string,
  communityIds: string[],
) {
  await db.delete(ca).where(and(eq(ca.departmentId, departmentId), eq(ca.userId, userId)));
  if (communityIds.length) {
    await db
      .insert(ca)
      .values(communityIds.map((communityId) => ({ departmentId, userId, communityId })));
  }
}

export async function setDepartmentActive(
  db: DbOrTx,
  departmentId: string,
  userId: string,
  active: boolean,
) {
  await db
    .update(ra)
    .set({ active })
    .where(and(eq(ra.departmentId, departmentId), eq(ra.userId, userId)));
}

/** True when the user still holds an active role somewhere. */
export async function hasAnyActiveRole(db: DbOrTx, userId: string) {
  const [row] = await db
    .select({ n: count() })
    .from(ra)
    .where(and(eq(ra.userId, userId), eq(ra.active, true)));
  return (row?.n ?? 0) > 0;
}

export async function deleteSessions(db: DbOrTx, userId: string) {
  await db.delete(schema.session).where(eq(schema.session.userId, userId));
}

/** Ids among `ids` that are active communities of the department. */
export async function existingCommunityIds(db: DbOrTx, departmentId: string, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: schema.communities.id })
    .from(schema.communities)
    .where(
      and(
        eq(schema.communities.departmentId, departmentId),
        inArray(schema.communities.id, ids),
        isNull(schema.communities.archivedAt),
      ),
    );
  return rows.map((r) => r.id);
}

export async function findUserByEmail(db: DbOrTx, email: string) {
  const [row] = await db
    .select({ id: u.id, name: u.name, kind: u.kind })
    .from(u)
    .where(eq(u.email, email))
    .limit(1);
  return row;
}
