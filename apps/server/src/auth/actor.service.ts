import { and, eq, sql } from "drizzle-orm";
import { TWO_FACTOR_ROLES, type Role, type Scope } from "@kaveret/contracts";
import { schema, type Db, type DepartmentSettings } from "@kaveret/db";
import type { Actor } from "../policy/actor.ts";

type AssignmentRow = {
  role: string;
  departmentId: string | null;
  districtId: string | null;
  departmentName: string | null;
  departmentSettings: DepartmentSettings | null;
  departmentDistrictId: string | null;
  districtName: string | null;
};

export const scopeIdOf = (kind: Scope["kind"], id: string | null) =>
  kind === "ministry" ? "ministry" : `${kind}:${id}`;

/** Groups a user's role assignments into scopes, in a stable order. */
export function buildScopes(rows: AssignmentRow[]): Scope[] {
  const scopes = new Map<string, Scope>();
  for (const r of rows) {
    const kind: Scope["kind"] =
      r.role === "ministry" ? "ministry" : r.role === "district" ? "district" : "department";
    const id = scopeIdOf(kind, kind === "department" ? r.departmentId : r.districtId);
    const scope =
      scopes.get(id) ??
      ({
        id,
        kind,
        departmentId: kind === "department" ? r.departmentId : null,
        districtId:
          kind === "district"
            ? r.districtId
            : kind === "department"
              ? r.departmentDistrictId
              : null,
        name:
          (kind === "department"
            ? r.departmentName
            : kind === "district"
              ? r.districtName
              : null) ?? "",
        roles: [],
      } satisfies Scope);
    scope.roles.push(r.role as Role);
    scopes.set(id, scope);
  }
  const order = { department: 0, district: 1, ministry: 2 } as const;
  return [...scopes.values()].sort(
    (a, b) => order[a.kind] - order[b.kind] || a.name.localeCompare(b.name),
  );
}

/**
 * Loads the signed-in user's scopes and picks the one the request asked for
 * (X-Kaveret-Scope), else the first. Returns null for an inactive user.
 */
export async function loadActor(
  db: Db,
  userId: string,
  requestedScopeId: string | undefined,
): Promise<Actor | null> {
  const [users, rows] = await Promise.all([
    db
      .select({
        id: schema.user.id,
        name: schema.user.name,
        email: schema.user.email,
        kind: schema.user.kind,
        locale: schema.user.locale,
        active: schema.user.active,
        twoFactorEnabled: schema.user.twoFactorEnabled,
      })
      .from(schema.user)
      .where(eq(schema.user.id, userId))
      .limit(1),
    db
      .select({
        role: schema.roleAssignments.role,
        departmentId: schema.roleAssignments.departmentId,
        districtId: schema.roleAssignments.districtId,
        departmentName: schema.departments.name,
        departmentSettings: schema.departments.settings,
        departmentDistrictId: schema.localAuthorities.districtId,
        districtName: schema.districts.name,
      })
      .from(schema.roleAssignments)
      .leftJoin(schema.departments, eq(schema.departments.id, schema.roleAssignments.departmentId))
      .leftJoin(
        schema.localAuthorities,
        eq(schema.localAuthorities.id, schema.departments.localAuthorityId),
      )
      .leftJoin(schema.districts, eq(schema.districts.id, schema.roleAssignments.districtId))
      .where(
        and(eq(schema.roleAssignments.userId, userId), eq(schema.roleAssignments.active, true)),
      ),
  ]);
  const user = users[0];
  if (!user || !user.active) return null;

  const scopes = buildScopes(rows);
  // Someone with no active role anywhere (deactivated in every department) is signed out.
  if (scopes.length === 0) return null;
  const scope = scopes.find((s) => s.id === requestedScopeId) ?? scopes[0] ?? null;
  const departmentId = scope?.kind === "department" ? scope.departmentId : null;

  let communityIds: string[] = [];
  if (departmentId && scope?.roles.some((r) => r !== "manager")) {
    const assigned = await db
      .select({ id: schema.communityAssignments.communityId })
      .from(schema.communityAssignments)
      .where(
        and(
          eq(schema.communityAssignments.departmentId, departmentId),
          eq(schema.communityAssignments.userId, userId),
        ),
      );
    communityIds = assigned.map((a) => a.id);
  }

  const twoFactorEnabled = user.twoFactorEnabled === true;
  let twoFactorRequired = false;
  if (
    scope &&
    !twoFactorEnabled &&
    scope.roles.some((r) => (TWO_FACTOR_ROLES as readonly string[]).includes(r))
  ) {
    twoFactorRequired = await scopeRequiresTwoFactor(db, scope, rows);
  }

  return {
    userId: user.id,
    name: user.name,
    email: user.email,
    kind: user.kind === "resident" ? "resident" : "staff",
    locale: user.locale,
    twoFactorEnabled,
    scopes,
    scope,
    roles: scope?.roles ?? [],
    departmentId,
    districtId: scope?.districtId ?? null,
    communityIds,
    twoFactorRequired,
  };
}

/**
 * The setting lives on departments. A manager follows their department's; the
 * oversight roles follow the strictest department they can see (district: its
 * departments; ministry: all).
 */
async function scopeRequiresTwoFactor(
  db: Db,
  scope: Scope,
  rows: AssignmentRow[],
): Promise<boolean> {
  const flag = sql<boolean>`coalesce(bool_or((${schema.departments.settings} ->> 'requireTwoFactorForManagers')::boolean), false)`;
  if (scope.kind === "department") {
    return rows.some(
      (r) =>
        r.departmentId === scope.departmentId &&
        r.departmentSettings?.requireTwoFactorForManagers === true,
    );
  }
  if (scope.kind === "district") {
    const [row] = await db
      .select({ flag })
      .from(schema.departments)
      .innerJoin(
        schema.localAuthorities,
        eq(schema.localAuthorities.id, schema.departments.localAuthorityId),
      )
      .where(eq(schema.localAuthorities.districtId, scope.districtId ?? ""));
    return row?.flag === true;
  }
  const [row] = await db.select({ flag }).from(schema.departments);
  return row?.flag === true;
}
