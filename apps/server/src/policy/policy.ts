import type { Actor } from "./actor.ts";
import { hasRole } from "./actor.ts";
import { AppError } from "../lib/errors.ts";

/**
 * The one place that says who may do what (SPEC §1). Routes call `authorize`;
 * repositories call the `*Visibility` functions to scope SQL, so a list never
 * returns a row its reader could not open.
 */

export type CommunityTarget = {
  departmentId: string;
  /** The community itself and all its ancestors (for a new one: its parent's chain). */
  chain: string[];
};

export type Action =
  | { type: "community.list" }
  | { type: "community.read"; target: CommunityTarget }
  | { type: "community.create"; target: CommunityTarget | { departmentId: string; chain: [] } }
  | { type: "community.update"; target: CommunityTarget }
  | { type: "community.archive"; target: CommunityTarget }
  | { type: "user.list" }
  | { type: "user.manage"; departmentId: string }
  | { type: "invitation.manage"; departmentId: string }
  | { type: "audit.read"; departmentId: string }
  | { type: "department.manage"; departmentId: string }
  | { type: "home.read" };

const inDepartment = (actor: Actor, departmentId: string) =>
  actor.scope?.kind === "department" && actor.departmentId === departmentId;

const inAssignedSubtree = (actor: Actor, chain: string[]) =>
  chain.some((id) => actor.communityIds.includes(id));

/** Decides one action. Pure: no I/O, exhaustively tested. */
export function can(actor: Actor, action: Action): boolean {
  if (actor.twoFactorRequired) return false;
  switch (action.type) {
    case "home.read":
      return actor.scope !== null;
    case "community.list":
      return hasRole(actor, "manager", "community_worker", "social_worker");
    case "community.read": {
      const t = action.target;
      if (!inDepartment(actor, t.departmentId)) return false;
      if (hasRole(actor, "manager", "social_worker")) return true;
      return hasRole(actor, "community_worker") && inAssignedSubtree(actor, t.chain);
    }
    case "community.create":
    case "community.update":
    case "community.archive": {
      const t = action.target;
      if (!inDepartment(actor, t.departmentId)) return false;
      if (hasRole(actor, "manager")) return true;
      // A community worker shapes the communities assigned to them and what lies below;
      // a new top-level community is a manager's decision.
      if (!hasRole(actor, "community_worker")) return false;
      if (action.type === "community.archive" && t.chain.length > 0) {
        // Archiving an assigned root itself is the manager's call.
        return inAssignedSubtree(actor, t.chain.slice(1));
      }
      return inAssignedSubtree(actor, t.chain);
    }
    case "user.list":
      return actor.scope?.kind === "department" && hasRole(actor, "manager");
    case "user.manage":
    case "invitation.manage":
    case "audit.read":
    case "department.manage":
      return inDepartment(actor, action.departmentId) && hasRole(actor, "manager");
  }
}

export function authorize(actor: Actor, action: Action): void {
  if (actor.twoFactorRequired) {
    throw new AppError("two_factor_required", 403, "Enrol a second factor (TOTP) first");
  }
  if (!can(actor, action)) throw new AppError("forbidden", 403, "You may not do this");
}

export type CommunityVisibility =
  | { kind: "none" }
  | { kind: "department"; departmentId: string }
  | { kind: "subtrees"; departmentId: string; rootIds: string[] };

/** Which communities a list may return for this actor. */
export function communityVisibility(actor: Actor): CommunityVisibility {
  if (actor.twoFactorRequired || actor.scope?.kind !== "department" || !actor.departmentId) {
    return { kind: "none" };
  }
  if (hasRole(actor, "manager", "social_worker")) {
    return { kind: "department", departmentId: actor.departmentId };
  }
  if (hasRole(actor, "community_worker")) {
    return { kind: "subtrees", departmentId: actor.departmentId, rootIds: actor.communityIds };
  }
  return { kind: "none" };
}

/**
 * Whether deciding on a community needs its ancestor chain: only for someone
 * whose reach is their assigned communities (a manager's is the department).
 */
export function needsCommunityChain(actor: Actor): boolean {
  return !hasRole(actor, "manager") && hasRole(actor, "community_worker");
}

/** Smallest group size shown to aggregate-only roles (ministry, district). */
export const K_ANONYMITY = 10;
