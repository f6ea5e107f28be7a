import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { SyncEngine } from "./sync-engine.ts";
import {
  allSyncDbNames,
  deleteSyncDbs,
  openSyncDb,
  purgeOtherUsers,
  type SyncDb,
} from "./sync-db.ts";
import { FakeSyncServer } from "./sync.fixtures.ts";
import { newRecordId } from "./sync-ids.ts";
import { answerStrings, withoutValues } from "./sync-photos.ts";

/*
 * Photos of door-to-door answers on the device: kept in IndexedDB with their answer,
 * uploaded before the answer's command (each under its own id, so a retry is the same
 * photo), let go once the server has the answer; a refused photo holds its answer back
 * for a person, who may send the rest of it without the photo.
 */

const DEPARTMENT = "d0000000-0000-4000-8000-000000000001";
const open: SyncEngine[] = [];

async function setup(o: { db?: SyncDb } = {}) {
  const server = new FakeSyncServer();
  const db =
    o.db ??
    (await openSyncDb({ userId: `u-${newRecordId()}`, departmentId: DEPARTMENT }, "tablet-0001"));
  const engine = new SyncEngine({
    db,
    deviceId: "tablet-0001",
    scopeId: "scope-1",
    // Through the server object, so a test can stand in for one of its answers.
    fetch: (input, init) => server.fetch(input, init),
    isOnline: () => true,
    locks: null,
    random: () => 0.5,
  });
  open.push(engine);
  return { server, db, engine };
}

afterEach(async () => {
  for (const e of open.splice(0)) await e.close();
});

const jpeg = (n = 64) =>
  new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Array<number>(n).fill(7)])], {
    type: "image/jpeg",
  });

const response = (formId: string, answerId: string, answers: Record<string, unknown>) => ({
  name: "form.response" as const,
  args: {
    formId,
    id: answerId,
    channel: "door_to_door" as const,
    answers,
    language: "he" as const,
    communityId: null,
    residentId: null,
  },
});

/** An answer with a photo of the entrance, saved on the device (as the field form does). */
async function savedAnswer(engine: SyncEngine, server: FakeSyncServer) {
  const formId = newRecordId();
  server.addForm(formId, "מצב המבנה");
  const answerId = newRecordId();
  const photoId = newRecordId();
  await engine.keepPhoto({ id: photoId, formId, answerId, blob: jpeg() });
  const entry = await engine.enqueue(response(formId, answerId, { entrance: photoId }));
  return { formId, answerId, photoId, entry };
}

describe("photos of answers on the device", () => {
  it("keeps the photo itself in IndexedDB with its answer", async () => {
    const { db, engine } = await setup();
    const answerId = newRecordId();
    const id = newRecordId();
    const blob = jpeg(100);
    await engine.keepPhoto({ id, formId: newRecordId(), answerId, blob });
    const [row] = await engine.photosOf(answerId);
    expect(row).toMatchObject({ id, answerId, uploaded: false });
    expect(row?.blob.size).toBe(blob.size);
    expect(new Uint8Array(await row!.blob.arrayBuffer())).toEqual(
      new Uint8Array(await blob.arrayBuffer()),
    );
    // Reopened (a reload, a flat battery): still there.
    db.close();
    await db.open();
    expect((await db.photos.get(id))?.blob.size).toBe(blob.size);
  });

  it("saving the answer keeps only the photos it names", async () => {
    const { db, engine } = await setup();
    const formId = newRecordId();
    const answerId = newRecordId();
    const [first, second] = [newRecordId(), newRecordId()];
    await engine.keepPhoto({ id: first, formId, answerId, blob: jpeg() });
    await engine.keepPhoto({ id: second, formId, answerId, blob: jpeg() }); // replaced the first
    await engine.enqueue(response(formId, answerId, { entrance: second }));
    expect((await db.photos.toArray()).map((p) => p.id)).toEqual([second]);
    // Once saved, starting over elsewhere does not take the saved answer's photo.
    await engine.dropPhotos(answerId);
    expect(await db.photos.count()).toBe(1);
  });

  it("uploads the photo before the command naming it, then lets both go", async () => {
    const { server, db, engine } = await setup();
    const { photoId, entry } = await savedAnswer(engine, server);
    expect(await engine.syncNow()).toEqual({ status: "done" });
    expect(server.requests).toEqual([`PUT photo ${photoId}`, `POST push ${entry.id}`]);
    expect(server.applied).toEqual([entry.id]);
    expect(server.photos.size).toBe(1);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.photos.count()).toBe(0);
  });

  it("an upload whose answer was lost goes again under the same id; the command waits for it", async () => {
    const { server, db, engine } = await setup();
    const { photoId, entry } = await savedAnswer(engine, server);
    server.faults.push("lose-answer");
    expect((await engine.syncNow()).status).toBe("failed");
    // The server has the photo; the device did not hear so, and pushed nothing.
    expect(server.requests).toEqual([`PUT photo ${photoId}`]);
    expect(server.pushes).toEqual([]);
    expect((await db.outbox.toArray()).map((e) => e.status)).toEqual(["pending"]);
    expect(await engine.syncNow()).toEqual({ status: "done" });
    expect(server.requests).toEqual([
      `PUT photo ${photoId}`,
      `PUT photo ${photoId}`,
      `POST push ${entry.id}`,
    ]);
    expect(server.photos.size).toBe(1);
    expect(server.applied).toEqual([entry.id]);
  });

  it("a photo uploaded once is not sent again when only the push failed", async () => {
    const { server, db, engine } = await setup();
    const { photoId, entry } = await savedAnswer(engine, server);
    const real = server.fetch;
    server.fetch = (input, init) =>
      input === "/api/sync/push"
        ? Promise.resolve(new Response("{}", { status: 503 }))
        : real(input, init);
    expect((await engine.syncNow()).status).toBe("failed");
    expect((await db.photos.get(photoId))?.uploaded).toBe(true);
    server.fetch = real;
    expect(await engine.syncNow()).toEqual({ status: "done" });
    expect(server.requests).toEqual([`PUT photo ${photoId}`, `POST push ${entry.id}`]);
  });

  it("a photo the server refuses holds its answer back, unsent; the rest can go without it", async () => {
    const { server, db, engine } = await setup();
    const formId = newRecordId();
    server.addForm(formId, "מצב המבנה");
    const answerId = newRecordId();
    const [good, bad] = [newRecordId(), newRecordId()];
    await engine.keepPhoto({ id: good, formId, answerId, blob: jpeg() });
    await engine.keepPhoto({ id: bad, formId, answerId, blob: jpeg() });
    server.refusePhotos.set(bad, { status: 415, code: "form.photo_type" });
    const entry = await engine.enqueue(
      response(formId, answerId, { address: "הרצל 1", entrance: good, rooms: [{ room: bad }] }),
    );
    // Another answer in the same batch is not held back by it.
    const other = await savedAnswer(engine, server);

    expect(await engine.syncNow()).toEqual({ status: "done" });
    expect(server.pushes).toEqual([[other.entry.id]]);
    const waiting = await db.outbox.where("id").equals(entry.id).first();
    expect(waiting).toMatchObject({
      status: "rejected",
      lastError: { code: "form.photo_type" },
    });
    expect(await engine.counts()).toEqual({ pending: 0, conflicts: 0, rejected: 1 });
    expect((await db.photos.get(bad))?.refused).toBe("form.photo_type");

    expect(await engine.sendWithoutRefusedPhotos(entry.id)).toBe(true);
    expect(await engine.syncNow()).toEqual({ status: "done" });
    expect(server.responses.get(answerId)?.answers).toEqual({
      address: "הרצל 1",
      entrance: good,
      rooms: [{}],
    });
    expect(server.photos.has(bad)).toBe(false);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.photos.count()).toBe(0);
  });

  it("discarding a refused answer lets its photos go", async () => {
    const { server, db, engine } = await setup();
    const { photoId, entry } = await savedAnswer(engine, server);
    server.refusePhotos.set(photoId, { status: 413, code: "form.photo_too_large" });
    await engine.syncNow();
    expect((await db.outbox.toArray())[0]?.status).toBe("rejected");
    await engine.discard(entry.id);
    expect(await db.photos.count()).toBe(0);
  });

  it("a shared tablet's next user does not find the photos of answers being typed", async () => {
    const db = await openSyncDb({ userId: "photographer", departmentId: DEPARTMENT }, "t-1");
    const { server, engine } = await setup({ db });
    const saved = await savedAnswer(engine, server); // unsent: stays with its user
    await engine.keepPhoto({
      id: newRecordId(),
      formId: saved.formId,
      answerId: newRecordId(), // a draft's
      blob: jpeg(),
    });
    await engine.close();
    await purgeOtherUsers("next-user");
    const reopened = await openSyncDb({ userId: "photographer", departmentId: DEPARTMENT }, "t-1");
    expect((await reopened.photos.toArray()).map((p) => p.id)).toEqual([saved.photoId]);
    reopened.close();
    await deleteSyncDbs(await allSyncDbNames());
  });
});

describe("answer values", () => {
  it("finds the strings an answer holds and leaves chosen ones out", () => {
    const answers = { a: "x", r: [{ p: "y", n: 2 }, { p: "z" }], m: ["y"] };
    expect([...answerStrings(answers)].sort()).toEqual(["x", "y", "z"]);
    expect(withoutValues(answers, new Set(["y"]))).toEqual({
      a: "x",
      r: [{ n: 2 }, { p: "z" }],
      m: ["y"],
    });
  });
});
