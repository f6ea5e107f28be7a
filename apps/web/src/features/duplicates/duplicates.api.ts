import { queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type { duplicatePairPageSchema, MergePreview } from "@kaveret/contracts";
import { apiGet } from "../../api/client.ts";

export type DuplicatePairPage = z.infer<typeof duplicatePairPageSchema>;

export const PAIRS_PAGE_SIZE = 20;

/** The department's likely duplicate pairs, best first. */
export function duplicatePairsQuery(page: number) {
  return queryOptions({
    queryKey: ["residents", "duplicates", { page }] as const,
    queryFn: ({ signal }) =>
      apiGet<DuplicatePairPage>(
        "/api/residents/duplicates",
        { page, pageSize: PAIRS_PAGE_SIZE },
        signal,
      ),
    placeholderData: (prev) => prev,
  });
}

/** Both records of a merge, side by side. */
export function mergePreviewQuery(id: string, otherId: string) {
  return queryOptions({
    queryKey: ["residents", "merge-preview", id, otherId] as const,
    queryFn: ({ signal }) =>
      apiGet<MergePreview>(
        `/api/residents/${encodeURIComponent(id)}/merge/${encodeURIComponent(otherId)}`,
        undefined,
        signal,
      ),
    // Versions matter: always compare the records as they are now.
    staleTime: 0,
  });
}
