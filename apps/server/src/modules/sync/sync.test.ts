import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Need, SyncCommand, SyncCommandResult } from "@kaveret/contracts";
import { eq } from "drizzle-orm";
import { schema, startTestServer, type TestServer } from "../../test/harness.ts";
import { buildWorld, POINTS, type World } from "../residents/residents.fixtures.ts";

let t: TestServer;
let w: World;

beforeAll(async () => {
  t = await startTestServer();
  w = await buildWorld(t);
});
afterAll(async () => {
  await t?.close();
});

type Push = { results: SyncCommandResult[] };
const push = async (
  api: World["api"]["manager"],
  commands: SyncCommand[],
  deviceId = "tablet-0001",
) => {
  const res = await api.post("/api/sync/push", { deviceId, commands });
  if (res.statusCode !== 200) throw new Error(`push: ${res.statusCode} ${res.body}`);
  return res.json() as Push;
};
const need = async (id: string) => (await w.api.manager.get(`/api/needs/${id}`)).json() as Need;

const create = (needId: string, description: string): SyncCommand => ({
  id: crypto.randomUUID(),
  name: "need.create",
  args: {
    id: needId,
    channel: "face_to_face",
    category: null,
    urgency: "normal",
    description,
    location: POINTS.a,
    addressText: "",
    communityId: null,
    residentId: null,
    assigneeId: null,
    language: "he",
    contactName: "",
    contactPhone: null,
    contactConsent: false,
  },
});

describe("sync: push", () => {
  it("applies each command once whatever the retries, duplicates and batching (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { minLength: 1, maxLength: 6 }),
        fc.array(fc.constantFrom("comment", "urgency", "category"), { minLength: 1, maxLength: 6 }),
        async (needs, schedule, kinds) => {
          // The device's outbox: creates, then comments and edits on them, in device order.
          const ids = Array.from({ length: needs }, () => crypto.randomUUID());
          const outbox: SyncCommand[] = ids.map((id, i) =>
            create(id, `דיווח מהשטח ${i} ${id.slice(0, 6)}`),
          );
          const expected = new Map(
            ids.map((id) => [
              id,
              { comments: 0, urgency: "normal", category: null as string | null },
            ]),
          );
          kinds.forEach((kind, k) => {
            const needId = ids[k % ids.length]!;
            const e = expected.get(needId)!;
            if (kind === "comment") {
              outbox.push({
                id: crypto.randomUUID(),
                name: "need.comment",
                args: { needId, text: `הערה ${k}` },
              });
              e.comments += 1;
            } else if (kind === "urgency") {
              const next = e.urgency === "high" ? "low" : "high";
              outbox.push({
                id: crypto.randomUUID(),
                name: "need.update",
                args: {
                  needId,
                  baseVersion: 1,
                  base: { urgency: e.urgency as "normal" },
                  changes: { urgency: next },
                },
              });
              e.urgency = next;
            } else {
              const next = e.category === "food" ? "housing" : "food";
              outbox.push({
                id: crypto.randomUUID(),
                name: "need.update",
                args: {
                  needId,
                  baseVersion: 1,
                  base: { category: e.category },
                  changes: { category: next },
                },
              });
              e.category = next;
            }
          });
          // Pushes: slices of the outbox, never sending a command before every earlier one
          // was sent once; answers may be lost (the device sends them again).
          const first = new Map<string, SyncCommandResult>();
          let sent = 0;
          for (const [a, b, lost] of schedule) {
            const start = Math.min(a % (sent + 1), outbox.length - 1);
            const end = Math.min(outbox.length, start + 1 + (b % outbox.length));
            const batch = outbox.slice(start, end);
            const { results } = await push(w.api.manager, batch);
            for (const r of results) {
              const before = first.get(r.id);
              if (before) expect(r).toEqual(before);
              else first.set(r.id, r);
            }
            if (!lost) sent = Math.max(sent, end);
          }
          await push(w.api.manager, outbox); // the device's final, complete push
          for (const [id, e] of expected) {
            const n = await need(id);
            expect(n.events.filter((x) => x.kind === "comment")).toHaveLength(e.comments);
            expect(n.urgency).toBe(e.urgency);
            expect(n.category).toBe(e.category);
          }
          const again = await push(w.api.manager, outbox);
          expect(again.results.every((r) => r.status === "ok")).toBe(true);
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);

  it("merges edits of different fields; shows a conflict on the same field; refuses a reused id", async () => {
    const id = crypto.randomUUID();
    await push(w.api.manager, [create(id, "עמוד תאורה נפל ליד המכולת")]);
    const online = await need(id);
    // Someone online changes the urgency…
    await w.api.manager.patch(`/api/needs/${id}`, { version: online.version, urgency: "high" });
    // …while the tablet, offline on version 1, set the category (merges) and the urgency (conflicts).
    const merged = await push(w.api.worker, [
      {
        id: crypto.randomUUID(),
        name: "need.update",
        args: {
          needId: id,
          baseVersion: 1,
          base: { category: null },
          changes: { category: "safety" },
        },
      },
    ]);
    expect(merged.results[0]).toMatchObject({ status: "ok" });
    const conflict = await push(w.api.worker, [
      {
        id: crypto.randomUUID(),
        name: "need.update",
        args: {
          needId: id,
          baseVersion: 1,
          base: { urgency: "normal" },
          changes: { urgency: "low" },
        },
      },
    ]);
    expect(conflict.results[0]).toMatchObject({
      status: "conflict",
      conflicts: [{ field: "urgency", base: "normal", mine: "low", theirs: "high" }],
    });
    const now = await need(id);
    expect(now.category).toBe("safety");
    expect(now.urgency).toBe("high"); // never silently overwritten
    const cmd = create(crypto.randomUUID(), "תיאור אחד");
    await push(w.api.manager, [cmd]);
    const reused = await push(w.api.manager, [
      { ...cmd, args: { ...cmd.args, description: "תיאור אחר" } } as SyncCommand,
    ]);
    expect(reused.results[0]).toMatchObject({ status: "rejected", code: "conflict" });
  });

  it("one bad command is rejected without blocking the others", async () => {
    const good = crypto.randomUUID();
    const { results } = await push(w.api.manager, [
      {
        id: crypto.randomUUID(),
        name: "need.comment",
        args: { needId: crypto.randomUUID(), text: "לצורך שלא קיים" },
      },
      create(good, "צריך עזרה בהסעה לבית החולים"),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "ok"]);
    expect((await need(good)).id).toBe(good);
    const bad = await w.api.manager.post("/api/sync/push", { deviceId: "x", commands: [] });
    expect(bad.statusCode).toBe(400);
  });
});

describe("sync: survey answers", () => {
  const survey = {
    schemaVersion: 1,
    settings: { title: "סקר דלת לדלת", id: "d2d", defaultLanguage: "he", languages: ["he"] },
    questions: [{ type: "integer", name: "household", label: { he: "נפשות" }, required: true }],
    choiceLists: [],
  };
  const answer = (formId: string, responseId: string, household: number): SyncCommand => ({
    id: crypto.randomUUID(),
    name: "form.response",
    args: {
      formId,
      id: responseId,
      channel: "door_to_door",
      answers: { household },
      language: "he",
      communityId: null,
      residentId: null,
    },
  });

  it("stores an answer once when it comes again in another command, after 500 newer answers and the form's closing", async () => {
    const created = (
      await w.api.manager.post("/api/forms", { title: "סקר דלת לדלת", definition: survey })
    ).json() as { id: string; version: number };
    const opened = (
      await w.api.manager.patch(`/api/forms/${created.id}`, {
        version: created.version,
        status: "open",
      })
    ).json() as { id: string; version: number };
    const responseId = crypto.randomUUID();
    const first = await push(w.api.worker, [answer(opened.id, responseId, 3)]);
    expect(first.results[0]).toMatchObject({ status: "ok", recordId: responseId });

    // 500 answers by link after it (newer), then the form closes.
    const [form] = await t.database.db
      .select()
      .from(schema.forms)
      .where(eq(schema.forms.id, opened.id));
    const later = Date.now() + 60_000;
    await t.database.db.insert(schema.formResponses).values(
      Array.from({ length: 500 }, (_, i) => ({
        departmentId: form!.departmentId,
        id: crypto.randomUUID(),
        formId: opened.id,
        formVersion: 1,
        channel: "link",
        answers: { household: 1 + (i % 9) },
        createdAt: new Date(later + i),
      })),
    );
    const closed = await w.api.manager.patch(`/api/forms/${opened.id}`, {
      version: opened.version,
      status: "closed",
    });
    expect(closed.statusCode, closed.body).toBe(200);

    // The same answer again in a new command (a device that lost its first answer and the
    // server's record of the command): the stored answer, not a refusal, not a second row.
    const again = await push(w.api.worker, [answer(opened.id, responseId, 3)]);
    expect(again.results[0]).toMatchObject({ status: "ok", recordId: responseId });
    const list = (
      await w.api.manager.get(`/api/forms/${opened.id}/responses?channel=door_to_door`)
    ).json() as { total: number; items: { id: string }[] };
    expect(list.total).toBe(1);
    expect(list.items.map((i) => i.id)).toEqual([responseId]);
    // A new answer to the closed form is refused.
    const late = await push(w.api.worker, [answer(opened.id, crypto.randomUUID(), 2)]);
    expect(late.results[0]).toMatchObject({ status: "rejected", code: "form.not_open" });
  });
});

describe("sync: pull", () => {
  it("pages changes after a cursor; records out of reach come back as removals", async () => {
    // The manager pulls everything from the start, page by page.
    let cursor = 0;
    let seen = 0;
    for (let i = 0; i < 50; i++) {
      const res = (await w.api.manager.get(`/api/sync/pull?cursor=${cursor}&limit=20`)).json() as {
        changes: { id: string; op: string }[];
        cursor: number;
        hasMore: boolean;
      };
      seen += res.changes.length;
      expect(res.cursor).toBeGreaterThanOrEqual(cursor);
      cursor = res.cursor;
      if (!res.hasMore) break;
    }
    expect(seen).toBeGreaterThan(0);
    const quiet = (await w.api.manager.get(`/api/sync/pull?cursor=${cursor}`)).json() as {
      changes: unknown[];
    };
    expect(quiet.changes).toEqual([]);

    // A need in the worker's neighbourhood, then moved out of it: the worker pulls a removal.
    const id = crypto.randomUUID();
    await push(w.api.manager, [create(id, "ספסל שבור בגינה")]);
    const inReach = (await w.api.worker.get(`/api/sync/pull?cursor=${cursor}`)).json() as {
      changes: { id: string; op: string }[];
      cursor: number;
    };
    expect(inReach.changes.find((c) => c.id === id)?.op).toBe("upsert");
    const n = await need(id);
    await w.api.manager.patch(`/api/needs/${id}`, { version: n.version, communityId: w.bId });
    const gone = (await w.api.worker.get(`/api/sync/pull?cursor=${inReach.cursor}`)).json() as {
      changes: { id: string; op: string; record?: unknown }[];
    };
    expect(gone.changes.find((c) => c.id === id)).toEqual({ kind: "need", id, op: "remove" });
    expect((await w.api.activist.get("/api/sync/pull")).statusCode).toBe(403);
  });
});
