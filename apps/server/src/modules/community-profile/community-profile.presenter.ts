import type { CommunityOverview, Figure } from "@kaveret/contracts";
import type { FigureRow } from "./community-profile.repository.ts";

export function presentFigure(f: FigureRow): Figure {
  return {
    indicator: f.indicator,
    period: f.period,
    value: f.value,
    source: f.source,
    updatedAt: f.updatedAt.toISOString(),
    updatedByName: f.updatedByName,
  };
}

export function presentAssetSummary(a: {
  id: string;
  name: string;
  assetType: string;
  address: string;
  houseNumber: string | null;
  streetName: string | null;
  communityId: string | null;
}): CommunityOverview["assets"][number] {
  const street = a.streetName ? [a.streetName, a.houseNumber].filter(Boolean).join(" ") : "";
  return {
    id: a.id,
    name: a.name,
    type: a.assetType,
    address: street || a.address,
    communityId: a.communityId,
  };
}

/** An audit row as recent activity: what happened, to what kind of record, by whom — no values. */
export function presentActivity(a: {
  id: number;
  at: Date;
  action: string;
  entityType: string;
  entityId: string | null;
  actorName: string | null;
}): CommunityOverview["activity"][number] {
  return {
    id: a.id,
    at: a.at.toISOString(),
    action: a.action,
    entityType: a.entityType,
    entityId: a.entityId,
    actorName: a.actorName,
  };
}
