import { lazy, Suspense } from "react";
import { Skeleton } from "@mantine/core";
import type { NeedMapProps } from "./need-map.tsx";

const NeedMapImpl = lazy(() => import("./need-map.tsx").then((m) => ({ default: m.NeedMap })));

/** The needs map, loaded on first use (MapLibre stays out of the first load). */
export function LazyNeedMap(props: NeedMapProps) {
  return (
    <Suspense fallback={<Skeleton height={props.height} radius="md" />}>
      <NeedMapImpl {...props} />
    </Suspense>
  );
}
