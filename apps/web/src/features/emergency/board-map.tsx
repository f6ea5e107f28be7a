import { useEffect, useRef, useState } from "react";
import { Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { NavigationControl } from "maplibre-gl";
import { drawContext, mapLayersQuery } from "../map/map-layers.ts";
import { controlPosition, createMap, mapConfigQuery, type MapLibreMap } from "../map/map-style.ts";
import { boardBounds, drawBoardPoints, helpAt, type BoardPoint } from "./board-points.ts";

export interface BoardMapProps {
  /** The map region's accessible name. */
  label: string;
  height: number;
  points: readonly BoardPoint[];
}

/**
 * The situation on the department's map: calls coloured by state, help requests, shelters,
 * over the boundaries and streets (no tile server needed). A click on a help request opens
 * it. Load lazily (lazy-board-map.tsx): it brings MapLibre.
 */
export function BoardMap({ label, height, points }: BoardMapProps) {
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
    const bounds = boardBounds(pointsRef.current);
    const map = createMap({
      container: containerRef.current,
      config: config.data,
      t,
      bounds: bounds && bounds[0] !== bounds[2] ? bounds : null,
      ...(bounds && bounds[0] === bounds[2]
        ? { center: { lat: bounds[1], lon: bounds[0] }, zoom: 15 }
        : {}),
    });
    if (!map) {
      setFailed(true);
      return;
    }
    mapRef.current = map;
    map.addControl(new NavigationControl({ showCompass: false }), controlPosition(i18n.dir()));
    map.on("load", () => setLoaded(true));
    map.on("click", (e) => {
      const id = helpAt(map, e.point);
      if (id) void navigate({ to: "/emergency/help/$id", params: { id } });
    });
    return () => {
      map.remove();
      mapRef.current = null;
      setLoaded(false);
    };
    // The view is set once; points are drawn by the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settled]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    if (context.data) drawContext(map, context.data);
    drawBoardPoints(map, points);
  }, [loaded, context.data, points]);

  if (failed) {
    return (
      <Text size="sm" c="dimmed">
        {t("emergency.board.noMap")}
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
      data-testid="board-map"
    />
  );
}
