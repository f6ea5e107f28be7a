import type { Boundary, Community } from "@kaveret/contracts";
import type { CommunityWithRelations } from "./communities.repository.ts";

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
    archived: c.archivedAt !== null,
    childCount,
    version: c.version,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
