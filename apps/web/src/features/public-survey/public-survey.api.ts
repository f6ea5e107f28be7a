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

/** Sends the answers. XMLHttpRequest for upload progress on slow phone connections. */
export function sendPublicResponse(
  formId: string,
  body: PublicResponseBody,
  onProgress: (fraction: number) => void,
): Promise<PublicReceipt> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${base(formId)}/responses`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("Content-Type", "application/json");
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
        resolve(parsed as PublicReceipt);
      } else {
        reject(toApiError(xhr.status, parsed, xhr.getResponseHeader("x-request-id") ?? undefined));
      }
    };
    xhr.timeout = 60_000;
    xhr.send(JSON.stringify(body));
  });
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
