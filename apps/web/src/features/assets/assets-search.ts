import { ASSET_TYPES, type AssetType } from "@kaveret/contracts";
import { oneOf, pageNum, str } from "../../app/search.ts";

/** The assets list's URL state (shareable, survives reloads). */
export interface AssetsSearch {
  q?: string;
  /** Comma-separated asset types. */
  type?: string;
  communityId?: string;
  archived?: "active" | "archived" | "all";
  page?: number;
}

/** Known asset types from a comma list, in taxonomy order, without repeats. */
export function typesOf(list: string | undefined): AssetType[] {
  const wanted = new Set((list ?? "").split(","));
  return ASSET_TYPES.filter((t) => wanted.has(t));
}

export function parseAssetsSearch(s: Record<string, unknown>): AssetsSearch {
  const types = typesOf(str(s.type, 500));
  const communityId = str(s.communityId, 80);
  return {
    q: str(s.q, 100),
    type: types.length ? types.join(",") : undefined,
    communityId: communityId && /^[0-9a-f-]{36}$/i.test(communityId) ? communityId : undefined,
    archived: oneOf(s.archived, ["active", "archived", "all"] as const),
    page: pageNum(s.page),
  };
}
