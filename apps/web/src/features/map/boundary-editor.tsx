import { useEffect, useId, useRef, useState } from "react";
import { Alert, Button, FileButton, Group, Select, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Marker, type GeoJSONSource } from "maplibre-gl";
import type { Feature, FeatureCollection } from "geojson";
import type { Boundary } from "@kaveret/contracts";
import { boundsOf, createMap, mapConfigQuery, roundCoord, type MapLibreMap } from "./map-style.ts";
import { drawContext, mapLayersQuery } from "./map-layers.ts";
import { readBoundaryFile, type BoundaryCandidate } from "./boundary-file.ts";
import { FitIcon } from "./map-icons.tsx";

export interface BoundaryEditorProps {
  value: Boundary | null;
  onChange: (value: Boundary | null) => void;
  label: string;
  /** Show this community's surroundings (e.g. the parent) for orientation. */
  contextCommunityId?: string | null;
  height?: number;
}

type Pt = [number, number];
type Mode = "view" | "draw" | "edit";

/** Pixels an arrow key moves a focused vertex (Shift: five times as far). */
const NUDGE_PX = 6;
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** The polygon ring being drawn or edited (open: the first point is not repeated). */
function ringOf(b: Boundary | null): Pt[] {
  if (b?.type !== "Polygon") return [];
  const ring = (b.coordinates[0] ?? []).map((p) => [p[0], p[1]] as Pt);
  return ring.length > 1 ? ring.slice(0, -1) : ring;
}

function polygonOf(ring: Pt[]): Boundary {
  return { type: "Polygon", coordinates: [[...ring, ring[0]!]] };
}

/**
 * Draws, edits and imports a community's boundary. Click the map to add points (or
 * "add a point at the centre" with the keyboard), drag points to move them (or
 * focus one and use the arrow keys), undo the last point, finish, clear — or load
 * a GeoJSON / TopoJSON file. Load it lazily (`lazy-map.tsx`).
 */
export function BoundaryEditor({
  value,
  onChange,
  label,
  contextCommunityId,
  height = 320,
}: BoundaryEditorProps) {
  const { t, i18n } = useTranslation();
  const hintId = useId();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const vertexMarkers = useRef<Marker[]>([]);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState(false);
  const [mode, setMode] = useState<Mode>("view");
  const [ring, setRing] = useState<Pt[]>([]);
  const ringRef = useRef<Pt[]>([]);
  const modeRef = useRef<Mode>("view");
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [candidates, setCandidates] = useState<BoundaryCandidate[] | null>(null);
  const [undo, setUndo] = useState<{ previous: Boundary | null } | null>(null);
  const config = useQuery(mapConfigQuery);
  // Everything the reader may see around it; the parent (when visible) frames a new shape.
  const context = useQuery({
    ...mapLayersQuery({ layers: ["boundaries", "streets"] }),
    retry: false,
  });
  const configSettled = !config.isPending;

  useEffect(() => {
    ringRef.current = ring;
    modeRef.current = mode;
  });

  useEffect(() => {
    if (!configSettled || !containerRef.current) return;
    const map = createMap({ container: containerRef.current, config: config.data, t });
    if (!map) {
      setFailed(true);
      return;
    }
    mapRef.current = map;
    map.on("load", () => setReady(true));
    map.on("click", (e) => {
      if (modeRef.current !== "draw") return;
      setRing((r) => [...r, [roundCoord(e.lngLat.lng), roundCoord(e.lngLat.lat)]]);
    });
    return () => {
      for (const m of vertexMarkers.current) m.remove();
      vertexMarkers.current = [];
      map.remove();
      mapRef.current = null;
      setReady(false);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [configSettled]);

  // Surroundings, and the view fitted to the boundary (or the surroundings) at first.
  const fittedRef = useRef(false);
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    drawContext(map, context.data);
    if (fittedRef.current) return;
    const parent = context.data?.boundaries.features.find(
      (f) => f.properties.id === contextCommunityId,
    );
    const b = value
      ? boundsOf(value.coordinates)
      : parent
        ? boundsOf(parent.geometry.coordinates)
        : (context.data?.bounds ?? null);
    if (b) {
      fittedRef.current = true;
      map.fitBounds(b, { padding: 24, maxZoom: 17, duration: 0 });
    }
  }, [ready, context.data, value, contextCommunityId]);

  // The shape: the saved boundary, or the ring being drawn / edited.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const features: Feature[] = [];
    if (mode === "view" && value) {
      features.push({ type: "Feature", geometry: value, properties: {} });
    } else if (mode !== "view" && ring.length > 0) {
      features.push(
        ring.length >= 3
          ? { type: "Feature", geometry: polygonOf(ring), properties: {} }
          : {
              type: "Feature",
              geometry: { type: "LineString", coordinates: ring },
              properties: {},
            },
      );
    }
    const data: FeatureCollection = { type: "FeatureCollection", features };
    const source = map.getSource<GeoJSONSource>("kv-edit");
    if (source) source.setData(data);
    else {
      map.addSource("kv-edit", { type: "geojson", data });
      map.addLayer({
        id: "kv-edit-fill",
        type: "fill",
        source: "kv-edit",
        filter: ["==", ["geometry-type"], "Polygon"],
        paint: { "fill-color": "#e09a00", "fill-opacity": 0.25 },
      });
      map.addLayer({
        id: "kv-edit-line",
        type: "line",
        source: "kv-edit",
        paint: { "line-color": "#8f5f00", "line-width": 2.5 },
      });
    }
    // Vertices as focusable HTML buttons while drawing or editing.
    for (const m of vertexMarkers.current) m.remove();
    vertexMarkers.current = [];
    if (mode === "view") return;
    ring.forEach((p, i) => {
      const el = document.createElement("button");
      el.type = "button";
      el.className = "kv-vertex";
      el.dataset.first = String(i === 0);
      el.setAttribute("aria-label", t("map.boundary.vertex", { n: i + 1, total: ring.length }));
      el.setAttribute("aria-describedby", hintId);
      el.addEventListener("click", (e) => e.stopPropagation());
      el.addEventListener("keydown", (e) => {
        const step = NUDGE_PX * (e.shiftKey ? 5 : 1);
        const delta: Record<string, [number, number]> = {
          ArrowUp: [0, -step],
          ArrowDown: [0, step],
          ArrowLeft: [-step, 0],
          ArrowRight: [step, 0],
        };
        const d = delta[e.key];
        if (!d) return;
        e.preventDefault();
        e.stopPropagation();
        const cur = ringRef.current[i];
        if (!cur) return;
        const px = map.project(cur);
        const next = map.unproject([px.x + d[0], px.y + d[1]]);
        setRing((r) =>
          r.map((q, j) => (j === i ? [roundCoord(next.lng), roundCoord(next.lat)] : q)),
        );
        requestAnimationFrame(() => {
          const again = containerRef.current?.querySelectorAll<HTMLButtonElement>(".kv-vertex")[i];
          again?.focus();
        });
      });
      const marker = new Marker({ element: el, draggable: true }).setLngLat(p).addTo(map);
      marker.on("dragend", () => {
        const q = marker.getLngLat();
        setRing((r) => r.map((x, j) => (j === i ? [roundCoord(q.lng), roundCoord(q.lat)] : x)));
      });
      vertexMarkers.current.push(marker);
    });
  }, [ready, mode, ring, value, t, hintId]);

  const startDrawing = () => {
    setRing([]);
    setMode("draw");
  };
  const startEditing = () => {
    setRing(ringOf(value));
    setMode("edit");
  };
  const finish = () => {
    if (ring.length < 3) return;
    setUndo({ previous: value });
    onChange(polygonOf(ring));
    setMode("view");
    setRing([]);
  };
  const cancel = () => {
    setMode("view");
    setRing([]);
  };
  const addAtCentre = () => {
    const map = mapRef.current;
    if (!map) return;
    const c = map.getCenter();
    setRing((r) => [...r, [roundCoord(c.lng), roundCoord(c.lat)]]);
  };
  const clear = () => {
    setUndo({ previous: value });
    onChange(null);
    setMode("view");
    setRing([]);
  };
  const fit = () => {
    const map = mapRef.current;
    const b = value ? boundsOf(value.coordinates) : null;
    if (map && b) map.fitBounds(b, { padding: 24, maxZoom: 17 });
  };
  const applyBoundary = (b: Boundary) => {
    setUndo({ previous: value });
    onChange(b);
    setCandidates(null);
    setMode("view");
    const map = mapRef.current;
    const bounds = boundsOf(b.coordinates);
    if (map && bounds) map.fitBounds(bounds, { padding: 24, maxZoom: 17 });
  };
  const readFile = async (file: File | null) => {
    setFileProblem(null);
    setCandidates(null);
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setFileProblem(t("map.boundary.file.too_large"));
      return;
    }
    const result = readBoundaryFile(await file.text());
    if (!result.ok) {
      setFileProblem(t(`map.boundary.file.${result.problem}`));
      return;
    }
    if (result.candidates.length === 1) applyBoundary(result.candidates[0]!.boundary);
    else setCandidates(result.candidates);
  };

  const side = i18n.dir() === "rtl" ? { left: 10 } : { right: 10 };

  return (
    <Stack gap="xs" role="group" aria-labelledby={`${hintId}-label`}>
      <Text fw={500} size="sm" id={`${hintId}-label`}>
        {label}
      </Text>
      <Text size="sm" c="dimmed" id={hintId}>
        {mode === "draw"
          ? t("map.boundary.drawHint")
          : mode === "edit"
            ? t("map.boundary.editHint")
            : value
              ? t("map.boundary.hasBoundary")
              : t("map.boundary.noBoundary")}
      </Text>
      {failed ? (
        <Alert color="gray">{t("map.boundary.noMap")}</Alert>
      ) : (
        <div className="kv-map" style={{ height }}>
          <div
            ref={containerRef}
            style={{
              position: "absolute",
              inset: 0,
              cursor: mode === "draw" ? "crosshair" : undefined,
            }}
            role="region"
            aria-label={t("map.boundary.region", { label })}
            data-testid="boundary-map"
          />
          {mode === "draw" ? (
            <span
              aria-hidden="true"
              style={{
                position: "absolute",
                top: "50%",
                left: "50%",
                width: 18,
                height: 18,
                marginTop: -9,
                marginLeft: -9,
                border: "2px solid #8f5f00",
                borderRadius: "50%",
                pointerEvents: "none",
                zIndex: 2,
              }}
            />
          ) : null}
          {value && mode === "view" ? (
            <Button
              size="compact-sm"
              variant="default"
              onClick={fit}
              aria-label={t("map.boundary.fit")}
              style={{ position: "absolute", top: 10, ...side, zIndex: 2 }}
            >
              <FitIcon />
            </Button>
          ) : null}
        </div>
      )}
      {mode === "view" ? (
        <Group gap="xs">
          {!failed ? (
            <Button size="xs" variant="default" onClick={startDrawing}>
              {value ? t("map.boundary.redraw") : t("map.boundary.draw")}
            </Button>
          ) : null}
          {!failed && value?.type === "Polygon" ? (
            <Button size="xs" variant="default" onClick={startEditing}>
              {t("map.boundary.edit")}
            </Button>
          ) : null}
          <FileButton
            onChange={(f) => void readFile(f)}
            accept=".geojson,.json,.topojson,application/geo+json,application/json"
          >
            {(props) => (
              <Button size="xs" variant="default" {...props}>
                {t("map.boundary.import")}
              </Button>
            )}
          </FileButton>
          {value ? (
            <Button size="xs" variant="subtle" color="red" onClick={clear}>
              {t("map.boundary.clear")}
            </Button>
          ) : null}
          {undo ? (
            <Button
              size="xs"
              variant="subtle"
              onClick={() => {
                onChange(undo.previous);
                setUndo(null);
              }}
            >
              {t("map.boundary.undoChange")}
            </Button>
          ) : null}
        </Group>
      ) : (
        <Group gap="xs">
          <Text size="sm" aria-live="polite">
            {t("map.boundary.points", { count: ring.length })}
          </Text>
          {mode === "draw" ? (
            <Button size="xs" variant="default" onClick={addAtCentre}>
              {t("map.boundary.addAtCentre")}
            </Button>
          ) : null}
          {mode === "draw" ? (
            <Button
              size="xs"
              variant="default"
              disabled={ring.length === 0}
              onClick={() => setRing((r) => r.slice(0, -1))}
            >
              {t("map.boundary.undoPoint")}
            </Button>
          ) : null}
          <Button size="xs" disabled={ring.length < 3} onClick={finish}>
            {t("map.boundary.finish")}
          </Button>
          <Button size="xs" variant="subtle" onClick={cancel}>
            {t("app.cancel")}
          </Button>
        </Group>
      )}
      {fileProblem ? (
        <Alert color="red" role="alert">
          {fileProblem}
        </Alert>
      ) : null}
      {candidates ? (
        <Select
          label={t("map.boundary.choose", { count: candidates.length })}
          placeholder={t("map.boundary.choosePlaceholder")}
          data={candidates.map((c, i) => ({ value: String(i), label: c.name }))}
          searchable
          onChange={(v) => {
            const c = v === null ? undefined : candidates[Number(v)];
            if (c) applyBoundary(c.boundary);
          }}
          comboboxProps={{ withinPortal: true }}
        />
      ) : null}
    </Stack>
  );
}
