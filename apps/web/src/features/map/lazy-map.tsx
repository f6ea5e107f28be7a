import { lazy, Suspense } from "react";
import { Skeleton } from "@mantine/core";
import type { PointPickerProps } from "./point-picker.tsx";
import type { MapViewProps } from "./map-view.tsx";
import type { BoundaryEditorProps } from "./boundary-editor.tsx";

const PointPickerImpl = lazy(() =>
  import("./point-picker.tsx").then((m) => ({ default: m.PointPicker })),
);
const MapViewImpl = lazy(() => import("./map-view.tsx").then((m) => ({ default: m.MapView })));
const BoundaryEditorImpl = lazy(() =>
  import("./boundary-editor.tsx").then((m) => ({ default: m.BoundaryEditor })),
);

/**
 * The point picker, loaded on first use (MapLibre stays out of the first load).
 * Forms import this module, never point-picker.tsx directly.
 */
export function LazyPointPicker(props: PointPickerProps) {
  return (
    <Suspense fallback={<Skeleton height={(props.height ?? 240) + 110} radius="md" />}>
      <PointPickerImpl {...props} />
    </Suspense>
  );
}

/** The map view, loaded on first use. */
export function LazyMapView(props: MapViewProps) {
  return (
    <Suspense fallback={<Skeleton height={props.height} radius="md" />}>
      <MapViewImpl {...props} />
    </Suspense>
  );
}

/** The boundary editor (draw, edit, import GeoJSON/TopoJSON), loaded on first use. */
export function LazyBoundaryEditor(props: BoundaryEditorProps) {
  return (
    <Suspense fallback={<Skeleton height={(props.height ?? 320) + 90} radius="md" />}>
      <BoundaryEditorImpl {...props} />
    </Suspense>
  );
}
