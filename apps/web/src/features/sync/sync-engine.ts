import { liveQuery, type Subscription } from "dexie";
import {
  SYNC_LIMITS,
  type Call,
  type CallOutcome,
  type CallOutcomeBody,
  syncCommandSchema,
  syncPullSchema,
  syncPushResultSchema,
  type SyncCommand,
  type SyncCommandResult,
} from "@kaveret/contracts";
import { SCOPE_HEADER, toApiError } from "../../api/client.ts";
import {
  SYNC_TIMING,
  applyCallOutcome,
  applyCommand,
  backoffDelay,
  confirmCallOnServer,
  confirmOnServer,
  readPulledCall,
  readPulledForm,
  readPulledNeed,
  rebase,
  rebaseCall,
  recordIdOf,
  resolveConflict,
  type ConflictChoice,
  type NeedFields,
  type NewSyncCommand,
} from "./sync-apply.ts";
import {
  draftKey,
  type CachedCategory,
  type CallRow,
  type MetaDraft,
  type NeedRecord,
  type NeedRow,
  type OutboxEntry,
  type PhotoRow,
  type SyncDb,
} from "./sync-db.ts";
import { answerStrings, withoutValues } from "./sync-photos.ts";
import { newCommandId, newRecordId } from "./sync-ids.ts";
import type { SyncError, SyncState } from "./sync-store.ts";

/*
 * The device half of the sync protocol (shared/engineering/SYNC.md).
 *
 * The UI writes through commands: `enqueue` applies one to the local tables and appends
 * it to the outbox in one IndexedDB transaction. `syncNow` pushes the outbox in device
 * order and pulls changes after the saved cursor. A command leaves the outbox only when
 * the server answered it `ok`; a conflict or a refusal stays for a person. A lost answer,
 * a killed tab or a dead server leave commands `pending` (or `sending`, recovered at the
 * next round), and they are sent again: the server answers a replay with the stored
 * result, so nothing is applied twice and nothing is lost.
 *
 * Photos of survey answers wait in the `photos` table with their answer and are uploaded
 * (under their device-made ids, so a retry is the same photo) before the form.response
 * command naming them is pushed: the server never gets an answer whose photo it lacks.
 */

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;
/** The part of the Web Locks API used: one sync at a time per database, across tabs. */
export interface LockLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}
type EventSource = Pick<Window, "addEventListener" | "removeEventListener">;

export interface SyncEngineOptions {
  db: SyncDb;
  deviceId: string;
  /** The X-Kaveret-Scope the database belongs to (never the scope shown later). */
  scopeId: string | null;
  fetch?: FetchLike;
  now?: () => number;
  random?: () => number;
  isOnline?: () => boolean;
  /** navigator.locks; null uses a lease row in the database (plain HTTP has no Web Locks). */
  locks?: LockLike | null;
  /** Where online/offline events come from (window in the browser). */
  events?: EventSource | null;
  publish?: (patch: Partial<SyncState>) => void;
  batchSize?: number;
  pullLimit?: number;
  /** Watch the outbox for changes made in other tabs (Dexie liveQuery). */
  watch?: boolean;
}

export type SyncOutcome =
  | { status: "done" }
  | { status: "offline" }
  | { status: "busy" }
  | { status: "stopped" }
  | { status: "failed"; error: SyncError };

class SyncFailure extends Error {
  constructor(
    readonly code: string,
    /** Worth retrying soon (network, server trouble) rather than at the normal pace. */
    readonly retryable: boolean,
  ) {
    super(code);
  }
}

const UNSENT = ["pending", "sending"] as const;
const needCommand = (e: { name: string }) => e.name.startsWith("need.");
const callCommand = (e: { name: string }) => e.name === "emergency.call_outcome";
const toWire = (e: OutboxEntry): SyncCommand =>
  ({ id: e.id, name: e.name, args: e.args }) as SyncCommand;

/** Indexes of commands a 400 validation_failed answer names (`body.commands.3.args…`). */
function badCommandIndexes(body: unknown): number[] {
  const err = (body as { error?: { details?: { issues?: unknown } } } | null)?.error;
  const issues = Array.isArray(err?.details?.issues) ? err.details.issues : [];
  const out = new Set<number>();
  for (const issue of issues) {
    const path = (issue as { path?: unknown }).path;
    if (!Array.isArray(path)) continue;
    const at = path.findIndex((p) => String(p) === "commands");
    const index = at >= 0 ? Number(path[at + 1]) : NaN;
    if (Number.isInteger(index) && index >= 0) out.add(index);
  }
  return [...out];
}

export class SyncEngine {
  readonly db: SyncDb;
  private readonly opts: Required<
    Pick<SyncEngineOptions, "fetch" | "now" | "random" | "isOnline" | "publish">
  > &
    SyncEngineOptions;
  private readonly tabId = newRecordId();
  private readonly batchSize: number;
  private readonly pullLimit: number;
  private running: Promise<SyncOutcome> | null = null;
  private again = false;
  private started = false;
  private stopped = false;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private watcher: Subscription | null = null;
  private readonly abort = new AbortController();

  constructor(options: SyncEngineOptions) {
    this.db = options.db;
    this.opts = {
      fetch: (input, init) => fetch(input, init),
      now: () => Date.now(),
      random: Math.random,
      isOnline: () => typeof navigator === "undefined" || navigator.onLine !== false,
      publish: () => undefined,
      ...options,
    };
    this.batchSize = Math.min(options.batchSize ?? SYNC_LIMITS.commandsPerPush, 100);
    this.pullLimit = Math.min(options.pullLimit ?? SYNC_LIMITS.pullPage, SYNC_LIMITS.pullPage);
  }

  /* ---------------------------------------------------------------- */
  /* Lifecycle and triggers.                                            */
  /* ---------------------------------------------------------------- */

  /** Starts the triggers: now, on `online`, every 30 s while online, after each enqueue. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    const events = this.opts.events;
    events?.addEventListener("online", this.onOnline);
    events?.addEventListener("offline", this.onOffline);
    if (this.opts.watch !== false) {
      // Counts follow changes from other tabs too (Dexie broadcasts them).
      this.watcher = liveQuery(() => this.counts()).subscribe({
        next: (c) => this.opts.publish(c),
        error: () => undefined,
      });
    }
    this.opts.publish({ enabled: true, online: this.opts.isOnline() });
    void this.loadMeta();
    void this.syncNow();
  }

  /** Stops triggers and in-flight requests; waits for a running round to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.started = false;
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.opts.events?.removeEventListener("online", this.onOnline);
    this.opts.events?.removeEventListener("offline", this.onOffline);
    this.watcher?.unsubscribe();
    this.watcher = null;
    await this.running?.catch(() => undefined);
  }

  /** Stops and closes the database (before it is deleted). */
  async close(): Promise<void> {
    await this.stop();
    this.db.close();
  }

  private readonly onOnline = () => {
    this.opts.publish({ online: true });
    this.failures = 0;
    void this.syncNow();
  };

  private readonly onOffline = () => {
    this.opts.publish({ online: false });
  };

  private schedule(delay: number): void {
    if (!this.started || this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.syncNow();
    }, delay);
  }

  private async loadMeta(): Promise<void> {
    const state = await this.db.meta.get("state").catch(() => undefined);
    if (state?.key === "state") this.opts.publish({ lastSyncAt: state.lastSyncAt });
    this.opts.publish(await this.counts().catch(() => ({})));
  }

  /** Unsent, conflicting and refused commands. */
  async counts(): Promise<Pick<SyncState, "pending" | "conflicts" | "rejected">> {
    const [pending, conflicts, rejected] = await Promise.all([
      this.db.outbox.where("status").anyOf(UNSENT).count(),
      this.db.outbox.where("status").equals("conflict").count(),
      this.db.outbox.where("status").equals("rejected").count(),
    ]);
    return { pending, conflicts, rejected };
  }

  private async publishCounts(): Promise<void> {
    if (this.stopped) return;
    this.opts.publish(await this.counts());
  }

  /* ---------------------------------------------------------------- */
  /* Local writes.                                                      */
  /* ---------------------------------------------------------------- */

  /**
   * Validates a command with the server's own schema, applies it to the local tables and
   * appends it to the outbox, in one transaction; then syncs when online. `clearDraft`: the
   * form whose kept draft this command saves (it goes in the same transaction, so a killed
   * tab leaves either the draft or the command, never both nor neither).
   */
  async enqueue(
    command: NewSyncCommand,
    options: { clearDraft?: string } = {},
  ): Promise<OutboxEntry> {
    const now = this.opts.now();
    const parsed = syncCommandSchema.parse({ ...command, id: newCommandId(now) });
    const entry: OutboxEntry = {
      ...parsed,
      recordId: recordIdOf(parsed),
      createdAt: new Date(now).toISOString(),
      attempts: 0,
      lastError: null,
      status: "pending",
    };
    const { db } = this;
    await db.transaction("rw", [db.needs, db.calls, db.outbox, db.meta, db.photos], async () => {
      entry.seq = await db.outbox.add(entry);
      if (options.clearDraft) await db.meta.delete(draftKey(options.clearDraft));
      if (entry.name === "form.response") {
        // Photos picked for this answer and replaced or removed since are not sent.
        const named = answerStrings(entry.args.answers);
        await db.photos
          .where("answerId")
          .equals(entry.args.id)
          .filter((p) => !named.has(p.id))
          .delete();
        return;
      }
      if (entry.name === "emergency.call_outcome") {
        const call = await db.calls.get(entry.recordId);
        if (!call) return;
        await db.calls.put({
          ...applyCallOutcome(call, entry.args, entry.createdAt),
          server: call.server,
          pending: call.pending + 1,
          problem: call.problem,
        });
        return;
      }
      if (!needCommand(entry)) return;
      const row = await db.needs.get(entry.recordId);
      const next = applyCommand(row ?? null, entry);
      if (!next) return;
      await db.needs.put({
        ...next,
        server: row?.server ?? null,
        pending: (row?.pending ?? 0) + 1,
        problem: row?.problem ?? null,
      });
    });
    void this.publishCounts();
    if (this.started && this.opts.isOnline()) void this.syncNow();
    return entry;
  }

  /**
   * An edit of a need as the device shows it: the base is what the person saw (unsent
   * edits included), on the last version the device knows of.
   */
  async enqueueNeedUpdate(needId: string, changes: NeedFields): Promise<OutboxEntry | null> {
    const row = await this.db.needs.get(needId);
    if (!row) throw new Error(`need ${needId} is not on this device`);
    const base: Record<string, unknown> = {};
    const changed: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(changes)) {
      if (value === undefined || field === "reason") continue;
      const seen = (row as unknown as Record<string, unknown>)[field];
      if (seen === value) continue;
      base[field] = seen;
      changed[field] = value;
    }
    if (Object.keys(changed).length === 0) return null;
    if (changed.status !== undefined && changes.reason) changed.reason = changes.reason;
    return this.enqueue({
      name: "need.update",
      args: { needId, baseVersion: row.version ?? 1, base, changes: changed },
    });
  }

  /**
   * A call's outcome recorded on this device (a call worked offline too): the attempt id
   * is made here, so however often it is sent, the server records it once.
   */
  async enqueueCallOutcome(
    callId: string,
    outcome: { outcome: CallOutcome; note?: string; help?: CallOutcomeBody["help"] },
  ): Promise<OutboxEntry> {
    return this.enqueue({
      name: "emergency.call_outcome",
      args: {
        callId,
        attemptId: newRecordId(),
        outcome: outcome.outcome,
        note: outcome.note ?? "",
        ...(outcome.help ? { help: outcome.help } : {}),
        at: new Date(this.opts.now()).toISOString(),
      },
    });
  }

  /**
   * A person's choice on a conflicting edit: the kept fields go again on the server's
   * version (with its values as their base); the rest is dropped.
   */
  async resolveConflict(
    commandId: string,
    choose: ConflictChoice | ((field: string) => ConflictChoice),
  ): Promise<void> {
    const pick = typeof choose === "function" ? choose : () => choose;
    const { db } = this;
    const now = this.opts.now();
    await db.transaction("rw", [db.needs, db.outbox], async () => {
      const entry = await db.outbox.where("id").equals(commandId).first();
      if (!entry || entry.status !== "conflict") return;
      const next = resolveConflict(entry, pick);
      await db.outbox.delete(entry.seq!);
      if (next) {
        await this.addPending(
          syncCommandSchema.parse({ ...next, id: newCommandId(now) }),
          entry,
          now,
        );
      }
      await this.recompute(entry.recordId);
    });
    void this.publishCounts();
    if (this.started && this.opts.isOnline()) void this.syncNow();
  }

  /** Drops a refused (or conflicting) command; its optimistic effect goes with it. */
  async discard(commandId: string): Promise<void> {
    const { db } = this;
    await db.transaction("rw", [db.needs, db.calls, db.outbox, db.photos], async () => {
      const entry = await db.outbox.where("id").equals(commandId).first();
      if (!entry || (entry.status !== "rejected" && entry.status !== "conflict")) return;
      await db.outbox.delete(entry.seq!);
      if (entry.name === "form.response") {
        await db.photos.where("answerId").equals(entry.args.id).delete();
      }
      if (callCommand(entry)) await this.recomputeCall(entry.recordId);
      else await this.recompute(entry.recordId);
    });
    void this.publishCounts();
  }

  /** Keeps the answer being typed into a form (see MetaDraft). */
  async saveDraft(draft: Omit<MetaDraft, "key" | "savedAt">): Promise<void> {
    await this.db.meta.put({ ...draft, key: draftKey(draft.formId), savedAt: this.opts.now() });
  }

  /** The kept answer being typed into a form, if any. */
  async draft(formId: string): Promise<MetaDraft | null> {
    const row = await this.db.meta.get(draftKey(formId));
    return row && row.key === draftKey(formId) ? (row as MetaDraft) : null;
  }

  async clearDraft(formId: string): Promise<void> {
    await this.db.meta.delete(draftKey(formId));
  }

  /** Keeps a photo picked for an answer being typed (see PhotoRow). */
  async keepPhoto(photo: Pick<PhotoRow, "id" | "formId" | "answerId" | "blob">): Promise<void> {
    await this.db.photos.put({ ...photo, createdAt: this.opts.now(), uploaded: false });
  }

  /** The photos kept for an answer. */
  async photosOf(answerId: string): Promise<PhotoRow[]> {
    return this.db.photos.where("answerId").equals(answerId).toArray();
  }

  /**
   * Lets go of photos of an answer still being typed (removed, replaced, started over);
   * those of an answer already saved stay until the server has it.
   */
  async dropPhotos(answerId: string, ids?: readonly string[]): Promise<void> {
    const { db } = this;
    await db.transaction("rw", [db.outbox, db.photos], async () => {
      const saved = await db.outbox
        .filter((e) => e.name === "form.response" && e.args.id === answerId)
        .count();
      if (saved > 0) return;
      const rows = db.photos.where("answerId").equals(answerId);
      await (ids ? rows.filter((p) => ids.includes(p.id)) : rows).delete();
    });
  }

  /**
   * A saved answer refused for its photo (too large, not an image): sends the rest of it
   * again without the refused photos, as a new command on the same answer id (the server
   * never stored it). Returns false when there is nothing to do.
   */
  async sendWithoutRefusedPhotos(commandId: string): Promise<boolean> {
    const { db } = this;
    const now = this.opts.now();
    const done = await db.transaction("rw", [db.outbox, db.photos], async () => {
      const entry = await db.outbox.where("id").equals(commandId).first();
      if (!entry || entry.status !== "rejected" || entry.name !== "form.response") return false;
      const refused = await db.photos
        .where("answerId")
        .equals(entry.args.id)
        .filter((p) => p.refused !== undefined)
        .toArray();
      if (refused.length === 0) return false;
      const ids = new Set(refused.map((p) => p.id));
      const args = { ...entry.args, answers: withoutValues(entry.args.answers, ids) };
      const parsed = syncCommandSchema.parse({ id: newCommandId(now), name: entry.name, args });
      await db.outbox.delete(entry.seq!);
      await db.photos.bulkDelete([...ids]);
      await this.addPending(parsed, entry, now);
      return true;
    });
    void this.publishCounts();
    if (done && this.started && this.opts.isOnline()) void this.syncNow();
    return done;
  }

  /** Keeps the department's categories for the field form offline. */
  async saveCategories(items: CachedCategory[]): Promise<void> {
    await this.db.meta.put({ key: "categories", items, savedAt: this.opts.now() });
  }

  async categories(): Promise<CachedCategory[] | null> {
    const row = await this.db.meta.get("categories");
    return row?.key === "categories" ? row.items : null;
  }

  /** Rebuilds a need's row from the server's state and its outbox entries (inside a transaction). */
  /** Puts a command made again from `was` (a resolved conflict, an answer sent again) in the outbox, pending. */
  private async addPending(command: SyncCommand, was: OutboxEntry, now: number): Promise<void> {
    await this.db.outbox.add({
      ...command,
      recordId: was.recordId,
      createdAt: new Date(now).toISOString(),
      attempts: 0,
      lastError: null,
      status: "pending",
    });
  }

  private async recompute(needId: string, server?: NeedRecord | null): Promise<void> {
    const { db } = this;
    const row = await db.needs.get(needId);
    const base = server !== undefined ? server : (row?.server ?? null);
    const entries = (await db.outbox.where("recordId").equals(needId).toArray()).filter(
      needCommand,
    );
    const r = rebase(base, entries);
    if (!r) {
      if (row) await db.needs.delete(needId);
      return;
    }
    await db.needs.put({ ...r.record, server: base, pending: r.pending, problem: r.problem });
  }

  /** Rebuilds a call's row from the server's call and its outbox entries (inside a transaction). */
  private async recomputeCall(callId: string, server?: Call | null): Promise<void> {
    const { db } = this;
    const row = await db.calls.get(callId);
    const base = server !== undefined ? server : (row?.server ?? null);
    const entries = (await db.outbox.where("recordId").equals(callId).toArray()).filter(
      callCommand,
    );
    const r = rebaseCall(base, entries);
    if (!r) {
      if (row) await db.calls.delete(callId);
      return;
    }
    await db.calls.put({ ...r.record, server: base, pending: r.pending, problem: r.problem });
  }

  /* ---------------------------------------------------------------- */
  /* Sync.                                                              */
  /* ---------------------------------------------------------------- */

  /**
   * Pushes the outbox, then pulls. One at a time per tab (a call during a round makes
   * one more round after it) and, through the lock, one tab at a time per database.
   */
  syncNow(): Promise<SyncOutcome> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<SyncOutcome> => {
      let outcome: SyncOutcome;
      do {
        this.again = false;
        outcome = await this.exclusive(() => this.round());
      } while (this.again && outcome.status === "done" && !this.stopped);
      return outcome;
    };
    this.running = run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private lockName(): string {
    return `${this.db.name}:sync`;
  }

  private async exclusive(fn: () => Promise<SyncOutcome>): Promise<SyncOutcome> {
    if (this.stopped) return { status: "stopped" };
    const locks = this.opts.locks;
    if (locks) return locks.request(this.lockName(), fn);
    if (!(await this.takeLease())) {
      this.schedule(5_000);
      return { status: "busy" };
    }
    try {
      return await fn();
    } finally {
      await this.releaseLease().catch(() => undefined);
    }
  }

  private async takeLease(): Promise<boolean> {
    const { db } = this;
    const now = this.opts.now();
    return db.transaction("rw", db.meta, async () => {
      const lease = await db.meta.get("lease");
      if (lease?.key === "lease" && lease.owner !== this.tabId && lease.until > now) return false;
      await db.meta.put({
        key: "lease",
        owner: this.tabId,
        until: now + 2 * SYNC_TIMING.requestTimeoutMs,
      });
      return true;
    });
  }

  private async renewLease(): Promise<void> {
    if (this.opts.locks) return;
    await this.db.meta.put({
      key: "lease",
      owner: this.tabId,
      until: this.opts.now() + 2 * SYNC_TIMING.requestTimeoutMs,
    });
  }

  private async releaseLease(): Promise<void> {
    const { db } = this;
    await db.transaction("rw", db.meta, async () => {
      const lease = await db.meta.get("lease");
      if (lease?.key === "lease" && lease.owner === this.tabId) await db.meta.delete("lease");
    });
  }

  private async round(): Promise<SyncOutcome> {
    if (this.stopped) return { status: "stopped" };
    if (!this.opts.isOnline()) {
      this.opts.publish({ online: false });
      return { status: "offline" };
    }
    this.opts.publish({ syncing: true, online: true });
    try {
      await this.recoverSending();
      await this.pushAll();
      await this.pullAll();
      await this.prunePhotos();
      const lastSyncAt = this.opts.now();
      await this.db.transaction("rw", this.db.meta, async () => {
        const state = await this.db.meta.get("state");
        if (state?.key === "state") await this.db.meta.put({ ...state, lastSyncAt });
      });
      this.failures = 0;
      this.opts.publish({ lastSyncAt, lastError: null, retryAt: null });
      this.schedule(SYNC_TIMING.intervalMs);
      return { status: "done" };
    } catch (err) {
      if (this.stopped) return { status: "stopped" };
      // Anything else is the device's storage failing (closed by a sign-out in another tab,
      // quota): nothing was lost, the outbox is where it was.
      const failure = err instanceof SyncFailure ? err : new SyncFailure("storage_error", true);
      const error: SyncError = { code: failure.code, at: this.opts.now() };
      let retryAt: number | null = null;
      if (failure.retryable) {
        this.failures += 1;
        const delay = backoffDelay(this.failures, this.opts.random);
        retryAt = this.opts.now() + delay;
        this.schedule(delay);
      } else {
        this.schedule(SYNC_TIMING.intervalMs);
      }
      this.opts.publish({ lastError: error, retryAt });
      return { status: "failed", error };
    } finally {
      if (!this.stopped) {
        this.opts.publish({ syncing: false });
        await this.publishCounts().catch(() => undefined);
      }
    }
  }

  /** With the lock held, a command still `sending` was left by a killed tab: send it again. */
  private async recoverSending(): Promise<void> {
    await this.db.outbox.where("status").equals("sending").modify({ status: "pending" });
  }

  private async request(method: "GET" | "POST" | "PUT", path: string, body?: unknown) {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (this.opts.scopeId) headers[SCOPE_HEADER] = this.opts.scopeId;
    const raw = body instanceof Blob;
    if (raw) headers["Content-Type"] = body.type || "image/jpeg";
    else if (body !== undefined) headers["Content-Type"] = "application/json";
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), SYNC_TIMING.requestTimeoutMs);
    const stop = () => timeout.abort();
    this.abort.signal.addEventListener("abort", stop);
    try {
      const res = await this.opts.fetch(path, {
        method,
        headers,
        credentials: "include",
        body: raw ? body : body === undefined ? undefined : JSON.stringify(body),
        signal: timeout.signal,
      });
      const text = await res.text();
      let parsed: unknown = undefined;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, ok: res.ok, body: parsed };
    } catch {
      // No answer (offline, dropped, timed out): whatever the server did, a replay is safe.
      throw new SyncFailure("network_error", true);
    } finally {
      clearTimeout(timer);
      this.abort.signal.removeEventListener("abort", stop);
    }
  }

  private failureOf(status: number, body: unknown): SyncFailure {
    const code = toApiError(status, body).code;
    return new SyncFailure(code, status >= 500 || status === 429 || status === 408);
  }

  private async pushAll(): Promise<void> {
    const { db } = this;
    let size = this.batchSize;
    for (let guard = 0; guard < 10_000 && !this.stopped; guard++) {
      let batch = await db.outbox.where("status").equals("pending").limit(size).toArray();
      if (batch.length === 0) return;
      batch.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
      await db.outbox.bulkUpdate(
        batch.map((e) => ({
          key: e.seq!,
          changes: { status: "sending" as const, attempts: e.attempts + 1 },
        })),
      );
      await this.renewLease();
      let ready: OutboxEntry[];
      try {
        // The photos an answer names go first; an answer whose photo is refused stays here.
        ready = await this.uploadPhotos(batch);
      } catch (err) {
        await this.backToPending(batch, err instanceof SyncFailure ? err.code : "network_error");
        throw err;
      }
      if (ready.length === 0) continue;
      batch = ready;
      let res: Awaited<ReturnType<SyncEngine["request"]>>;
      try {
        res = await this.request("POST", "/api/sync/push", {
          deviceId: this.opts.deviceId,
          commands: batch.map(toWire),
        });
      } catch (err) {
        await this.backToPending(batch, "network_error");
        throw err;
      }
      if (res.status === 400 || res.status === 413) {
        // One command the server's schema refuses would hold every later one back: find it.
        const bad = res.status === 400 ? badCommandIndexes(res.body) : [];
        const refused = bad.map((i) => batch[i]).filter((e): e is OutboxEntry => !!e);
        if (refused.length > 0 || batch.length === 1) {
          const code = res.status === 413 ? "payload_too_large" : "validation_failed";
          const target = refused.length > 0 ? refused : batch;
          await this.markRefused(target, code, toApiError(res.status, res.body).message);
          await this.backToPending(
            batch.filter((e) => !target.includes(e)),
            null,
          );
          continue;
        }
        // Not told which one: send them one by one to find out.
        await this.backToPending(batch, null);
        size = 1;
        continue;
      }
      if (!res.ok) {
        const failure = this.failureOf(res.status, res.body);
        await this.backToPending(batch, failure.code);
        throw failure;
      }
      const parsed = syncPushResultSchema.safeParse(res.body);
      if (!parsed.success) {
        await this.backToPending(batch, "bad_response");
        throw new SyncFailure("bad_response", true);
      }
      await this.applyResults(batch, parsed.data.results);
      size = this.batchSize;
    }
  }

  /**
   * Uploads the photos of the batch's answers not uploaded yet, in order. Returns the
   * commands ready to push; an answer whose photo the server refuses (or whose form it
   * no longer takes) is marked rejected with the server's code and not pushed. No answer
   * (network) or a server in trouble throws: nothing of the batch is pushed this round.
   */
  private async uploadPhotos(batch: OutboxEntry[]): Promise<OutboxEntry[]> {
    const { db } = this;
    const ready: OutboxEntry[] = [];
    for (const e of batch) {
      if (e.name !== "form.response") {
        ready.push(e);
        continue;
      }
      const photos = await db.photos.where("answerId").equals(e.args.id).sortBy("createdAt");
      let refusal: { code: string; message: string } | null = null;
      for (const photo of photos) {
        if (photo.uploaded) continue;
        const res = await this.request(
          "PUT",
          `/api/forms/${encodeURIComponent(e.args.formId)}/photos/${encodeURIComponent(photo.id)}`,
          photo.blob,
        );
        if (res.ok) {
          await db.photos.update(photo.id, { uploaded: true });
          continue;
        }
        const failure = this.failureOf(res.status, res.body);
        if (failure.retryable || res.status === 401) throw failure;
        refusal = { code: failure.code, message: toApiError(res.status, res.body).message };
        if (failure.code.startsWith("form.photo_") || res.status === 413) {
          await db.photos.update(photo.id, { refused: failure.code });
        }
        break;
      }
      if (refusal) {
        await this.markRefused([e], refusal.code, refusal.message);
        e.status = "rejected";
      } else {
        ready.push(e);
      }
    }
    return ready;
  }

  /**
   * Photos no answer holds any more (a draft gone without clearing them, a tab killed
   * between steps): removed a day after they were picked.
   */
  private async prunePhotos(): Promise<void> {
    const { db } = this;
    const before = this.opts.now() - 24 * 3600 * 1000;
    await db.transaction("rw", [db.photos, db.outbox, db.meta], async () => {
      const stale = await db.photos.filter((p) => p.createdAt < before).toArray();
      if (stale.length === 0) return;
      const held = new Set<string>();
      for (const e of await db.outbox.toArray()) {
        if (e.name === "form.response") held.add(e.args.id);
      }
      for (const m of await db.meta.where("key").startsWith("draft:").toArray()) {
        if ("answerId" in m) held.add(m.answerId);
      }
      const gone = stale.filter((p) => !held.has(p.answerId)).map((p) => p.id);
      if (gone.length) await db.photos.bulkDelete(gone);
    });
  }

  private async backToPending(entries: OutboxEntry[], code: string | null): Promise<void> {
    if (entries.length === 0) return;
    await this.db.outbox.bulkUpdate(
      entries.map((e) => ({
        key: e.seq!,
        changes: {
          status: "pending" as const,
          ...(code ? { lastError: { code, message: "" } } : {}),
        },
      })),
    );
  }

  private async markRefused(entries: OutboxEntry[], code: string, message: string) {
    const { db } = this;
    await db.transaction("rw", [db.needs, db.calls, db.outbox], async () => {
      for (const e of entries) {
        await db.outbox.update(e.seq!, { status: "rejected", lastError: { code, message } });
      }
      for (const id of new Set(entries.filter(needCommand).map((e) => e.recordId))) {
        await this.recompute(id);
      }
      for (const id of new Set(entries.filter(callCommand).map((e) => e.recordId))) {
        await this.recomputeCall(id);
      }
    });
  }

  /** The server's answers: ok leaves the outbox, conflict and rejected wait for a person. */
  private async applyResults(batch: OutboxEntry[], results: SyncCommandResult[]) {
    const { db } = this;
    const byId = new Map(results.map((r) => [r.id, r]));
    await db.transaction("rw", [db.needs, db.calls, db.outbox, db.photos], async () => {
      const servers = new Map<string, NeedRecord | null>();
      const serverOf = async (id: string) => {
        if (!servers.has(id)) servers.set(id, (await db.needs.get(id))?.server ?? null);
        return servers.get(id) ?? null;
      };
      const calls = new Map<string, Call | null>();
      const callOf = async (id: string) => {
        if (!calls.has(id)) calls.set(id, (await db.calls.get(id))?.server ?? null);
        return calls.get(id) ?? null;
      };
      for (const e of batch) {
        const r = byId.get(e.id);
        if (!r) {
          // Not answered (a server older than the device?): it goes again next time.
          await db.outbox.update(e.seq!, {
            status: "pending",
            lastError: { code: "no_answer", message: "" },
          });
          continue;
        }
        if (r.status === "ok") {
          await db.outbox.delete(e.seq!);
          if (e.name === "form.response") {
            // The server holds the answer and its photos: the device lets go of them.
            await db.photos.where("answerId").equals(e.args.id).delete();
          } else if (needCommand(e)) {
            servers.set(e.recordId, confirmOnServer(await serverOf(e.recordId), e, r.version));
          } else if (callCommand(e)) {
            calls.set(e.recordId, confirmCallOnServer(await callOf(e.recordId), e, r.version));
          }
        } else if (r.status === "conflict") {
          await db.outbox.update(e.seq!, {
            status: "conflict",
            conflicts: r.conflicts ?? [],
            currentVersion: r.currentVersion,
            lastError: null,
          });
          const server = await serverOf(e.recordId);
          if (server) {
            const theirs: Record<string, unknown> = {};
            for (const c of r.conflicts ?? []) theirs[c.field] = c.theirs;
            servers.set(e.recordId, {
              ...server,
              ...theirs,
              version: r.currentVersion ?? server.version,
            } as NeedRecord);
          }
        } else {
          await db.outbox.update(e.seq!, {
            status: "rejected",
            lastError: { code: r.code ?? "rejected", message: r.message ?? "" },
          });
        }
      }
      for (const e of batch) {
        if (callCommand(e)) {
          await this.recomputeCall(
            e.recordId,
            calls.has(e.recordId) ? (calls.get(e.recordId) ?? null) : undefined,
          );
        }
        if (!needCommand(e)) continue;
        await this.recompute(
          e.recordId,
          servers.has(e.recordId) ? (servers.get(e.recordId) ?? null) : undefined,
        );
      }
    });
  }

  private async pullAll(): Promise<void> {
    const { db } = this;
    for (let guard = 0; guard < 10_000 && !this.stopped; guard++) {
      const state = await db.meta.get("state");
      const cursor = state?.key === "state" ? state.cursor : 0;
      await this.renewLease();
      const res = await this.request(
        "GET",
        `/api/sync/pull?cursor=${cursor}&limit=${this.pullLimit}`,
      );
      if (!res.ok) {
        if (res.status === 403) await this.forgetRecords();
        throw this.failureOf(res.status, res.body);
      }
      const parsed = syncPullSchema.safeParse(res.body);
      if (!parsed.success) throw new SyncFailure("bad_response", true);
      const page = parsed.data;
      await db.transaction(
        "rw",
        [db.needs, db.forms, db.calls, db.assignments, db.outbox, db.meta],
        async () => {
          const needIds = [
            ...new Set(page.changes.filter((c) => c.kind === "need").map((c) => c.id)),
          ];
          const entries = needIds.length
            ? await db.outbox.where("recordId").anyOf(needIds).toArray()
            : [];
          const byNeed = new Map<string, OutboxEntry[]>();
          for (const e of entries) {
            if (!needCommand(e)) continue;
            byNeed.set(e.recordId, [...(byNeed.get(e.recordId) ?? []), e]);
          }
          const puts: NeedRow[] = [];
          const removes: string[] = [];
          const callIds = [
            ...new Set(page.changes.filter((c) => c.kind === "emergency_call").map((c) => c.id)),
          ];
          const callEntries = callIds.length
            ? (await db.outbox.where("recordId").anyOf(callIds).toArray()).filter(callCommand)
            : [];
          const callPuts: CallRow[] = [];
          const callRemoves: string[] = [];
          for (const change of page.changes) {
            if (change.kind === "need") {
              const server = readPulledNeed(change);
              if (!server) {
                removes.push(change.id);
                continue;
              }
              const r = rebase(server, byNeed.get(change.id) ?? []);
              if (r) puts.push({ ...r.record, server, pending: r.pending, problem: r.problem });
            } else if (change.kind === "form") {
              const form = readPulledForm(change);
              if (form) await db.forms.put(form);
              else await db.forms.delete(change.id);
            } else {
              // A call no longer held (done, reassigned, closed) leaves the device; an outcome
              // still unsent for it stays in the outbox and is sent (or refused) as usual.
              const server = readPulledCall(change);
              const r = rebaseCall(
                server,
                callEntries.filter((e) => e.recordId === change.id),
              );
              if (server && r) {
                callPuts.push({ ...r.record, server, pending: r.pending, problem: r.problem });
              } else callRemoves.push(change.id);
            }
          }
          if (removes.length) await db.needs.bulkDelete(removes);
          if (puts.length) await db.needs.bulkPut(puts);
          if (callRemoves.length) await db.calls.bulkDelete(callRemoves);
          if (callPuts.length) await db.calls.bulkPut(callPuts);
          if (page.assignments) {
            // The whole list: one taken back (or of a closed form) leaves the device.
            await db.assignments.clear();
            await db.assignments.bulkPut(page.assignments);
          }
          const now = await db.meta.get("state");
          if (now?.key === "state") await db.meta.put({ ...now, cursor: page.cursor });
        },
      );
      if (!page.hasMore) return;
    }
  }

  /** The user may no longer pull here: the records go (their own unsent commands stay). */
  private async forgetRecords(): Promise<void> {
    const { db } = this;
    await db.transaction(
      "rw",
      [db.needs, db.forms, db.calls, db.assignments, db.outbox, db.meta],
      async () => {
        await db.needs.clear();
        await db.forms.clear();
        await db.calls.clear();
        await db.assignments.clear();
        // Needs made on this device and not sent yet still show (from their create command).
        const mine = (await db.outbox.toArray()).filter(needCommand).map((e) => e.recordId);
        for (const id of new Set(mine)) await this.recompute(id, null);
        const state = await db.meta.get("state");
        if (state?.key === "state") await db.meta.put({ ...state, cursor: 0 });
      },
    );
  }
}
