import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { Need, UpdateNeedBody } from "@kaveret/contracts";
import { ApiError } from "../../api/client.ts";
import { needQuery, updateNeed } from "./needs.api.ts";

export type NeedChange = Omit<UpdateNeedBody, "version">;

/**
 * Saves triage changes with the need's version. When someone else changed it
 * meanwhile (409 version_conflict) the need is reloaded and `conflict` is set, so
 * the page can say so; nothing is overwritten blindly.
 */
export function useNeedUpdate(need: Need) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState<keyof NeedChange | "any" | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [conflict, setConflict] = useState(false);

  const save = async (
    change: NeedChange,
    field: keyof NeedChange | "any" = "any",
  ): Promise<Need | null> => {
    setBusy(field);
    setError(null);
    setConflict(false);
    try {
      const updated = await updateNeed(need.id, { version: need.version, ...change });
      queryClient.setQueryData(needQuery(need.id).queryKey, updated);
      void queryClient.invalidateQueries({ queryKey: ["needs", "list"] });
      void queryClient.invalidateQueries({ queryKey: ["needs", "points"] });
      return updated;
    } catch (err) {
      if (err instanceof ApiError && err.code === "version_conflict") {
        setConflict(true);
        await queryClient.invalidateQueries({ queryKey: needQuery(need.id).queryKey });
      } else {
        setError(err);
      }
      return null;
    } finally {
      setBusy(null);
    }
  };

  return {
    save,
    busy,
    error,
    conflict,
    clear: () => {
      setError(null);
      setConflict(false);
    },
  };
}
