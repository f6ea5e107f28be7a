import { z } from "zod";
import {
  CALL_RULES,
  NEED_STATUSES,
  NEED_URGENCIES,
  callSchema,
  type Call,
  type SyncCommand,
  syncNeedFieldsSchema,
} from "@kaveret/contracts";
import type { FormRow, NeedRecord, OutboxEntry } from "./sync-db.ts";

/*
 * The pure half of the engine: how a command changes the device's copy of a need, how
 * the server's record and the unsent commands combine (rebase), and what a person's
 * choice on a conflict sends next. No Dexie here, so it is tested directly.
 */

export type NeedCreateArgs = Extract<SyncCommand, { name: "need.create" }>["args"];
export type NeedUpdateArgs = Extract<SyncCommand, { name: "need.update" }>["args"];
export type NeedFields = z.infer<typeof syncNeedFieldsSchema>;
export type CallOutcomeArgs = Extract<SyncCommand, { name: "emergency.call_outcome" }>["args"];
/** A command as the UI gives it: the engine makes its id. */
export type NewSyncCommand = WithoutId<SyncCommand>;
type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

/** The need a command is about (or the form answered). */
export function recordIdOf(c: Pick<SyncCommand, "name" | "args">): string {
  const cmd = c as SyncCommand;
  switch (cmd.name) {
    case "need.create":
      return cmd.args.id;
    case "need.comment":
    case "need.update":
      return cmd.args.needId;
    case "form.response":
      return cmd.args.formId;
    case "emergency.call_outcome":
      return cmd.args.callId;
  }
}

/** Edited fields a need row shows (reason travels with a status change only). */
const SHOWN_FIELDS = ["status", "category", "urgency", "description", "addressText"] as const;
type ShownField = (typeof SHOWN_FIELDS)[number];

export function needFromCreate(args: NeedCreateArgs, at: string): NeedRecord {
  return {
    id: args.id,
    reference: null,
    channel: args.channel,
    status: "new",
    category: args.category,
    urgency: args.urgency,
    description: args.description,
    language: args.language,
    community: null,
    communityId: args.communityId,
    addressText: args.addressText,
    location: args.location,
    createdAt: at,
    updatedAt: at,
    version: null,
    notes: [],
  };
}

function patch(record: NeedRecord, changes: NeedFields, at: string): NeedRecord {
  const next: NeedRecord = { ...record, updatedAt: at };
  for (const f of SHOWN_FIELDS) {
    if (changes[f] !== undefined) (next as Record<ShownField, unknown>)[f] = changes[f];
  }
  return next;
}

/** The record after one command (null stays null for commands on a need the device lacks). */
export function applyCommand(
  record: NeedRecord | null,
  entry: Pick<OutboxEntry, "id" | "name" | "args" | "createdAt">,
): NeedRecord | null {
  const e = entry as SyncCommand & { createdAt: string };
  switch (e.name) {
    case "need.create":
      return record ?? needFromCreate(e.args, e.createdAt);
    case "need.update":
      return record ? patch(record, e.args.changes, e.createdAt) : null;
    case "need.comment":
      return record
        ? {
            ...record,
            updatedAt: e.createdAt,
            notes: [...record.notes, { id: e.id, text: e.args.text, at: e.createdAt }],
          }
        : null;
    case "form.response":
    case "emergency.call_outcome":
      return record;
  }
}

const UNSENT: ReadonlySet<OutboxEntry["status"]> = new Set(["pending", "sending"]);

export interface Rebased {
  record: NeedRecord;
  pending: number;
  problem: "conflict" | "rejected" | null;
}

/**
 * The need as the device shows it: the server's state with every unsent command applied
 * in device order. A refused create still shows (marked) until a person discards it;
 * conflicting edits are not applied (the server's values show, the conflict is listed).
 */
export function rebase(server: NeedRecord | null, entries: readonly OutboxEntry[]): Rebased | null {
  const ordered = [...entries].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  let record = server;
  let pending = 0;
  for (const e of ordered) {
    if (UNSENT.has(e.status)) {
      record = applyCommand(record, e);
      pending += 1;
    } else if (e.name === "need.create" && record === null) {
      record = applyCommand(null, e);
    }
  }
  if (!record) return null;
  const problem = ordered.some((e) => e.status === "conflict")
    ? "conflict"
    : ordered.some((e) => e.status === "rejected")
      ? "rejected"
      : null;
  return { record, pending, problem };
}

/** The server's record after it accepted a command (until the next pull brings the truth). */
export function confirmOnServer(
  server: NeedRecord | null,
  entry: OutboxEntry,
  version: number | undefined,
): NeedRecord | null {
  switch (entry.name) {
    case "need.create": {
      const made = server ?? needFromCreate(entry.args, entry.createdAt);
      return { ...made, version: version ?? made.version ?? 1 };
    }
    case "need.update":
      return server
        ? { ...patch(server, entry.args.changes, entry.createdAt), version: version ?? null }
        : null;
    case "need.comment":
    case "form.response":
    case "emergency.call_outcome":
      return server;
  }
}

/* ------------------------------------------------------------------ */
/* Emergency calls.                                                     */
/* ------------------------------------------------------------------ */

const isCallOutcome = (
  e: Pick<OutboxEntry, "name">,
): e is Extract<OutboxEntry, { name: "emergency.call_outcome" }> =>
  e.name === "emergency.call_outcome";

/**
 * The call after an outcome recorded on this device: the server's rule (nextCallState in
 * emergency.service.ts) mirrored, so the list moves on at once, offline too — reached
 * (ok or needs help) is done; a miss is retried after 30, then 60 minutes, and escalated
 * to staff after the third; a miss on a call already answered changes nothing but its log.
 */
export function applyCallOutcome(call: Call, args: CallOutcomeArgs, recordedAt: string): Call {
  const at = args.at ?? recordedAt;
  const history = call.history.some((h) => h.id === args.attemptId)
    ? call.history
    : [
        ...call.history,
        {
          id: args.attemptId,
          outcome: args.outcome,
          source: "call" as const,
          note: args.note,
          by: null,
          at,
        },
      ];
  const base = { ...call, history, updatedAt: at };
  if (args.outcome !== "not_reached") {
    return {
      ...base,
      status: "done",
      outcome: args.outcome,
      lastSource: "call",
      nextAttemptAt: null,
    };
  }
  if (call.status === "done") return base;
  const attempts = call.attempts + 1;
  if (attempts >= CALL_RULES.maxAttempts) {
    return {
      ...base,
      status: "escalated",
      outcome: "not_reached",
      lastSource: "call",
      attempts,
      nextAttemptAt: null,
    };
  }
  const waits = CALL_RULES.retryAfterMinutes;
  const minutes = waits[attempts - 1] ?? waits[waits.length - 1] ?? 30;
  return {
    ...base,
    status: "retry",
    outcome: "not_reached",
    lastSource: "call",
    attempts,
    nextAttemptAt: new Date(Date.parse(at) + minutes * 60_000).toISOString(),
  };
}

export interface RebasedCall {
  record: Call;
  pending: number;
  problem: "rejected" | null;
}

/**
 * The call as the device shows it: the server's call with every unsent outcome applied in
 * device order (null when the device does not hold the call: nothing to show).
 */
export function rebaseCall(
  server: Call | null,
  entries: readonly OutboxEntry[],
): RebasedCall | null {
  if (!server) return null;
  const ordered = [...entries].filter(isCallOutcome).sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  let record = server;
  let pending = 0;
  for (const e of ordered) {
    if (!UNSENT.has(e.status)) continue;
    record = applyCallOutcome(record, e.args, e.createdAt);
    pending += 1;
  }
  const problem = ordered.some((e) => e.status === "rejected") ? "rejected" : null;
  return { record, pending, problem };
}

/** The server's call after it took an outcome (until the next pull brings the truth). */
export function confirmCallOnServer(
  server: Call | null,
  entry: OutboxEntry,
  version: number | undefined,
): Call | null {
  if (!server || !isCallOutcome(entry)) return server;
  const next = applyCallOutcome(server, entry.args, entry.createdAt);
  return { ...next, version: version ?? server.version };
}

/* ------------------------------------------------------------------ */
/* Pulled records.                                                      */
/* ------------------------------------------------------------------ */

const point = z.object({ lat: z.number(), lon: z.number() });
// Lenient on purpose: a field the server renames later must not drop the whole record.
const pulledNeedSchema = z.object({
  reference: z.string().nullable().catch(null),
  channel: z.string().catch("face_to_face"),
  status: z.enum(NEED_STATUSES).catch("new"),
  category: z.string().nullable().catch(null),
  urgency: z.enum(NEED_URGENCIES).catch("normal"),
  description: z.string().catch(""),
  language: z.string().catch("he"),
  community: z.object({ id: z.string(), name: z.string() }).nullable().catch(null),
  addressText: z.string().catch(""),
  location: point.nullable().catch(null),
  createdAt: z.string().catch(""),
  updatedAt: z.string().catch(""),
});

export interface PulledChange {
  kind: "need" | "form" | "emergency_call";
  id: string;
  op: "upsert" | "remove";
  version?: number;
  record?: Record<string, unknown>;
}

export function readPulledNeed(change: PulledChange): NeedRecord | null {
  if (change.kind !== "need" || change.op !== "upsert" || !change.record) return null;
  const r = pulledNeedSchema.parse(change.record);
  const version =
    change.version ?? (typeof change.record.version === "number" ? change.record.version : null);
  return {
    id: change.id,
    ...r,
    communityId: r.community?.id ?? null,
    version,
    notes: [],
  };
}

/** A pulled call (the server's own shape); null for a removal or a record it cannot read. */
export function readPulledCall(change: PulledChange): Call | null {
  if (change.kind !== "emergency_call" || change.op !== "upsert" || !change.record) return null;
  const parsed = callSchema.safeParse(change.record);
  return parsed.success ? parsed.data : null;
}

const pulledFormSchema = z.object({
  title: z.string().catch(""),
  status: z.string().catch("open"),
  anonymous: z.boolean().catch(true),
  definition: z.unknown(),
  version: z.number().int().catch(1),
});

export function readPulledForm(change: PulledChange): FormRow | null {
  if (change.kind !== "form" || change.op !== "upsert" || !change.record) return null;
  const r = pulledFormSchema.parse(change.record);
  return { id: change.id, ...r, version: change.version ?? r.version };
}

/* ------------------------------------------------------------------ */
/* Conflicts.                                                           */
/* ------------------------------------------------------------------ */

export type ConflictChoice = "mine" | "theirs";

/**
 * What to send after a person chose, field by field, on a conflicting edit: the fields
 * kept as "mine" with the server's value as their base, plus the edit's other fields
 * (which did not conflict), all on the version the server showed. Null: nothing left.
 */
export function resolveConflict(
  entry: OutboxEntry,
  choose: (field: string) => ConflictChoice,
): Omit<Extract<SyncCommand, { name: "need.update" }>, "id"> | null {
  if (entry.name !== "need.update" || entry.status !== "conflict") return null;
  const conflicted = new Map((entry.conflicts ?? []).map((c) => [c.field, c]));
  const base: Record<string, unknown> = {};
  const changes: Record<string, unknown> = {};
  for (const [field, mine] of Object.entries(entry.args.changes)) {
    if (mine === undefined) continue;
    const c = conflicted.get(field);
    if (c) {
      if (choose(field) === "theirs") continue;
      base[field] = c.theirs;
      changes[field] = mine;
    } else if (field !== "reason") {
      base[field] = (entry.args.base as Record<string, unknown>)[field];
      changes[field] = mine;
    }
  }
  if (Object.keys(changes).length === 0) return null;
  if (changes.status !== undefined && entry.args.changes.reason) {
    changes.reason = entry.args.changes.reason;
  }
  return {
    name: "need.update",
    args: {
      needId: entry.args.needId,
      baseVersion: entry.currentVersion ?? entry.args.baseVersion,
      base: syncNeedFieldsSchema.parse(base),
      changes: syncNeedFieldsSchema.parse(changes),
    },
  };
}

/* ------------------------------------------------------------------ */
/* Timing.                                                              */
/* ------------------------------------------------------------------ */

export const SYNC_TIMING = {
  /** Automatic sync while online. */
  intervalMs: 30_000,
  /** First retry after a failure, doubling up to maxBackoffMs. */
  firstBackoffMs: 2_000,
  maxBackoffMs: 5 * 60_000,
  /** A request taking longer counts as a network failure. */
  requestTimeoutMs: 30_000,
} as const;

/**
 * The pause before the next attempt after `failures` failed ones: doubling from 2 s up
 * to 5 min, each a random point in its upper half, so devices back in coverage together
 * do not all knock at once.
 */
export function backoffDelay(failures: number, random: () => number = Math.random): number {
  const cap = Math.min(
    SYNC_TIMING.maxBackoffMs,
    SYNC_TIMING.firstBackoffMs * 2 ** Math.max(0, failures - 1),
  );
  return Math.round(cap / 2 + (cap / 2) * random());
}
