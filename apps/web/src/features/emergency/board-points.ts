/**
 * The board's points (calls by state, help requests, shelters) as a map layer. Only
 * MapLibre *types* here: the map itself loads lazily (lazy-board-map.tsx).
 */
import type {
  CircleLayerSpecification,
  ExpressionSpecification,
  GeoJSONSource,
  Map as MapLibreMap,
} from "maplibre-gl";
import type { FeatureCollection } from "geojson";
import type { EmergencyBoard } from "@kaveret/contracts";
import { CALL_STATE_HEX, HELP_HEX, SHELTER_HEX } from "./emergency-labels.ts";

export type BoardPoint = EmergencyBoard["points"][number];

/** What a point is, for its colour and the legend: a call's state, "help" or "shelter". */
export type PointClass =
  | "pending"
  | "retry"
  | "escalated"
  | "reached_ok"
  | "reached_needs_help"
  | "not_reached"
  | "help"
  | "shelter";

export const POINT_CLASSES: readonly PointClass[] = [
  "reached_needs_help",
  "help",
  "not_reached",
  "escalated",
  "pending",
  "reached_ok",
  "shelter",
];

export const POINT_HEX: Record<PointClass, string> = {
  pending: CALL_STATE_HEX.pending,
  retry: CALL_STATE_HEX.retry,
  escalated: CALL_STATE_HEX.escalated,
  reached_ok: CALL_STATE_HEX.reached_ok,
  reached_needs_help: CALL_STATE_HEX.reached_needs_help,
  not_reached: CALL_STATE_HEX.not_reached,
  help: HELP_HEX,
  shelter: SHELTER_HEX,
};

const CALL_CLASSES = new Set<string>([
  "pending",
  "retry",
  "escalated",
  "reached_ok",
  "reached_needs_help",
  "not_reached",
]);

export function classOf(p: BoardPoint): PointClass {
  if (p.kind === "help") return "help";
  if (p.kind === "shelter") return "shelter";
  // A retry is a call not reached yet: one colour and one legend entry for both.
  if (p.status === "retry") return "not_reached";
  return CALL_CLASSES.has(p.status) ? (p.status as PointClass) : "pending";
}

/** How many points of each class (the legend, also the map's text alternative). */
export function countByClass(points: readonly BoardPoint[]): Map<PointClass, number> {
  const out = new Map<PointClass, number>();
  for (const p of points) out.set(classOf(p), (out.get(classOf(p)) ?? 0) + 1);
  return out;
}

/** Needs first on top: the order points are drawn in (later is on top). */
const DRAW_RANK: Record<PointClass, number> = {
  reached_ok: 0,
  pending: 1,
  shelter: 2,
  retry: 3,
  not_reached: 3,
  escalated: 4,
  help: 5,
  reached_needs_help: 6,
};

export function boardToGeoJson(points: readonly BoardPoint[]) {
  const sorted = [...points].sort((a, b) => DRAW_RANK[classOf(a)] - DRAW_RANK[classOf(b)]);
  return {
    type: "FeatureCollection" as const,
    features: sorted
      .filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon))
      .map((p) => ({
        type: "Feature" as const,
        geometry: { type: "Point" as const, coordinates: [p.lon, p.lat] as [number, number] },
        properties: { id: p.id, kind: p.kind, cls: classOf(p) },
      })),
  };
}

/** west,south,east,north of the points, or null. */
export function boardBounds(
  points: readonly BoardPoint[],
): [number, number, number, number] | null {
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

export const BOARD_SOURCE = "kv-emergency";
export const BOARD_LAYER = "kv-emergency-circle";

const PAINT: CircleLayerSpecification["paint"] = {
  "circle-color": [
    "match",
    ["get", "cls"],
    ...Object.entries(POINT_HEX).flat(),
    POINT_HEX.pending,
  ] as unknown as ExpressionSpecification,
  "circle-radius": ["interpolate", ["linear"], ["zoom"], 11, 4, 16, 9],
  "circle-stroke-color": "#ffffff",
  "circle-stroke-width": 1.5,
};

export function drawBoardPoints(map: MapLibreMap, points: readonly BoardPoint[]): void {
  const data = boardToGeoJson(points) as unknown as FeatureCollection;
  const source = map.getSource<GeoJSONSource>(BOARD_SOURCE);
  if (source) source.setData(data);
  else map.addSource(BOARD_SOURCE, { type: "geojson", data });
  if (!map.getLayer(BOARD_LAYER)) {
    map.addLayer({ id: BOARD_LAYER, type: "circle", source: BOARD_SOURCE, paint: PAINT });
  }
}

/** The help request under a click (to open it), or null. */
export function helpAt(map: MapLibreMap, point: { x: number; y: number }): string | null {
  if (!map.getLayer(BOARD_LAYER)) return null;
  const hit = map
    .queryRenderedFeatures([point.x, point.y], { layers: [BOARD_LAYER] })
    .find((f) => f.properties?.kind === "help");
  const id = hit?.properties?.id;
  return typeof id === "string" ? id : null;
}
