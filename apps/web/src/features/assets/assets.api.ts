import { queryOptions } from "@tanstack/react-query";
import type { Asset, AssetPage, Organization, Service } from "@kaveret/contracts";
import {
  ApiError,
  SCOPE_HEADER,
  apiGet,
  readScope,
  toApiError,
  type QueryValue,
} from "../../api/client.ts";

export const PAGE_SIZE = 24;

export interface AssetListParams {
  q?: string;
  type?: string;
  communityId?: string;
  archived?: "active" | "archived" | "all";
  page?: number;
  pageSize?: number;
  sort?: "name" | "type" | "updated";
}

export function assetListQuery(params: AssetListParams) {
  const query: Record<string, QueryValue> = { ...params };
  return queryOptions({
    queryKey: ["assets", "list", params] as const,
    queryFn: ({ signal }) => apiGet<AssetPage>("/api/assets", query, signal),
    placeholderData: (prev) => prev,
  });
}

export function assetQuery(id: string) {
  return queryOptions({
    queryKey: ["assets", "one", id] as const,
    queryFn: ({ signal }) =>
      apiGet<Asset>(`/api/assets/${encodeURIComponent(id)}`, undefined, signal),
  });
}

interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Organizations to choose from (searched on the server, first 50). */
export function organizationOptionsQuery(q: string) {
  return queryOptions({
    queryKey: ["assets", "organizations", q] as const,
    queryFn: ({ signal }) =>
      apiGet<Page<Organization>>(
        "/api/assets/organizations",
        { q: q || undefined, pageSize: 50 },
        signal,
      ),
    placeholderData: (prev) => prev,
    staleTime: 30_000,
  });
}

/** Services to offer at an asset (searched on the server, first 50). */
export function serviceOptionsQuery(q: string) {
  return queryOptions({
    queryKey: ["assets", "services", q] as const,
    queryFn: ({ signal }) =>
      apiGet<Page<Service>>("/api/assets/services", { q: q || undefined, pageSize: 50 }, signal),
    placeholderData: (prev) => prev,
    staleTime: 30_000,
  });
}

export const HSDS_EXPORTS = {
  json: "/api/assets/hsds/services.json",
  zip: "/api/assets/hsds.zip",
} as const;

/**
 * Downloads an export through fetch, so it carries the active department (the scope
 * header a plain link cannot send), then hands the file to the browser.
 */
export async function downloadExport(kind: keyof typeof HSDS_EXPORTS): Promise<void> {
  const headers: Record<string, string> = {};
  const scope = readScope();
  if (scope) headers[SCOPE_HEADER] = scope;
  let res: Response;
  try {
    res = await fetch(HSDS_EXPORTS[kind], { headers, credentials: "include" });
  } catch {
    throw new ApiError(0, "network_error", "Network error");
  }
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => undefined);
    throw toApiError(res.status, body, res.headers.get("x-request-id") ?? undefined);
  }
  const blob = await res.blob();
  const disposition = res.headers.get("content-disposition") ?? "";
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `kaveret-hsds.${kind}`;
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
