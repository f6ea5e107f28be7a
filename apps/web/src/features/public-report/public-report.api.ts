/**
 * The public report endpoints. No account and no department header: plain requests
 * without cookies, so the page works the same inside another site's iframe.
 */
import type { z } from "zod";
import type {
  PublicMap,
  publicNeedCategoriesSchema,
  publicNeedReceiptSchema,
} from "@kaveret/contracts";
import { ApiError, toApiError } from "../../api/client.ts";

export type PublicCategories = z.infer<typeof publicNeedCategoriesSchema>;
export type PublicReceipt = z.infer<typeof publicNeedReceiptSchema>;

const base = (departmentId: string) =>
  `/api/public/departments/${encodeURIComponent(departmentId)}`;

function parse(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A GET on the department's public endpoints, without cookies. */
async function getPublic<T>(departmentId: string, path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${base(departmentId)}/${path}`, {
      headers: { Accept: "application/json" },
      credentials: "omit",
      signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, "network_error", "Network error");
  }
  const body = parse(await res.text());
  if (!res.ok) throw toApiError(res.status, body, res.headers.get("x-request-id") ?? undefined);
  return body as T;
}

export function fetchPublicCategories(
  departmentId: string,
  signal?: AbortSignal,
): Promise<PublicCategories> {
  return getPublic<PublicCategories>(departmentId, "need-categories", signal);
}

/** The base map for placing a point: tile settings, the town's shapes and streets. */
export function fetchPublicMap(departmentId: string, signal?: AbortSignal): Promise<PublicMap> {
  return getPublic<PublicMap>(departmentId, "map", signal);
}

/**
 * Sends a report: JSON alone, or multipart (`report` + `photos`) when there are photos.
 * XMLHttpRequest rather than fetch, for upload progress on slow phone connections.
 */
export function sendReport(
  departmentId: string,
  report: Record<string, unknown>,
  photos: readonly File[],
  onProgress: (fraction: number) => void,
): Promise<PublicReceipt> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${base(departmentId)}/needs`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.withCredentials = false;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, "network_error", "Network error"));
    xhr.ontimeout = () => reject(new ApiError(0, "network_error", "Timeout"));
    xhr.onload = () => {
      const body = parse(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as PublicReceipt);
      } else {
        reject(toApiError(xhr.status, body, xhr.getResponseHeader("x-request-id") ?? undefined));
      }
    };
    xhr.timeout = 120_000;
    if (photos.length === 0) {
      xhr.setRequestHeader("Content-Type", "application/json");
      xhr.send(JSON.stringify(report));
    } else {
      const form = new FormData();
      form.append("report", JSON.stringify(report));
      for (const p of photos) form.append("photos", p, p.name);
      xhr.send(form);
    }
  });
}
