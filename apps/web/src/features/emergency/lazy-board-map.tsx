import { lazy, Suspense } from "react";
import { Skeleton } from "@mantine/core";
import type { BoardMapProps } from "./board-map.tsx";

const BoardMapImpl = lazy(() => import("./board-map.tsx").then((m) => ({ default: m.BoardMap })));

/** The board's map, loaded on first use (MapLibre stays out of the first load). */
export function LazyBoardMap(props: BoardMapProps) {
  return (
    <Suspense fallback={<Skeleton height={props.height} radius="md" />}>
      <BoardMapImpl {...props} />
    </Suspense>
  );
}
