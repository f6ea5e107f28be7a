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
  | { type: "home.read" }
  | { type: "resident.list" }
  | { type: "resident.create"; target: ResidentTarget }
  | { type: "resident.update"; target: ResidentTarget }
  | { type: "resident.reveal"; target: ResidentTarget }
  | { type: "resident.merge"; target: ResidentTarget }
  | { type: "resident.export" }
  | { type: "resident.import"; departmentId: string }
  | { type: "street.read"; departmentId: string }
  | { type: "street.manage"; departmentId: string }
  | { type: "asset.read"; departmentId: string }
  | { type: "asset.write"; target: AssetTarget }
  | { type: "asset.import"; departmentId: string }
  | { type: "map.read" }
  | { type: "figures.write"; target: CommunityTarget }
  | { type: "need.list" }
  | { type: "need.create"; target: NeedTarget }
  | { type: "need.read"; target: NeedTarget }
  | { type: "need.update"; target: NeedTarget }
  | { type: "need.manage"; departmentId: string }
  /** Door-to-door assignments of a form's streets and buildings to surveyors. */
  | { type: "form.assign"; departmentId: string }
  | { type: "emergency.mode" }
  | { type: "emergency.declare"; departmentId: string }
  | { type: "emergency.manage"; departmentId: string }
  | { type: "emergency.board"; departmentId: string }
  | { type: "emergency.call"; departmentId: string }
  | { type: "emergency.help"; departmentId: string }
  | { type: "emergency.volunteer"; departmentId: string }
  | { type: "broadcast.list" }
  | { type: "broadcast.read"; target: BroadcastTarget }
  | { type: "broadcast.write"; target: BroadcastTarget }
  | { type: "broadcast.settings"; departmentId: string };

/**
 * A broadcast as policy sees it: the chain of each community of its audience ([] of
 * chains: the whole department) and who wrote it.
 */
export type BroadcastTarget = {
  departmentId: string;
  communityChains: string[][];
  createdBy: string | null;
};

/**
 * A need as policy sees it: its community's chain ([] when it has none yet — a
 * public report without a location waits for triage) and its assignee.
 */
export type NeedTarget = {
  departmentId: string;
  chain: string[];
  assigneeId: string | null;
};

/**
 * A resident as policy sees them: the communities they belong to (each with its
 * ancestor chain), the social workers whose caseload they are in, and their
 * current consents.
 */
export type ResidentTarget = {
  departmentId: string;
  /** One chain per community the resident belongs to (the community first, then ancestors). */
  communityChains: string[][];
  caseworkerIds: string[];
  consents: string[];
};

export type AssetTarget = {
  departmentId: string;
  /** The asset's community chain, or [] when it has none (department-wide). */
  chain: string[];
};

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
    case "resident.list":
      return (
        actor.scope?.kind === "department" &&
        hasRole(actor, "manager", "community_worker", "social_worker", "activist")
      );
    case "resident.create":
    case "resident.update":
    case "resident.merge": {
      // Writing needs full access to the record as it will be: a community worker only
      // inside their communities, a social worker only for their caseload.
      return residentAccess(actor, action.target) === "full";
    }
    case "resident.reveal":
      return residentAccess(actor, action.target) === "full";
    case "resident.export":
      return (
        actor.scope?.kind === "department" &&
        hasRole(actor, "manager", "community_worker", "social_worker", "activist")
      );
    case "resident.import":
    case "asset.import":
      return (
        inDepartment(actor, action.departmentId) && hasRole(actor, "manager", "community_worker")
      );
    case "street.manage":
      return (
        inDepartment(actor, action.departmentId) && hasRole(actor, "manager", "community_worker")
      );
    case "street.read":
      // The street list is reference data (no personal data): any department staff role.
      return (
        inDepartment(actor, action.departmentId) &&
        hasRole(
          actor,
          "manager",
          "community_worker",
          "social_worker",
          "activist",
          "volunteer",
          "partner",
          "trainer",
        )
      );
    case "asset.read":
      return (
        inDepartment(actor, action.departmentId) &&
        hasRole(
          actor,
          "manager",
          "community_worker",
          "social_worker",
          "activist",
          "volunteer",
          "partner",
          "trainer",
        )
      );
    case "asset.write": {
      const t = action.target;
      if (!inDepartment(actor, t.departmentId)) return false;
      if (hasRole(actor, "manager")) return true;
      // Community workers keep the directory of their communities and department-wide entries.
      return (
        hasRole(actor, "community_worker") &&
        (t.chain.length === 0 || inAssignedSubtree(actor, t.chain))
      );
    }
    case "map.read":
      return (
        actor.scope?.kind === "department" &&
        hasRole(actor, "manager", "community_worker", "social_worker", "activist", "volunteer")
      );
    case "figures.write": {
      const t = action.target;
      if (!inDepartment(actor, t.departmentId)) return false;
      if (hasRole(actor, "manager")) return true;
      return hasRole(actor, "community_worker") && inAssignedSubtree(actor, t.chain);
    }
    case "need.list":
      return (
        actor.scope?.kind === "department" &&
        hasRole(actor, "manager", "community_worker", "social_worker")
      );
    case "need.create":
      // Anyone who takes needs down (phone, face to face) may enter one; the service makes a
      // social worker its assignee when they would not otherwise see it.
      return (
        needAccess(actor, action.target) ||
        (inDepartment(actor, action.target.departmentId) && hasRole(actor, "social_worker"))
      );
    case "need.read":
    case "need.update":
      return needAccess(actor, action.target);
    case "emergency.mode":
      // The banner every screen shows: any role held in a department.
      return actor.scope?.kind === "department" && actor.roles.length > 0;
    case "emergency.declare":
    case "emergency.manage":
      return inDepartment(actor, action.departmentId) && hasRole(actor, "manager");
    case "emergency.board":
      return (
        inDepartment(actor, action.departmentId) && hasRole(actor, "manager", "community_worker")
      );
    case "emergency.call":
      // Callers: staff, and volunteers (who see only their own open assignments).
      return (
        inDepartment(actor, action.departmentId) &&
        hasRole(actor, "manager", "community_worker", "social_worker", "volunteer")
      );
    case "emergency.help":
      // Taking down and following help requests (volunteers claim through their offers).
      return (
        inDepartment(actor, action.departmentId) &&
        hasRole(actor, "manager", "community_worker", "social_worker")
      );
    case "emergency.volunteer":
      return (
        inDepartment(actor, action.departmentId) &&
        hasRole(actor, "manager", "community_worker", "volunteer")
      );
    case "broadcast.list":
      return actor.scope?.kind === "department" && hasRole(actor, "manager", "community_worker");
    case "broadcast.read":
    case "broadcast.write": {
      // The manager broadcasts to the department; a community worker only within their own
      // communities (every community of the audience inside their reach, never department-wide).
      const t = action.target;
      if (!inDepartment(actor, t.departmentId)) return false;
      if (hasRole(actor, "manager")) return true;
      if (!hasRole(actor, "community_worker")) return false;
      const within =
        t.communityChains.length > 0 &&
        t.communityChains.every((chain) => inAssignedSubtree(actor, chain));
      return action.type === "broadcast.read"
        ? within || (t.createdBy !== null && t.createdBy === actor.userId)
        : within && (t.createdBy === null || t.createdBy === actor.userId);
    }
    case "broadcast.settings":
    case "need.manage":
    case "form.assign":
    case "user.manage":
    case "invitation.manage":
    case "audit.read":
    case "department.manage":
      return inDepartment(actor, action.departmentId) && hasRole(actor, "manager");
  }
}

/**
 * Needs (SPEC §2): the manager sees the department's; a community worker those of their
 * communities and the ones not placed in a community yet (someone must triage them);
 * anyone sees a need assigned to them.
 */
function needAccess(actor: Actor, t: NeedTarget): boolean {
  if (!inDepartment(actor, t.departmentId)) return false;
  if (hasRole(actor, "manager")) return true;
  if (t.assigneeId !== null && t.assigneeId === actor.userId) {
    return hasRole(actor, "community_worker", "social_worker");
  }
  return (
    hasRole(actor, "community_worker") &&
    (t.chain.length === 0 || inAssignedSubtree(actor, t.chain))
  );
}

/** Which needs a list returns for this actor (needs.repository.ts turns it into SQL). */
export type NeedVisibility =
  | { kind: "none" }
  | {
      kind: "scoped";
      departmentId: string;
      all: boolean;
      /** Needs in these communities' subtrees, and needs with no community. */
      communityRoots: string[];
      /** Needs assigned to this user. */
      assignedTo: string;
    };

export function needVisibility(actor: Actor): NeedVisibility {
  if (
    actor.twoFactorRequired ||
    actor.scope?.kind !== "department" ||
    !actor.departmentId ||
    !hasRole(actor, "manager", "community_worker", "social_worker")
  ) {
    return { kind: "none" };
  }
  return {
    kind: "scoped",
    departmentId: actor.departmentId,
    all: hasRole(actor, "manager"),
    communityRoots: hasRole(actor, "community_worker") ? actor.communityIds : [],
    assignedTo: actor.userId,
  };
}

/**
 * How much of a resident this actor may see (SPEC §1): "full" (manager; community
 * worker when the resident is in their communities; social worker for their
 * caseload), "contact" (activist: name and contact of consenting members of their
 * communities), or null.
 */
export function residentAccess(actor: Actor, t: ResidentTarget): "full" | "contact" | null {
  if (actor.twoFactorRequired || !inDepartment(actor, t.departmentId)) return null;
  if (hasRole(actor, "manager")) return "full";
  if (
    hasRole(actor, "community_worker") &&
    t.communityChains.some((chain) => inAssignedSubtree(actor, chain))
  ) {
    return "full";
  }
  if (hasRole(actor, "social_worker") && t.caseworkerIds.includes(actor.userId)) return "full";
  if (
    hasRole(actor, "activist") &&
    t.consents.includes("listed_to_activists") &&
    t.communityChains.some((chain) => inAssignedSubtree(actor, chain))
  ) {
    return "contact";
  }
  return null;
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

/**
 * Which residents a list may return, and at which access level. Repositories turn
 * this into SQL (residents.repository.ts), so a list never returns a row its reader
 * could not open, nor a field they may not see.
 */
export type ResidentVisibility =
  | { kind: "none" }
  | {
      kind: "scoped";
      departmentId: string;
      full: {
        /** Every resident of the department (manager). */
        all: boolean;
        /** Residents belonging to these communities or anything inside them (community worker). */
        communityRoots: string[];
        /** Residents in this user's caseload (social worker). */
        caseloadOf: string | null;
      };
      /** Contact-only access (activist): consenting residents of these communities' subtrees. */
      contact: { communityRoots: string[]; requiredConsent: "listed_to_activists" } | null;
    };

export function residentVisibility(actor: Actor): ResidentVisibility {
  if (actor.twoFactorRequired || actor.scope?.kind !== "department" || !actor.departmentId) {
    return { kind: "none" };
  }
  const all = hasRole(actor, "manager");
  const communityRoots = hasRole(actor, "community_worker") ? actor.communityIds : [];
  const caseloadOf = hasRole(actor, "social_worker") ? actor.userId : null;
  const contact =
    !all && hasRole(actor, "activist") && actor.communityIds.length > 0
      ? { communityRoots: actor.communityIds, requiredConsent: "listed_to_activists" as const }
      : null;
  if (!all && communityRoots.length === 0 && !caseloadOf && !contact) return { kind: "none" };
  return {
    kind: "scoped",
    departmentId: actor.departmentId,
    full: { all, communityRoots, caseloadOf },
    contact,
  };
}

/**
 * Which community boundaries the map shows: the communities the reader may open;
 * for activists and volunteers (who open none), the communities they are assigned to
 * and what lies inside them — shapes and names only, no personal data.
 */
export function mapCommunityVisibility(actor: Actor): CommunityVisibility {
  const v = communityVisibility(actor);
  if (v.kind !== "none") return v;
  if (
    actor.twoFactorRequired ||
    actor.scope?.kind !== "department" ||
    !actor.departmentId ||
    !hasRole(actor, "activist", "volunteer")
  ) {
    return { kind: "none" };
  }
  return { kind: "subtrees", departmentId: actor.departmentId, rootIds: actor.communityIds };
}

/**
 * An emergency call as policy sees it: the resident's community chains, who holds the
 * call, and whether the emergency is still open.
 */
export type CallTarget = {
  departmentId: string;
  communityChains: string[][];
  assigneeId: string | null;
  escalatedTo: string | null;
  status: string;
  emergencyActive: boolean;
};

/** Statuses a volunteer's call is still theirs to work ("open assignments"). */
export const VOLUNTEER_OPEN_CALL_STATUSES = ["pending", "retry"] as const;

/**
 * How much of a call (and its resident) this actor may see (SPEC §1: a volunteer, "only
 * what an open assignment needs"): "full" (staff who may see the resident, or the staff
 * member holding the call), "assignment" (a volunteer's own open call: name, phone,
 * address, languages — no risk reasons), or null.
 */
export function callAccess(actor: Actor, t: CallTarget): "full" | "assignment" | null {
  if (actor.twoFactorRequired || !inDepartment(actor, t.departmentId)) return null;
  if (hasRole(actor, "manager")) return "full";
  if (
    hasRole(actor, "community_worker") &&
    t.communityChains.some((chain) => inAssignedSubtree(actor, chain))
  ) {
    return "full";
  }
  const holds = t.assigneeId === actor.userId || t.escalatedTo === actor.userId;
  if (!holds) return null;
  if (hasRole(actor, "community_worker", "social_worker")) return "full";
  if (
    hasRole(actor, "volunteer") &&
    t.emergencyActive &&
    t.assigneeId === actor.userId &&
    (VOLUNTEER_OPEN_CALL_STATUSES as readonly string[]).includes(t.status)
  ) {
    return "assignment";
  }
  return null;
}

/** Which calls a list returns for this actor (emergency.repository.ts turns it into SQL). */
export type CallVisibility =
  | { kind: "none" }
  | {
      kind: "scoped";
      departmentId: string;
      all: boolean;
      /** Calls of residents in these communities' subtrees (community worker). */
      communityRoots: string[];
      /** Calls this user holds (assigned or escalated to them). */
      heldBy: string;
      /** Volunteers: only held calls still open, only while the emergency is. */
      openOnly: boolean;
    };

export function callVisibility(actor: Actor): CallVisibility {
  if (
    actor.twoFactorRequired ||
    actor.scope?.kind !== "department" ||
    !actor.departmentId ||
    !hasRole(actor, "manager", "community_worker", "social_worker", "volunteer")
  ) {
    return { kind: "none" };
  }
  const staff = hasRole(actor, "manager", "community_worker", "social_worker");
  return {
    kind: "scoped",
    departmentId: actor.departmentId,
    all: hasRole(actor, "manager"),
    communityRoots: hasRole(actor, "community_worker") ? actor.communityIds : [],
    heldBy: actor.userId,
    openOnly: !staff,
  };
}

/** A help request as policy sees it. */
export type HelpRequestTarget = {
  departmentId: string;
  /** The request's community chain ([] when it has none). */
  chain: string[];
  claimedBy: string | null;
};

/**
 * Who sees a help request in full (resident, contact, exact place): the manager; a
 * community worker for their communities and unplaced ones; a social worker for what they
 * took down or hold; whoever claimed it. Volunteers otherwise see only the outline
 * (category, urgency, area, distance) of open requests matching their offer.
 */
export function helpRequestAccess(
  actor: Actor,
  t: HelpRequestTarget & { createdBy: string | null },
): "full" | "outline" | null {
  if (actor.twoFactorRequired || !inDepartment(actor, t.departmentId)) return null;
  if (hasRole(actor, "manager")) return "full";
  if (t.claimedBy !== null && t.claimedBy === actor.userId) return "full";
  if (
    hasRole(actor, "community_worker") &&
    (t.chain.length === 0 || inAssignedSubtree(actor, t.chain))
  ) {
    return "full";
  }
  if (hasRole(actor, "social_worker") && t.createdBy === actor.userId) return "full";
  if (hasRole(actor, "volunteer", "community_worker", "social_worker")) return "outline";
  return null;
}
