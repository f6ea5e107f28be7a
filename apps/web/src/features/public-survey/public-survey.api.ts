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
import { sendWithProgress, publicJson } from "../../api/client.ts";

export type PublicForm = z.infer<typeof publicFormSchema>;
export type PublicResponseBody = z.input<typeof publicResponseBodySchema>;
export type PublicReceipt = z.infer<typeof publicResponseReceiptSchema>;

const base = (formId: string) => `/api/public/forms/${encodeURIComponent(formId)}`;

export const fetchPublicForm = (formId: string, signal?: AbortSignal): Promise<PublicForm> =>
  publicJson<PublicForm>("GET", base(formId), { signal });

/** Sends the answers (after their photos). */
export function sendPublicResponse(
  formId: string,
  body: PublicResponseBody,
  onProgress: (fraction: number) => void,
): Promise<PublicReceipt> {
  return sendWithProgress<PublicReceipt>(
    "POST",
    `${base(formId)}/responses`,
    JSON.stringify(body),
    { contentType: "application/json", onProgress, timeoutMs: 60_000 },
  );
}

/** Uploads a photo of the answer about to be sent, under the id made on this device. */
export function sendPublicPhoto(
  formId: string,
  photoId: string,
  photo: Blob,
  onProgress: (fraction: number) => void,
): Promise<unknown> {
  return sendWithProgress<unknown>(
    "PUT",
    `${base(formId)}/photos/${encodeURIComponent(photoId)}`,
    photo,
    { contentType: photo.type || "image/jpeg", onProgress, timeoutMs: 60_000 },
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
