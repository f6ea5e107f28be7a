/** Answer points for the analysis map (no MapLibre here: any page may import this). */

export interface LatLon {
  lat: number;
  lon: number;
}

export interface PointCollection {
  type: "FeatureCollection";
  features: {
    type: "Feature";
    geometry: { type: "Point"; coordinates: [number, number] };
    properties: Record<string, never>;
  }[];
}

export function pointsGeoJson(points: readonly LatLon[]): PointCollection {
  return {
    type: "FeatureCollection",
    features: points
      .filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon))
      .map((p) => ({
        type: "Feature" as const,
        geometry: { type: "Point" as const, coordinates: [p.lon, p.lat] as [number, number] },
        properties: {},
      })),
  };
}

/** west,south,east,north of the points, or null when there are none. */
export function pointsBounds(points: readonly LatLon[]): [number, number, number, number] | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const p of points) {
    if (!Number.isFinite(p.lat) || !Number.isFinite(p.lon)) continue;
    w = Math.min(w, p.lon);
    e = Math.max(e, p.lon);
    s = Math.min(s, p.lat);
    n = Math.max(n, p.lat);
  }
  return Number.isFinite(w) ? [w, s, e, n] : null;
}
