import { useEffect, useRef, useState } from "react";
import { Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { NavigationControl, type GeoJSONSource } from "maplibre-gl";
import type { FeatureCollection } from "geojson";
import { drawContext, mapLayersQuery } from "../map/map-layers.ts";
import { controlPosition, createMap, mapConfigQuery } from "../map/map-style.ts";
import { pointsBounds, pointsGeoJson, type LatLon } from "./analysis-points.ts";

export interface AnalysisMapProps {
  /** The map region's accessible name. */
  label: string;
  height: number;
  points: readonly LatLon[];
}

const SOURCE = "kv-answers";
const LAYER = "kv-answers-circle";

/**
 * Where the answers of a geopoint question were given, as dots on the department's base
 * map. Load it lazily (`lazy-analysis-map.tsx`): it brings MapLibre.
 */
export function AnalysisMap({ label, height, points }: AnalysisMapProps) {
  const { t, i18n } = useTranslation();
  const containerRef = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const config = useQuery(mapConfigQuery);
  const context = useQuery({
    ...mapLayersQuery({ layers: ["boundaries", "streets"] }),
    retry: false,
  });
  const settled = !config.isPending;
  const pointsRef = useRef(points);
  const contextRef = useRef(context.data);
  useEffect(() => {
    pointsRef.current = points;
    contextRef.current = context.data;
  });

  useEffect(() => {
    if (!settled || !containerRef.current) return;
    const bounds = pointsBounds(pointsRef.current);
    const map = createMap({
      container: containerRef.current,
      config: config.data,
      t,
      bounds: bounds && (bounds[0] !== bounds[2] || bounds[1] !== bounds[3]) ? bounds : null,
      ...(bounds && bounds[0] === bounds[2] && bounds[1] === bounds[3]
        ? { center: { lat: bounds[1], lon: bounds[0] }, zoom: 15 }
        : {}),
    });
    if (!map) {
      setFailed(true);
      return;
    }
    map.addControl(new NavigationControl({ showCompass: false }), controlPosition(i18n.dir()));
    map.on("load", () => {
      if (contextRef.current) drawContext(map, contextRef.current);
      const data = pointsGeoJson(pointsRef.current) as unknown as FeatureCollection;
      const source = map.getSource<GeoJSONSource>(SOURCE);
      if (source) source.setData(data);
      else map.addSource(SOURCE, { type: "geojson", data });
      map.addLayer({
        id: LAYER,
        type: "circle",
        source: SOURCE,
        paint: {
          "circle-color": "#8f5f00",
          "circle-radius": ["interpolate", ["linear"], ["zoom"], 10, 4, 16, 8],
          "circle-stroke-color": "#ffffff",
          "circle-stroke-width": 1.5,
          "circle-opacity": 0.85,
        },
      });
    });
    return () => map.remove();
    // The map is drawn once per set of points (the panel remounts it when they change).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settled]);

  if (failed) {
    return (
      <Text size="sm" c="dimmed">
        {t("forms.analysis.noMap")}
      </Text>
    );
  }
  return (
    <div
      ref={containerRef}
      className="kv-map"
      style={{ height }}
      role="region"
      aria-label={label}
      data-testid="analysis-map"
    />
  );
}
