import Dexie, { type Table } from "dexie";
import type {
  FieldAssignment,
  Call,
  NeedStatus,
  NeedUrgency,
  SyncCommand,
  SyncCommandResult,
} from "@kaveret/contracts";

/*
 * The device's copy (shared/engineering/SYNC.md): one IndexedDB database per signed-in
 * user and department, so a scope switch never mixes departments and sign-out deletes
 * exactly one user's data.
 */

/** A need as this device shows it: the server's record with the unsent commands applied. */
export interface NeedRecord {
  id: string;
  /** The server's reference (N-2026-0042); null until the server has made the need. */
  reference: string | null;
  channel: string;
  status: NeedStatus;
  category: string | null;
  urgency: NeedUrgency;
  description: string;
  language: string;
  community: { id: string; name: string } | null;
  communityId: string | null;
  addressText: string;
  location: { lat: number; lon: number } | null;
  createdAt: string;
  updatedAt: string;
  /** The server's version; null for a need made on this device and not confirmed yet. */
  version: number | null;
  /** Notes written on this device and not sent yet. */
  notes: { id: string; text: string; at: string }[];
}

export interface NeedRow extends NeedRecord {
  /** The server's state (as last pulled or confirmed): what unsent commands are rebased on. */
  server: NeedRecord | null;
  /** Unsent commands touching this need. */
  pending: number;
  /** A command about it waits for a person. */
  problem: "conflict" | "rejected" | null;
}

/**
 * An emergency call held by this device's user (pulled while it is theirs): the server's
 * call with the outcomes recorded here and not sent yet applied (sync-apply.ts).
 */
export interface CallRow extends Call {
  /** The call as last pulled: what unsent outcomes are applied on. */
  server: Call | null;
  /** Outcomes recorded on this device and not sent yet. */
  pending: number;
  /** An outcome the server refused waits for a person (the sync issues page). */
  problem: "rejected" | null;
}

/** An open form pulled for field work. */
export interface FormRow {
  id: string;
  title: string;
  status: string;
  anonymous: boolean;
  definition: unknown;
  version: number;
}

/** A door-to-door assignment of this user (a street or building of an open form), as pulled. */
export type AssignmentRow = FieldAssignment;

export type OutboxStatus = "pending" | "sending" | "conflict" | "rejected";
export type SyncConflict = NonNullable<SyncCommandResult["conflicts"]>[number];

export interface OutboxMeta {
  /** Device order (auto-increment, shared by every tab): commands are pushed in it. */
  seq?: number;
  /** The need the command is about (need.*), the form answered (form.response), or the call. */
  recordId: string;
  createdAt: string;
  attempts: number;
  lastError: { code: string; message: string } | null;
  status: OutboxStatus;
  /** status conflict: the fields both sides changed. */
  conflicts?: SyncConflict[];
  currentVersion?: number;
}

/** A command in the outbox: the command as sent, plus its sending state. */
export type OutboxEntry = SyncCommand & OutboxMeta;

export interface CachedCategory {
  code: string;
  labels: { he: string; ar: string; en: string; ru: string; am: string };
  active: boolean;
  sortOrder: number;
}

export interface MetaState {
  key: "state";
  /** The pull cursor: changes after it are still to come. */
  cursor: number;
  deviceId: string;
  lastSyncAt: number | null;
}
export interface MetaCategories {
  key: "categories";
  items: CachedCategory[];
  savedAt: number;
}
/** Cross-tab sync lease where the Web Locks API is missing (plain HTTP). */
export interface MetaLease {
  key: "lease";
  owner: string;
  until: number;
}
/**
 * An answer to a form being filled in on this device, kept as it is typed so a reload, a
 * killed tab or a flat battery loses nothing. Goes when the answer is saved or cleared,
 * and with the database at sign-out.
 */
export interface MetaDraft {
  key: `draft:${string}`;
  formId: string;
  /** The answer's id (made on the device): the same after a restore, so it is stored once. */
  answerId: string;
  answers: Record<string, unknown>;
  language: string;
  savedAt: number;
}
export const draftKey = (formId: string): MetaDraft["key"] => `draft:${formId}`;
export type MetaRow = MetaState | MetaCategories | MetaLease | MetaDraft;

/**
 * A photo answering a photo question, kept on the device with the answer that names it
 * (while typed: its draft; once saved: its form.response command) until the server has
 * both. Uploaded before the command, under its device-made id (a retry is the same photo);
 * goes when the command is applied or discarded, with the database at sign-out.
 */
export interface PhotoRow {
  /** The photo's id: the answer's value. */
  id: string;
  formId: string;
  /** The answer (form.response args.id) it belongs to. */
  answerId: string;
  blob: Blob;
  createdAt: number;
  /** The server has it (the command may still wait). */
  uploaded: boolean;
  /** The server refused it (a stable code): the answer waits for a person. */
  refused?: string;
}

export class SyncDb extends Dexie {
  needs!: Table<NeedRow, string>;
  forms!: Table<FormRow, string>;
  assignments!: Table<AssignmentRow, string>;
  calls!: Table<CallRow, string>;
  outbox!: Table<OutboxEntry, number>;
  meta!: Table<MetaRow, string>;
  photos!: Table<PhotoRow, string>;

  constructor(name: string) {
    super(name);
    this.version(1).stores({
      needs: "id, communityId, updatedAt",
      forms: "id",
      outbox: "++seq, &id, status, recordId",
      meta: "key",
    });
    // Door-to-door assignments (the whole list comes with each pull's last page).
    this.version(2).stores({ assignments: "id, formId" });
    // Emergency calls (journey 5); the other tables carry over unchanged.
    this.version(3).stores({ calls: "id, emergencyId, status" });
    // Photos of survey answers taken offline, kept with their answer until it is sent.
    this.version(4).stores({ photos: "id, answerId" });
  }
}

export const DB_PREFIX = "kaveret-sync";
const REGISTRY_KEY = "kaveret.syncDbs";

export interface SyncOwner {
  userId: string;
  departmentId: string;
}

/** The database name of a user in a department (both in it: one database per pair). */
export function syncDbName(owner: SyncOwner): string {
  return `${DB_PREFIX}:${encodeURIComponent(owner.userId)}:${encodeURIComponent(owner.departmentId)}`;
}

/** The user a database belongs to, or null when the name is not one of ours. */
export function ownerOfDbName(name: string): string | null {
  const parts = name.split(":");
  if (parts.length !== 3 || parts[0] !== DB_PREFIX) return null;
  try {
    return decodeURIComponent(parts[1] ?? "");
  } catch {
    return null;
  }
}

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

/** Names of sync databases opened in this browser (kept where indexedDB.databases() is missing). */
export function registeredDbNames(): string[] {
  try {
    const raw = storage()?.getItem(REGISTRY_KEY);
    const list: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(list) ? list.filter((n): n is string => typeof n === "string") : [];
  } catch {
    return [];
  }
}

function writeRegistry(names: string[]): void {
  try {
    const s = storage();
    if (!s) return;
    if (names.length) s.setItem(REGISTRY_KEY, JSON.stringify([...new Set(names)]));
    else s.removeItem(REGISTRY_KEY);
  } catch {
    // Storage blocked: indexedDB.databases() still finds them where it exists.
  }
}

/** Opens (creating if needed) the database of a user in a department. */
export async function openSyncDb(owner: SyncOwner, deviceId: string): Promise<SyncDb> {
  const name = syncDbName(owner);
  writeRegistry([...registeredDbNames(), name]);
  const db = new SyncDb(name);
  await db.open();
  await db.transaction("rw", db.meta, async () => {
    const state = await db.meta.get("state");
    if (!state) await db.meta.put({ key: "state", cursor: 0, deviceId, lastSyncAt: null });
  });
  return db;
}

/** Every sync database in this browser. */
export async function allSyncDbNames(): Promise<string[]> {
  const names = new Set(registeredDbNames());
  try {
    const listed = await Dexie.getDatabaseNames();
    for (const n of listed) if (ownerOfDbName(n) !== null) names.add(n);
  } catch {
    // Older browsers without indexedDB.databases(): the registry has what we opened.
  }
  return [...names];
}

/** Deletes sync databases by name (an open connection elsewhere closes on Dexie's versionchange). */
export async function deleteSyncDbs(names: readonly string[]): Promise<void> {
  for (const name of names) await Dexie.delete(name);
  const gone = new Set(names);
  writeRegistry(registeredDbNames().filter((n) => !gone.has(n)));
}

/**
 * Another user's databases in this browser (a shared tablet whose last user never signed
 * out): their records go at once; a database still holding unsent commands keeps only
 * those, so that user's acknowledged work is not lost, and goes when they sign out.
 */
export async function purgeOtherUsers(userId: string): Promise<void> {
  const others = (await allSyncDbNames()).filter((n) => {
    const owner = ownerOfDbName(n);
    return owner !== null && owner !== userId;
  });
  const empty: string[] = [];
  for (const name of others) {
    const db = new SyncDb(name);
    try {
      await db.open();
      const unsent = await db.outbox.count();
      if (unsent === 0) empty.push(name);
      else {
        await db.transaction(
          "rw",
          [db.needs, db.forms, db.assignments, db.calls, db.meta, db.photos, db.outbox],
          async () => {
            // Photos of their saved answers stay with them; those of answers being typed go.
            const saved = new Set(
              (await db.outbox.toArray()).flatMap((e) =>
                e.name === "form.response" ? [e.args.id] : [],
              ),
            );
            await db.photos.filter((p) => !saved.has(p.answerId)).delete();
            await db.needs.clear();
            await db.forms.clear();
            await db.assignments.clear();
            await db.calls.clear();
            await db.meta.delete("categories");
            // Answers they were typing are theirs too (a saved answer waits in the outbox).
            await db.meta.where("key").startsWith("draft:").delete();
            const state = await db.meta.get("state");
            if (state?.key === "state") await db.meta.put({ ...state, cursor: 0 });
          },
        );
      }
    } finally {
      db.close();
    }
  }
  await deleteSyncDbs(empty);
}
