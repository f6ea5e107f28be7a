import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { TFunction } from "i18next";
import { z } from "zod";
import type { Scope } from "@kaveret/contracts";
import {
  backoffDelay,
  readPulledNeed,
  rebase,
  resolveConflict,
  type NeedCreateArgs,
} from "./sync-apply.ts";
import type { NeedRecord, OutboxEntry } from "./sync-db.ts";
import { relativeTime, toneOf } from "./sync-format.ts";
import { newCommandId, newRecordId } from "./sync-ids.ts";
import { syncTargetOf } from "./sync-runtime.ts";
import { INITIAL_SYNC_STATE, createSyncStore } from "./sync-store.ts";

const NEED = "3c4d5e6f-7081-4293-a4b5-c6d7e8f90a1b";
const AT = "2026-11-25T10:00:00.000Z";

const server: NeedRecord = {
  id: NEED,
  reference: "N-2026-0042",
  channel: "face_to_face",
  status: "new",
  category: null,
  urgency: "normal",
  description: "ספסל שבור בגינה",
  language: "he",
  community: { id: "c0000000-0000-4000-8000-000000000001", name: "שכונה א" },
  communityId: "c0000000-0000-4000-8000-000000000001",
  addressText: "",
  location: null,
  createdAt: AT,
  updatedAt: AT,
  version: 3,
  notes: [],
};

let seq = 0;
const entry = (e: Partial<OutboxEntry> & Pick<OutboxEntry, "name" | "args">): OutboxEntry =>
  ({
    id: newCommandId(),
    seq: ++seq,
    recordId: NEED,
    createdAt: AT,
    attempts: 0,
    lastError: null,
    status: "pending",
    ...e,
  }) as OutboxEntry;

describe("ids", () => {
  it("command ids are UUIDv7 the server accepts, ordered by time", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 47 }),
        fc.integer({ min: 1, max: 10_000 }),
        (t, d) => {
          const a = newCommandId(t);
          const b = newCommandId(t + d);
          expect(z.uuid().safeParse(a).success).toBe(true);
          expect(a[14]).toBe("7");
          expect(a.slice(0, 13) < b.slice(0, 13)).toBe(true);
        },
      ),
    );
    expect(z.uuid().safeParse(newRecordId()).success).toBe(true);
  });
});

describe("rebase", () => {
  it("shows the server's record with unsent commands applied in device order", () => {
    const r = rebase(server, [
      entry({
        name: "need.update",
        args: {
          needId: NEED,
          baseVersion: 3,
          base: { urgency: "normal" },
          changes: { urgency: "high" },
        },
      }),
      entry({ name: "need.comment", args: { needId: NEED, text: "ביקרתי" } }),
      entry({
        name: "need.update",
        args: {
          needId: NEED,
          baseVersion: 3,
          base: { urgency: "high" },
          changes: { urgency: "low" },
        },
      }),
    ]);
    expect(r?.record).toMatchObject({ urgency: "low", reference: "N-2026-0042", version: 3 });
    expect(r?.record.notes.map((n) => n.text)).toEqual(["ביקרתי"]);
    expect(r?.pending).toBe(3);
    expect(r?.problem).toBeNull();
  });

  it("does not apply a conflicting or refused edit, and marks the need", () => {
    const conflict = entry({
      name: "need.update",
      status: "conflict",
      args: {
        needId: NEED,
        baseVersion: 1,
        base: { urgency: "normal" },
        changes: { urgency: "low" },
      },
    });
    expect(rebase(server, [conflict])).toMatchObject({
      record: { urgency: "normal" },
      pending: 0,
      problem: "conflict",
    });
    const refused = { ...conflict, status: "rejected" as const };
    expect(rebase(server, [refused])?.problem).toBe("rejected");
  });

  it("a need made on the device exists until its refused create is discarded", () => {
    const args: NeedCreateArgs = {
      id: NEED,
      channel: "face_to_face",
      category: "food",
      urgency: "high",
      description: "אין אוכל בבית",
      location: null,
      addressText: "",
      communityId: null,
      residentId: null,
      assigneeId: null,
      language: "he",
      contactName: "",
      contactPhone: null,
      contactConsent: false,
    };
    const create = entry({ name: "need.create", args });
    expect(rebase(null, [create])?.record).toMatchObject({
      reference: null,
      version: null,
      category: "food",
    });
    expect(rebase(null, [{ ...create, status: "rejected" }])).toMatchObject({
      problem: "rejected",
      pending: 0,
    });
    expect(rebase(null, [])).toBeNull();
  });
});

describe("resolveConflict", () => {
  const conflict = entry({
    name: "need.update",
    status: "conflict",
    currentVersion: 5,
    conflicts: [{ field: "urgency", base: "normal", mine: "low", theirs: "high" }],
    args: {
      needId: NEED,
      baseVersion: 3,
      base: { urgency: "normal", category: null, status: "new" },
      changes: { urgency: "low", category: "food", status: "closed", reason: "טופל בשטח" },
    },
  });

  it("keep mine: the server's value becomes the base, on the server's version", () => {
    expect(resolveConflict(conflict, () => "mine")?.args).toEqual({
      needId: NEED,
      baseVersion: 5,
      base: { urgency: "high", category: null, status: "new" },
      changes: { urgency: "low", category: "food", status: "closed", reason: "טופל בשטח" },
    });
  });

  it("keep theirs: the conflicting field goes, the rest of the edit stays", () => {
    expect(resolveConflict(conflict, () => "theirs")?.args.changes).toEqual({
      category: "food",
      status: "closed",
      reason: "טופל בשטח",
    });
    const only = entry({
      name: "need.update",
      status: "conflict",
      currentVersion: 5,
      conflicts: conflict.conflicts,
      args: {
        needId: NEED,
        baseVersion: 3,
        base: { urgency: "normal" },
        changes: { urgency: "low" },
      },
    });
    expect(resolveConflict(only, () => "theirs")).toBeNull();
  });
});

describe("pulled records", () => {
  it("reads what it can of a record, whatever else the server adds or renames", () => {
    const n = readPulledNeed({
      kind: "need",
      id: NEED,
      op: "upsert",
      version: 4,
      record: {
        reference: "N-1",
        urgency: "sky-high",
        community: { id: "c", name: "א" },
        extra: 1,
      },
    });
    expect(n).toMatchObject({
      id: NEED,
      reference: "N-1",
      urgency: "normal",
      communityId: "c",
      version: 4,
    });
    expect(readPulledNeed({ kind: "need", id: NEED, op: "remove" })).toBeNull();
  });
});

describe("timing and status", () => {
  it("backs off from 1–2 s to at most 5 min, with jitter", () => {
    expect(backoffDelay(1, () => 0)).toBe(1000);
    expect(backoffDelay(1, () => 1)).toBe(2000);
    expect(backoffDelay(3, () => 0.5)).toBe(6000);
    expect(backoffDelay(30, () => 1)).toBe(300_000);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, r) => {
          const d = backoffDelay(n, () => r);
          expect(d).toBeGreaterThanOrEqual(1000);
          expect(d).toBeLessThanOrEqual(300_000);
        },
      ),
    );
  });

  it("says when, in the reader's language", () => {
    const t = ((key: string) => key) as unknown as TFunction;
    const now = Date.parse(AT);
    expect(relativeTime(t, null, now, "en")).toBe("sync.time.never");
    expect(relativeTime(t, now - 10_000, now, "en")).toBe("sync.time.justNow");
    expect(relativeTime(t, now - 5 * 60_000, now, "en")).toBe("5 minutes ago");
    expect(relativeTime(t, now + 40_000, now, "en")).toBe("in 40 seconds");
    expect(relativeTime(t, now - 3 * 3600_000, now, "he")).toMatch(/3/);
  });

  it("shows the most pressing state", () => {
    const s = { ...INITIAL_SYNC_STATE, enabled: true, online: true };
    expect(toneOf(s)).toBe("synced");
    expect(toneOf({ ...s, pending: 2 })).toBe("pending");
    expect(toneOf({ ...s, pending: 2, rejected: 1 })).toBe("attention");
    expect(toneOf({ ...s, rejected: 1, lastError: { code: "network_error", at: 0 } })).toBe(
      "failed",
    );
    expect(toneOf({ ...s, syncing: true, lastError: { code: "x", at: 0 } })).toBe("syncing");
    expect(toneOf({ ...s, online: false, syncing: true })).toBe("offline");
  });

  it("the store tells listeners only about real changes", () => {
    const store = createSyncStore();
    let calls = 0;
    const off = store.subscribe(() => (calls += 1));
    store.set({ pending: 0 });
    store.set({ pending: 1 });
    store.set({ pending: 1 });
    off();
    store.set({ pending: 2 });
    expect(calls).toBe(1);
    expect(store.get().pending).toBe(2);
  });
});

describe("who syncs", () => {
  const scope = (over: Partial<Scope> = {}): Scope => ({
    id: "dep-1",
    kind: "department",
    departmentId: "d0000000-0000-4000-8000-000000000001",
    districtId: null,
    name: "מחלקה",
    roles: ["community_worker"],
    ...over,
  });

  it("staff who work needs, in a department scope", () => {
    expect(
      syncTargetOf({
        userId: "u1",
        scope: scope(),
        roles: ["community_worker"],
        isResident: false,
      }),
    ).toEqual({
      userId: "u1",
      departmentId: "d0000000-0000-4000-8000-000000000001",
      scopeId: "dep-1",
    });
    expect(
      syncTargetOf({ userId: "u1", scope: scope(), roles: ["activist"], isResident: false }),
    ).toBeNull();
    expect(
      syncTargetOf({
        userId: "u1",
        scope: scope({ kind: "district", departmentId: null }),
        roles: ["manager"],
        isResident: false,
      }),
    ).toBeNull();
    expect(
      syncTargetOf({ userId: "u1", scope: scope(), roles: ["manager"], isResident: true }),
    ).toBeNull();
  });
});
