/**
 * Open needs as a map layer (points from GET /api/needs/points), coloured by urgency.
 * Only MapLibre *types* are imported here, so any page may import this module; the
 * map itself is always loaded lazily. Mount with `drawNeedPoints(map, points)` once the
 * style has loaded, and `removeNeedPoints(map)` to hide the layer.
 */
import type { CircleLayerSpecification, GeoJSONSource, Map as MapLibreMap } from "maplibre-gl";
import type { FeatureCollection } from "geojson";
import type { NeedUrgency } from "@kaveret/contracts";

export interface NeedPoint {
  id: string;
  reference: string;
  lat: number;
  lon: number;
  urgency: NeedUrgency;
  status?: string;
  category?: string | null;
}

/** Marker colours by urgency (the legend and popups also name the urgency in words). */
export const URGENCY_HEX: Record<NeedUrgency, string> = {
  low: "#868e96",
  normal: "#1c7ed6",
  high: "#e8590c",
  critical: "#c92a2a",
};

export const NEEDS_SOURCE = "kv-needs";
export const NEEDS_LAYER = "kv-needs-circle";

export interface NeedFeatureCollection {
  type: "FeatureCollection";
  features: {
    type: "Feature";
    id?: number;
    geometry: { type: "Point"; coordinates: [number, number] };
    properties: { id: string; reference: string; urgency: NeedUrgency; rank: number };
  }[];
}

const RANK: Record<NeedUrgency, number> = { low: 0, normal: 1, high: 2, critical: 3 };

/** GeoJSON for the layer; the most urgent points are drawn last (on top). */
export function needsToGeoJson(points: readonly NeedPoint[]): NeedFeatureCollection {
  const sorted = [...points].sort((a, b) => RANK[a.urgency] - RANK[b.urgency]);
  return {
    type: "FeatureCollection",
    features: sorted
      .filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon))
      .map((p) => ({
        type: "Feature" as const,
        geometry: { type: "Point" as const, coordinates: [p.lon, p.lat] as [number, number] },
        properties: { id: p.id, reference: p.reference, urgency: p.urgency, rank: RANK[p.urgency] },
      })),
  };
}

/** west,south,east,north of the points (for fitting the view), or null. */
export function needsBounds(points: readonly NeedPoint[]): [number, number, number, number] | null {
  if (points.length === 0) return null;
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const p of points) {
    w = Math.min(w, p.lon);
    e = Math.max(e, p.lon);
    s = Math.min(s, p.lat);
    n = Math.max(n, p.lat);
  }
  return [w, s, e, n];
}

const CIRCLE_PAINT: CircleLayerSpecification["paint"] = {
  "circle-color": [
    "match",
    ["get", "urgency"],
    "low",
    URGENCY_HEX.low,
    "normal",
    URGENCY_HEX.normal,
    "high",
    URGENCY_HEX.high,
    "critical",
    URGENCY_HEX.critical,
    URGENCY_HEX.normal,
  ],
  "circle-radius": [
    "interpolate",
    ["linear"],
    ["zoom"],
    10,
    ["+", 4, ["get", "rank"]],
    16,
    ["+", 8, ["*", 2, ["get", "rank"]]],
  ],
  "circle-stroke-color": "#ffffff",
  "circle-stroke-width": 2,
};

/** Adds the needs layer, or refreshes its points. */
export function drawNeedPoints(map: MapLibreMap, points: readonly NeedPoint[]): void {
  const data = needsToGeoJson(points) as unknown as FeatureCollection;
  const source = map.getSource<GeoJSONSource>(NEEDS_SOURCE);
  if (source) source.setData(data);
  else map.addSource(NEEDS_SOURCE, { type: "geojson", data });
  if (!map.getLayer(NEEDS_LAYER)) {
    map.addLayer({ id: NEEDS_LAYER, type: "circle", source: NEEDS_SOURCE, paint: CIRCLE_PAINT });
  }
}

export function removeNeedPoints(map: MapLibreMap): void {
  if (map.getLayer(NEEDS_LAYER)) map.removeLayer(NEEDS_LAYER);
  if (map.getSource(NEEDS_SOURCE)) map.removeSource(NEEDS_SOURCE);
}

/** The need under a click on the layer (its id), for opening /needs/$id. */
export function needAt(map: MapLibreMap, point: { x: number; y: number }): string | null {
  if (!map.getLayer(NEEDS_LAYER)) return null;
  const hit = map.queryRenderedFeatures([point.x, point.y], { layers: [NEEDS_LAYER] })[0];
  const id = hit?.properties?.id;
  return typeof id === "string" ? id : null;
}
