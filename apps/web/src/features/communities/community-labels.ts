import type { TFunction } from "i18next";
import type { Community } from "@kaveret/contracts";

/** "Neighbourhood" / "Functional community": the one-word type of a community. */
export function typeLabel(t: TFunction, c: Pick<Community, "kind" | "level">): string {
  if (c.kind === "geographic" && c.level) return t(`communities.levels.${c.level}`);
  return t(`communities.kinds.${c.kind}`);
}

/** The next level down for a new sub-community, or null below a building. */
export function childLevel(level: Community["level"]): Community["level"] {
  switch (level) {
    case "town":
      return "neighbourhood";
    case "neighbourhood":
      return "street_cluster";
    case "street_cluster":
      return "building";
    default:
      return null;
  }
}
