import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { newAnswerId } from "./runner-answers.ts";
import { preparePickedPhoto, type RunnerPhotos } from "./form-photos.ts";

export interface MemoryPhotos extends RunnerPhotos {
  /** The photo to upload for an id, if held. */
  blob: (id: string) => Blob | undefined;
  /** Lets go of every photo (after a send, or starting over). */
  clear: () => void;
}

/**
 * Photos of an answer kept in memory until it is sent (staff typing in, the public link):
 * picked, checked and shrunk, each with a preview URL, all released on unmount.
 */
export function useMemoryPhotos(): MemoryPhotos {
  const held = useRef(new Map<string, { blob: Blob; url: string | null }>());
  const [, setVersion] = useState(0);
  const changed = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    const map = held.current;
    return () => {
      for (const p of map.values()) if (p.url) URL.revokeObjectURL(p.url);
      map.clear();
    };
  }, []);

  const add = useCallback(
    async (file: File, maxPixels: number) => {
      const blob = await preparePickedPhoto(file, maxPixels);
      const id = newAnswerId();
      const url = typeof URL.createObjectURL === "function" ? URL.createObjectURL(blob) : null;
      held.current.set(id, { blob, url });
      changed();
      return id;
    },
    [changed],
  );

  const remove = useCallback(
    (id: string) => {
      const p = held.current.get(id);
      if (!p) return;
      if (p.url) URL.revokeObjectURL(p.url);
      held.current.delete(id);
      changed();
    },
    [changed],
  );

  const clear = useCallback(() => {
    for (const p of held.current.values()) if (p.url) URL.revokeObjectURL(p.url);
    held.current.clear();
    changed();
  }, [changed]);

  return useMemo(
    () => ({
      add,
      remove,
      clear,
      url: (id: string) => held.current.get(id)?.url ?? null,
      blob: (id: string) => held.current.get(id)?.blob,
    }),
    [add, remove, clear],
  );
}
