import type { Boundary, Community, CommunityListItem } from "@kaveret/contracts";
import type { CommunityListRow, CommunityWithRelations } from "./communities.repository.ts";

/** The only way a community row becomes JSON: every field listed on purpose. */
export function presentCommunity({
  community: c,
  parentName,
  childCount,
}: CommunityWithRelations): Community {
  return {
    id: c.id,
    kind: c.kind as Community["kind"],
    level: c.level as Community["level"],
    parentId: c.parentId,
    parentName,
    name: c.name,
    altNames: c.altNames,
    description: c.description,
    membershipCriteria: c.membershipCriteria,
    boundary: (c.boundary as Boundary | null) ?? null,
    population: c.population,
    languages: c.languages,
    mode: c.mode as Community["mode"],
    notes: c.notes,
    keyContacts: c.keyContacts.map((k) => ({
      name: k.name,
      role: k.role,
      ...(k.phone ? { phone: k.phone } : {}),
      ...(k.email ? { email: k.email } : {}),
    })),
    statAreaCode: c.statAreaCode,
    archived: c.archivedAt !== null,
    childCount,
    version: c.version,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export function presentCommunityListItem(r: CommunityListRow): CommunityListItem {
  return {
    id: r.id,
    kind: r.kind as Community["kind"],
    level: r.level as Community["level"],
    parentId: r.parentId,
    parentName: r.parentName,
    name: r.name,
    altNames: r.altNames,
    description: r.description,
    membershipCriteria: r.membershipCriteria,
    hasBoundary: r.hasBoundary,
    population: r.population,
    languages: r.languages,
    mode: r.mode as Community["mode"],
    statAreaCode: r.statAreaCode,
    archived: r.archivedAt !== null,
    childCount: r.childCount,
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
