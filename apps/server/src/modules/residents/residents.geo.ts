import type { GeoJsonGeometry } from "@kaveret/db";

/**
 * Point-in-polygon on GeoJSON boundaries, in plain TypeScript: a department has a
 * few hundred geographic communities at most, so finding a resident's home needs
 * no spatial database.
 */

type Position = [number, number];
type Ring = Position[];

function isPosition(p: unknown): p is Position {
  return Array.isArray(p) && typeof p[0] === "number" && typeof p[1] === "number";
}

/** The polygons of a geometry as lists of rings (outer ring first, then holes). */
function polygonsOf(g: GeoJsonGeometry): Ring[][] {
  const asRing = (ring: unknown): Ring =>
    Array.isArray(ring) ? (ring.filter(isPosition) as Ring) : [];
  const asPolygon = (poly: unknown): Ring[] =>
    Array.isArray(poly) ? poly.map(asRing).filter((ring) => ring.length >= 4) : [];
  if (g.type === "Polygon") return [asPolygon(g.coordinates)].filter((p) => p.length > 0);
  if (g.type === "MultiPolygon" && Array.isArray(g.coordinates)) {
    return g.coordinates.map(asPolygon).filter((p) => p.length > 0);
  }
  return [];
}

/** Ray casting: is (lon, lat) inside the ring? */
function inRing(ring: Ring, lon: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) {
      inside = !inside;
    }
  }
  return inside;
}

/** Area of a ring in square degrees (shoelace); only used to compare sizes. */
function ringArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j]![0] - ring[i]![0]) * (ring[j]![1] + ring[i]![1]);
  }
  return Math.abs(sum) / 2;
}

export function containsPoint(g: GeoJsonGeometry, lon: number, lat: number): boolean {
  return polygonsOf(g).some(
    ([outer, ...holes]) => inRing(outer!, lon, lat) && !holes.some((h) => inRing(h, lon, lat)),
  );
}

export function geometryArea(g: GeoJsonGeometry): number {
  return polygonsOf(g).reduce(
    (total, [outer, ...holes]) =>
      total + ringArea(outer!) - holes.reduce((h, ring) => h + ringArea(ring), 0),
    0,
  );
}

/** The smallest of the areas whose boundary contains the point, or null. */
export function smallestContaining<T extends { id: string; boundary: GeoJsonGeometry | null }>(
  areas: T[],
  point: { lat: number; lon: number },
): T | null {
  let best: { area: T; size: number } | null = null;
  for (const area of areas) {
    if (!area.boundary || !containsPoint(area.boundary, point.lon, point.lat)) continue;
    const size = geometryArea(area.boundary);
    if (!best || size < best.size) best = { area, size };
  }
  return best?.area ?? null;
}
