import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DepartmentSettingsView, PublicMap } from "@kaveret/contracts";
import {
  client,
  demoEmail,
  signIn,
  signInManager,
  startTestServer,
  type TestServer,
} from "../../test/harness.ts";

/*
 * A department's names in other languages: a manager sets them (validated, audited), and
 * residents' public pages and APIs name the department — and its town and neighbourhoods —
 * in the page's language, else in Hebrew.
 */

const HEBREW = "המחלקה לשירותים חברתיים עין הדר";
const ARABIC = "قسم الخدمات الاجتماعية في عين هدار";

let t: TestServer;
let manager: Awaited<ReturnType<typeof signInManager>>;
let departmentId: string;

beforeAll(async () => {
  t = await startTestServer();
  manager = await signInManager(t.app);
  departmentId = (await manager.get("/api/department/settings")).json<DepartmentSettingsView>()
    .departmentId;
});
afterAll(async () => t.close());

const names = async () =>
  (await manager.get("/api/department/settings")).json<DepartmentSettingsView>().altNames;

const publicGet = (url: string) => t.app.inject({ method: "GET", url });

describe("department names: the manager's settings", () => {
  it("shows the demo department's names in Arabic, English, Russian and Amharic", async () => {
    const settings = (await manager.get("/api/department/settings")).json<DepartmentSettingsView>();
    expect(settings.name).toBe(HEBREW);
    expect(settings.altNames).toEqual({
      ar: ARABIC,
      en: "Ein Hadar Social Services Department",
      ru: "Отдел социальных служб Эйн-Хадар",
      am: "የዔይን ሃዳር የማኅበራዊ አገልግሎቶች ክፍል",
    });
  });

  it("only a manager changes them: every other role gets 403 and nothing changes", async () => {
    const before = await names();
    for (const role of [
      "worker",
      "social",
      "trainer",
      "activist",
      "volunteer",
      "partner",
      "district",
      "ministry",
    ] as const) {
      const other = client(t.app, await signIn(t.app, demoEmail(role)));
      const res = await other.patch("/api/department/names", { altNames: { en: "Hacked" } });
      expect(res.statusCode, role).toBe(403);
      expect(res.json().error.code, role).toBe("forbidden");
    }
    const anonymous = await t.app.inject({
      method: "PATCH",
      url: "/api/department/names",
      payload: { altNames: { en: "Hacked" } },
    });
    expect(anonymous.statusCode).toBe(401);
    expect(await names()).toEqual(before);
  });

  it("refuses bad names with 400 validation_failed and the field's path, saving nothing", async () => {
    const before = await names();
    const bad: [unknown, (string | number)[]][] = [
      // Too long (after trimming), next to a valid name that must not be saved either.
      [{ en: "Welfare", ar: "ق".repeat(201) }, ["body", "altNames", "ar"]],
      [{ ru: 42 }, ["body", "altNames", "ru"]],
      // A bidi override would turn the name around wherever it is shown.
      [{ en: "Ein\u202eHadar" }, ["body", "altNames", "en"]],
      [{ am: "line\nbreak" }, ["body", "altNames", "am"]],
      // Hebrew is the department's name itself; other languages are not kept.
      [{ he: "שם אחר" }, ["body", "altNames"]],
      [{ fr: "Services sociaux" }, ["body", "altNames"]],
    ];
    for (const [altNames, path] of bad) {
      const res = await manager.patch("/api/department/names", { altNames });
      expect(res.statusCode, JSON.stringify(altNames)).toBe(400);
      const error = res.json().error;
      expect(error.code).toBe("validation_failed");
      expect(error.details.issues.map((i: { path: unknown[] }) => i.path)).toContainEqual(path);
    }
    expect((await manager.patch("/api/department/names", {})).statusCode).toBe(400);
    expect(await names()).toEqual(before);
  });

  it("trims, takes 200 characters, clears with an empty name, and audits each change", async () => {
    const longest = "ж".repeat(200);
    const res = await manager.patch("/api/department/names", {
      altNames: { en: "  Ein Hadar Welfare  ", ru: `  ${longest}  `, am: "" },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<DepartmentSettingsView>().altNames).toEqual({
      ar: ARABIC,
      en: "Ein Hadar Welfare",
      ru: longest,
    });
    expect(await names()).toEqual({ ar: ARABIC, en: "Ein Hadar Welfare", ru: longest });

    // The same names again: nothing to change, nothing audited.
    await manager.patch("/api/department/names", { altNames: { en: "Ein Hadar Welfare" } });

    const rows = await t.database.query<{
      action: string;
      entity_id: string;
      fields: string[];
      details: unknown;
    }>(
      "select action, entity_id, fields, details from audit_events where action = 'department.names_update'",
    );
    expect(rows).toEqual([
      {
        action: "department.names_update",
        entity_id: departmentId,
        fields: ["altNames.en", "altNames.ru", "altNames.am"],
        details: {
          before: {
            en: "Ein Hadar Social Services Department",
            ru: "Отдел социальных служб Эйн-Хадар",
            am: "የዔይን ሃዳር የማኅበራዊ አገልግሎቶች ክፍል",
          },
          after: { en: "Ein Hadar Welfare", ru: longest, am: "" },
        },
      },
    ]);
  });
});

describe("department names: residents' public pages", () => {
  it("name the department in every language it has; the page falls back to Hebrew", async () => {
    // From the test above: ar, en and ru set, am cleared.
    const expected = { ar: ARABIC, en: "Ein Hadar Welfare", ru: "ж".repeat(200) };
    const report = (
      await publicGet(`/api/public/departments/${departmentId}/need-categories`)
    ).json();
    expect(report.department).toEqual({ id: departmentId, name: HEBREW, names: expected });
    const alerts = (await publicGet(`/api/public/departments/${departmentId}/alerts`)).json();
    expect(alerts.department).toEqual({ id: departmentId, name: HEBREW, names: expected });
  });

  it("name the town and neighbourhoods in every language, on the map and in the alerts list", async () => {
    const map = (await publicGet(`/api/public/departments/${departmentId}/map`)).json<PublicMap>();
    const town = map.boundaries.features.find((f) => f.properties.level === "town");
    expect(town?.properties.name).toBe("עין הדר");
    expect(town?.properties.names).toEqual({
      ar: "عين هدار",
      en: "Ein Hadar",
      ru: "Эйн-Хадар",
      am: "ዔይን ሃዳር",
    });
    const alerts = (await publicGet(`/api/public/departments/${departmentId}/alerts`)).json();
    const gefen = alerts.communities.find((c: { name: string }) => c.name === "שכונת הגפן");
    expect(gefen.names).toEqual({ ar: "حي الكرمة", en: "HaGefen", ru: "Ха-Гефен", am: "ሃገፈን" });
  });

  it("name the department on a public survey", async () => {
    const created = await manager.post("/api/forms", {
      title: "סקר שכונה",
      definition: {
        schemaVersion: 1,
        settings: {
          title: "סקר שכונה",
          id: "names_survey",
          defaultLanguage: "he",
          languages: ["he"],
        },
        questions: [{ type: "text", name: "why", label: { he: "למה?" } }],
        choiceLists: [],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const form = created.json<{ id: string; version: number }>();
    const opened = await manager.patch(`/api/forms/${form.id}`, {
      version: form.version,
      status: "open",
    });
    expect(opened.statusCode, opened.body).toBe(200);
    const survey = (await publicGet(`/api/public/forms/${form.id}`)).json();
    expect(survey.department.name).toBe(HEBREW);
    expect(survey.department.names.ar).toBe(ARABIC);
    expect(survey.department.names.am).toBeUndefined();
  });
});
