/**
 * Our own vector layers drawn from GeoJSON: community boundaries (fill + outline,
 * coloured by level), streets and assets. No symbol layers (they need glyph files
 * we do not ship); names are HTML labels where shown.
 */
import type { FeatureCollection } from "geojson";
import type { ExpressionSpecification, GeoJSONSource, MapLibreMap as MapType } from "maplibre-gl";
import { queryOptions } from "@tanstack/react-query";
import type { MapLayer, MapLayers } from "@kaveret/contracts";
import { apiGet } from "../../api/client.ts";

export const LEVEL_COLORS: Record<string, string> = {
  town: "#5c5f66",
  neighbourhood: "#1971c2",
  street_cluster: "#2f9e44",
  building: "#c2255c",
  functional: "#7048e8",
};

export const STREET_COLOR = "#adb5bd";

export function mapLayersQuery(params: { communityId?: string; layers?: MapLayer[] }) {
  return queryOptions({
    queryKey: ["map", "layers", params.communityId ?? null, params.layers?.join(",") ?? "all"],
    queryFn: ({ signal }) =>
      apiGet<MapLayers>(
        "/api/map/layers",
        { communityId: params.communityId, layers: params.layers?.join(",") },
        signal,
      ),
    staleTime: 60_000,
  });
}

const EMPTY = { type: "FeatureCollection" as const, features: [] };

function setData(map: MapType, id: string, data: FeatureCollection) {
  const source = map.getSource<GeoJSONSource>(id);
  if (source) source.setData(data);
  else map.addSource(id, { type: "geojson", data });
}

/** Adds (or refreshes) boundaries and streets: the context every map shows. */
export function drawContext(
  map: MapType,
  layers: Pick<MapLayers, "boundaries" | "streets"> | undefined,
  options: { highlightId?: string } = {},
): void {
  setData(map, "kv-streets", (layers?.streets ?? EMPTY) as FeatureCollection);
  setData(map, "kv-boundaries", (layers?.boundaries ?? EMPTY) as FeatureCollection);
  const levelColor: ExpressionSpecification = [
    "match",
    ["coalesce", ["get", "level"], "functional"],
    ...Object.entries(LEVEL_COLORS).flat(),
    "#868e96",
  ] as unknown as ExpressionSpecification;
  if (!map.getLayer("kv-streets-line")) {
    map.addLayer({
      id: "kv-streets-line",
      type: "line",
      source: "kv-streets",
      paint: {
        "line-color": STREET_COLOR,
        "line-width": ["interpolate", ["linear"], ["zoom"], 12, 1, 17, 5],
      },
      layout: { "line-cap": "round", "line-join": "round" },
    });
  }
  if (!map.getLayer("kv-boundaries-fill")) {
    map.addLayer({
      id: "kv-boundaries-fill",
      type: "fill",
      source: "kv-boundaries",
      paint: {
        "fill-color": levelColor,
        "fill-opacity": [
          "case",
          ["==", ["get", "id"], options.highlightId ?? ""],
          0.14,
          ["==", ["get", "level"], "town"],
          0.02,
          0.06,
        ],
      },
    });
    map.addLayer({
      id: "kv-boundaries-line",
      type: "line",
      source: "kv-boundaries",
      paint: {
        "line-color": levelColor,
        "line-width": ["case", ["==", ["get", "id"], options.highlightId ?? ""], 3, 1.5],
        "line-dasharray": [
          "case",
          ["==", ["get", "level"], "town"],
          ["literal", [3, 2]],
          ["literal", [1, 0]],
        ],
      },
    });
  }
}
