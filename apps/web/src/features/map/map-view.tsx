import { useEffect, useMemo, useRef, useState } from "react";
import {
  ActionIcon,
  Alert,
  Checkbox,
  CloseButton,
  Group,
  Loader,
  Paper,
  ScrollArea,
  Stack,
  Text,
} from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Marker, type ExpressionSpecification, type GeoJSONSource } from "maplibre-gl";
import type { FeatureCollection } from "geojson";
import { ASSET_TYPES, type AssetType, type Bbox, type MapResidents } from "@kaveret/contracts";
import { apiGet } from "../../api/client.ts";
import { currentLocale } from "../../i18n/index.ts";
import { intlLocaleOf } from "../../i18n/locales.ts";
import { ASSET_TYPE_STYLES, assetTypeLabel } from "../assets/asset-types.ts";
import { createMap, mapConfigQuery, type MapLibreMap } from "./map-style.ts";
import { drawContext, LEVEL_COLORS, mapLayersQuery } from "./map-layers.ts";
import { FitIcon, LayersIcon, MinusIcon, PlusIcon } from "./map-icons.tsx";
import type { MapLayerToggles, MapSelection } from "./map-types.ts";

export interface MapViewProps {
  /** The map region's accessible name. */
  label: string;
  /** Show this community (and what lies inside it), fitted to its boundary. */
  communityId?: string;
  height: number | string;
  layers: MapLayerToggles;
  onLayersChange: (layers: MapLayerToggles) => void;
  hiddenTypes: string[];
  onHiddenTypesChange: (types: string[]) => void;
  /** Whether the reader may see residents at all (the layer is offered only then). */
  residentsAllowed: boolean;
  onSelect?: (selection: MapSelection | null) => void;
  /** Legend open at first (default: on wide screens). */
  legendInitiallyOpen?: boolean;
}

const ASSET_COLOR: ExpressionSpecification = [
  "match",
  ["get", "type"],
  ...ASSET_TYPES.flatMap((type) => [type, ASSET_TYPE_STYLES[type].color]),
  "#5c636a",
] as unknown as ExpressionSpecification;

const EMPTY: FeatureCollection = { type: "FeatureCollection", features: [] };
const DEBOUNCE_MS = 250;

const isAssetType = (v: string): v is AssetType => (ASSET_TYPES as readonly string[]).includes(v);

function setSource(map: MapLibreMap, id: string, data: FeatureCollection) {
  const source = map.getSource<GeoJSONSource>(id);
  if (source) source.setData(data);
  else map.addSource(id, { type: "geojson", data });
}

/** Cluster bubble diameter: grows with the log of the count. */
const bubbleSize = (count: number) => Math.round(26 + 7 * Math.log10(Math.max(1, count)));

/**
 * The map of a department or of one community: boundaries, streets, assets by type
 * and residents (server-side clusters or, zoomed in, single points — the browser
 * never holds more than what is in view). Controls sit on the reading side's end
 * (left in RTL); labels and counts are HTML, so Hebrew and Arabic render correctly.
 * Load it lazily (`lazy-map.tsx`).
 */
export function MapView({
  label,
  communityId,
  height,
  layers,
  onLayersChange,
  hiddenTypes,
  onHiddenTypesChange,
  residentsAllowed,
  onSelect,
  legendInitiallyOpen,
}: MapViewProps) {
  const { t, i18n } = useTranslation();
  const locale = currentLocale();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const markersRef = useRef<Marker[]>([]);
  const fittedRef = useRef<string | null>(null);
  const onSelectRef = useRef(onSelect);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState(false);
  const [view, setView] = useState<{ bbox: Bbox; zoom: number } | null>(null);
  const phone = useMediaQuery("(max-width: 48em)", false, { getInitialValueInEffect: false });
  const [legendOpen, setLegendOpen] = useState(legendInitiallyOpen ?? !phone);
  const config = useQuery(mapConfigQuery);
  const data = useQuery(mapLayersQuery({ communityId }));
  const configSettled = !config.isPending;
  const showResidents = residentsAllowed && layers.residents;

  useEffect(() => {
    onSelectRef.current = onSelect;
  });

  const residents = useQuery({
    queryKey: ["map", "residents", communityId ?? null, view] as const,
    queryFn: ({ signal }) =>
      apiGet<MapResidents>(
        "/api/map/residents",
        { bbox: view!.bbox.join(","), zoom: view!.zoom, communityId },
        signal,
      ),
    enabled: ready && showResidents && view !== null,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });

  // The map itself, once the base-map settings are known.
  useEffect(() => {
    if (!configSettled || !containerRef.current) return;
    const map = createMap({ container: containerRef.current, config: config.data, t });
    if (!map) {
      setFailed(true);
      return;
    }
    mapRef.current = map;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const report = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const b = map.getBounds();
        const r = (n: number) => Math.round(n * 1e5) / 1e5;
        setView({
          bbox: [
            r(Math.max(-180, b.getWest())),
            r(Math.max(-90, b.getSouth())),
            r(Math.min(180, b.getEast())),
            r(Math.min(90, b.getNorth())),
          ],
          zoom: Math.floor(map.getZoom()),
        });
      }, DEBOUNCE_MS);
    };
    map.on("load", () => {
      setReady(true);
      report();
    });
    map.on("moveend", report);
    map.on("click", (e) => {
      const layerIds = ["kv-residents-points", "kv-assets-circle", "kv-boundaries-fill"].filter(
        (id) => map.getLayer(id),
      );
      const [hit] = map.queryRenderedFeatures(e.point, { layers: layerIds });
      const select = onSelectRef.current;
      if (!select) return;
      if (!hit) {
        select(null);
        return;
      }
      const p = hit.properties as Record<string, string | null>;
      if (hit.layer.id === "kv-residents-points") select({ kind: "resident", id: String(p.id) });
      else if (hit.layer.id === "kv-assets-circle") {
        select({ kind: "asset", id: String(p.id), name: String(p.name), type: String(p.type) });
      } else {
        select({
          kind: "community",
          id: String(p.id),
          name: String(p.name),
          level: p.level ?? null,
        });
      }
    });
    for (const id of ["kv-residents-points", "kv-assets-circle"]) {
      map.on("mouseenter", id, () => (map.getCanvas().style.cursor = "pointer"));
      map.on("mouseleave", id, () => (map.getCanvas().style.cursor = ""));
    }
    const resize = new ResizeObserver(() => map.resize());
    resize.observe(containerRef.current);
    return () => {
      clearTimeout(timer);
      resize.disconnect();
      for (const m of markersRef.current) m.remove();
      markersRef.current = [];
      map.remove();
      mapRef.current = null;
      fittedRef.current = null;
      setReady(false);
    };
    // t is read once for MapLibre's own strings.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [configSettled]);

  // Boundaries, streets and assets; fitted to the community (or everything) once.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !data.data) return;
    drawContext(map, data.data, { highlightId: communityId });
    setSource(map, "kv-assets", data.data.assets as FeatureCollection);
    if (!map.getLayer("kv-assets-circle")) {
      map.addLayer({
        id: "kv-assets-circle",
        type: "circle",
        source: "kv-assets",
        paint: {
          "circle-color": ASSET_COLOR,
          "circle-radius": ["interpolate", ["linear"], ["zoom"], 10, 4, 16, 8],
          "circle-stroke-color": "#ffffff",
          "circle-stroke-width": 1.5,
        },
      });
    }
    const key = communityId ?? "all";
    if (fittedRef.current !== key && data.data.bounds) {
      fittedRef.current = key;
      map.fitBounds(data.data.bounds, { padding: 24, maxZoom: 16, duration: 0 });
    }
  }, [ready, data.data, communityId]);

  // Layer switches and asset-type filter.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const show = (id: string, on: boolean) => {
      if (map.getLayer(id)) map.setLayoutProperty(id, "visibility", on ? "visible" : "none");
    };
    show("kv-boundaries-fill", layers.boundaries);
    show("kv-boundaries-line", layers.boundaries);
    show("kv-streets-line", layers.streets);
    show("kv-assets-circle", layers.assets);
    show("kv-residents-points", showResidents);
    if (map.getLayer("kv-assets-circle")) {
      map.setFilter(
        "kv-assets-circle",
        hiddenTypes.length ? ["!", ["in", ["get", "type"], ["literal", hiddenTypes]]] : null,
      );
    }
  }, [ready, layers, hiddenTypes, showResidents, data.data]);

  // Residents: single points as a circle layer, clusters as HTML bubbles (count as text).
  const residentData = showResidents ? residents.data : undefined;
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    for (const m of markersRef.current) m.remove();
    markersRef.current = [];
    const points: FeatureCollection = {
      type: "FeatureCollection",
      features:
        residentData?.mode === "points"
          ? residentData.points.map((p) => ({
              type: "Feature",
              geometry: { type: "Point", coordinates: [p.lon, p.lat] },
              properties: { id: p.id },
            }))
          : [],
    };
    setSource(map, "kv-residents", residentData ? points : EMPTY);
    if (!map.getLayer("kv-residents-points")) {
      map.addLayer({
        id: "kv-residents-points",
        type: "circle",
        source: "kv-residents",
        paint: {
          "circle-color": "#8f5f00",
          "circle-radius": 5,
          "circle-stroke-color": "#ffffff",
          "circle-stroke-width": 1.5,
        },
      });
    }
    if (residentData?.mode !== "clusters") return;
    const compact = new Intl.NumberFormat(`${intlLocaleOf(locale)}-u-nu-latn`, {
      notation: "compact",
      maximumFractionDigits: 1,
    });
    for (const c of residentData.clusters) {
      const el = document.createElement("button");
      el.type = "button";
      el.className = "kv-cluster";
      const size = bubbleSize(c.count);
      el.style.width = `${size}px`;
      el.style.height = `${size}px`;
      el.textContent = compact.format(c.count);
      el.setAttribute("aria-label", t("map.residents.cluster", { count: c.count }));
      el.addEventListener("click", (e) => {
        e.stopPropagation();
        map.easeTo({ center: [c.lon, c.lat], zoom: Math.min(map.getZoom() + 2, 18) });
        onSelectRef.current?.({ kind: "cluster", count: c.count });
      });
      markersRef.current.push(new Marker({ element: el }).setLngLat([c.lon, c.lat]).addTo(map));
    }
  }, [ready, residentData, locale, t]);

  const typeCounts = useMemo(() => {
    const counts = new Map<AssetType, number>();
    for (const f of data.data?.assets.features ?? []) {
      const type = f.properties.type;
      if (isAssetType(type)) counts.set(type, (counts.get(type) ?? 0) + 1);
    }
    return ASSET_TYPES.filter((type) => counts.has(type)).map((type) => ({
      type,
      count: counts.get(type) ?? 0,
    }));
  }, [data.data]);

  const fit = () => {
    const map = mapRef.current;
    const bounds = data.data?.bounds;
    if (map && bounds) map.fitBounds(bounds, { padding: 24, maxZoom: 16 });
  };
  const zoomBy = (d: number) => {
    const map = mapRef.current;
    if (map) map.easeTo({ zoom: map.getZoom() + d, duration: 200 });
  };
  const toggleType = (type: string, on: boolean) =>
    onHiddenTypesChange(on ? hiddenTypes.filter((x) => x !== type) : [...hiddenTypes, type]);

  if (failed) {
    return (
      <Alert color="gray" title={t("map.noWebGlTitle")}>
        {t("map.noWebGl")}
      </Alert>
    );
  }

  const side = i18n.dir() === "rtl" ? { left: 10 } : { right: 10 };
  const legendSide = i18n.dir() === "rtl" ? { left: 58 } : { right: 58 };
  const total = residentData?.total ?? 0;

  return (
    <div className="kv-map" style={{ height }} data-testid="map-view">
      <div
        ref={containerRef}
        style={{ position: "absolute", inset: 0 }}
        role="region"
        aria-label={label}
      />
      <Stack
        gap={6}
        style={{ position: "absolute", top: 10, ...side, zIndex: 2 }}
        aria-label={t("map.controls.group")}
        role="group"
      >
        <ActionIcon
          variant="default"
          size="lg"
          onClick={() => zoomBy(1)}
          aria-label={t("map.controls.zoomIn")}
        >
          <PlusIcon />
        </ActionIcon>
        <ActionIcon
          variant="default"
          size="lg"
          onClick={() => zoomBy(-1)}
          aria-label={t("map.controls.zoomOut")}
        >
          <MinusIcon />
        </ActionIcon>
        <ActionIcon
          variant="default"
          size="lg"
          onClick={fit}
          disabled={!data.data?.bounds}
          aria-label={communityId ? t("map.controls.fitCommunity") : t("map.controls.fitAll")}
        >
          <FitIcon />
        </ActionIcon>
        <ActionIcon
          variant={legendOpen ? "filled" : "default"}
          size="lg"
          onClick={() => setLegendOpen((o) => !o)}
          aria-label={t("map.legend.toggle")}
          aria-expanded={legendOpen}
          aria-controls={legendOpen ? "map-legend" : undefined}
        >
          <LayersIcon />
        </ActionIcon>
      </Stack>
      {legendOpen ? (
        <Paper
          id="map-legend"
          shadow="sm"
          radius="md"
          withBorder
          p="xs"
          style={{
            position: "absolute",
            top: 10,
            ...legendSide,
            zIndex: 2,
            width: 230,
            maxWidth: "calc(100% - 76px)",
          }}
        >
          <Group justify="space-between" gap={4} mb={4} wrap="nowrap">
            <Text fw={700} size="sm" id="map-legend-title">
              {t("map.legend.title")}
            </Text>
            <CloseButton
              size="sm"
              onClick={() => setLegendOpen(false)}
              aria-label={t("map.legend.close")}
            />
          </Group>
          <ScrollArea.Autosize mah={typeof height === "number" ? height - 80 : 320} type="auto">
            <Stack gap={6} role="group" aria-labelledby="map-legend-title">
              <Checkbox
                size="xs"
                label={
                  <LegendSwatch
                    color={LEVEL_COLORS.neighbourhood!}
                    label={t("map.layers.boundaries")}
                    outline
                  />
                }
                checked={layers.boundaries}
                onChange={(e) => onLayersChange({ ...layers, boundaries: e.currentTarget.checked })}
              />
              <Checkbox
                size="xs"
                label={<LegendSwatch color="#adb5bd" label={t("map.layers.streets")} line />}
                checked={layers.streets}
                onChange={(e) => onLayersChange({ ...layers, streets: e.currentTarget.checked })}
              />
              {residentsAllowed ? (
                <Checkbox
                  size="xs"
                  label={<LegendSwatch color="#8f5f00" label={t("map.layers.residents")} />}
                  checked={layers.residents}
                  onChange={(e) =>
                    onLayersChange({ ...layers, residents: e.currentTarget.checked })
                  }
                />
              ) : null}
              <Checkbox
                size="xs"
                label={t("map.layers.assets")}
                checked={layers.assets}
                onChange={(e) => onLayersChange({ ...layers, assets: e.currentTarget.checked })}
              />
              {layers.assets && typeCounts.length > 0 ? (
                <Stack gap={4} ps="md">
                  {typeCounts.map(({ type, count }) => (
                    <Checkbox
                      key={type}
                      size="xs"
                      label={
                        <LegendSwatch
                          color={ASSET_TYPE_STYLES[type].color}
                          label={`${assetTypeLabel(t, type)} (${count})`}
                        />
                      }
                      checked={!hiddenTypes.includes(type)}
                      onChange={(e) => toggleType(type, e.currentTarget.checked)}
                    />
                  ))}
                </Stack>
              ) : null}
              {layers.boundaries ? (
                <Stack gap={2} mt={4}>
                  <Text size="xs" c="dimmed">
                    {t("map.legend.levels")}
                  </Text>
                  {(
                    ["town", "neighbourhood", "street_cluster", "building", "functional"] as const
                  ).map((level) => (
                    <LegendSwatch
                      key={level}
                      color={LEVEL_COLORS[level]!}
                      label={
                        level === "functional"
                          ? t("communities.kinds.functional")
                          : t(`communities.levels.${level}`)
                      }
                      outline
                    />
                  ))}
                </Stack>
              ) : null}
              {showResidents ? (
                <Text size="xs" c="dimmed" mt={4}>
                  {t("map.legend.residentsHint")}
                </Text>
              ) : null}
            </Stack>
          </ScrollArea.Autosize>
        </Paper>
      ) : null}
      {showResidents ? (
        <Paper
          radius="sm"
          px={8}
          py={2}
          shadow="xs"
          style={{
            position: "absolute",
            bottom: 8,
            insetInlineStart: 8,
            zIndex: 2,
            background: "rgb(255 255 255 / 92%)",
          }}
        >
          <Group gap={6} wrap="nowrap">
            {residents.isFetching ? <Loader size={12} aria-hidden /> : null}
            <Text size="xs" aria-live="polite">
              {residents.isError
                ? t("map.residents.error")
                : residentData
                  ? t("map.residents.inView", { count: total })
                  : t("states.loading")}
            </Text>
          </Group>
        </Paper>
      ) : null}
    </div>
  );
}

function LegendSwatch({
  color,
  label,
  outline,
  line,
}: {
  color: string;
  label: string;
  outline?: boolean;
  line?: boolean;
}) {
  const shape: React.CSSProperties = line
    ? { width: 14, height: 3, background: color, borderRadius: 2 }
    : outline
      ? {
          width: 12,
          height: 12,
          border: `2px solid ${color}`,
          background: `${color}22`,
          borderRadius: 2,
        }
      : {
          width: 12,
          height: 12,
          background: color,
          borderRadius: "50%",
          border: "1.5px solid #fff",
        };
  return (
    <Group gap={6} wrap="nowrap" component="span">
      <span aria-hidden="true" style={{ display: "inline-block", flex: "none", ...shape }} />
      <Text size="xs" span>
        {label}
      </Text>
    </Group>
  );
}
