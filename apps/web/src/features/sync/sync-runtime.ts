import type { Role, Scope } from "@kaveret/contracts";
import { canWorkNeeds } from "../needs/needs-access.ts";
import type { SyncEngine } from "./sync-engine.ts";
import { clearOfflineSession } from "./sync-session.ts";
import { INITIAL_SYNC_STATE, syncStore, unsentCount } from "./sync-store.ts";

/*
 * The tab's one sync engine, for the signed-in user in the active department. Dexie and
 * the engine load on demand (dynamic import), so the shell's indicator costs the first
 * load only this file and the store.
 */

export interface SyncTarget {
  userId: string;
  departmentId: string;
  /** The X-Kaveret-Scope of that department. */
  scopeId: string;
}

/**
 * Who syncs: staff working needs, and volunteers (their emergency calls only), in a
 * department scope (the pull's own rule).
 */
export function syncTargetOf(session: {
  userId: string;
  scope: Scope | null;
  roles: readonly Role[];
  isResident: boolean;
}): SyncTarget | null {
  const { scope } = session;
  if (session.isResident || !scope || scope.kind !== "department" || !scope.departmentId) {
    return null;
  }
  if (!canWorkNeeds(session.roles) && !session.roles.includes("volunteer")) return null;
  return { userId: session.userId, departmentId: scope.departmentId, scopeId: scope.id };
}

/** Names a target (same user, department and scope: the same engine). */
export const targetKey = (t: SyncTarget | null): string =>
  t ? `${t.userId}|${t.departmentId}|${t.scopeId}` : "";

let current: { key: string; engine: Promise<SyncEngine | null> } | null = null;
let watching = false;

function onlineNow(): boolean {
  return typeof navigator === "undefined" || navigator.onLine !== false;
}

/** Keeps the indicator's online/offline state even where sync is off. */
function watchOnline(): void {
  if (watching || typeof window === "undefined") return;
  watching = true;
  window.addEventListener("online", () => syncStore.set({ online: true }));
  window.addEventListener("offline", () => syncStore.set({ online: false }));
}

async function start(target: SyncTarget): Promise<SyncEngine | null> {
  try {
    const [{ SyncEngine }, dbs, { deviceId }] = await Promise.all([
      import("./sync-engine.ts"),
      import("./sync-db.ts"),
      import("./sync-ids.ts"),
    ]);
    // A shared tablet: whoever used it before loses their records here (not their unsent work).
    await dbs.purgeOtherUsers(target.userId).catch(() => undefined);
    const device = deviceId();
    const db = await dbs.openSyncDb(target, device);
    const engine = new SyncEngine({
      db,
      deviceId: device,
      scopeId: target.scopeId,
      locks: typeof navigator !== "undefined" && navigator.locks ? navigator.locks : null,
      events: typeof window === "undefined" ? null : window,
      publish: (patch) => syncStore.set(patch),
    });
    engine.start();
    return engine;
  } catch {
    // No IndexedDB (a private window in some browsers, storage blocked): field work is off.
    syncStore.set({ enabled: false, lastError: { code: "storage_unavailable", at: Date.now() } });
    return null;
  }
}

/**
 * Runs sync for this target (null: none), stopping the previous one. Idempotent: the
 * same target returns the same engine.
 */
export function connectSync(target: SyncTarget | null): Promise<SyncEngine | null> {
  watchOnline();
  const key = targetKey(target);
  if (current && current.key === key) return current.engine;
  const previous = current;
  const engine = (async () => {
    await previous?.engine.then((e) => e?.close()).catch(() => undefined);
    syncStore.set({ ...INITIAL_SYNC_STATE, online: onlineNow() });
    return target ? start(target) : null;
  })();
  current = { key, engine };
  return engine;
}

/** The running engine, if any (waits for it to open). */
export function currentSyncEngine(): Promise<SyncEngine | null> {
  return current?.engine ?? Promise.resolve(null);
}

/** "Retry" in the indicator: a round now, whatever the backoff said. */
export function retrySync(): void {
  void currentSyncEngine().then((e) => e?.syncNow());
}

/**
 * Before signing out: tries to send what is waiting (up to `timeoutMs`); answers how many
 * commands would be lost by signing out now (for a "sign out anyway?" question).
 */
export async function flushBeforeSignOut(timeoutMs = 4_000): Promise<number> {
  const engine = await currentSyncEngine();
  if (engine && onlineNow() && syncStore.get().pending > 0) {
    await Promise.race([
      engine.syncNow().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, timeoutMs)),
    ]);
  }
  return unsentCount();
}

/**
 * Sign-out: stops sync and deletes every sync database in this browser, with the
 * remembered session, so a shared tablet keeps nothing of its last user.
 */
export async function wipeOnSignOut(): Promise<void> {
  const previous = current;
  current = null;
  await previous?.engine.then((e) => e?.close()).catch(() => undefined);
  clearOfflineSession();
  try {
    const dbs = await import("./sync-db.ts");
    await dbs.deleteSyncDbs(await dbs.allSyncDbNames());
  } finally {
    syncStore.set({ ...INITIAL_SYNC_STATE, online: onlineNow() });
  }
}
