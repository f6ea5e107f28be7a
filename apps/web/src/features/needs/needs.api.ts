import { queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type {
  bulkNeedsResultSchema,
  needAssigneesSchema,
  needCategoryListSchema,
  needIntakeSettingsSchema,
  needModelStatusSchema,
  needPointsSchema,
  Need,
  NeedList,
  NeedSuggestion,
  UpdateNeedBody,
} from "@kaveret/contracts";
import {
  ApiError,
  SCOPE_HEADER,
  apiGet,
  apiPatch,
  apiPost,
  readScope,
  toApiError,
  type QueryValue,
} from "../../api/client.ts";

export type BulkNeedsResult = z.infer<typeof bulkNeedsResultSchema>;
export type NeedAssignees = z.infer<typeof needAssigneesSchema>;
export type NeedCategoryList = z.infer<typeof needCategoryListSchema>;
export type NeedIntakeSettings = z.infer<typeof needIntakeSettingsSchema>;
export type NeedModelStatus = z.infer<typeof needModelStatusSchema>;
export type NeedPoints = z.infer<typeof needPointsSchema>;

const enc = encodeURIComponent;

export function needListQuery(params: Record<string, QueryValue>) {
  return queryOptions({
    queryKey: ["needs", "list", params] as const,
    queryFn: ({ signal }) => apiGet<NeedList>("/api/needs", params, signal),
    placeholderData: (prev) => prev,
  });
}

export function needQuery(id: string) {
  return queryOptions({
    queryKey: ["needs", "one", id] as const,
    queryFn: ({ signal }) => apiGet<Need>(`/api/needs/${enc(id)}`, undefined, signal),
  });
}

export const needCategoriesQuery = queryOptions({
  queryKey: ["needs", "categories"] as const,
  queryFn: ({ signal }) => apiGet<NeedCategoryList>("/api/need-categories", undefined, signal),
  staleTime: 5 * 60_000,
});

export const needAssigneesQuery = queryOptions({
  queryKey: ["needs", "assignees"] as const,
  queryFn: ({ signal }) => apiGet<NeedAssignees>("/api/needs/assignees", undefined, signal),
  staleTime: 5 * 60_000,
});

export const needModelQuery = queryOptions({
  queryKey: ["needs", "model"] as const,
  queryFn: ({ signal }) => apiGet<NeedModelStatus>("/api/need-model", undefined, signal),
});

export const needIntakeQuery = queryOptions({
  queryKey: ["needs", "intake"] as const,
  queryFn: ({ signal }) => apiGet<NeedIntakeSettings>("/api/need-intake", undefined, signal),
});

/** Open needs with a location, of one community or of the whole department. */
export function needPointsQuery(params: { communityId?: string; bbox?: string }) {
  return queryOptions({
    queryKey: ["needs", "points", params.communityId ?? null, params.bbox ?? null] as const,
    queryFn: ({ signal }) =>
      apiGet<NeedPoints>(
        "/api/needs/points",
        { communityId: params.communityId, bbox: params.bbox },
        signal,
      ),
    staleTime: 30_000,
  });
}

/** The model's category (and urgency) reading of a text; empty text asks nothing. */
export function needSuggestQuery(text: string) {
  return queryOptions({
    queryKey: ["needs", "suggest", text] as const,
    queryFn: ({ signal }) => apiGet<NeedSuggestion>("/api/needs/suggest", { text }, signal),
    enabled: text.trim().length >= 3,
    staleTime: 5 * 60_000,
    placeholderData: (prev) => prev,
    retry: false,
  });
}

export const updateNeed = (id: string, body: UpdateNeedBody) =>
  apiPatch<Need>(`/api/needs/${enc(id)}`, body);

export const commentOnNeed = (id: string, text: string) =>
  apiPost<Need>(`/api/needs/${enc(id)}/comments`, { text });

export const mergeNeeds = (survivorId: string, duplicateId: string) =>
  apiPost<Need>("/api/needs/merge", { survivorId, duplicateId });

export const attachmentUrl = (needId: string, attachmentId: string) =>
  `/api/needs/${enc(needId)}/attachments/${enc(attachmentId)}`;

function scopeHeaders(): Record<string, string> {
  const scope = readScope();
  return scope ? { [SCOPE_HEADER]: scope } : {};
}

async function failed(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  return toApiError(res.status, body, res.headers.get("x-request-id") ?? undefined);
}

/** Adds a photo: the raw image as the body (the server strips its location metadata). */
export async function uploadAttachment(needId: string, file: Blob): Promise<Need> {
  let res: Response;
  try {
    res = await fetch(`/api/needs/${enc(needId)}/attachments`, {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": file.type, ...scopeHeaders() },
      credentials: "include",
      body: file,
    });
  } catch {
    throw new ApiError(0, "network_error", "Network error");
  }
  if (!res.ok) throw await failed(res);
  return (await res.json()) as Need;
}

/**
 * A photo as an object URL. An <img src> cannot send the department header, so the
 * image is fetched with it (the caller revokes the URL when done).
 */
export async function fetchAttachment(url: string, signal?: AbortSignal): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { headers: scopeHeaders(), credentials: "include", signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, "network_error", "Network error");
  }
  if (!res.ok) throw await failed(res);
  return URL.createObjectURL(await res.blob());
}
