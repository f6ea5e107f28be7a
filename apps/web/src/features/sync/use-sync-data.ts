import { useEffect, useState } from "react";
import { liveQuery } from "dexie";
import type { SyncEngine } from "./sync-engine.ts";
import { connectSync } from "./sync-runtime.ts";
import { targetKey, useSyncTarget } from "./use-sync-target.ts";

export type EngineState =
  { status: "loading" } | { status: "off" } | { status: "ready"; engine: SyncEngine };

/** The tab's engine for the signed-in user's department (starting it if the shell has not). */
export function useSyncEngine(): EngineState {
  const target = useSyncTarget();
  const key = targetKey(target);
  const [state, setState] = useState<{ key: string; value: EngineState }>({
    key: "",
    value: { status: "loading" },
  });
  useEffect(() => {
    let alive = true;
    void connectSync(target).then((engine) => {
      if (!alive) return;
      setState({ key, value: engine ? { status: "ready", engine } : { status: "off" } });
    });
    return () => {
      alive = false;
    };
    // The key names the target; the object itself is rebuilt on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state.key === key ? state.value : { status: "loading" };
}

/**
 * A Dexie query kept current: re-runs when the tables it read change (in this tab or
 * another). `undefined` until the first answer.
 */
export function useLiveQuery<T>(
  query: (() => Promise<T>) | null,
  deps: readonly unknown[],
): T | undefined {
  const [value, setValue] = useState<{ deps: readonly unknown[]; value: T } | undefined>();
  useEffect(() => {
    if (!query) return;
    const sub = liveQuery(query).subscribe({
      next: (v) => setValue({ deps, value: v }),
      error: () => undefined,
    });
    return () => sub.unsubscribe();
    // The caller names what the query depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return value && value.deps.length === deps.length && value.deps.every((d, i) => d === deps[i])
    ? value.value
    : undefined;
}
