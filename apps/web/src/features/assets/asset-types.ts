import type { TFunction } from "i18next";
import {
  ASSET_TYPES,
  ASSET_TYPE_GROUPS,
  type AssetType,
  type AssetTypeGroup,
} from "@kaveret/contracts";

/**
 * How each asset type looks, in one place: the list chips, the asset page and the
 * map legend and markers use it. Colours are dark enough for a white glyph on them
 * (≥ 3:1, most ≥ 4.5:1). Icons are stroke paths in a 24×24 box (stroke-width 2,
 * round caps), drawn in white on the colour.
 */
export type AssetTypeStyle = { color: string; icon: string };

export const ASSET_TYPE_STYLES: Record<AssetType, AssetTypeStyle> = {
  school: { color: "#1c5fb0", icon: "M3 21h18M5 21V10l7-5 7 5v11M10 21v-5h4v5" },
  kindergarten: { color: "#0b7285", icon: "M4 14h7v7H4zM13 14h7v7h-7zM8.5 5h7v7h-7z" },
  library: { color: "#3b5bdb", icon: "M4 19V5a2 2 0 0 1 2-2h13v16H6a2 2 0 0 0 0 4h13" },
  clinic: { color: "#c92a2a", icon: "M9 3h6v6h6v6h-6v6H9v-6H3V9h6z" },
  welfare_office: {
    color: "#a61e4d",
    icon: "M12 20s-7-4.5-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.5-7 10-7 10z",
  },
  day_center: {
    color: "#862e9c",
    icon: "M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zM12 2v2M12 20v2M2 12h2M20 12h2M5 5l1.5 1.5M17.5 17.5 19 19M5 19l1.5-1.5M17.5 6.5 19 5",
  },
  community_center: {
    color: "#5f3dc4",
    icon: "M8 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM16 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM2 20c0-3 3-5 6-5s6 2 6 5M10 20c0-3 3-5 6-5s6 2 6 5",
  },
  elderly_club: {
    color: "#8f5a00",
    icon: "M5 9h11v5a5 5 0 0 1-5 5h-1a5 5 0 0 1-5-5zM16 10h2a2 2 0 0 1 0 4h-2M8 3v3M12 3v3",
  },
  youth_club: {
    color: "#b03a00",
    icon: "M12 3l2.8 5.7 6.2.9-4.5 4.4 1 6.2L12 17.3l-5.5 2.9 1-6.2L3 9.6l6.2-.9z",
  },
  ngo: { color: "#9c36b5", icon: "M5 21V4M5 4h12l-2 4 2 4H5" },
  synagogue: { color: "#1864ab", icon: "M12 3l8 14H4zM12 21L4 7h16z" },
  mosque: { color: "#2b8a3e", icon: "M15 3a9 9 0 1 0 6 14.5A7 7 0 0 1 15 3z" },
  church: { color: "#6741d9", icon: "M12 2v20M6 8h12" },
  house_of_worship: {
    color: "#5c7c0d",
    icon: "M4 21h16M6 21v-8h12v8M12 4a5 5 0 0 1 5 5H7a5 5 0 0 1 5-5z",
  },
  shelter: { color: "#d6336c", icon: "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z" },
  distribution_point: { color: "#087f5b", icon: "M3 7l9-4 9 4v10l-9 4-9-4zM3 7l9 4 9-4M12 11v10" },
  park: { color: "#2f7d32", icon: "M12 3 5 14h14zM12 14v7M9 21h6" },
  public_space: { color: "#5f6f0a", icon: "M3 10h18M5 10v9M19 10v9M3 15h18" },
  sports_facility: {
    color: "#0c7489",
    icon: "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18",
  },
  business: { color: "#495057", icon: "M5 8h14l-1 13H6zM9 8V6a3 3 0 0 1 6 0v2" },
  other: {
    color: "#5c636a",
    icon: "M12 21s-7-6-7-11a7 7 0 0 1 14 0c0 5-7 11-7 11zM12 8a2 2 0 1 0 0 4 2 2 0 0 0 0-4z",
  },
};

/** Types in the order of their groups (legend and filter order). */
export const ASSET_TYPES_BY_GROUP: { group: AssetTypeGroup; types: readonly AssetType[] }[] = (
  Object.keys(ASSET_TYPE_GROUPS) as AssetTypeGroup[]
).map((group) => ({ group, types: ASSET_TYPE_GROUPS[group] }));

export const assetTypeColor = (type: AssetType): string => ASSET_TYPE_STYLES[type].color;

/** "בית כנסת", "مسجد", "Clinic"… */
export const assetTypeLabel = (t: TFunction, type: AssetType): string => t(`assets.types.${type}`);

export const assetTypeGroupLabel = (t: TFunction, group: AssetTypeGroup): string =>
  t(`assets.typeGroups.${group}`);

export const isAssetType = (v: string): v is AssetType =>
  (ASSET_TYPES as readonly string[]).includes(v);
