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
import { sendWithProgress, publicJson } from "../../api/client.ts";

export type PublicCategories = z.infer<typeof publicNeedCategoriesSchema>;
export type PublicReceipt = z.infer<typeof publicNeedReceiptSchema>;

const base = (departmentId: string) =>
  `/api/public/departments/${encodeURIComponent(departmentId)}`;

/** A GET on the department's public endpoints, without cookies. */
const getPublic = <T>(departmentId: string, path: string, signal?: AbortSignal): Promise<T> =>
  publicJson<T>("GET", `${base(departmentId)}/${path}`, { signal });

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
  const url = `${base(departmentId)}/needs`;
  if (photos.length === 0) {
    return sendWithProgress<PublicReceipt>("POST", url, JSON.stringify(report), {
      contentType: "application/json",
      onProgress,
      timeoutMs: 120_000,
    });
  }
  const form = new FormData();
  form.append("report", JSON.stringify(report));
  for (const p of photos) form.append("photos", p, p.name);
  return sendWithProgress<PublicReceipt>("POST", url, form, { onProgress, timeoutMs: 120_000 });
}
