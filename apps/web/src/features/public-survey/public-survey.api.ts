/**
 * The public survey endpoints. No account and no department header: plain requests
 * without cookies (the page may be opened from a QR code on any phone).
 */
import type { z } from "zod";
import type {
  publicFormSchema,
  publicResponseBodySchema,
  publicResponseReceiptSchema,
} from "@kaveret/contracts";
import { ApiError, toApiError } from "../../api/client.ts";

export type PublicForm = z.infer<typeof publicFormSchema>;
export type PublicResponseBody = z.input<typeof publicResponseBodySchema>;
export type PublicReceipt = z.infer<typeof publicResponseReceiptSchema>;

const base = (formId: string) => `/api/public/forms/${encodeURIComponent(formId)}`;

function parse(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function fetchPublicForm(formId: string, signal?: AbortSignal): Promise<PublicForm> {
  let res: Response;
  try {
    res = await fetch(base(formId), {
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
  return body as PublicForm;
}

/** A request with upload progress (XMLHttpRequest: fetch has none), answering parsed JSON. */
function send<T>(
  method: "POST" | "PUT",
  url: string,
  body: string | Blob,
  contentType: string,
  onProgress: (fraction: number) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("Content-Type", contentType);
    xhr.withCredentials = false;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, "network_error", "Network error"));
    xhr.ontimeout = () => reject(new ApiError(0, "network_error", "Timeout"));
    xhr.onload = () => {
      const parsed = parse(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(parsed as T);
      } else {
        reject(toApiError(xhr.status, parsed, xhr.getResponseHeader("x-request-id") ?? undefined));
      }
    };
    xhr.timeout = 60_000;
    xhr.send(body);
  });
}

/** Sends the answers (after their photos). */
export function sendPublicResponse(
  formId: string,
  body: PublicResponseBody,
  onProgress: (fraction: number) => void,
): Promise<PublicReceipt> {
  return send<PublicReceipt>(
    "POST",
    `${base(formId)}/responses`,
    JSON.stringify(body),
    "application/json",
    onProgress,
  );
}

/** Uploads a photo of the answer about to be sent, under the id made on this device. */
export function sendPublicPhoto(
  formId: string,
  photoId: string,
  photo: Blob,
  onProgress: (fraction: number) => void,
): Promise<unknown> {
  return send<unknown>(
    "PUT",
    `${base(formId)}/photos/${encodeURIComponent(photoId)}`,
    photo,
    photo.type || "image/jpeg",
    onProgress,
  );
}

/** A server error code → the page's own sentence (publicSurvey.error.*). */
export function surveyErrorKey(code: string): string {
  switch (code) {
    case "form.not_open":
    case "not_found":
    case "route_not_found":
      return "publicSurvey.error.closed";
    case "form.answers_invalid":
      return "publicSurvey.error.answers";
    case "form.photo_too_large":
    case "payload_too_large":
      return "publicSurvey.error.photoTooLarge";
    case "form.photo_type":
    case "unsupported_media_type":
      return "publicSurvey.error.photoType";
    case "rate_limited":
      return "publicSurvey.error.rateLimited";
    case "network_error":
      return "publicSurvey.error.network";
    case "validation_failed":
    case "bad_request":
    case "malformed_json":
      return "publicSurvey.error.validation";
    default:
      return "publicSurvey.error.generic";
  }
}
