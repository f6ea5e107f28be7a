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
import {
  ApiError,
  SCOPE_HEADER,
  apiGet,
  readScope,
  toApiError,
  type QueryValue,
} from "../../api/client.ts";

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

/**
 * Downloads the export through fetch (so the department header goes along and a refusal
 * shows as a translated message rather than a page of JSON).
 */
export async function downloadExport(href: string, fallbackName: string): Promise<void> {
  const headers: Record<string, string> = {};
  const scope = readScope();
  if (scope) headers[SCOPE_HEADER] = scope;
  let res: Response;
  try {
    res = await fetch(href, { headers, credentials: "include" });
  } catch {
    throw new ApiError(0, "network_error", "Network error");
  }
  if (!res.ok) {
    let body: unknown = undefined;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    throw toApiError(res.status, body, res.headers.get("x-request-id") ?? undefined);
  }
  const blob = await res.blob();
  const disposition = res.headers.get("content-disposition") ?? "";
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const name = match?.[1] ? decodeURIComponent(match[1]) : fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
