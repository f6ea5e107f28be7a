/**
 * Photos answering a form's photo questions, on the device: checked and (where the
 * browser can) shrunk when picked, kept until the answer is sent, uploaded before it.
 * The answer holds the photo's id, made here, so a retried upload is the same photo.
 * Where the photos are kept differs — in memory for staff typing in and for the public
 * link, in IndexedDB for door-to-door answers taken offline — behind `RunnerPhotos`.
 */
import type { PhotoAnswer } from "@kaveret/forms";
import { ApiError } from "../../api/client.ts";
// The public survey page loads this: the limits come without the contracts package (a
// test keeps them equal to FORM_PHOTO_LIMITS).
import { PHOTO_MAX_BYTES, type PHOTO_TYPES } from "../public-report/photo-files.ts";

export type PhotoProblemCode = "form.photo_too_large" | "form.photo_type";
export type PhotoType = (typeof PHOTO_TYPES)[number];

/** Longest side a photo is brought down to when its question does not say (max-pixels). */
export const DEFAULT_MAX_PIXELS = 2048;
/** Files larger than this are re-encoded even when small enough in pixels. */
const REENCODE_ABOVE_BYTES = 1.5 * 1024 * 1024;

/** A photo refused on the device or by the server; `code` is a stable error code. */
export class PhotoRefused extends Error {
  constructor(
    readonly code: PhotoProblemCode,
    /** The question the photo answers, when known (a refusal at send time). */
    readonly path: (string | number)[] = [],
  ) {
    super(code);
    this.name = "PhotoRefused";
  }
}

/** The type a file's first bytes say it is (as the server decides it), or null. */
export function sniffPhotoType(head: Uint8Array): PhotoType | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) {
    return "image/jpeg";
  }
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (head.length >= 8 && png.every((b, i) => head[i] === b)) return "image/png";
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  if (head.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp";
  return null;
}

async function headOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(0, 12).arrayBuffer());
}

/** What is wrong with a photo for sending, or null (the server's own checks, ahead of it). */
export async function photoProblem(blob: Blob): Promise<PhotoProblemCode | null> {
  if (blob.size <= 0) return "form.photo_type";
  if (blob.size > PHOTO_MAX_BYTES) return "form.photo_too_large";
  return sniffPhotoType(await headOf(blob)) ? null : "form.photo_type";
}

/** The longest side a question's photos are kept at (XLSForm `max-pixels`, else the default). */
export function maxPixelsOf(parameters: Record<string, string> | undefined): number {
  const n = Number(parameters?.["max-pixels"]);
  return Number.isInteger(n) && n >= 320 && n <= 8192 ? n : DEFAULT_MAX_PIXELS;
}

/**
 * A camera photo brought down to `maxPixels` on its longest side, as a JPEG (which also
 * leaves its location behind on the device); unchanged where the browser cannot decode it,
 * or when it is already small and of an accepted type.
 */
export async function shrinkPhoto(file: Blob, maxPixels: number): Promise<Blob> {
  if (typeof createImageBitmap !== "function" || typeof document === "undefined") return file;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return file;
  }
  try {
    const scale = Math.min(1, maxPixels / Math.max(bitmap.width, bitmap.height, 1));
    const accepted = sniffPhotoType(await headOf(file)) !== null;
    if (scale === 1 && accepted && file.size <= REENCODE_ABOVE_BYTES) return file;
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    const g = canvas.getContext("2d");
    if (!g) return file;
    g.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const out = await new Promise<Blob | null>((resolve) =>
      canvas.toBlob(resolve, "image/jpeg", 0.85),
    );
    return out && out.size > 0 ? out : file;
  } finally {
    bitmap.close();
  }
}

/** A picked file made ready to keep: shrunk where possible, then checked (throws PhotoRefused). */
export async function preparePickedPhoto(file: Blob, maxPixels: number): Promise<Blob> {
  const ready = await shrinkPhoto(file, maxPixels);
  const problem = await photoProblem(ready);
  if (problem) throw new PhotoRefused(problem);
  return ready;
}

/** Where the runner keeps the photos of the answer being filled in. */
export interface RunnerPhotos {
  /** Keeps a picked photo; resolves to its id (the answer), or rejects with PhotoRefused. */
  add(file: File, maxPixels: number): Promise<string>;
  /** A URL showing a kept photo, or null when this device does not hold it. */
  url(id: string): string | null;
  /** Lets go of a photo the answer no longer names. */
  remove(id: string): void;
}

/** Server codes that mean the photo itself was refused (anything else is not the photo's fault). */
export function photoRefusalOf(err: unknown): PhotoProblemCode | null {
  if (!(err instanceof ApiError)) return null;
  if (err.code === "form.photo_too_large" || err.code === "payload_too_large") {
    return "form.photo_too_large";
  }
  if (err.code === "form.photo_type" || err.code === "unsupported_media_type") {
    return "form.photo_type";
  }
  return null;
}

/**
 * Uploads the photos an answer names, one after another and each once, before the answer
 * is sent (the server refuses an answer naming a photo it lacks). A photo the server
 * refuses stops the send with PhotoRefused at its question; any other failure is thrown
 * as it came. A photo this device no longer holds is left for the server to name.
 */
export async function uploadAnswerPhotos(
  refs: readonly PhotoAnswer[],
  blobOf: (id: string) => Blob | undefined,
  put: (id: string, blob: Blob) => Promise<unknown>,
): Promise<number> {
  const done = new Set<string>();
  for (const ref of refs) {
    if (done.has(ref.id)) continue;
    const blob = blobOf(ref.id);
    if (!blob) continue;
    try {
      await put(ref.id, blob);
    } catch (err) {
      const refused = photoRefusalOf(err);
      if (refused) throw new PhotoRefused(refused, ref.path);
      throw err;
    }
    done.add(ref.id);
  }
  return done.size;
}

/** The issue shown at the question of a refused photo (translated as formRunner.issue.*). */
export function photoIssue(err: PhotoRefused) {
  return { path: err.path, code: err.code.replace("form.", ""), message: "" };
}
