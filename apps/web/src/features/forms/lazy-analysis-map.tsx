import { lazy, Suspense } from "react";
import { Skeleton } from "@mantine/core";
import type { AnalysisMapProps } from "./analysis-map.tsx";

const AnalysisMapImpl = lazy(() =>
  import("./analysis-map.tsx").then((m) => ({ default: m.AnalysisMap })),
);

/** The answers map, loaded on first use (MapLibre stays out of the forms pages' first load). */
export function LazyAnalysisMap(props: AnalysisMapProps) {
  return (
    <Suspense fallback={<Skeleton height={props.height} radius="md" />}>
      <AnalysisMapImpl {...props} />
    </Suspense>
  );
}
