import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import Dexie from "dexie";
import { ZodError } from "zod";
import { SyncEngine, type LockLike, type SyncEngineOptions } from "./sync-engine.ts";
import {
  allSyncDbNames,
  deleteSyncDbs,
  openSyncDb,
  purgeOtherUsers,
  syncDbName,
  type SyncDb,
} from "./sync-db.ts";
import { FakeSyncServer } from "./sync.fixtures.ts";
import { newRecordId } from "./sync-ids.ts";
import type { SyncState } from "./sync-store.ts";
import { wipeOnSignOut } from "./sync-runtime.ts";

const DEPARTMENT = "d0000000-0000-4000-8000-000000000001";
const open: SyncEngine[] = [];

async function setup(
  options: Partial<SyncEngineOptions> & { server?: FakeSyncServer; db?: SyncDb } = {},
) {
  const server = options.server ?? new FakeSyncServer();
  const db =
    options.db ??
    (await openSyncDb({ userId: `u-${newRecordId()}`, departmentId: DEPARTMENT }, "tablet-0001"));
  const published: Partial<SyncState>[] = [];
  const engine = new SyncEngine({
    db,
    deviceId: "tablet-0001",
    scopeId: "scope-1",
    fetch: server.fetch,
    isOnline: () => true,
    locks: null,
    publish: (p) => published.push(p),
    random: () => 0.5,
    ...options,
  });
  open.push(engine);
  return { server, db, engine, published };
}

afterEach(async () => {
  for (const e of open.splice(0)) await e.close();
});

const createArgs = (id: string, description = "אין מעלית בבניין ואמא לא יוצאת מהבית") => ({
  id,
  channel: "face_to_face" as const,
  category: null,
  urgency: "normal" as const,
  description,
  location: { lat: 32.08, lon: 34.78 },
  addressText: "",
  communityId: null,
  residentId: null,
  assigneeId: null,
  language: "he" as const,
  contactName: "",
  contactPhone: null,
  contactConsent: false,
});

const createNeed = (engine: SyncEngine, id = newRecordId(), description?: string) =>
  engine.enqueue({ name: "need.create", args: createArgs(id, description) });

const statuses = async (db: SyncDb) =>
  (await db.outbox.orderBy("seq").toArray()).map((e) => e.status);

describe("enqueue", () => {
  it("applies a command to the local tables and appends it to the outbox, in order", async () => {
    const { db, engine } = await setup();
    const id = newRecordId();
    const created = await createNeed(engine, id);
    const comment = await engine.enqueue({
      name: "need.comment",
      args: { needId: id, text: "השכנה מהקומה השנייה מביאה אוכל" },
    });
    const update = await engine.enqueueNeedUpdate(id, { urgency: "high" });

    const row = await db.needs.get(id);
    expect(row).toMatchObject({
      id,
      reference: null,
      version: null,
      urgency: "high",
      pending: 3,
      problem: null,
      server: null,
    });
    expect(row?.notes.map((n) => n.text)).toEqual(["השכנה מהקומה השנייה מביאה אוכל"]);
    const outbox = await db.outbox.orderBy("seq").toArray();
    expect(outbox.map((e) => e.id)).toEqual([created.id, comment.id, update?.id]);
    expect(outbox.map((e) => e.name)).toEqual(["need.create", "need.comment", "need.update"]);
    expect(outbox.every((e) => e.status === "pending" && e.attempts === 0)).toBe(true);
    // The edit carries what the person saw as its base, on the version the device knows.
    expect(outbox[2]?.args).toEqual({
      needId: id,
      baseVersion: 1,
      base: { urgency: "normal" },
      changes: { urgency: "high" },
    });
    expect(await engine.counts()).toEqual({ pending: 3, conflicts: 0, rejected: 0 });
  });

  it("refuses a command the server's schema would refuse, writing nothing", async () => {
    const { db, engine } = await setup();
    await expect(createNeed(engine, newRecordId(), "x")).rejects.toBeInstanceOf(ZodError);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.needs.count()).toBe(0);
    // An edit that changes nothing is not a command.
    const id = newRecordId();
    await createNeed(engine, id);
    expect(await engine.enqueueNeedUpdate(id, { urgency: "normal" })).toBeNull();
  });
});

describe("drafts of survey answers", () => {
  const response = (formId: string, id: string) => ({
    name: "form.response" as const,
    args: {
      formId,
      id,
      channel: "door_to_door" as const,
      answers: { household: 4 },
      language: "he" as const,
      communityId: null,
      residentId: null,
    },
  });

  it("keeps the answer being typed, and saving it trades the draft for the command at once", async () => {
    const { db, engine } = await setup();
    const formId = newRecordId();
    const answerId = newRecordId();
    expect(await engine.draft(formId)).toBeNull();
    await engine.saveDraft({ formId, answerId, answers: { household: 4 }, language: "ar" });
    expect(await engine.draft(formId)).toMatchObject({
      answerId,
      answers: { household: 4 },
      language: "ar",
    });
    // A draft of another form is not touched.
    const other = newRecordId();
    await engine.saveDraft({ formId: other, answerId: newRecordId(), answers: {}, language: "he" });

    await engine.enqueue(response(formId, answerId), { clearDraft: formId });
    expect(await engine.draft(formId)).toBeNull();
    expect(await engine.draft(other)).not.toBeNull();
    expect((await db.outbox.toArray()).map((e) => [e.name, e.recordId])).toEqual([
      ["form.response", formId],
    ]);
  });

  it("a command the schema refuses leaves the draft where it was", async () => {
    const { db, engine } = await setup();
    const formId = newRecordId();
    await engine.saveDraft({ formId, answerId: newRecordId(), answers: {}, language: "he" });
    await expect(
      engine.enqueue(response(formId, "not-a-uuid"), { clearDraft: formId }),
    ).rejects.toBeInstanceOf(ZodError);
    expect(await engine.draft(formId)).not.toBeNull();
    expect(await db.outbox.count()).toBe(0);
  });

  it("the next user of a shared tablet does not find the last user's draft", async () => {
    const db = await openSyncDb({ userId: "typed", departmentId: DEPARTMENT }, "t-00000001");
    const { engine } = await setup({ db });
    await createNeed(engine); // unsent work keeps the database
    await engine.saveDraft({
      formId: newRecordId(),
      answerId: newRecordId(),
      answers: { name: "x" },
      language: "he",
    });
    await engine.close();
    await purgeOtherUsers("next-user");
    const reopened = await openSyncDb({ userId: "typed", departmentId: DEPARTMENT }, "t-00000001");
    expect(await reopened.outbox.count()).toBe(1);
    expect(
      (await reopened.meta.toArray()).filter((m) => String(m.key).startsWith("draft:")),
    ).toEqual([]);
    reopened.close();
    await deleteSyncDbs(await allSyncDbNames());
  });
});

describe("syncNow", () => {
  it("pushes in order, deletes what the server took, pulls the server's records", async () => {
    const { server, db, engine } = await setup();
    const id = newRecordId();
    const a = await createNeed(engine, id);
    const b = await engine.enqueueNeedUpdate(id, { category: "housing" });
    expect(await engine.syncNow()).toEqual({ status: "done" });
    expect(server.pushes).toEqual([[a.id, b!.id]]);
    expect(server.applied).toEqual([a.id, b!.id]);
    expect(await db.outbox.count()).toBe(0);
    const row = await db.needs.get(id);
    expect(row).toMatchObject({
      reference: "N-2026-0001",
      version: 2,
      category: "housing",
      pending: 0,
      community: { name: "שכונה א" },
    });
    expect(row?.server?.version).toBe(2);
    const state = await db.meta.get("state");
    expect(state).toMatchObject({ cursor: 2 });
  });

  it("sends in batches of at most 100, in device order", async () => {
    const { server, db, engine } = await setup();
    const id = newRecordId();
    const ids = [(await createNeed(engine, id)).id];
    for (let i = 0; i < 229; i++) {
      ids.push(
        (await engine.enqueue({ name: "need.comment", args: { needId: id, text: `הערה ${i}` } }))
          .id,
      );
    }
    await engine.syncNow();
    expect(server.pushes.map((p) => p.length)).toEqual([100, 100, 30]);
    expect(server.pushes.flat()).toEqual(ids);
    expect(server.needs.get(id)?.comments.size).toBe(229);
    expect(await db.outbox.count()).toBe(0);
  });

  it("keeps commands whose answer was lost, and the replay applies nothing twice", async () => {
    const { server, db, engine, published } = await setup();
    const id = newRecordId();
    const a = await createNeed(engine, id);
    const c = await engine.enqueue({ name: "need.comment", args: { needId: id, text: "שוחחנו" } });
    server.faults.push("lose-answer");
    const first = await engine.syncNow();
    expect(first).toMatchObject({ status: "failed", error: { code: "network_error" } });
    // The server applied both, the device never heard: both stay, pending.
    expect(server.applied).toEqual([a.id, c.id]);
    expect(await statuses(db)).toEqual(["pending", "pending"]);
    expect((await db.outbox.toArray()).map((e) => e.attempts)).toEqual([1, 1]);
    expect(published.some((p) => p.lastError?.code === "network_error" && p.retryAt)).toBe(true);

    server.faults.push("fail-before", "server-error");
    expect(await engine.syncNow()).toMatchObject({ status: "failed" });
    expect(await engine.syncNow()).toMatchObject({
      status: "failed",
      error: { code: "internal_error" },
    });
    expect(await engine.syncNow()).toEqual({ status: "done" });
    // The server saw the first push (answer lost) and the last; the two between never reached it.
    expect(server.pushes).toEqual([
      [a.id, c.id],
      [a.id, c.id],
    ]);
    expect(server.applied).toEqual([a.id, c.id]);
    expect(server.needs.get(id)?.comments.size).toBe(1);
    expect(await db.outbox.count()).toBe(0);
    expect(published.filter((p) => "lastError" in p).at(-1)?.lastError).toBeNull();
  });

  it("resends commands a killed tab left `sending`", async () => {
    const { server, db, engine } = await setup();
    const a = await createNeed(engine);
    // The tab died mid-push: the server may or may not have applied it.
    await db.outbox.toCollection().modify({ status: "sending" });
    server.push([{ id: a.id, name: a.name, args: a.args } as never]);
    const { engine: next } = await setup({ server, db });
    expect(await next.syncNow()).toEqual({ status: "done" });
    expect(server.applied).toEqual([a.id]);
    expect(await db.outbox.count()).toBe(0);
  });

  it("keeps a conflict for a person; keep mine sends it again on the server's version", async () => {
    const { server, db, engine } = await setup();
    const id = newRecordId();
    await createNeed(engine, id);
    await engine.syncNow();
    // Online, someone raised the urgency; offline, the device lowered it and set a category.
    server.edit(id, { urgency: "high" });
    const mine = await engine.enqueueNeedUpdate(id, { urgency: "low", category: "food" });
    await engine.syncNow();
    const kept = await db.outbox.orderBy("seq").toArray();
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({
      id: mine!.id,
      status: "conflict",
      currentVersion: 2,
      conflicts: [{ field: "urgency", base: "normal", mine: "low", theirs: "high" }],
    });
    expect(await engine.counts()).toEqual({ pending: 0, conflicts: 1, rejected: 0 });
    expect(server.needs.get(id)).toMatchObject({ urgency: "high", category: null });
    // The device shows the server's values while the conflict waits, marked.
    expect(await db.needs.get(id)).toMatchObject({ urgency: "high", problem: "conflict" });
    // Not sent again by itself.
    const pushes = server.pushes.length;
    await engine.syncNow();
    expect(server.pushes.length).toBe(pushes);

    await engine.resolveConflict(mine!.id, "mine");
    const again = await db.outbox.orderBy("seq").toArray();
    expect(again).toHaveLength(1);
    expect(again[0]?.args).toEqual({
      needId: id,
      baseVersion: 2,
      base: { urgency: "high", category: null },
      changes: { urgency: "low", category: "food" },
    });
    await engine.syncNow();
    expect(server.needs.get(id)).toMatchObject({ urgency: "low", category: "food" });
    expect(await db.outbox.count()).toBe(0);
    expect(await db.needs.get(id)).toMatchObject({ urgency: "low", problem: null, pending: 0 });
  });

  it("keep theirs drops the conflicting field but still sends the rest of the edit", async () => {
    const { server, db, engine } = await setup();
    const id = newRecordId();
    await createNeed(engine, id);
    await engine.syncNow();
    server.edit(id, { urgency: "critical" });
    const mine = await engine.enqueueNeedUpdate(id, { urgency: "low", category: "health" });
    await engine.syncNow();
    await engine.resolveConflict(mine!.id, "theirs");
    await engine.syncNow();
    expect(server.needs.get(id)).toMatchObject({ urgency: "critical", category: "health" });
    expect(await db.outbox.count()).toBe(0);

    // Only the conflicting field: keeping theirs leaves nothing to send.
    server.edit(id, { urgency: "high" });
    const only = await engine.enqueueNeedUpdate(id, { urgency: "low" });
    await engine.syncNow();
    await engine.resolveConflict(only!.id, "theirs");
    expect(await db.outbox.count()).toBe(0);
    expect(await db.needs.get(id)).toMatchObject({ urgency: "high", problem: null });
  });

  it("keeps a refused command with its reason, never retries it, and discards on request", async () => {
    const { server, db, engine } = await setup();
    const stranger = newRecordId();
    const bad = await engine.enqueue({
      name: "need.comment",
      args: { needId: stranger, text: "לצורך שאינו קיים" },
    });
    const good = await createNeed(engine);
    await engine.syncNow();
    expect(server.applied).toEqual([good.id]);
    expect(await db.outbox.toArray()).toMatchObject([
      {
        id: bad.id,
        status: "rejected",
        lastError: { code: "not_found", message: "Need not found" },
      },
    ]);
    const pushes = server.pushes.length;
    await engine.syncNow();
    expect(server.pushes.length).toBe(pushes);
    await engine.discard(bad.id);
    expect(await db.outbox.count()).toBe(0);
    expect(await engine.counts()).toEqual({ pending: 0, conflicts: 0, rejected: 0 });
  });

  it("a refused create stays visible, marked, until discarded", async () => {
    const { server, db, engine } = await setup();
    const id = newRecordId();
    server.needs.set(id, {
      id,
      reference: "N-2026-0999",
      version: 1,
      status: "new",
      category: null,
      urgency: "normal",
      description: "x",
      addressText: "",
      community: null,
      comments: new Set(),
    });
    const cmd = await createNeed(engine, id);
    await engine.syncNow();
    expect(await db.needs.get(id)).toMatchObject({ problem: "rejected", pending: 0 });
    expect(await db.needs.get(id)).toMatchObject({ description: createArgs(id).description });
    await engine.discard(cmd.id);
    // Never confirmed by the server: discarding it leaves nothing on the device.
    expect(await db.needs.get(id)).toBeUndefined();
  });

  it("isolates a command the server's schema refuses instead of blocking the outbox", async () => {
    const server = new FakeSyncServer();
    const { db, engine } = await setup({
      server,
      fetch: async (input, init) => {
        const body = init.body
          ? (JSON.parse(String(init.body)) as { commands: { args: { text?: string } }[] })
          : null;
        const badAt = body?.commands.findIndex((c) => c.args.text === "BAD") ?? -1;
        if (badAt >= 0) {
          return new Response(
            JSON.stringify({
              error: {
                code: "validation_failed",
                message: "The request is not valid",
                details: {
                  issues: [
                    {
                      path: ["body", "commands", String(badAt), "args", "text"],
                      code: "x",
                      message: "x",
                    },
                  ],
                },
              },
            }),
            { status: 400 },
          );
        }
        return server.fetch(input, init);
      },
    });
    const id = newRecordId();
    await createNeed(engine, id);
    const bad = await engine.enqueue({ name: "need.comment", args: { needId: id, text: "BAD" } });
    const after = await engine.enqueue({
      name: "need.comment",
      args: { needId: id, text: "אחרי" },
    });
    expect(await engine.syncNow()).toEqual({ status: "done" });
    expect(server.applied).toHaveLength(2);
    expect(server.applied).toContain(after.id);
    expect(await db.outbox.toArray()).toMatchObject([
      { id: bad.id, status: "rejected", lastError: { code: "validation_failed" } },
    ]);
  });

  it("keeps commands pending when signed out, without hammering", async () => {
    const { server, db, engine, published } = await setup();
    await createNeed(engine);
    server.faults.push("unauthenticated");
    expect(await engine.syncNow()).toMatchObject({
      status: "failed",
      error: { code: "unauthenticated" },
    });
    expect(await statuses(db)).toEqual(["pending"]);
    expect(published.filter((p) => p.lastError).at(-1)).toMatchObject({ retryAt: null });
  });

  it("does not try while offline", async () => {
    const server = new FakeSyncServer();
    const { engine } = await setup({ server, isOnline: () => false });
    await createNeed(engine);
    expect(await engine.syncNow()).toEqual({ status: "offline" });
    expect(server.pushes).toEqual([]);
  });
});

describe("pull", () => {
  it("applies removals and keeps unsent edits on top of pulled records", async () => {
    const { server, db, engine } = await setup();
    const a = newRecordId();
    const b = newRecordId();
    await createNeed(engine, a);
    await createNeed(engine, b);
    await engine.syncNow();
    expect(await db.needs.count()).toBe(2);
    server.hide(a);
    server.edit(b, { status: "triaged" });
    // Offline edit of b, not yet sent: the pull must not wipe it from the screen.
    await engine.enqueueNeedUpdate(b, { urgency: "high" });
    server.faults.push("fail-before");
    await engine.syncNow();
    await engine.syncNow();
    expect(await db.needs.get(a)).toBeUndefined();
    expect(await db.needs.get(b)).toMatchObject({ status: "triaged", urgency: "high", pending: 0 });
  });

  it("saves the cursor after each page, so an interrupted pull resumes where it stopped", async () => {
    const server = new FakeSyncServer();
    for (let i = 0; i < 5; i++) server.addForm(newRecordId(), `סקר ${i}`);
    const { db, engine } = await setup({ server, pullLimit: 2 });
    // Page 1 (cursor 0) and page 2 (cursor 2) arrive; page 3 never does.
    const fetchThrough = server.fetch;
    let calls = 0;
    const { engine: flaky } = await setup({
      server,
      db,
      pullLimit: 2,
      fetch: (input, init) =>
        ++calls === 3 ? Promise.reject(new TypeError("offline")) : fetchThrough(input, init),
    });
    expect(await flaky.syncNow()).toMatchObject({ status: "failed" });
    expect(await db.meta.get("state")).toMatchObject({ cursor: 4 });
    expect(await db.forms.count()).toBe(4);
    expect(await engine.syncNow()).toEqual({ status: "done" });
    expect(server.pulls).toEqual([0, 2, 4]);
    expect(await db.forms.count()).toBe(5);
    expect(await db.meta.get("state")).toMatchObject({ cursor: 5 });
  });

  it("keeps the reader's assignments as the server lists them, whole", async () => {
    const server = new FakeSyncServer();
    const form = newRecordId();
    const assignment = (id: string, name: string) => ({
      id,
      formId: form,
      formTitle: "סקר דלת לדלת",
      target: { kind: "street" as const, id: newRecordId(), name, level: null },
      note: "",
      answers: 0,
      createdAt: "2026-11-25T10:00:00.000Z",
    });
    const a = newRecordId();
    const b = newRecordId();
    server.assignments = [assignment(a, "רחוב הנרקיס"), assignment(b, "רחוב הכלנית")];
    const { db, engine } = await setup({ server, pullLimit: 1 });
    server.addForm(form, "סקר דלת לדלת");
    server.addForm(newRecordId(), "סקר אחר"); // two pages: the list comes with the last
    await engine.syncNow();
    expect((await db.assignments.orderBy("id").toArray()).map((x) => x.id).sort()).toEqual(
      [a, b].sort(),
    );
    // One taken back, one counted: the device follows.
    server.assignments = [{ ...assignment(b, "רחוב הכלנית"), answers: 3 }];
    await engine.syncNow();
    expect(await db.assignments.toArray()).toEqual([
      expect.objectContaining({ id: b, answers: 3 }),
    ]);
    // A server that sends no list (older) leaves the device's as it was.
    server.assignments = null;
    await engine.syncNow();
    expect(await db.assignments.count()).toBe(1);
  });

  it("forms that close are removed from the device", async () => {
    const server = new FakeSyncServer();
    const f = newRecordId();
    server.addForm(f, "סקר צרכים");
    const { db, engine } = await setup({ server });
    await engine.syncNow();
    expect(await db.forms.get(f)).toMatchObject({ title: "סקר צרכים", status: "open" });
    server.addForm(f, "סקר צרכים", "closed");
    await engine.syncNow();
    expect(await db.forms.get(f)).toBeUndefined();
  });
});

describe("one sync at a time", () => {
  it("in a tab: a call during a round waits for it and runs one more round", async () => {
    const { server, engine } = await setup();
    await createNeed(engine);
    const first = engine.syncNow();
    const second = engine.syncNow();
    await createNeed(engine);
    await Promise.all([first, second]);
    expect(server.maxInFlight).toBe(1);
    expect(server.applied).toHaveLength(2);
  });

  it("across tabs: the Web Lock lets one push at a time and nothing is sent twice", async () => {
    const server = new FakeSyncServer();
    const { db, engine } = await setup({ server, locks: navigator.locks as unknown as LockLike });
    const { engine: other } = await setup({
      server,
      db,
      locks: navigator.locks as unknown as LockLike,
    });
    for (let i = 0; i < 6; i++) await createNeed(i % 2 ? engine : other);
    await Promise.all([engine.syncNow(), other.syncNow(), engine.syncNow()]);
    expect(server.maxInFlight).toBe(1);
    expect(new Set(server.applied).size).toBe(6);
    expect(server.applied).toHaveLength(6);
  });

  it("without Web Locks (plain HTTP) a lease in the database does the same", async () => {
    const server = new FakeSyncServer();
    const { db, engine } = await setup({ server });
    const { engine: other } = await setup({ server, db });
    await createNeed(engine);
    const [a, b] = await Promise.all([engine.syncNow(), other.syncNow()]);
    expect([a.status, b.status].sort()).toEqual(["busy", "done"]);
    expect(server.applied).toHaveLength(1);
    // The lease is released after the round: the other tab may sync now.
    expect(await other.syncNow()).toEqual({ status: "done" });
  });
});

describe("wipe", () => {
  it("sign-out deletes every sync database of this browser", async () => {
    const mine = await openSyncDb({ userId: "wipe-me", departmentId: DEPARTMENT }, "tablet-0001");
    await mine.needs.put({ id: "x" } as never);
    mine.close();
    const other = await openSyncDb({ userId: "wipe-me", departmentId: "another" }, "tablet-0001");
    other.close();
    expect(await allSyncDbNames()).toEqual(
      expect.arrayContaining([
        syncDbName({ userId: "wipe-me", departmentId: DEPARTMENT }),
        syncDbName({ userId: "wipe-me", departmentId: "another" }),
      ]),
    );
    await wipeOnSignOut();
    expect(await allSyncDbNames()).toEqual([]);
    expect((await Dexie.getDatabaseNames()).filter((n) => n.startsWith("kaveret-sync"))).toEqual(
      [],
    );
  });

  it("a new user on a shared tablet: the last user's records go, their unsent commands stay", async () => {
    const idle = await openSyncDb(
      { userId: "left-nothing", departmentId: DEPARTMENT },
      "t-00000001",
    );
    await idle.needs.put({ id: "n1" } as never);
    idle.close();
    const busy = await openSyncDb({ userId: "left-work", departmentId: DEPARTMENT }, "t-00000001");
    const { engine } = await setup({ db: busy });
    await createNeed(engine);
    await busy.forms.put({
      id: "f",
      title: "t",
      status: "open",
      anonymous: true,
      definition: {},
      version: 1,
    });
    await engine.close();
    await purgeOtherUsers("new-user");
    const names = await allSyncDbNames();
    expect(names).not.toContain(syncDbName({ userId: "left-nothing", departmentId: DEPARTMENT }));
    expect(names).toContain(syncDbName({ userId: "left-work", departmentId: DEPARTMENT }));
    const reopened = await openSyncDb(
      { userId: "left-work", departmentId: DEPARTMENT },
      "t-00000001",
    );
    expect(await reopened.outbox.count()).toBe(1);
    expect(await reopened.forms.count()).toBe(0);
    // The need made on the device shows from its create command only when rebuilt; the table is clear.
    expect(await reopened.needs.count()).toBe(0);
    reopened.close();
    await deleteSyncDbs(names);
  });
});

describe("property: any interleaving of writes, failed pushes and syncs", () => {
  type Step =
    | { op: "create" }
    | { op: "comment"; pick: number }
    | { op: "urgency"; pick: number }
    | { op: "sync"; fault: "none" | "fail-before" | "lose-answer" | "server-error" }
    | { op: "kill"; applied: boolean };

  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.constant<Step>({ op: "create" }),
    fc.nat(20).map((pick): Step => ({ op: "comment", pick })),
    fc.nat(20).map((pick): Step => ({ op: "urgency", pick })),
    fc
      .constantFrom("none", "fail-before", "lose-answer", "server-error")
      .map((fault): Step => ({ op: "sync", fault })),
    fc.boolean().map((applied): Step => ({ op: "kill", applied })),
  );

  it("leaves the server with each command applied once, in device order, and the device empty", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const server = new FakeSyncServer();
        let db = await openSyncDb(
          { userId: `p-${newRecordId()}`, departmentId: DEPARTMENT },
          "tablet-0001",
        );
        let { engine } = await setup({ server, db, batchSize: 3 });
        const enqueued: string[] = [];
        const needs: string[] = [];
        const comments = new Map<string, number>();
        const urgency = new Map<string, string>();
        for (const s of steps) {
          if (s.op === "create") {
            const id = newRecordId();
            needs.push(id);
            urgency.set(id, "normal");
            enqueued.push((await createNeed(engine, id)).id);
          } else if (s.op === "comment" && needs.length) {
            const id = needs[s.pick % needs.length]!;
            comments.set(id, (comments.get(id) ?? 0) + 1);
            const c = await engine.enqueue({
              name: "need.comment",
              args: { needId: id, text: `הערה ${enqueued.length}` },
            });
            enqueued.push(c.id);
          } else if (s.op === "urgency" && needs.length) {
            const id = needs[s.pick % needs.length]!;
            const next = urgency.get(id) === "high" ? "low" : "high";
            urgency.set(id, next);
            const u = await engine.enqueueNeedUpdate(id, { urgency: next });
            if (u) enqueued.push(u.id);
          } else if (s.op === "sync") {
            if (s.fault !== "none") server.faults.push(s.fault);
            await engine.syncNow();
            server.faults.length = 0;
          } else if (s.op === "kill") {
            // The tab dies mid-push: its first batch is `sending`; the server may have applied it.
            // (A round starts by taking back what a dead tab left `sending`, then sends in order.)
            await db.outbox.where("status").equals("sending").modify({ status: "pending" });
            const batch = await db.outbox.where("status").equals("pending").limit(3).toArray();
            await db.outbox.bulkUpdate(
              batch.map((e) => ({ key: e.seq!, changes: { status: "sending" as const } })),
            );
            if (s.applied && batch.length) {
              server.push(batch.map((e) => ({ id: e.id, name: e.name, args: e.args }) as never));
            }
            await engine.close();
            db = await reopen(db);
            ({ engine } = await setup({ server, db, batchSize: 3 }));
          }
        }
        expect(await engine.syncNow()).toEqual({ status: "done" });
        const live = engine.db;
        expect(await live.outbox.count()).toBe(0);
        expect(server.applied).toEqual(enqueued);
        for (const id of needs) {
          expect(server.needs.get(id)?.comments.size ?? 0).toBe(comments.get(id) ?? 0);
          expect(server.needs.get(id)?.urgency).toBe(urgency.get(id));
          expect(await live.needs.get(id)).toMatchObject({
            urgency: urgency.get(id),
            pending: 0,
            problem: null,
          });
        }
        await engine.close();
        await Dexie.delete(live.name);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});

async function reopen(db: SyncDb): Promise<SyncDb> {
  const { SyncDb: Db } = await import("./sync-db.ts");
  const again = new Db(db.name);
  await again.open();
  return again;
}
