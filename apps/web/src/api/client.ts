/** The one way the web app talks to the server: JSON over fetch, cookies, active scope header. */

export const SCOPE_STORAGE_KEY = "kaveret.scope";
export const SCOPE_HEADER = "X-Kaveret-Scope";

/** A field problem from a validation_failed error (or from client-side validation). */
export interface FieldIssue {
  path: string[];
  message: string;
  code: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly requestId: string | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    details?: unknown,
    requestId?: string,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
  }
}

/** better-auth answers `{ code: "INVALID_EMAIL_OR_PASSWORD", message }`; map to our stable codes. */
const AUTH_CODE_MAP: Record<string, string> = {
  INVALID_EMAIL_OR_PASSWORD: "invalid_credentials",
  INVALID_EMAIL: "invalid_credentials",
  INVALID_PASSWORD: "invalid_password",
  CREDENTIAL_ACCOUNT_NOT_FOUND: "invalid_credentials",
  USER_NOT_FOUND: "invalid_credentials",
  INVALID_OTP: "invalid_code",
  INVALID_CODE: "invalid_code",
  INVALID_TWO_FACTOR_CODE: "invalid_code",
  INVALID_BACKUP_CODE: "invalid_code",
  OTP_EXPIRED: "code_expired",
  OTP_HAS_EXPIRED: "code_expired",
  TOO_MANY_ATTEMPTS: "rate_limited",
  TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE: "rate_limited",
  INVALID_PHONE_NUMBER: "invalid_phone_number",
  ACCOUNT_LOCKED: "account_locked",
  TOO_MANY_REQUESTS: "rate_limited",
};

function statusCode(status: number): string {
  if (status === 400) return "bad_request";
  if (status === 401) return "unauthenticated";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 413) return "payload_too_large";
  if (status === 423) return "account_locked";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "internal_error";
  return "bad_request";
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Turns any error body (ours, better-auth's, or none) into an ApiError. */
export function toApiError(status: number, body: unknown, headerRequestId?: string): ApiError {
  if (isRecord(body) && isRecord(body.error) && typeof body.error.code === "string") {
    const e = body.error;
    // Auth failures wrapped by our server keep better-auth's code in details.authCode.
    const authCode =
      isRecord(e.details) && typeof e.details.authCode === "string" ? e.details.authCode : "";
    const code: string = AUTH_CODE_MAP[authCode] ?? body.error.code;
    return new ApiError(
      status,
      code,
      typeof e.message === "string" ? e.message : code,
      e.details,
      typeof e.requestId === "string" ? e.requestId : headerRequestId,
    );
  }
  if (isRecord(body) && typeof body.code === "string") {
    const raw = body.code;
    const code = AUTH_CODE_MAP[raw] ?? (/^[a-z_.]+$/.test(raw) ? raw : statusCode(status));
    const message = typeof body.message === "string" ? body.message : raw;
    return new ApiError(status, code, message, body.details, headerRequestId);
  }
  const message =
    isRecord(body) && typeof body.message === "string" ? body.message : `HTTP ${status}`;
  return new ApiError(status, statusCode(status), message, undefined, headerRequestId);
}

/** Field issues of a validation_failed error: `details.issues[]`. */
export function issuesOf(err: unknown): FieldIssue[] {
  if (!(err instanceof ApiError) || !isRecord(err.details)) return [];
  const issues = err.details.issues;
  if (!Array.isArray(issues)) return [];
  const out: FieldIssue[] = [];
  for (const i of issues) {
    if (!isRecord(i)) continue;
    const path = Array.isArray(i.path) ? i.path.map((p) => String(p)) : [];
    out.push({
      path,
      message: typeof i.message === "string" ? i.message : "",
      code: typeof i.code === "string" ? i.code : "invalid",
    });
  }
  return out;
}

export type QueryValue = string | number | boolean | null | undefined;

/** `?a=1&b=x`, leaving out empty values; "" when nothing is left. */
export function buildQuery(params: Record<string, QueryValue>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === "") continue;
    sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : "";
}

export function readScope(): string | null {
  try {
    return localStorage.getItem(SCOPE_STORAGE_KEY);
  } catch {
    return null;
  }
}

export function writeScope(id: string | null): void {
  try {
    if (id) localStorage.setItem(SCOPE_STORAGE_KEY, id);
    else localStorage.removeItem(SCOPE_STORAGE_KEY);
  } catch {
    // Storage unavailable: the server falls back to the first scope.
  }
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  body?: unknown;
  /** A file sent as the body itself (not JSON), with its content type; instead of `body`. */
  file?: { data: Blob; type: string };
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
}

/**
 * One request and its JSON answer: a network failure is ApiError `network_error` (an abort
 * stays an AbortError), an error status the server's error as ApiError.
 */
export async function fetchJson<T>(url: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, "network_error", "Network error");
  }
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!res.ok) throw toApiError(res.status, parsed, res.headers.get("x-request-id") ?? undefined);
  return parsed as T;
}

/**
 * A JSON request to a public endpoint (report a need, a survey by link, area alerts): no
 * account, no department header and no cookies, so those pages work the same inside another
 * site's iframe or opened from a QR code on any phone.
 */
export function publicJson<T>(
  method: "GET" | "POST" | "DELETE",
  url: string,
  options: { body?: unknown; signal?: AbortSignal | undefined } = {},
): Promise<T> {
  const { body, signal } = options;
  return fetchJson<T>(url, {
    method,
    headers: {
      Accept: "application/json",
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    credentials: "omit",
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    ...(signal ? { signal } : {}),
  });
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = "GET", body, file, query, signal } = options;
  const headers: Record<string, string> = { Accept: "application/json" };
  const scope = readScope();
  if (scope) headers[SCOPE_HEADER] = scope;
  if (file) headers["Content-Type"] = file.type;
  else if (body !== undefined) headers["Content-Type"] = "application/json";
  return fetchJson<T>(path + (query ? buildQuery(query) : ""), {
    method,
    headers,
    credentials: "include",
    body: file ? file.data : body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
}

export const apiGet = <T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal) =>
  api<T>(path, { query, signal });
export const apiPost = <T>(path: string, body: unknown = {}) =>
  api<T>(path, { method: "POST", body });
export const apiPatch = <T>(path: string, body: unknown) => api<T>(path, { method: "PATCH", body });
export const apiPut = <T>(path: string, body: unknown) => api<T>(path, { method: "PUT", body });

/**
 * An upload with progress (XMLHttpRequest: fetch has none, and slow phone connections need
 * it); the answer parsed, or an ApiError. `contentType` undefined lets the browser set it
 * (multipart FormData). Without cookies unless `withCredentials`.
 */
export function sendWithProgress<T>(
  method: "POST" | "PUT",
  url: string,
  body: string | Blob | FormData,
  options: {
    contentType?: string | undefined;
    headers?: Record<string, string>;
    withCredentials?: boolean;
    onProgress: (fraction: number) => void;
    timeoutMs: number;
  },
): Promise<T> {
  const { contentType, headers = {}, withCredentials = false, onProgress, timeoutMs } = options;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.setRequestHeader("Accept", "application/json");
    if (contentType) xhr.setRequestHeader("Content-Type", contentType);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.withCredentials = withCredentials;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, "network_error", "Network error"));
    xhr.ontimeout = () => reject(new ApiError(0, "network_error", "Timeout"));
    xhr.onload = () => {
      let parsed: unknown = undefined;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        parsed = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(parsed as T);
      } else {
        reject(toApiError(xhr.status, parsed, xhr.getResponseHeader("x-request-id") ?? undefined));
      }
    };
    xhr.timeout = timeoutMs;
    xhr.send(body);
  });
}
