import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type {
  AssignmentOptions,
  FieldAssignment,
  FormAssignment,
  SyncCommand,
  SyncCommandResult,
} from "@kaveret/contracts";
import { schema, startTestServer, type TestServer } from "../../test/harness.ts";
import { buildWorld, type World } from "../residents/residents.fixtures.ts";

let t: TestServer;
let w: World;
let streetId: string;

const json = <T>(res: { body: string }) => JSON.parse(res.body) as T;
const code = (res: { body: string }) => json<{ error: { code: string } }>(res).error.code;

const survey = {
  schemaVersion: 1,
  settings: { title: "סקר דלת לדלת", id: "d2d", defaultLanguage: "he", languages: ["he"] },
  questions: [{ type: "integer", name: "household", label: { he: "נפשות" }, required: true }],
  choiceLists: [],
};

beforeAll(async () => {
  t = await startTestServer();
  w = await buildWorld(t);
  const [street] = await t.database.db
    .insert(schema.streets)
    .values({ departmentId: w.departmentId, townId: w.townId, name: "רחוב הנרקיס" })
    .returning();
  streetId = street!.id;
});
afterAll(async () => {
  await t?.close();
});

async function openForm(communityId: string | null = null) {
  const created = await w.api.manager.post("/api/forms", {
    title: "סקר דלת לדלת",
    definition: survey,
    communityId,
  });
  expect(created.statusCode, created.body).toBe(201);
  const form = json<{ id: string; version: number }>(created);
  const opened = await w.api.manager.patch(`/api/forms/${form.id}`, {
    version: form.version,
    status: "open",
  });
  expect(opened.statusCode, opened.body).toBe(200);
  return json<{ id: string; version: number }>(opened);
}

/** The manager takes an assignment back. */
const takeBack = (formId: string, id: string) =>
  w.api.manager.delete(`/api/forms/${formId}/assignments/${id}`);

const assign = (formId: string, body: Record<string, unknown>) =>
  w.api.manager.post(`/api/forms/${formId}/assignments`, { note: "", ...body });

async function pullAssignments(api = w.api.worker): Promise<FieldAssignment[]> {
  let cursor = 0;
  for (let i = 0; i < 100; i++) {
    const res = await api.get(`/api/sync/pull?cursor=${cursor}`);
    expect(res.statusCode, res.body).toBe(200);
    const page = json<{ cursor: number; hasMore: boolean; assignments?: FieldAssignment[] }>(res);
    if (!page.hasMore) {
      expect(page.assignments).toBeDefined();
      return page.assignments ?? [];
    }
    expect(page.assignments).toBeUndefined();
    cursor = page.cursor;
  }
  throw new Error("the pull never ended");
}

const answer = (formId: string, assignmentId?: string): SyncCommand => ({
  id: crypto.randomUUID(),
  name: "form.response",
  args: {
    formId,
    id: crypto.randomUUID(),
    channel: "door_to_door",
    answers: { household: 3 },
    language: "he",
    communityId: null,
    residentId: null,
    ...(assignmentId ? { assignmentId } : {}),
  },
});

async function push(commands: SyncCommand[]) {
  const res = await w.api.worker.post("/api/sync/push", { deviceId: "tablet-0042", commands });
  expect(res.statusCode, res.body).toBe(200);
  return json<{ results: SyncCommandResult[] }>(res).results;
}

describe("door-to-door assignments", () => {
  it("a manager gives a building and a street of a form to a surveyor; only valid ones", async () => {
    const form = await openForm();
    const options = json<AssignmentOptions>(
      await w.api.manager.get(`/api/forms/${form.id}/assignments/options`),
    );
    expect(options.surveyors.map((s) => s.id).sort()).toEqual(
      [w.users.manager, w.users.worker, w.users.social].sort(),
    );
    expect(options.targets).toEqual(
      expect.arrayContaining([
        { kind: "community", id: w.buildingId, name: "בניין 1", level: "building" },
        { kind: "street", id: streetId, name: "רחוב הנרקיס", level: null },
      ]),
    );
    // Neighbourhoods and functional communities are not walked door to door.
    expect(options.targets.map((x) => x.id)).not.toContain(w.aId);
    expect(options.targets.map((x) => x.id)).not.toContain(w.functionalId);

    const building = await assign(form.id, {
      surveyorId: w.users.worker,
      targetKind: "community",
      targetId: w.buildingId,
      note: "קומות 1–4",
    });
    expect(building.statusCode, building.body).toBe(201);
    expect(json<FormAssignment>(building)).toMatchObject({
      formId: form.id,
      surveyor: { id: w.users.worker },
      target: { kind: "community", id: w.buildingId, name: "בניין 1", level: "building" },
      note: "קומות 1–4",
      answers: 0,
    });
    const street = await assign(form.id, {
      surveyorId: w.users.worker,
      targetKind: "street",
      targetId: streetId,
    });
    expect(street.statusCode, street.body).toBe(201);

    const again = await assign(form.id, {
      surveyorId: w.users.worker,
      targetKind: "community",
      targetId: w.buildingId,
    });
    expect(again.statusCode).toBe(409);
    expect(code(again)).toBe("assignment.duplicate");
    const neighbourhood = await assign(form.id, {
      surveyorId: w.users.worker,
      targetKind: "community",
      targetId: w.aId,
    });
    expect(code(neighbourhood)).toBe("assignment.target_invalid");
    const wrongKind = await assign(form.id, {
      surveyorId: w.users.worker,
      targetKind: "street",
      targetId: w.buildingId,
    });
    expect(code(wrongKind)).toBe("assignment.target_invalid");
    for (const surveyorId of [w.users.activist, w.users.volunteer, "no-such-user"]) {
      const res = await assign(form.id, {
        surveyorId,
        targetKind: "street",
        targetId: streetId,
      });
      expect(res.statusCode).toBe(400);
      expect(code(res)).toBe("assignment.surveyor_invalid");
    }

    const list = json<{ items: FormAssignment[] }>(
      await w.api.manager.get(`/api/forms/${form.id}/assignments`),
    );
    expect(list.items.map((a) => a.target.name)).toEqual(["בניין 1", "רחוב הנרקיס"]);
    const audited = await t.database.db
      .select()
      .from(schema.auditEvents)
      .where(
        and(
          eq(schema.auditEvents.departmentId, w.departmentId),
          eq(schema.auditEvents.action, "form.assignment.create"),
          eq(schema.auditEvents.entityId, form.id),
        ),
      );
    expect(audited).toHaveLength(2);
  });

  it("only a manager of the department assigns", async () => {
    const form = await openForm();
    // Another department's manager finds no such form (their scope is their department).
    expect((await w.api.otherManager.get(`/api/forms/${form.id}/assignments`)).statusCode).toBe(
      404,
    );
    for (const api of [w.api.worker, w.api.social, w.api.activist]) {
      expect((await api.get(`/api/forms/${form.id}/assignments`)).statusCode).toBe(403);
      const res = await api.post(`/api/forms/${form.id}/assignments`, {
        surveyorId: w.users.worker,
        targetKind: "street",
        targetId: streetId,
      });
      expect(res.statusCode).toBe(403);
    }
    expect(
      (await w.api.manager.get(`/api/forms/${crypto.randomUUID()}/assignments`)).statusCode,
    ).toBe(404);
  });

  it("a community worker is not given a form of a community they do not work in", async () => {
    const form = await openForm(w.bId);
    const options = json<AssignmentOptions>(
      await w.api.manager.get(`/api/forms/${form.id}/assignments/options`),
    );
    expect(options.surveyors.map((s) => s.id)).not.toContain(w.users.worker);
    const res = await assign(form.id, {
      surveyorId: w.users.worker,
      targetKind: "street",
      targetId: streetId,
    });
    expect(code(res)).toBe("assignment.surveyor_invalid");
  });

  it("the surveyor's device pulls their assignments with answer counts; taken back, they go", async () => {
    const form = await openForm();
    const created = json<FormAssignment>(
      await assign(form.id, {
        surveyorId: w.users.worker,
        targetKind: "community",
        targetId: w.buildingId,
      }),
    );
    const other = await openForm();
    // Someone else's assignment is not on the worker's device.
    await assign(other.id, {
      surveyorId: w.users.social,
      targetKind: "street",
      targetId: streetId,
    });

    const mine = (await pullAssignments()).filter((a) => a.formId === form.id);
    expect(mine).toEqual([
      expect.objectContaining({
        id: created.id,
        formTitle: "סקר דלת לדלת",
        target: { kind: "community", id: w.buildingId, name: "בניין 1", level: "building" },
        answers: 0,
      }),
    ]);
    expect((await pullAssignments()).some((a) => a.formId === other.id)).toBe(false);

    // Answers taken on it count; one naming an assignment of no such form is refused.
    const results = await push([
      answer(form.id, created.id),
      answer(form.id, created.id),
      answer(form.id),
      answer(form.id, crypto.randomUUID()),
      answer(other.id, created.id),
    ]);
    expect(results.map((r) => r.status)).toEqual(["ok", "ok", "ok", "rejected", "rejected"]);
    expect(results[3]).toMatchObject({ code: "assignment.not_found" });
    expect((await pullAssignments()).find((a) => a.id === created.id)?.answers).toBe(2);
    const list = json<{ items: FormAssignment[] }>(
      await w.api.manager.get(`/api/forms/${form.id}/assignments`),
    );
    expect(list.items.find((a) => a.id === created.id)?.answers).toBe(2);
    const dataset = json<{ total: number }>(
      await w.api.manager.get(`/api/forms/${form.id}/responses`),
    );
    expect(dataset.total).toBe(3);

    // Taken back: gone from the device at the next pull (its answers stay in the dataset).
    const removed = await takeBack(form.id, created.id);
    expect(removed.statusCode).toBe(204);
    expect((await pullAssignments()).some((a) => a.id === created.id)).toBe(false);
    expect(
      json<{ total: number }>(await w.api.manager.get(`/api/forms/${form.id}/responses`)).total,
    ).toBe(3);
    expect((await takeBack(form.id, created.id)).statusCode).toBe(404);

    // A closed form's assignments leave the device too, and it takes no new ones.
    const kept = json<FormAssignment>(
      await assign(form.id, {
        surveyorId: w.users.worker,
        targetKind: "street",
        targetId: streetId,
      }),
    );
    expect((await pullAssignments()).some((a) => a.id === kept.id)).toBe(true);
    const current = json<{ version: number }>(await w.api.manager.get(`/api/forms/${form.id}`));
    await w.api.manager.patch(`/api/forms/${form.id}`, {
      version: current.version,
      status: "closed",
    });
    expect((await pullAssignments()).some((a) => a.id === kept.id)).toBe(false);
    const late = await assign(form.id, {
      surveyorId: w.users.worker,
      targetKind: "community",
      targetId: w.buildingId,
    });
    expect(code(late)).toBe("form.not_open");
  });
});
