import { describe, expect, it } from "vitest";
import { readBoundaryFile } from "./boundary-file.ts";

const ring = [
  [35.2, 32.7],
  [35.21, 32.7],
  [35.21, 32.71],
  [35.2, 32.71],
];
const polygon = { type: "Polygon", coordinates: [ring] };

describe("boundary files", () => {
  it("reads a bare Polygon, closing its ring", () => {
    const r = readBoundaryFile(JSON.stringify(polygon));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.candidates).toHaveLength(1);
    const b = r.candidates[0]!.boundary;
    expect(b.type).toBe("Polygon");
    expect(b.coordinates[0]).toHaveLength(5);
    expect(b.coordinates[0]![4]).toEqual([35.2, 32.7]);
  });

  it("offers every polygon of a FeatureCollection by name, skipping lines and points", () => {
    const fc = {
      type: "FeatureCollection",
      features: [
        { type: "Feature", properties: { name: "הגפן" }, geometry: polygon },
        {
          type: "Feature",
          properties: { NAME: "Zeitim" },
          geometry: { type: "MultiPolygon", coordinates: [[ring]] },
        },
        {
          type: "Feature",
          properties: { name: "a road" },
          geometry: { type: "LineString", coordinates: ring },
        },
        { type: "Feature", properties: {}, geometry: { type: "Point", coordinates: [35.2, 32.7] } },
      ],
    };
    const r = readBoundaryFile(JSON.stringify(fc));
    expect(r.ok && r.candidates.map((c) => c.name)).toEqual(["הגפן", "Zeitim"]);
  });

  it("reads TopoJSON", () => {
    const topo = {
      type: "Topology",
      arcs: [
        [
          [35.2, 32.7],
          [35.21, 32.7],
          [35.21, 32.71],
          [35.2, 32.71],
          [35.2, 32.7],
        ],
      ],
      objects: {
        hoods: {
          type: "GeometryCollection",
          geometries: [{ type: "Polygon", arcs: [[0]], properties: { name: "שכונה" } }],
        },
      },
    };
    const r = readBoundaryFile(JSON.stringify(topo));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.candidates[0]!.name).toBe("שכונה");
    expect(r.candidates[0]!.boundary.coordinates[0]).toHaveLength(5);
  });

  it("explains what is wrong with other files", () => {
    expect(readBoundaryFile("not json")).toEqual({ ok: false, problem: "not_json" });
    expect(readBoundaryFile(JSON.stringify({ hello: 1 }))).toEqual({
      ok: false,
      problem: "not_geojson",
    });
    expect(readBoundaryFile(JSON.stringify({ type: "LineString", coordinates: ring }))).toEqual({
      ok: false,
      problem: "no_polygon",
    });
    expect(
      readBoundaryFile(
        JSON.stringify({
          type: "Polygon",
          coordinates: [
            [
              [200000, 600000],
              [200100, 600000],
              [200100, 600100],
              [200000, 600000],
            ],
          ],
        }),
      ),
    ).toEqual({ ok: false, problem: "not_wgs84" });
    expect(
      readBoundaryFile(
        JSON.stringify({
          type: "Polygon",
          coordinates: [
            [
              [35.2, 32.7],
              [35.3, 32.7],
            ],
          ],
        }),
      ),
    ).toEqual({ ok: false, problem: "invalid" });
  });
});
