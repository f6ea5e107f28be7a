import { feature as topoFeature } from "topojson-client";
import type { Topology } from "topojson-specification";
import { boundarySchema, type Boundary } from "@kaveret/contracts";

/**
 * Reads a boundary from a GeoJSON or TopoJSON file: a Polygon or MultiPolygon
 * geometry, a Feature, or a FeatureCollection / Topology with several shapes (the
 * caller lets the person choose one by name). Coordinates must be longitude and
 * latitude (WGS84); rings are closed and rounded to 6 decimals (≈ 10 cm).
 */

export type BoundaryCandidate = { name: string; boundary: Boundary };

export type BoundaryFileProblem =
  "not_json" | "not_geojson" | "no_polygon" | "not_wgs84" | "too_detailed" | "invalid";

export type BoundaryFileResult =
  { ok: true; candidates: BoundaryCandidate[] } | { ok: false; problem: BoundaryFileProblem };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const NAME_KEYS = ["name", "NAME", "Name", "shem", "SHEM", "name_he", "name_en", "label", "title"];

function nameOf(properties: unknown, index: number): string {
  if (isObject(properties)) {
    for (const k of NAME_KEYS) {
      const v = properties[k];
      if (typeof v === "string" && v.trim()) return v.trim();
      if (typeof v === "number") return String(v);
    }
  }
  return `#${index + 1}`;
}

type Geometry = { type: string; coordinates?: unknown; geometries?: unknown };

/** Geometries (with a name) of any GeoJSON object. */
function geometriesOf(obj: Json): { name: string; geometry: Geometry }[] {
  const out: { name: string; geometry: Geometry }[] = [];
  const add = (g: unknown, props: unknown, i: number) => {
    if (!isObject(g) || typeof g.type !== "string") return;
    if (g.type === "GeometryCollection" && Array.isArray(g.geometries)) {
      g.geometries.forEach((x) => add(x, props, i));
      return;
    }
    out.push({ name: nameOf(props, i), geometry: g as Geometry });
  };
  if (obj.type === "FeatureCollection" && Array.isArray(obj.features)) {
    obj.features.forEach((f, i) => {
      if (isObject(f)) add(f.geometry, f.properties, i);
    });
  } else if (obj.type === "Feature") {
    add(obj.geometry, obj.properties, 0);
  } else {
    add(obj, null, 0);
  }
  return out;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/** Closes and rounds a ring; null when a position is not a lon/lat pair. */
function cleanRing(ring: unknown): [number, number][] | "not_wgs84" | null {
  if (!Array.isArray(ring)) return null;
  const out: [number, number][] = [];
  for (const p of ring) {
    if (!Array.isArray(p) || typeof p[0] !== "number" || typeof p[1] !== "number") return null;
    if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) return "not_wgs84";
    out.push([round(p[0]), round(p[1])]);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1]))
    out.push([first[0], first[1]]);
  return out;
}

function cleanPolygon(rings: unknown): [number, number][][] | "not_wgs84" | null {
  if (!Array.isArray(rings)) return null;
  const out: [number, number][][] = [];
  for (const ring of rings) {
    const r = cleanRing(ring);
    if (r === null || r === "not_wgs84") return r;
    out.push(r);
  }
  return out;
}

/** A clean boundary from a Polygon or MultiPolygon geometry, or why it is not one. */
export function boundaryOf(g: Geometry): Boundary | BoundaryFileProblem {
  let candidate: unknown;
  if (g.type === "Polygon") {
    const p = cleanPolygon(g.coordinates);
    if (p === "not_wgs84") return "not_wgs84";
    if (!p) return "invalid";
    candidate = { type: "Polygon", coordinates: p };
  } else if (g.type === "MultiPolygon") {
    if (!Array.isArray(g.coordinates)) return "invalid";
    const polys: [number, number][][][] = [];
    for (const poly of g.coordinates) {
      const p = cleanPolygon(poly);
      if (p === "not_wgs84") return "not_wgs84";
      if (!p) return "invalid";
      polys.push(p);
    }
    candidate = { type: "MultiPolygon", coordinates: polys };
  } else {
    return "no_polygon";
  }
  const parsed = boundarySchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  return parsed.error.issues.some((i) => i.code === "too_big") ? "too_detailed" : "invalid";
}

/** Parses the text of a .geojson / .json / .topojson file. */
export function readBoundaryFile(text: string): BoundaryFileResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, problem: "not_json" };
  }
  if (!isObject(data) || typeof data.type !== "string")
    return { ok: false, problem: "not_geojson" };
  let objects: Json[];
  if (data.type === "Topology") {
    if (!isObject(data.objects)) return { ok: false, problem: "not_geojson" };
    const topology = data as unknown as Topology;
    objects = [];
    try {
      for (const key of Object.keys(topology.objects)) {
        const converted = topoFeature(topology, key) as unknown;
        if (isObject(converted)) {
          // An unnamed collection member takes the object's own name.
          if (converted.type === "Feature" && !nameOfSet(converted.properties)) {
            converted.properties = { name: key };
          }
          objects.push(converted);
        }
      }
    } catch {
      return { ok: false, problem: "invalid" };
    }
  } else {
    objects = [data];
  }
  const geometries = objects.flatMap(geometriesOf);
  if (geometries.length === 0) return { ok: false, problem: "not_geojson" };
  const candidates: BoundaryCandidate[] = [];
  let worst: BoundaryFileProblem = "no_polygon";
  for (const { name, geometry } of geometries) {
    const b = boundaryOf(geometry);
    if (typeof b === "string") {
      if (b !== "no_polygon") worst = b;
      continue;
    }
    candidates.push({ name, boundary: b });
  }
  if (candidates.length === 0) return { ok: false, problem: worst };
  return { ok: true, candidates };
}

function nameOfSet(properties: unknown): boolean {
  return isObject(properties) && NAME_KEYS.some((k) => typeof properties[k] === "string");
}
