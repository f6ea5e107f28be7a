import type { Me } from "@kaveret/contracts";

/*
 * The last signed-in session, so the shell can open offline (GET /api/me cannot answer
 * there) and the field pages reach the device's data. It holds only what /api/me says
 * about the user themself, and sign-out removes it with the sync databases.
 */

export const OFFLINE_SESSION_KEY = "kaveret.offlineSession";

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

/** Remembers the session (call whenever /api/me answered, for staff). */
export function saveOfflineSession(me: Me): void {
  try {
    storage()?.setItem(OFFLINE_SESSION_KEY, JSON.stringify(me));
  } catch {
    // Storage full or blocked: the shell simply will not open offline.
  }
}

function isMe(v: unknown): v is Me {
  if (typeof v !== "object" || v === null) return false;
  const m = v as Partial<Me>;
  return (
    typeof m.user === "object" &&
    m.user !== null &&
    typeof m.user.id === "string" &&
    Array.isArray(m.scopes) &&
    typeof m.twoFactorRequired === "boolean"
  );
}

/** The remembered session, or null. */
export function readOfflineSession(): Me | null {
  try {
    const raw = storage()?.getItem(OFFLINE_SESSION_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    return isMe(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export function clearOfflineSession(): void {
  try {
    storage()?.removeItem(OFFLINE_SESSION_KEY);
  } catch {
    // Nothing to clear.
  }
}
