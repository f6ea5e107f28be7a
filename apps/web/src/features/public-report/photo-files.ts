/**
 * Photo checks before upload (the server checks again): only JPEG, PNG or WebP, at most
 * 5 MB each, at most `max` of them. Shared by the public report page and the staff need page.
 */

export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
/** Photos a resident may send with one report. */
export const PUBLIC_MAX_PHOTOS = 3;

export type PhotoProblem = "type" | "size" | "count";

interface FileLike {
  name: string;
  type: string;
  size: number;
}

/** What is wrong with one file, or null. */
export function photoProblem(file: FileLike): Exclude<PhotoProblem, "count"> | null {
  if (!(PHOTO_TYPES as readonly string[]).includes(file.type.toLowerCase())) return "type";
  if (file.size > PHOTO_MAX_BYTES || file.size <= 0) return "size";
  return null;
}

/**
 * Adds newly picked files to those already chosen: the good ones while room is left,
 * the rest reported with why (wrong type, too large, one too many).
 */
export function addPhotos<T extends FileLike>(
  current: readonly T[],
  picked: readonly T[],
  max: number,
): { accepted: T[]; rejected: { file: T; problem: PhotoProblem }[] } {
  const accepted = [...current];
  const rejected: { file: T; problem: PhotoProblem }[] = [];
  for (const file of picked) {
    const problem = photoProblem(file);
    if (problem) rejected.push({ file, problem });
    else if (accepted.length >= max) rejected.push({ file, problem: "count" });
    else accepted.push(file);
  }
  return { accepted, rejected };
}

/** Bytes as people read them ("1.4 MB", "320 KB"), with Western digits. */
export function fileSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
