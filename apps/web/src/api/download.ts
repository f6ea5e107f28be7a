import { ApiError, SCOPE_HEADER, readScope, toApiError } from "./client.ts";

/** The file name of a Content-Disposition header (the UTF-8 form first). */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (utf8) {
    try {
      return decodeURIComponent(utf8);
    } catch {
      // fall through to the plain name
    }
  }
  return /filename="([^"]+)"/i.exec(disposition)?.[1] ?? fallback;
}

/**
 * Downloads a file from the API with the active department's scope header (a plain
 * link cannot send it) and saves it under the server's file name. Errors come back
 * as ApiError with the server's code.
 */
export async function downloadFile(url: string, fallbackName: string): Promise<void> {
  const headers: Record<string, string> = {};
  const scope = readScope();
  if (scope) headers[SCOPE_HEADER] = scope;
  let res: Response;
  try {
    res = await fetch(url, { headers, credentials: "include" });
  } catch {
    throw new ApiError(0, "network_error", "Network error");
  }
  if (!res.ok) {
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    throw toApiError(res.status, body, res.headers.get("x-request-id") ?? undefined);
  }
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = href;
  a.download = fileNameOf(res.headers.get("content-disposition"), fallbackName);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
