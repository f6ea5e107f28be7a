import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { preparePickedPhoto, type RunnerPhotos } from "../forms/form-photos.ts";
import type { SyncEngine } from "./sync-engine.ts";
import { newRecordId } from "./sync-ids.ts";

export interface DevicePhotos extends RunnerPhotos {
  /** Ids of the photos this device holds for the answer. */
  held: () => ReadonlySet<string>;
  /** Photos of the answer picked and not saved with it go (starting over). */
  dropAll: () => void;
}

/**
 * Photos of a door-to-door answer kept in the device's database with the answer (so a
 * reload or a flat battery loses none of them, offline too), shown from there. A restored
 * draft finds its photos again by the answer's id.
 */
export function useDevicePhotos(
  engine: SyncEngine,
  formId: string,
  answerId: string,
): DevicePhotos {
  const urls = useRef(new Map<string, string>());
  const [, setVersion] = useState(0);
  const changed = useCallback(() => setVersion((v) => v + 1), []);

  const release = useCallback(() => {
    for (const u of urls.current.values()) URL.revokeObjectURL(u);
    urls.current.clear();
  }, []);

  // The photos already kept for this answer (a restored draft), each with a preview.
  useEffect(() => {
    let alive = true;
    void engine
      .photosOf(answerId)
      .then((rows) => {
        if (!alive) return;
        for (const r of rows) {
          if (!urls.current.has(r.id)) urls.current.set(r.id, URL.createObjectURL(r.blob));
        }
        changed();
      })
      .catch(() => undefined);
    return () => {
      alive = false;
      release();
    };
  }, [engine, answerId, changed, release]);

  const add = useCallback(
    async (file: File, maxPixels: number) => {
      const blob = await preparePickedPhoto(file, maxPixels);
      const id = newRecordId();
      await engine.keepPhoto({ id, formId, answerId, blob });
      urls.current.set(id, URL.createObjectURL(blob));
      changed();
      return id;
    },
    [engine, formId, answerId, changed],
  );

  const remove = useCallback(
    (id: string) => {
      const u = urls.current.get(id);
      if (u) URL.revokeObjectURL(u);
      urls.current.delete(id);
      changed();
      void engine.dropPhotos(answerId, [id]).catch(() => undefined);
    },
    [engine, answerId, changed],
  );

  const dropAll = useCallback(() => {
    release();
    changed();
    void engine.dropPhotos(answerId).catch(() => undefined);
  }, [engine, answerId, changed, release]);

  return useMemo(
    () => ({
      add,
      remove,
      dropAll,
      url: (id: string) => urls.current.get(id) ?? null,
      held: () => new Set(urls.current.keys()),
    }),
    [add, remove, dropAll],
  );
}
