import { useEffect, useId, useRef, useState } from "react";
import { Button, Fieldset, Group, NumberInput, SimpleGrid, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { PublicMap } from "@kaveret/contracts";
import { Marker, NavigationControl } from "maplibre-gl";
import {
  controlPosition,
  createMap,
  DEFAULT_CENTER,
  mapConfigQuery,
  roundCoord,
  type MapLibreMap,
} from "./map-style.ts";
import { drawContext, mapLayersQuery } from "./map-layers.ts";

export type LatLon = { lat: number; lon: number };

export interface PointPickerProps {
  value: LatLon | null;
  onChange: (value: LatLon | null) => void;
  /** What the point is ("Home location"): the group's legend. */
  label: string;
  /** Where to look when there is no point yet (e.g. the community's centre). */
  center?: LatLon;
  /** Map height in px. */
  height?: number;
  /**
   * The base map, given by a page without an account (the public report page): its tile
   * settings and the town's shapes and streets, instead of the staff map endpoints.
   */
  baseMap?: PublicMap;
  /** A sentence about this map shown before the usual hint (e.g. "no background map here"). */
  note?: string;
}

const PIN_SVG =
  '<svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="#c92a2a" stroke="#fff" stroke-width="1.5" d="M12 2a7 7 0 0 0-7 7c0 5.2 7 13 7 13s7-7.8 7-13a7 7 0 0 0-7-7z"/><circle cx="12" cy="9" r="2.6" fill="#fff"/></svg>';

/** Pixels an arrow key moves the pin (Shift: five times as far). */
const NUDGE_PX = 8;

/**
 * Place or move one point: click the map, drag the pin, move the focused pin with
 * the arrow keys, or type the coordinates. Works without WebGL (fields only).
 * Load it lazily (`lazy-map.tsx`): it brings MapLibre with it.
 */
export function PointPicker({
  value,
  onChange,
  label,
  center,
  height = 240,
  baseMap,
  note,
}: PointPickerProps) {
  const { t, i18n } = useTranslation();
  const hintId = useId();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const markerRef = useRef<Marker | null>(null);
  const onChangeRef = useRef(onChange);
  const valueRef = useRef(value);
  const [mapFailed, setMapFailed] = useState(false);
  const staff = baseMap === undefined;
  const config = useQuery({ ...mapConfigQuery, enabled: staff });
  const layers = useQuery({
    ...mapLayersQuery({ layers: ["boundaries", "streets"] }),
    enabled: staff,
    retry: false,
  });
  const configSettled = !staff || !config.isPending;
  const baseConfig = staff ? config.data : baseMap;
  const context = staff ? layers.data : baseMap;
  const b = baseMap?.bounds;
  const townCentre = b ? { lat: (b[1] + b[3]) / 2, lon: (b[0] + b[2]) / 2 } : null;
  const dir = i18n.dir();

  useEffect(() => {
    onChangeRef.current = onChange;
    valueRef.current = value;
  });

  // The map: created once the base-map settings are known.
  useEffect(() => {
    if (!configSettled || !containerRef.current) return;
    const start = valueRef.current ?? center ?? DEFAULT_CENTER;
    const map = createMap({
      container: containerRef.current,
      config: baseConfig,
      t,
      center: start,
      zoom: valueRef.current || center ? 16 : undefined,
      // No point yet: frame the town the base map came with.
      bounds: valueRef.current || center ? null : (baseMap?.bounds ?? null),
    });
    if (!map) {
      setMapFailed(true);
      return;
    }
    mapRef.current = map;
    map.addControl(new NavigationControl({ showCompass: false }), controlPosition(dir));
    map.on("click", (e) => {
      onChangeRef.current({ lat: roundCoord(e.lngLat.lat), lon: roundCoord(e.lngLat.lng) });
    });
    return () => {
      markerRef.current?.remove();
      markerRef.current = null;
      map.remove();
      mapRef.current = null;
    };
    // center, t and dir are read once, when the map is made.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [configSettled]);

  // Context (boundaries, streets), when the reader may see them.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !context) return;
    const draw = () => drawContext(map, context);
    if (map.isStyleLoaded()) draw();
    else map.once("load", draw);
  }, [context, configSettled]);

  // The pin follows the value.
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    if (!value) {
      markerRef.current?.remove();
      markerRef.current = null;
      return;
    }
    if (!markerRef.current) {
      const el = document.createElement("button");
      el.type = "button";
      el.className = "kv-pin";
      el.innerHTML = PIN_SVG;
      el.addEventListener("click", (e) => e.stopPropagation());
      el.addEventListener("keydown", (e) => {
        const current = valueRef.current;
        const m = mapRef.current;
        if (!current || !m) return;
        const step = NUDGE_PX * (e.shiftKey ? 5 : 1);
        const delta: Record<string, [number, number]> = {
          ArrowUp: [0, -step],
          ArrowDown: [0, step],
          ArrowLeft: [-step, 0],
          ArrowRight: [step, 0],
        };
        const d = delta[e.key];
        if (!d) return;
        // Keep the map's own keyboard panning from moving the view under the pin.
        e.preventDefault();
        e.stopPropagation();
        const p = m.project([current.lon, current.lat]);
        const next = m.unproject([p.x + d[0], p.y + d[1]]);
        onChangeRef.current({ lat: roundCoord(next.lat), lon: roundCoord(next.lng) });
      });
      const marker = new Marker({ element: el, draggable: true, anchor: "bottom" })
        .setLngLat([value.lon, value.lat])
        .addTo(map);
      marker.on("dragend", () => {
        const p = marker.getLngLat();
        onChangeRef.current({ lat: roundCoord(p.lat), lon: roundCoord(p.lng) });
      });
      markerRef.current = marker;
    } else {
      markerRef.current.setLngLat([value.lon, value.lat]);
    }
    const el = markerRef.current.getElement();
    el.setAttribute("aria-label", t("map.picker.pin", { label }));
    el.setAttribute("aria-describedby", hintId);
    if (!map.getBounds().contains([value.lon, value.lat])) {
      map.easeTo({ center: [value.lon, value.lat], duration: 300 });
    }
  }, [value, configSettled, t, label, hintId]);

  const placeAtCentre = () => {
    const map = mapRef.current;
    if (map) {
      const c = map.getCenter();
      onChange({ lat: roundCoord(c.lat), lon: roundCoord(c.lng) });
    } else {
      const c = center ?? townCentre ?? DEFAULT_CENTER;
      onChange({ lat: roundCoord(c.lat), lon: roundCoord(c.lon) });
    }
  };

  const setCoordinate = (key: "lat" | "lon", raw: string | number) => {
    if (raw === "" || typeof raw !== "number" || !Number.isFinite(raw)) {
      if (raw === "") onChange(null);
      return;
    }
    const base = value ?? center ?? townCentre ?? DEFAULT_CENTER;
    onChange({ lat: base.lat, lon: base.lon, [key]: raw });
  };

  return (
    <Fieldset legend={label} variant="unstyled" p={0}>
      <Stack gap="xs">
        {note && !mapFailed ? (
          <Text size="sm" data-testid="point-picker-note">
            {note}
          </Text>
        ) : null}
        <Text size="sm" c="dimmed" id={hintId}>
          {mapFailed ? t("map.picker.noMapHint") : t("map.picker.hint")}
        </Text>
        {!mapFailed ? (
          <div
            ref={containerRef}
            className="kv-map"
            style={{ height }}
            role="region"
            aria-label={t("map.picker.region", { label })}
            data-testid="point-picker-map"
          />
        ) : null}
        <SimpleGrid cols={2} spacing="xs">
          <NumberInput
            label={t("map.picker.lat")}
            value={value?.lat ?? ""}
            onChange={(v) => setCoordinate("lat", v)}
            min={-90}
            max={90}
            decimalScale={6}
            hideControls
            inputMode="decimal"
            dir="ltr"
          />
          <NumberInput
            label={t("map.picker.lon")}
            value={value?.lon ?? ""}
            onChange={(v) => setCoordinate("lon", v)}
            min={-180}
            max={180}
            decimalScale={6}
            hideControls
            inputMode="decimal"
            dir="ltr"
          />
        </SimpleGrid>
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={placeAtCentre}>
            {value ? t("map.picker.moveToCentre") : t("map.picker.placeAtCentre")}
          </Button>
          {value ? (
            <Button size="xs" variant="subtle" color="red" onClick={() => onChange(null)}>
              {t("map.picker.clear")}
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Fieldset>
  );
}
