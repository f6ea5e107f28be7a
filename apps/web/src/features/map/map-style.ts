/**
 * Shared map set-up: MapLibre's worker, the base style (a plain background, plus
 * raster tiles when the department configured a tile server), control placement
 * for RTL, and MapLibre's own UI strings in our languages.
 *
 * Import this module (and anything that imports maplibre-gl) only from lazily
 * loaded code: the map library stays out of the staff app's first load.
 */
import "maplibre-gl/dist/maplibre-gl.css";
import "./map.css";
import {
  LngLatBounds,
  Map as MapLibreMap,
  setWorkerUrl,
  type ControlPosition,
  type StyleSpecification,
} from "maplibre-gl";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url";
import { queryOptions } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import type { Bbox, MapConfig } from "@kaveret/contracts";
import { apiGet } from "../../api/client.ts";

setWorkerUrl(workerUrl);

export type { MapLibreMap };

/** Israel, when there is nothing better to show. */
export const DEFAULT_CENTER = { lat: 31.6, lon: 34.95 };
export const DEFAULT_ZOOM = 7;

/** Plain background (no tile server): light, so boundaries and points stand out. */
export const PLAIN_BACKGROUND = "#f4f1ea";

export const mapConfigQuery = queryOptions({
  queryKey: ["map", "config"] as const,
  queryFn: ({ signal }) => apiGet<MapConfig>("/api/map/config", undefined, signal),
  staleTime: Infinity,
});

/** The base style: background colour, and raster tiles when configured. No glyphs: labels are HTML. */
export function baseStyle(config: MapConfig | null | undefined): StyleSpecification {
  const tileUrl = config?.tileUrl ?? null;
  return {
    version: 8,
    sources: tileUrl
      ? {
          base: {
            type: "raster",
            tiles: [tileUrl],
            tileSize: 256,
            maxzoom: 19,
            ...(config?.attribution ? { attribution: config.attribution } : {}),
          },
        }
      : {},
    layers: [
      { id: "background", type: "background", paint: { "background-color": PLAIN_BACKGROUND } },
      ...(tileUrl ? [{ id: "base", type: "raster" as const, source: "base" }] : []),
    ],
  };
}

/** Controls sit on the reading side's end: left in RTL, right in LTR. */
export function controlPosition(dir: "rtl" | "ltr"): ControlPosition {
  return dir === "rtl" ? "top-left" : "top-right";
}

/** MapLibre's own button titles and labels, translated. */
export function mapLocale(t: TFunction): Record<string, string> {
  return {
    "NavigationControl.ZoomIn": t("map.controls.zoomIn"),
    "NavigationControl.ZoomOut": t("map.controls.zoomOut"),
    "NavigationControl.ResetBearing": t("map.controls.resetBearing"),
    "AttributionControl.ToggleAttribution": t("map.controls.attribution"),
    "Map.Title": t("map.controls.map"),
    "Marker.Title": t("map.controls.marker"),
    "Popup.Close": t("map.controls.close"),
    "ScaleControl.Meters": t("map.controls.meters"),
    "ScaleControl.Kilometers": t("map.controls.kilometers"),
  };
}

export interface CreateMapOptions {
  container: HTMLElement;
  config: MapConfig | null | undefined;
  t: TFunction;
  center?: { lat: number; lon: number };
  zoom?: number;
  bounds?: Bbox | null;
}

/**
 * A map with our defaults, or null when this device cannot draw one (no WebGL):
 * callers then show their non-map fallback (fields, lists).
 */
export function createMap(o: CreateMapOptions): MapLibreMap | null {
  if (!supportsWebGl()) return null;
  const center = o.center ?? DEFAULT_CENTER;
  try {
    return new MapLibreMap({
      container: o.container,
      style: baseStyle(o.config),
      center: [center.lon, center.lat],
      zoom: o.zoom ?? DEFAULT_ZOOM,
      ...(o.bounds ? { bounds: o.bounds, fitBoundsOptions: { padding: 24, maxZoom: 17 } } : {}),
      attributionControl: o.config?.attribution ? { compact: true } : false,
      maplibreLogo: false,
      locale: mapLocale(o.t),
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      maxZoom: 19,
      fadeDuration: 0,
      validateStyle: false,
    });
  } catch {
    return null;
  }
}

let webGl: boolean | null = null;
/** Whether WebGL (2, as MapLibre needs) can be used here. */
export function supportsWebGl(): boolean {
  if (webGl !== null) return webGl;
  try {
    const canvas = document.createElement("canvas");
    webGl = canvas.getContext("webgl2") !== null;
  } catch {
    webGl = false;
  }
  return webGl;
}

/** Bounds of a GeoJSON geometry's coordinates (any nesting), or null. */
export function boundsOf(coordinates: unknown): Bbox | null {
  const b = new LngLatBounds();
  let any = false;
  const walk = (c: unknown) => {
    if (!Array.isArray(c)) return;
    if (c.length >= 2 && typeof c[0] === "number" && typeof c[1] === "number") {
      b.extend([c[0], c[1]]);
      any = true;
      return;
    }
    for (const x of c) walk(x);
  };
  walk(coordinates);
  if (!any) return null;
  return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
}

/** Rounds to 6 decimals (≈ 10 cm): enough for an address, no false precision. */
export function roundCoord(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
