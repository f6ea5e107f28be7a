import { queryOptions } from "@tanstack/react-query";
import type {
  Broadcast,
  BroadcastDeliveryList,
  BroadcastDryRun,
  BroadcastDryRunBody,
  BroadcastList,
  BroadcastSettings,
  CreateBroadcastBody,
  UpdateBroadcastBody,
} from "@kaveret/contracts";
import { apiGet, apiPatch, apiPost, apiPut } from "../../api/client.ts";

const enc = encodeURIComponent;
export const BROADCASTS_PAGE_SIZE = 25;
export const DELIVERIES_PAGE_SIZE = 20;

export function broadcastListQuery(params: { status?: string | undefined; page: number }) {
  return queryOptions({
    queryKey: ["broadcasts", "list", params] as const,
    queryFn: ({ signal }) =>
      apiGet<BroadcastList>(
        "/api/broadcasts",
        { status: params.status, page: params.page, pageSize: BROADCASTS_PAGE_SIZE },
        signal,
      ),
    placeholderData: (prev) => prev,
  });
}

export function broadcastQuery(id: string) {
  return queryOptions({
    queryKey: ["broadcasts", "one", id] as const,
    queryFn: ({ signal }) => apiGet<Broadcast>(`/api/broadcasts/${enc(id)}`, undefined, signal),
  });
}

export function deliveriesQuery(
  id: string,
  params: { status?: string | undefined; channel?: string | undefined; page: number },
) {
  return queryOptions({
    queryKey: ["broadcasts", "deliveries", id, params] as const,
    queryFn: ({ signal }) =>
      apiGet<BroadcastDeliveryList>(
        `/api/broadcasts/${enc(id)}/deliveries`,
        { ...params, pageSize: DELIVERIES_PAGE_SIZE },
        signal,
      ),
    placeholderData: (prev) => prev,
  });
}

/** The dry run of a saved draft (shown in the confirm dialog). */
export function broadcastDryRunQuery(id: string, version: number) {
  return queryOptions({
    queryKey: ["broadcasts", "dry-run-of", id, version] as const,
    queryFn: ({ signal }) =>
      apiGet<BroadcastDryRun>(`/api/broadcasts/${enc(id)}/dry-run`, undefined, signal),
  });
}

export const broadcastSettingsQuery = queryOptions({
  queryKey: ["broadcasts", "settings"] as const,
  queryFn: ({ signal }) => apiGet<BroadcastSettings>("/api/broadcasts/settings", undefined, signal),
});

export const dryRun = (body: BroadcastDryRunBody) =>
  apiPost<BroadcastDryRun>("/api/broadcasts/dry-run", body);
export const createBroadcast = (body: CreateBroadcastBody) =>
  apiPost<Broadcast>("/api/broadcasts", body);
export const updateBroadcast = (id: string, body: UpdateBroadcastBody) =>
  apiPatch<Broadcast>(`/api/broadcasts/${enc(id)}`, body);
export const confirmBroadcast = (id: string) =>
  apiPost<Broadcast>(`/api/broadcasts/${enc(id)}/confirm`);
export const cancelBroadcast = (id: string) =>
  apiPost<Broadcast>(`/api/broadcasts/${enc(id)}/cancel`);
export const saveSettings = (body: BroadcastSettings) =>
  apiPut<BroadcastSettings>("/api/broadcasts/settings", body);
