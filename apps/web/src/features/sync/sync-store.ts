import { useSyncExternalStore } from "react";

/*
 * What the sync indicator shows, as a tiny external store. It imports nothing heavy, so
 * the shell's indicator stays in the first-load bundle while Dexie and the engine load
 * on demand (sync-runtime.ts).
 */

export interface SyncError {
  /** A stable code: network_error, unauthenticated, forbidden, internal_error, … */
  code: string;
  at: number;
}

export interface SyncState {
  /** Sync runs for this session (a department scope with a field role). */
  enabled: boolean;
  online: boolean;
  /** Commands waiting to be sent (pending or being sent). */
  pending: number;
  /** Commands the server answered with a conflict, waiting for a person. */
  conflicts: number;
  /** Commands the server refused, waiting for a person to discard them. */
  rejected: number;
  /** ms since epoch of the last complete push + pull, or null. */
  lastSyncAt: number | null;
  syncing: boolean;
  lastError: SyncError | null;
  /** When the next automatic attempt is due after a failure (ms since epoch), or null. */
  retryAt: number | null;
}

const initialOnline = () => (typeof navigator === "undefined" ? true : navigator.onLine !== false);

export const INITIAL_SYNC_STATE: SyncState = {
  enabled: false,
  online: initialOnline(),
  pending: 0,
  conflicts: 0,
  rejected: 0,
  lastSyncAt: null,
  syncing: false,
  lastError: null,
  retryAt: null,
};

export interface SyncStore {
  get: () => SyncState;
  set: (patch: Partial<SyncState>) => void;
  subscribe: (listener: () => void) => () => void;
}

export function createSyncStore(initial: SyncState = INITIAL_SYNC_STATE): SyncStore {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set: (patch) => {
      let changed = false;
      for (const [k, v] of Object.entries(patch)) {
        if (state[k as keyof SyncState] !== v) changed = true;
      }
      if (!changed) return;
      state = { ...state, ...patch };
      for (const l of listeners) l();
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The one store of this tab. */
export const syncStore = createSyncStore();

/** The sync state, re-rendering on change. */
export function useSyncState(): SyncState {
  return useSyncExternalStore(syncStore.subscribe, syncStore.get, syncStore.get);
}

/** Commands on this device the server has not taken yet (sent, conflicting or refused). */
export function unsentCount(state: SyncState = syncStore.get()): number {
  return state.pending + state.conflicts + state.rejected;
}
