import type { Role, Scope } from "@kaveret/contracts";

/** Who is asking, in which scope, with which roles. Built once per request. */
export type Actor = {
  userId: string;
  name: string;
  email: string;
  kind: "staff" | "resident";
  locale: string;
  twoFactorEnabled: boolean;
  /** Every scope the user holds a role in. */
  scopes: Scope[];
  /** The scope this request runs in; null when the user holds no role. */
  scope: Scope | null;
  /** Roles in the active scope. */
  roles: Role[];
  departmentId: string | null;
  districtId: string | null;
  /** Communities assigned to the user in the active department (their subtrees are in scope). */
  communityIds: string[];
  twoFactorRequired: boolean;
};

export const hasRole = (actor: Actor, ...roles: Role[]) =>
  roles.some((r) => actor.roles.includes(r));
