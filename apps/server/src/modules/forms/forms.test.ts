import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Form, FormAnalysis, ResponseItem } from "@kaveret/contracts";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { buildWorld, type World } from "../residents/residents.fixtures.ts";

let t: TestServer;
let w: World;

const json = <T>(res: { body: string }) => JSON.parse(res.body) as T;
const fixture = (name: string) =>
  readFileSync(
    resolve(import.meta.dirname, "../../../../../packages/forms/src/xlsform/fixtures", name),
  );

/** A door-to-door style survey in Hebrew and Arabic: skip logic, a constraint, selects, a point. */
const survey = {
  schemaVersion: 1,
  settings: {
    title: "סקר צרכים",
    id: "needs_survey",
    defaultLanguage: "he",
    languages: ["he", "ar"],
  },
  questions: [
    {
      type: "integer",
      name: "household",
      label: { he: "כמה נפשות בבית?", ar: "كم شخصًا في البيت؟" },
      required: true,
      constraint: ". > 0 and . < 20",
      constraintMessage: { he: "בין 1 ל-19", ar: "بين 1 و-19" },
    },
    {
      type: "select_multiple",
      name: "needs",
      label: { he: "במה צריך עזרה?", ar: "بماذا تحتاج مساعدة؟" },
      choiceList: "needs",
    },
    {
      type: "select_one",
      name: "satisfaction",
      label: { he: "שביעות רצון מהשכונה", ar: "الرضا عن الحي" },
      choiceList: "scale",
      required: true,
    },
    {
      type: "text",
      name: "why",
      label: { he: "למה?", ar: "لماذا؟" },
      relevant: "${satisfaction} = 'bad'",
    },
    { type: "geopoint", name: "place", label: { he: "מיקום", ar: "الموقع" } },
  ],
  choiceLists: [
    {
      name: "needs",
      choices: [
        { name: "food", label: { he: "מזון", ar: "غذاء" } },
        { name: "housing", label: { he: "דיור", ar: "سكن" } },
        { name: "loneliness", label: { he: "בדידות", ar: "وحدة" } },
      ],
    },
    {
      name: "scale",
      choices: [
        { name: "good", label: { he: "טובה", ar: "جيد" } },
        { name: "bad", label: { he: "רעה", ar: "سيئ" } },
      ],
    },
  ],
};

beforeAll(async () => {
  t = await startTestServer();
  w = await buildWorld(t);
});
afterAll(async () => {
  await t?.close();
});

async function openSurvey(): Promise<Form> {
  const created = await w.api.manager.post("/api/forms", {
    title: "סקר צרכים",
    definition: survey,
  });
  expect(created.statusCode, created.body).toBe(201);
  const form = json<Form>(created);
  const opened = await w.api.manager.patch(`/api/forms/${form.id}`, {
    version: form.version,
    status: "open",
  });
  expect(opened.statusCode, opened.body).toBe(200);
  return json<Form>(opened);
}

const answer = (formId: string, body: Record<string, unknown>) =>
  t.app.inject({ method: "POST", url: `/api/public/forms/${formId}/responses`, payload: body });

describe("forms: XLSForm in and out", () => {
  it("imports a real XLSForm with its report, exports it back", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/forms/import?fileName=choice_filter_test.xlsx",
      headers: {
        cookie: w.cookies.manager!,
        "x-kaveret-scope": `department:${w.departmentId}`,
        "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      },
      payload: fixture("choice_filter_test.xlsx"),
    });
    expect(res.statusCode, res.body).toBe(201);
    const { form, report } = json<{ form: Form; report: unknown[] }>(res);
    expect(form.questionCount).toBe(3);
    expect(Array.isArray(report)).toBe(true);
    const file = await w.api.manager.get(`/api/forms/${form.id}/xlsform`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.subarray(0, 2).toString()).toBe("PK");
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/forms/import",
      headers: {
        cookie: w.cookies.manager!,
        "x-kaveret-scope": `department:${w.departmentId}`,
        "content-type": "application/octet-stream",
      },
      payload: Buffer.from("this is not a spreadsheet"),
    });
    expect(bad.statusCode).toBe(400);
    expect(json<{ error: { code: string } }>(bad).error.code).toBe("form.xlsform_invalid");
  });

  it("refuses an invalid definition and will not open a form with errors", async () => {
    const bad = await w.api.manager.post("/api/forms", {
      title: "x",
      definition: { schemaVersion: 1, settings: {}, questions: "no" },
    });
    expect(json<{ error: { code: string } }>(bad).error.code).toBe("form.invalid_definition");
    const empty = json<Form>(await w.api.manager.post("/api/forms", { title: "ריק" }));
    const open = await w.api.manager.patch(`/api/forms/${empty.id}`, {
      version: empty.version,
      status: "open",
    });
    expect(json<{ error: { code: string } }>(open).error.code).toBe("form.invalid_definition");
  });
});

describe("forms: answers from every channel into one dataset", () => {
  it("takes answers by link and from paper, validates them with the form's rules, once per id", async () => {
    const form = await openSurvey();
    expect(form.publicUrl).toContain(`/s/${form.id}`);
    const pub = await t.app.inject({ method: "GET", url: `/api/public/forms/${form.id}` });
    expect(pub.statusCode).toBe(200);

    const id = crypto.randomUUID();
    const body = {
      id,
      language: "ar",
      answers: {
        household: 4,
        needs: ["food", "loneliness"],
        satisfaction: "bad",
        why: "אין גינה",
        place: { latitude: 32.81, longitude: 35.11 },
      },
    };
    expect((await answer(form.id, body)).statusCode).toBe(201);
    expect((await answer(form.id, body)).statusCode).toBe(201); // a retry is not a second answer

    const invalid = await answer(form.id, { id: crypto.randomUUID(), answers: { household: 40 } });
    expect(invalid.statusCode).toBe(400);
    const issues = json<{
      error: { code: string; details: { issues: { path: string[]; code: string }[] } };
    }>(invalid).error;
    expect(issues.code).toBe("form.answers_invalid");
    expect(issues.details.issues.map((i) => `${i.path.join(".")}:${i.code}`).sort()).toEqual([
      "household:constraint",
      "satisfaction:required",
    ]);
    // Answers to questions skip logic hides are dropped.
    const paper = await w.api.worker.post(`/api/forms/${form.id}/responses`, {
      id: crypto.randomUUID(),
      channel: "paper",
      answers: { household: 2, needs: ["housing"], satisfaction: "good", why: "should be dropped" },
    });
    expect(paper.statusCode, paper.body).toBe(201);
    expect(json<ResponseItem>(paper).answers.why).toBeUndefined();
    expect(json<ResponseItem>(paper).submittedBy?.id).toBe(w.users.worker);

    const list = json<{ items: ResponseItem[]; total: number }>(
      await w.api.manager.get(`/api/forms/${form.id}/responses`),
    );
    expect(list.total).toBe(2);
    expect(list.items.map((i) => i.channel).sort()).toEqual(["link", "paper"]);

    const analysis = json<FormAnalysis>(
      await w.api.manager.get(`/api/forms/${form.id}/analysis?crossBy=satisfaction`),
    );
    expect(analysis.total).toBe(2);
    expect(analysis.byChannel).toEqual({ link: 1, paper: 1 });
    const needs = analysis.questions.find((q) => q.name === "needs")!;
    expect(needs.counts).toEqual([
      { value: "food", label: "מזון", count: 1 },
      { value: "housing", label: "דיור", count: 1 },
      { value: "loneliness", label: "בדידות", count: 1 },
    ]);
    expect(needs.cross!.rows.find((r) => r.value === "food")!.counts).toEqual([0, 1]);
    expect(analysis.questions.find((q) => q.name === "household")!.numeric).toEqual({
      min: 2,
      max: 4,
      mean: 3,
      median: 3,
    });
    expect(analysis.questions.find((q) => q.name === "place")!.points).toEqual([
      { lat: 32.81, lon: 35.11 },
    ]);
    const paperOnly = json<FormAnalysis>(
      await w.api.manager.get(`/api/forms/${form.id}/analysis?channel=paper`),
    );
    expect(paperOnly.total).toBe(1);

    const csv = await w.api.manager.get(`/api/forms/${form.id}/responses/export?format=csv`);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.body.charCodeAt(0)).toBe(0xfeff);
    expect(csv.body).toContain("household");
    expect(csv.body).toContain("food loneliness");
    const xlsx = await w.api.manager.get(`/api/forms/${form.id}/responses/export?format=xlsx`);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe("PK");

    // The questions of a form with answers stay as they were.
    const fresh = json<Form>(await w.api.manager.get(`/api/forms/${form.id}`));
    const change = await w.api.manager.patch(`/api/forms/${form.id}`, {
      version: fresh.version,
      definition: { ...survey, questions: survey.questions.slice(0, 2) },
    });
    expect(change.statusCode, change.body.slice(0, 300)).toBe(409);
    expect(json<{ error: { code: string } }>(change).error.code).toBe("form.published_definition");

    // A need from an answer: on the survey channel, at the answer's point, linked back.
    const need = await w.api.manager.post(`/api/forms/${form.id}/responses/${id}/need`, {
      description: "משפחה של 4 צריכה עזרה במזון",
      category: "food",
    });
    expect(need.statusCode, need.body).toBe(201);
    const made = json<{ channel: string; hasLocation: boolean }>(
      await w.api.manager.get(`/api/needs/${json<{ id: string }>(need).id}`),
    );
    expect(made).toMatchObject({ channel: "survey", hasLocation: true });
    const linked = json<{ items: ResponseItem[] }>(
      await w.api.manager.get(`/api/forms/${form.id}/responses`),
    );
    expect(linked.items.find((i) => i.id === id)!.needIds).toHaveLength(1);

    // Closed: the link stops taking answers.
    const closed = json<Form>(
      await w.api.manager.patch(`/api/forms/${form.id}`, {
        version: fresh.version,
        status: "closed",
      }),
    );
    expect(closed.status).toBe("closed");
    expect((await answer(form.id, { ...body, id: crypto.randomUUID() })).statusCode).toBe(404);
  });

  it("scope: a community worker does not see another community's form; activists see no forms", async () => {
    const created = json<Form>(
      await w.api.manager.post("/api/forms", {
        title: "סקר שכונה ב",
        communityId: w.bId,
        definition: survey,
      }),
    );
    expect((await w.api.worker.get(`/api/forms/${created.id}`)).statusCode).toBe(404);
    const list = json<{ items: { id: string }[] }>(await w.api.worker.get("/api/forms"));
    expect(list.items.map((i) => i.id)).not.toContain(created.id);
    expect((await w.api.activist.get("/api/forms")).statusCode).toBe(403);
    expect((await w.api.otherManager.get(`/api/forms/${created.id}`)).statusCode).toBe(404);
  });
});
