import { queryOptions } from "@tanstack/react-query";
import type { Community, CommunityOverview, FigureList } from "@kaveret/contracts";
import { apiGet, type QueryValue } from "../../api/client.ts";

export interface CommunityPage {
  items: Community[];
  total: number;
  page: number;
  pageSize: number;
}

export interface CommunityListParams {
  q?: string;
  kind?: string;
  level?: string;
  parentId?: string;
  archived?: "active" | "archived" | "all";
  page?: number;
  pageSize?: number;
  sort?: "name" | "updated";
}

export const PAGE_SIZE = 25;

export function communityListQuery(params: CommunityListParams) {
  const query: Record<string, QueryValue> = { ...params };
  return queryOptions({
    queryKey: ["communities", "list", params] as const,
    queryFn: ({ signal }) => apiGet<CommunityPage>("/api/communities", query, signal),
    placeholderData: (prev) => prev,
  });
}

export function communityQuery(id: string) {
  return queryOptions({
    queryKey: ["communities", "one", id] as const,
    queryFn: ({ signal }) =>
      apiGet<Community>(`/api/communities/${encodeURIComponent(id)}`, undefined, signal),
  });
}

/** Parent choices for the form: active communities, up to 100. */
export const parentOptionsQuery = queryOptions({
  queryKey: [
    "communities",
    "list",
    { pageSize: 100, archived: "active", purpose: "parents" },
  ] as const,
  queryFn: ({ signal }) =>
    apiGet<CommunityPage>(
      "/api/communities",
      { pageSize: 100, archived: "active", sort: "name" },
      signal,
    ),
});

export const LANGUAGE_CODES = ["he", "ar", "en", "ru", "am", "fr", "es", "other"] as const;

export function overviewQuery(id: string) {
  return queryOptions({
    queryKey: ["communities", "overview", id] as const,
    queryFn: ({ signal }) =>
      apiGet<CommunityOverview>(
        `/api/communities/${encodeURIComponent(id)}/overview`,
        undefined,
        signal,
      ),
    // A large community is counted in the background: ask again until the counts are in.
    refetchInterval: (q) => (q.state.data && !q.state.data.countsReady ? 2000 : false),
  });
}

export function figuresQuery(id: string) {
  return queryOptions({
    queryKey: ["communities", "figures", id] as const,
    queryFn: ({ signal }) =>
      apiGet<FigureList>(`/api/communities/${encodeURIComponent(id)}/figures`, undefined, signal),
  });
}
