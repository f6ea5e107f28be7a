import { queryOptions } from "@tanstack/react-query";
import type { Asset, AssetPage, Organization, Service } from "@kaveret/contracts";
import { apiGet, type QueryValue } from "../../api/client.ts";
import { downloadFile } from "../../api/download.ts";

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

/** Downloads an HSDS export with the active department's scope header. */
export function downloadExport(kind: keyof typeof HSDS_EXPORTS): Promise<void> {
  return downloadFile(HSDS_EXPORTS[kind], `kaveret-hsds.${kind}`);
}
