import { queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type {
  consentHistorySchema,
  duplicateCandidatesSchema,
  householdSchema,
  residentHistorySchema,
  residentPageSchema,
  revealResponseSchema,
  ResidentDetail,
  SavedFilter,
  Street,
} from "@kaveret/contracts";
import { apiGet, type QueryValue } from "../../api/client.ts";
import { downloadFile } from "../../api/download.ts";

export type ResidentPage = z.infer<typeof residentPageSchema>;
export type ConsentHistory = z.infer<typeof consentHistorySchema>;
export type ResidentHistory = z.infer<typeof residentHistorySchema>;
export type Household = z.infer<typeof householdSchema>;
export type RevealResponse = z.infer<typeof revealResponseSchema>;
export type DuplicateCandidates = z.infer<typeof duplicateCandidatesSchema>;

export function residentListQuery(params: Record<string, QueryValue>) {
  return queryOptions({
    queryKey: ["residents", "list", params] as const,
    queryFn: ({ signal }) => apiGet<ResidentPage>("/api/residents", params, signal),
    placeholderData: (prev) => prev,
  });
}

export function residentQuery(id: string) {
  return queryOptions({
    queryKey: ["residents", "one", id] as const,
    queryFn: ({ signal }) =>
      apiGet<ResidentDetail>(`/api/residents/${encodeURIComponent(id)}`, undefined, signal),
  });
}

export function consentHistoryQuery(id: string) {
  return queryOptions({
    queryKey: ["residents", "consents", id] as const,
    queryFn: ({ signal }) =>
      apiGet<ConsentHistory>(
        `/api/residents/${encodeURIComponent(id)}/consents`,
        undefined,
        signal,
      ),
  });
}

export function residentHistoryQuery(id: string) {
  return queryOptions({
    queryKey: ["residents", "history", id] as const,
    queryFn: ({ signal }) =>
      apiGet<ResidentHistory>(
        `/api/residents/${encodeURIComponent(id)}/history`,
        undefined,
        signal,
      ),
  });
}

export function householdQuery(id: string) {
  return queryOptions({
    queryKey: ["households", id] as const,
    queryFn: ({ signal }) =>
      apiGet<Household>(`/api/households/${encodeURIComponent(id)}`, undefined, signal),
  });
}

export interface StreetList {
  items: Street[];
  total: number;
}

/** Streets of a town, narrowed by what was typed (the server matches any script). */
export function streetsQuery(townId: string | null, q: string) {
  return queryOptions({
    queryKey: ["streets", townId, q] as const,
    queryFn: ({ signal }) =>
      apiGet<StreetList>(
        "/api/streets",
        { townId: townId ?? undefined, q: q || undefined, limit: 50 },
        signal,
      ),
    placeholderData: (prev) => prev,
    staleTime: 60_000,
  });
}

export const savedFiltersQuery = queryOptions({
  queryKey: ["saved-filters", "residents"] as const,
  queryFn: ({ signal }) =>
    apiGet<{ items: SavedFilter[] }>("/api/saved-filters", { entity: "residents" }, signal),
});

/** Downloads an export with the active department's scope header (errors come back translated). */
export const downloadExport = downloadFile;
