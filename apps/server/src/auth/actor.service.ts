import { eq, sql } from "drizzle-orm";
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

type ActorRow = Omit<AssignmentRow, "role"> & {
  role: string | null;
  userId: string;
  name: string;
  email: string;
  kind: string;
  locale: string;
  active: boolean;
  twoFactorEnabled: boolean | null;
  communityIds: string[] | null;
};

/**
 * The signed-in user behind a session token, with every active role and the
 * communities assigned in each department — in one query, since every API
 * request starts here.
 */
async function actorRows(db: Db, sessionToken: string): Promise<ActorRow[]> {
  const result = await db.execute(sql`
    select u.id as "userId", u.name, u.email, u.kind, u.locale, u.active,
           u.two_factor_enabled as "twoFactorEnabled",
           ra.role, ra.department_id as "departmentId", ra.district_id as "districtId",
           d.name as "departmentName", d.settings as "departmentSettings",
           la.district_id as "departmentDistrictId", dist.name as "districtName",
           case when ra.department_id is not null and ra.role <> 'manager' then array(
             select ca.community_id from community_assignments ca
             where ca.department_id = ra.department_id and ca.user_id = u.id
           ) end as "communityIds"
    from session s
    join "user" u on u.id = s.user_id
    left join role_assignments ra on ra.user_id = u.id and ra.active
    left join departments d on d.id = ra.department_id
    left join local_authorities la on la.id = d.local_authority_id
    left join districts dist on dist.id = ra.district_id
    where s.token = ${sessionToken} and s.expires_at > now()`);
  return (result as unknown as { rows: ActorRow[] }).rows;
}

/**
 * Loads the actor for a session token and picks the scope the request asked
 * for (X-Kaveret-Scope), else the first. Null for an unknown or expired
 * session, an inactive user, or someone with no active role anywhere.
 */
export async function loadActor(
  db: Db,
  sessionToken: string,
  requestedScopeId: string | undefined,
): Promise<Actor | null> {
  const rows = await actorRows(db, sessionToken);
  const user = rows[0];
  if (!user || !user.active) return null;
  const assignments = rows.filter((r): r is ActorRow & { role: string } => r.role !== null);
  const scopes = buildScopes(assignments);
  // Someone with no active role anywhere (deactivated in every department) is signed out.
  if (scopes.length === 0) return null;
  const scope = scopes.find((s) => s.id === requestedScopeId) ?? scopes[0] ?? null;
  const departmentId = scope?.kind === "department" ? scope.departmentId : null;
  const communityIds = [
    ...new Set(
      assignments
        .filter((r) => departmentId && r.departmentId === departmentId)
        .flatMap((r) => r.communityIds ?? []),
    ),
  ];

  const twoFactorEnabled = user.twoFactorEnabled === true;
  let twoFactorRequired = false;
  if (
    scope &&
    !twoFactorEnabled &&
    scope.roles.some((r) => (TWO_FACTOR_ROLES as readonly string[]).includes(r))
  ) {
    twoFactorRequired = await scopeRequiresTwoFactor(db, scope, assignments);
  }

  return {
    userId: user.userId,
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
