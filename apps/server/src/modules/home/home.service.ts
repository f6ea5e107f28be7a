import type { Home } from "@kaveret/contracts";
import type { RequestContext } from "../../lib/context.ts";
import { hasRole } from "../../policy/actor.ts";
import { authorize, communityVisibility, K_ANONYMITY } from "../../policy/policy.ts";
import { countCommunities, recentCommunities } from "../communities/communities.repository.ts";
import * as repo from "./home.repository.ts";

type Figure = Home["figures"][number];

/** Counts of people shown to aggregate-only roles are hidden below k. */
const kAnon = (n: number) => (n < K_ANONYMITY ? null : n);

/** The home page figures for the active scope, from the database. */
export async function homeFor(ctx: RequestContext): Promise<Home> {
  const { actor, db } = ctx;
  authorize(actor, { type: "home.read" });
  const scope = actor.scope!;
  const figures: Figure[] = [];

  if (scope.kind !== "department") {
    const departmentIds = await repo.departmentIdsIn(
      db,
      scope.kind === "district" ? scope.districtId : null,
    );
    const [communities, staff] = await Promise.all([
      repo.countCommunitiesIn(db, departmentIds),
      repo.countActiveStaff(db, departmentIds),
    ]);
    figures.push(
      { key: "departments", value: departmentIds.length },
      { key: "communities", value: communities },
      { key: "staff", value: kAnon(staff) },
    );
    return { scopeKind: scope.kind, figures, recentCommunities: [] };
  }

  const departmentId = actor.departmentId!;
  const visibility = communityVisibility(actor);
  if (visibility.kind !== "none") {
    const [all, neighbourhoods] = await Promise.all([
      countCommunities(db, visibility),
      countCommunities(db, visibility, "neighbourhood"),
    ]);
    figures.push(
      { key: "communities", value: all },
      { key: "neighbourhoods", value: neighbourhoods },
    );
  }
  if (hasRole(actor, "community_worker"))
    figures.push({ key: "my_communities", value: actor.communityIds.length });
  if (hasRole(actor, "manager")) {
    const [staff, pending, audit] = await Promise.all([
      repo.countActiveStaff(db, [departmentId]),
      repo.countPendingInvitations(db, departmentId),
      repo.countAuditSince(db, departmentId, new Date(Date.now() - 7 * 86_400_000)),
    ]);
    figures.push(
      { key: "staff", value: staff },
      { key: "pending_invitations", value: pending },
      { key: "audit_events_week", value: audit },
    );
  }
  const recent = visibility.kind === "none" ? [] : await recentCommunities(db, visibility, 5);
  return { scopeKind: "department", figures, recentCommunities: recent };
}
