import {
  boundarySchema,
  type AssetFeature,
  type Boundary,
  type BoundaryFeature,
  type CommunityLevel,
  type StreetFeature,
} from "@kaveret/contracts";
import type { GeoJsonGeometry } from "@kaveret/db";

type Position = [number, number];

function isPosition(p: unknown): p is Position {
  return (
    Array.isArray(p) &&
    p.length >= 2 &&
    typeof p[0] === "number" &&
    typeof p[1] === "number" &&
    Math.abs(p[0]) <= 180 &&
    Math.abs(p[1]) <= 90
  );
}

/** A community's shape as a map feature; null when the stored geometry is not a valid boundary. */
export function presentBoundaryFeature(b: {
  id: string;
  name: string;
  kind: string;
  level: string | null;
  parentId: string | null;
  boundary: GeoJsonGeometry | null;
}): BoundaryFeature | null {
  const parsed = boundarySchema.safeParse(b.boundary);
  if (!parsed.success) return null;
  const geometry: Boundary = parsed.data;
  return {
    type: "Feature",
    geometry,
    properties: {
      id: b.id,
      name: b.name,
      kind: b.kind as BoundaryFeature["properties"]["kind"],
      level: b.level as CommunityLevel | null,
      parentId: b.parentId,
    },
  };
}

export function presentAssetFeature(a: {
  id: string;
  name: string;
  assetType: string;
  communityId: string | null;
  lat: number | null;
  lon: number | null;
}): AssetFeature | null {
  if (a.lat === null || a.lon === null) return null;
  return {
    type: "Feature",
    geometry: { type: "Point", coordinates: [a.lon, a.lat] },
    properties: { id: a.id, name: a.name, type: a.assetType, communityId: a.communityId },
  };
}

export function presentStreetFeature(s: {
  id: string;
  name: string;
  geometry: { type: string; coordinates: unknown } | null;
}): StreetFeature | null {
  const g = s.geometry;
  if (!g || !Array.isArray(g.coordinates)) return null;
  const properties = { id: s.id, name: s.name };
  if (g.type === "LineString") {
    const line = g.coordinates.filter(isPosition).map((p) => [p[0], p[1]] as Position);
    return line.length >= 2
      ? { type: "Feature", geometry: { type: "LineString", coordinates: line }, properties }
      : null;
  }
  if (g.type === "MultiLineString") {
    const lines = g.coordinates
      .map((l: unknown) =>
        Array.isArray(l) ? l.filter(isPosition).map((p) => [p[0], p[1]] as Position) : [],
      )
      .filter((l) => l.length >= 2);
    return lines.length > 0
      ? { type: "Feature", geometry: { type: "MultiLineString", coordinates: lines }, properties }
      : null;
  }
  return null;
}
