import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import type { Call } from "@kaveret/contracts";
import { SyncEngine, type SyncEngineOptions } from "../sync/sync-engine.ts";
import { openSyncDb, purgeOtherUsers, type SyncDb } from "../sync/sync-db.ts";
import { FakeSyncServer } from "../sync/sync.fixtures.ts";
import { newRecordId } from "../sync/sync-ids.ts";
import { syncTargetOf } from "../sync/sync-runtime.ts";
import { applyCallOutcome, rebaseCall, type CallOutcomeArgs } from "../sync/sync-apply.ts";
import {
  EMPTY_OUTCOME,
  groupCalls,
  outcomeFromForm,
  telHref,
  type ListedCall,
} from "./call-list.ts";

/*
 * A caller's phone: calls pulled to the device, outcomes recorded offline through the
 * outbox command emergency.call_outcome, sent once whatever happens to the line, and the
 * call leaving the device once the server has it done.
 */

const DEPARTMENT = "d0000000-0000-4000-8000-000000000001";
const EMERGENCY = "e0000000-0000-4000-8000-000000000001";
const T0 = Date.parse("2026-11-25T10:00:00.000Z");

function call(over: Partial<Call> = {}): Call {
  return {
    id: newRecordId(),
    emergencyId: EMERGENCY,
    drill: false,
    rank: 1,
    riskScore: 90,
    riskReasons: null,
    resident: {
      id: newRecordId(),
      name: "אסתר כהן",
      phone: "+972501110001",
      languages: ["he"],
      address: "הזית 5",
      streetId: null,
      houseNumber: "5",
      community: { id: "c0000000-0000-4000-8000-000000000001", name: "נווה שלום" },
      location: null,
    },
    consented: true,
    assignee: { id: "vol-1", name: "אלנה" },
    status: "pending",
    outcome: null,
    lastSource: null,
    attempts: 0,
    nextAttemptAt: null,
    escalatedTo: null,
    helpRequestId: null,
    history: [],
    updatedAt: "2026-11-25T09:00:00.000Z",
    version: 1,
    ...over,
  };
}

const args = (over: Partial<CallOutcomeArgs> & Pick<CallOutcomeArgs, "outcome">) => ({
  callId: "x",
  attemptId: newRecordId(),
  note: "",
  at: new Date(T0).toISOString(),
  ...over,
});

describe("an outcome on the device (the server's rule, mirrored)", () => {
  it("reached, OK or needing help, is done", () => {
    const ok = applyCallOutcome(call(), args({ outcome: "reached_ok" }), "");
    expect(ok).toMatchObject({ status: "done", outcome: "reached_ok", attempts: 0 });
    const help = applyCallOutcome(
      call(),
      args({
        outcome: "reached_needs_help",
        help: { category: "food", urgency: "high", description: "" },
      }),
      "",
    );
    expect(help).toMatchObject({ status: "done", outcome: "reached_needs_help" });
    expect(help.history).toHaveLength(1);
  });

  it("a miss is retried after 30, then 60 minutes, and escalated at the third", () => {
    const first = applyCallOutcome(call(), args({ outcome: "not_reached" }), "");
    expect(first).toMatchObject({ status: "retry", attempts: 1 });
    expect(first.nextAttemptAt).toBe(new Date(T0 + 30 * 60_000).toISOString());
    const second = applyCallOutcome(first, args({ outcome: "not_reached" }), "");
    expect(second).toMatchObject({ status: "retry", attempts: 2 });
    expect(second.nextAttemptAt).toBe(new Date(T0 + 60 * 60_000).toISOString());
    const third = applyCallOutcome(second, args({ outcome: "not_reached" }), "");
    expect(third).toMatchObject({ status: "escalated", attempts: 3, nextAttemptAt: null });
  });

  it("a miss after the resident was reached changes nothing but the log; one attempt counts once", () => {
    const done = applyCallOutcome(call(), args({ outcome: "reached_ok" }), "");
    const after = applyCallOutcome(done, args({ outcome: "not_reached" }), "");
    expect(after).toMatchObject({ status: "done", outcome: "reached_ok", attempts: 0 });
    const a = args({ outcome: "not_reached" });
    const once = applyCallOutcome(call(), a, "");
    expect(applyCallOutcome(once, a, "").history).toHaveLength(1);
  });

  it("rebases unsent outcomes on the server's call; a refused one marks it", () => {
    const server = call();
    const entry = (status: "pending" | "rejected", seq: number) => ({
      id: newRecordId(),
      name: "emergency.call_outcome" as const,
      args: args({ callId: server.id, outcome: "not_reached" }),
      seq,
      recordId: server.id,
      createdAt: new Date(T0).toISOString(),
      attempts: 0,
      lastError: null,
      status,
    });
    expect(rebaseCall(server, [entry("pending", 1)])).toMatchObject({
      pending: 1,
      problem: null,
      record: { status: "retry", attempts: 1 },
    });
    expect(rebaseCall(server, [entry("rejected", 1)])).toMatchObject({
      pending: 0,
      problem: "rejected",
      record: { status: "pending" },
    });
    expect(rebaseCall(null, [entry("pending", 1)])).toBeNull();
  });
});

describe("the caller's list and form", () => {
  const listed = (over: Partial<Call>): ListedCall => ({
    ...call(over),
    pending: 0,
    problem: null,
  });

  it("orders what to call now by risk, later ones by time, recorded ones apart", () => {
    const now = T0;
    const a = listed({ rank: 3 });
    const b = listed({ rank: 1, status: "escalated" });
    const dueRetry = listed({
      rank: 2,
      status: "retry",
      nextAttemptAt: new Date(now - 1).toISOString(),
    });
    const laterTwo = listed({
      rank: 4,
      status: "retry",
      nextAttemptAt: new Date(now + 9e5).toISOString(),
    });
    const laterOne = listed({
      rank: 9,
      status: "retry",
      nextAttemptAt: new Date(now + 6e5).toISOString(),
    });
    const done = listed({ rank: 5, status: "done", outcome: "reached_ok" });
    const g = groupCalls([a, laterTwo, done, b, laterOne, dueRetry], now);
    expect(g.now.map((c) => c.rank)).toEqual([1, 2, 3]);
    expect(g.later.map((c) => c.rank)).toEqual([9, 4]);
    expect(g.recorded.map((c) => c.rank)).toEqual([5]);
  });

  it("asks for an outcome, and for the kind of help when help is needed", () => {
    expect(outcomeFromForm(EMPTY_OUTCOME)).toEqual({ ok: false, problem: "outcome" });
    expect(outcomeFromForm({ ...EMPTY_OUTCOME, outcome: "reached_needs_help" })).toEqual({
      ok: false,
      problem: "category",
    });
    expect(
      outcomeFromForm({
        ...EMPTY_OUTCOME,
        outcome: "reached_needs_help",
        category: "medicine",
        urgency: "critical",
        description: "  insulin  ",
        note: " ",
      }),
    ).toEqual({
      ok: true,
      value: {
        outcome: "reached_needs_help",
        note: "",
        help: { category: "medicine", urgency: "critical", description: "insulin" },
      },
    });
    // Help details are not sent with other outcomes.
    expect(outcomeFromForm({ ...EMPTY_OUTCOME, outcome: "not_reached", category: "food" })).toEqual(
      {
        ok: true,
        value: { outcome: "not_reached", note: "" },
      },
    );
    expect(telHref("+972 50-111-0001")).toBe("tel:+972501110001");
  });
});

/* The engine, on fake IndexedDB, against an in-memory server. */

const open: SyncEngine[] = [];
afterEach(async () => {
  for (const e of open.splice(0)) await e.close();
});

async function setup(options: Partial<SyncEngineOptions> & { online?: () => boolean } = {}) {
  const server = new FakeSyncServer();
  const db: SyncDb = await openSyncDb(
    { userId: `vol-${newRecordId()}`, departmentId: DEPARTMENT },
    "phone-0001",
  );
  const engine = new SyncEngine({
    db,
    deviceId: "phone-0001",
    scopeId: "scope-1",
    fetch: server.fetch,
    isOnline: options.online ?? (() => true),
    locks: null,
    random: () => 0.5,
    now: () => T0,
    ...options,
  });
  open.push(engine);
  return { server, db, engine };
}

describe("calls on a phone, through the outbox", () => {
  it("pulls the caller's calls, records an outcome offline, sends it once when back online", async () => {
    let online = false;
    const { server, db, engine } = await setup({ online: () => online });
    const mine = call({ rank: 2 });
    const other = call({ rank: 1 });
    server.putCall(mine);
    server.putCall(other);
    online = true;
    expect(await engine.syncNow()).toEqual({ status: "done" });
    expect((await db.calls.toArray()).map((c) => c.rank).sort()).toEqual([1, 2]);

    // No line: the outcome goes to the device and its outbox, the list moves on at once.
    online = false;
    await engine.enqueueCallOutcome(mine.id, { outcome: "not_reached", note: "אין מענה" });
    const help = await engine.enqueueCallOutcome(other.id, {
      outcome: "reached_needs_help",
      help: { category: "food", urgency: "high", description: "אין אוכל בבית" },
    });
    expect(await engine.syncNow()).toEqual({ status: "offline" });
    expect(await engine.counts()).toEqual({ pending: 2, conflicts: 0, rejected: 0 });
    expect(await db.calls.get(mine.id)).toMatchObject({ status: "retry", attempts: 1, pending: 1 });
    expect(await db.calls.get(other.id)).toMatchObject({
      status: "done",
      outcome: "reached_needs_help",
      pending: 1,
    });
    const outbox = await db.outbox.orderBy("seq").toArray();
    expect(outbox.map((e) => e.name)).toEqual(["emergency.call_outcome", "emergency.call_outcome"]);
    expect(outbox[1]).toMatchObject({ id: help.id, recordId: other.id });
    expect(server.attempts.size).toBe(0);

    // Back online; the first answer is lost on the way: the replay records nothing twice.
    online = true;
    server.faults.push("lose-answer");
    expect((await engine.syncNow()).status).toBe("failed");
    expect(await engine.syncNow()).toEqual({ status: "done" });
    expect(server.attempts.size).toBe(2);
    expect([...server.attempts.values()].map((a) => a.outcome).sort()).toEqual([
      "not_reached",
      "reached_needs_help",
    ]);
    expect([...server.attempts.values()].find((a) => a.help)?.help).toEqual({
      category: "food",
      urgency: "high",
      description: "אין אוכל בבית",
    });
    expect(await engine.counts()).toEqual({ pending: 0, conflicts: 0, rejected: 0 });
    // The answered call left the phone; the missed one stays, as the server has it.
    expect(await db.calls.get(other.id)).toBeUndefined();
    expect(await db.calls.get(mine.id)).toMatchObject({ status: "retry", pending: 0 });
  });

  it("a call taken away is removed; an outcome the server refuses waits for a person", async () => {
    const { server, db, engine } = await setup();
    const c = call();
    server.putCall(c);
    await engine.syncNow();
    // Reassigned while this phone recorded an outcome: the server refuses it.
    server.takeCall(c.id);
    await engine.enqueueCallOutcome(c.id, { outcome: "reached_ok" });
    await engine.syncNow();
    expect(await engine.counts()).toEqual({ pending: 0, conflicts: 0, rejected: 1 });
    const refused = (await db.outbox.toArray())[0]!;
    expect(refused.lastError?.code).toBe("emergency.call_not_found");
    expect(await db.calls.get(c.id)).toBeUndefined();
    await engine.discard(refused.id);
    expect(await engine.counts()).toEqual({ pending: 0, conflicts: 0, rejected: 0 });
  });

  it("refuses an outcome the server's schema would refuse, writing nothing", async () => {
    const { db, engine } = await setup();
    await expect(
      engine.enqueueCallOutcome(newRecordId(), { outcome: "reached_needs_help" }),
    ).rejects.toThrow();
    expect(await db.outbox.count()).toBe(0);
  });

  it("another user's calls leave a shared phone; their unsent outcomes stay", async () => {
    let online = true;
    const { server, db, engine } = await setup({ online: () => online });
    const c = call();
    server.putCall(c);
    server.putCall(call({ rank: 2 }));
    await engine.syncNow();
    expect(await db.calls.count()).toBe(2);
    online = false;
    await engine.enqueueCallOutcome(c.id, { outcome: "reached_ok" });
    const name = db.name;
    await engine.close();
    await purgeOtherUsers("someone-else");
    const again = new (db.constructor as new (n: string) => SyncDb)(name);
    await again.open();
    expect(await again.calls.count()).toBe(0);
    expect(await again.outbox.count()).toBe(1);
    again.close();
  });
});

describe("who syncs", () => {
  it("volunteers sync (their calls); activists do not", () => {
    const scope = {
      id: "dep-1",
      kind: "department" as const,
      departmentId: DEPARTMENT,
      districtId: null,
      name: "מחלקה",
      roles: ["volunteer" as const],
    };
    expect(
      syncTargetOf({ userId: "v1", scope, roles: ["volunteer"], isResident: false }),
    ).toMatchObject({ userId: "v1", departmentId: DEPARTMENT });
    expect(
      syncTargetOf({ userId: "a1", scope, roles: ["activist"], isResident: false }),
    ).toBeNull();
  });
});
