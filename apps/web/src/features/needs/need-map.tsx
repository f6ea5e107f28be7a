import { useEffect, useRef, useState } from "react";
import { Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { Marker, NavigationControl } from "maplibre-gl";
import { drawContext, mapLayersQuery } from "../map/map-layers.ts";
import { controlPosition, createMap, mapConfigQuery, type MapLibreMap } from "../map/map-style.ts";
import {
  URGENCY_HEX,
  drawNeedPoints,
  needAt,
  needsBounds,
  type NeedPoint,
} from "./needs-map-layer.ts";

export interface NeedMapProps {
  /** The map region's accessible name. */
  label: string;
  height: number;
  /** One need's place (a pin) … */
  point?: { lat: number; lon: number; urgency: NeedPoint["urgency"] } | null;
  /** … or many needs (circles by urgency; a click opens the need). */
  points?: readonly NeedPoint[];
}

/**
 * A small map of one need's place or of a set of open needs, on the department's base
 * map with boundaries and streets. Load it lazily (`lazy-need-map.tsx`): it brings MapLibre.
 */
export function NeedMap({ label, height, point, points }: NeedMapProps) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const [failed, setFailed] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const config = useQuery(mapConfigQuery);
  const context = useQuery({
    ...mapLayersQuery({ layers: ["boundaries", "streets"] }),
    retry: false,
  });
  const settled = !config.isPending;
  const pointsRef = useRef(points);

  useEffect(() => {
    pointsRef.current = points;
  });

  useEffect(() => {
    if (!settled || !containerRef.current) return;
    const bounds = point ? null : needsBounds(pointsRef.current ?? []);
    const map = createMap({
      container: containerRef.current,
      config: config.data,
      t,
      center: point ?? undefined,
      zoom: point ? 16 : undefined,
      bounds: bounds && bounds[0] !== bounds[2] ? bounds : null,
    });
    if (!map) {
      setFailed(true);
      return;
    }
    mapRef.current = map;
    map.addControl(new NavigationControl({ showCompass: false }), controlPosition(i18n.dir()));
    let marker: Marker | null = null;
    if (point) {
      const el = document.createElement("div");
      el.setAttribute("aria-hidden", "true");
      el.innerHTML = `<svg width="30" height="30" viewBox="0 0 24 24" focusable="false"><path fill="${URGENCY_HEX[point.urgency]}" stroke="#fff" stroke-width="1.5" d="M12 2a7 7 0 0 0-7 7c0 5.2 7 13 7 13s7-7.8 7-13a7 7 0 0 0-7-7z"/><circle cx="12" cy="9" r="2.6" fill="#fff"/></svg>`;
      marker = new Marker({ element: el, anchor: "bottom" })
        .setLngLat([point.lon, point.lat])
        .addTo(map);
    }
    map.on("load", () => setLoaded(true));
    map.on("click", (e) => {
      const id = needAt(map, e.point);
      if (id) void navigate({ to: "/needs/$id", params: { id } });
    });
    return () => {
      marker?.remove();
      map.remove();
      mapRef.current = null;
      setLoaded(false);
    };
    // The view is set once; points are drawn by the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settled, point?.lat, point?.lon]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    if (context.data) drawContext(map, context.data);
    if (points) drawNeedPoints(map, points);
  }, [loaded, context.data, points]);

  if (failed) {
    return (
      <Text size="sm" c="dimmed">
        {point
          ? t("needs.map.noMapPoint", { lat: point.lat.toFixed(5), lon: point.lon.toFixed(5) })
          : t("needs.map.noMap")}
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
      data-testid="need-map"
    />
  );
}
