import { describe, expect, it } from "vitest";
import { needPointsQuerySchema } from "@kaveret/contracts";
import { needsBounds, needsToGeoJson } from "./needs-map-layer.ts";
import { parseStreamEvent, reconnectDelay, streamUrl } from "./needs-stream.ts";

const ID = "3c4d5e6f-7081-4293-a4b5-c6d7e8f90a1b";

describe("live queue stream", () => {
  it("reads an event and ignores keep-alives and junk", () => {
    const data = JSON.stringify({
      type: "created",
      id: ID,
      reference: "N-2026-0042",
      urgency: "high",
      communityId: null,
      at: "2026-11-25T10:00:00Z",
    });
    expect(parseStreamEvent(data)).toMatchObject({ type: "created", reference: "N-2026-0042" });
    expect(parseStreamEvent("")).toBeNull();
    expect(parseStreamEvent("ping")).toBeNull();
    expect(parseStreamEvent(JSON.stringify({ type: "deleted", id: ID }))).toBeNull();
    expect(parseStreamEvent(undefined)).toBeNull();
  });

  it("backs off 1 s, 2 s, 4 s … up to 30 s, with jitter", () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 10].map((n) => reconnectDelay(n, mid))).toEqual([
      1000, 2000, 4000, 8000, 30000,
    ]);
    expect(reconnectDelay(0, () => 0)).toBe(800);
    expect(reconnectDelay(0, () => 1)).toBe(1200);
  });

  it("names the department in the address (EventSource sends no headers)", () => {
    expect(streamUrl(null)).toBe("/api/needs/stream");
    expect(streamUrl("a b")).toBe("/api/needs/stream?scope=a%20b");
  });
});

describe("needs map layer", () => {
  const points = [
    { id: "1", reference: "A", lat: 32.1, lon: 34.8, urgency: "critical" as const },
    { id: "2", reference: "B", lat: 32.0, lon: 34.9, urgency: "low" as const },
    { id: "3", reference: "C", lat: Number.NaN, lon: 34.9, urgency: "normal" as const },
  ];
  it("draws the most urgent last (on top) and skips points without coordinates", () => {
    const fc = needsToGeoJson(points);
    expect(fc.features.map((f) => f.properties.reference)).toEqual(["B", "A"]);
    expect(fc.features[1]?.geometry.coordinates).toEqual([34.8, 32.1]);
  });
  it("fits the view to the points", () => {
    expect(needsBounds(points.slice(0, 2))).toEqual([34.8, 32.0, 34.9, 32.1]);
    expect(needsBounds([])).toBeNull();
    const bbox = needsBounds(points.slice(0, 2))!.join(",");
    expect(needPointsQuerySchema.safeParse({ bbox }).success).toBe(true);
  });
});
