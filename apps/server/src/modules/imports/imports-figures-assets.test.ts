import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportJob } from "@kaveret/contracts";
import {
  client,
  demoEmail,
  signIn,
  signInManager,
  startTestServer,
  type TestServer,
} from "../../test/harness.ts";

let t: TestServer;
let manager: ReturnType<typeof client>;
let worker: ReturnType<typeof client>;
let cookie: string;
let scope: string;
let workerCookie: string;

type Api = ReturnType<typeof client>;

async function upload(as: "manager" | "worker", entity: string, text: string) {
  return t.app.inject({
    method: "POST",
    url: `/api/imports?entity=${entity}&fileName=data.csv`,
    headers:
      as === "manager"
        ? { cookie, "x-kaveret-scope": scope, "content-type": "text/csv" }
        : { cookie: workerCookie, "content-type": "text/csv" },
    payload: Buffer.from(text, "utf8"),
  });
}

async function waitFor(api: Api, id: string): Promise<ImportJob> {
  for (let i = 0; i < 600; i++) {
    const job = (await api.get(`/api/imports/${id}`)).json() as ImportJob;
    if (job.status !== "validating" && job.status !== "importing") return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the import did not finish");
}

beforeAll(async () => {
  t = await startTestServer();
  manager = await signInManager(t.app);
  const me = (await manager.get("/api/me")).json() as { scopes: { id: string; name: string }[] };
  scope = me.scopes.find((s) => s.name.includes("עין הדר"))!.id;
  cookie = await signIn(t.app, demoEmail("manager"));
  workerCookie = await signIn(t.app, demoEmail("worker"));
  worker = client(t.app, workerCookie);
}, 120_000);
afterAll(async () => t.close());

describe("community figures import", () => {
  it("matches statistical areas and community names, reports unknown areas and bad numbers, commits through the profile", async () => {
    const file = [
      "סמל אזור סטטיסטי,שם,אוכלוסייה,בני 65+,אשכול חברתי-כלכלי",
      "9870011,,4200,610,4",
      '0009870012,,"3,150",480,5',
      "1234567,,100,10,3",
      ",נווה שלום,2800,abc,6",
      ",Al-Nur,5100,300,12",
    ].join("\n");
    const res = await upload("manager", "community_figures", file);
    expect(res.statusCode).toBe(201);
    const job = res.json() as ImportJob;
    expect(job.suggestedMapping).toMatchObject({
      statAreaCode: "סמל אזור סטטיסטי",
      community: "שם",
      population: "אוכלוסייה",
      age_65_plus: "בני 65+",
      socioeconomic_cluster: "אשכול חברתי-כלכלי",
    });
    // A period is needed: from a column or the options.
    const noPeriod = await manager.post(`/api/imports/${job.id}/validate`, {
      mapping: job.suggestedMapping,
      options: {},
    });
    expect(noPeriod.json().error.code).toBe("import.mapping_invalid");
    await manager.post(`/api/imports/${job.id}/validate`, {
      mapping: job.suggestedMapping,
      options: { period: "2024", source: "CBS 2024" },
    });
    const validated = await waitFor(manager, job.id);
    expect(validated.validRows).toBe(2);
    expect(validated.errors.items.map((e) => [e.row, e.field, e.code])).toEqual([
      [4, "statAreaCode", "area_not_found"],
      [5, "age_65_plus", "invalid_number"],
      [6, "socioeconomic_cluster", "invalid_number"],
    ]);
    await manager.post(`/api/imports/${job.id}/commit`, { skipInvalid: true });
    const done = await waitFor(manager, job.id);
    expect(done.status).toBe("done");
    expect(done.result).toMatchObject({ figures: 6, communities: 2 });
    const figures = await t.database.query<{
      name: string;
      indicator: string;
      value: number;
      source: string;
    }>(
      `select c.name, f.indicator, f.value, f.source from community_figures f
       join communities c on c.department_id = f.department_id and c.id = f.community_id
       where f.period = '2024' and f.source = 'CBS 2024' order by c.name, f.indicator`,
    );
    expect(figures.find((f) => f.indicator === "population" && f.value === 3150)).toBeTruthy();
    expect(
      figures
        .filter((f) => f.indicator === "age_65_plus")
        .map((f) => f.value)
        .sort(),
    ).toEqual([480, 610]);
  });

  it("keeps a community worker to their own communities' figures", async () => {
    const file = ["קהילה,שנה,אוכלוסייה", "רמת הזיתים,2023,1000", "שכונת הגפן,2023,2000"].join("\n");
    const job = (await upload("worker", "community_figures", file)).json() as ImportJob;
    await worker.post(`/api/imports/${job.id}/validate`, {
      mapping: job.suggestedMapping,
      options: {},
    });
    const validated = await waitFor(worker, job.id);
    expect(validated.validRows).toBe(1);
    expect(validated.errors.items.map((e) => e.code)).toEqual(["community_out_of_scope"]);
  });
});

describe("assets import and export", () => {
  it("imports places with their type, organization (new or existing) and opening hours", async () => {
    const file = [
      "שם,סוג,ארגון,רחוב,מס' בית,שעות פתיחה,טלפון,קהילה",
      'מועדון ותיקים ייבוא,מועדון ותיקים,עמותת ייבוא חדשה,הגפן,4,"א-ה 08:00-12:00, ו 08:00-11:00",04-6123456,שכונת הגפן',
      "מקלט ייבוא 1,מקלט,,הזית,9,,,רמת הזיתים",
      "מקום בלי סוג,משהו אחר,,,,,,",
      "ספרייה ייבוא,ספרייה,עמותת ייבוא חדשה,,,בתיאום מראש,,",
    ].join("\n");
    const job = (await upload("manager", "assets", file)).json() as ImportJob;
    expect(job.suggestedMapping).toMatchObject({
      name: "שם",
      type: "סוג",
      organization: "ארגון",
      street: "רחוב",
      houseNumber: "מס' בית",
      openingHours: "שעות פתיחה",
      phone: "טלפון",
      community: "קהילה",
    });
    const towns = (await manager.get("/api/communities?level=town")).json() as {
      items: { id: string }[];
    };
    await manager.post(`/api/imports/${job.id}/validate`, {
      mapping: job.suggestedMapping,
      options: { townId: towns.items[0]!.id },
    });
    const validated = await waitFor(manager, job.id);
    expect(validated.errors.items.map((e) => [e.row, e.field, e.code])).toEqual([
      [4, "type", "unknown_value"],
      [5, "openingHours", "invalid_opening_hours"],
    ]);
    await manager.post(`/api/imports/${job.id}/commit`, { skipInvalid: true });
    const done = await waitFor(manager, job.id);
    expect(done.result).toMatchObject({ created: 2, organizations: 1, schedules: 6 });
    const list = (
      await manager.get(`/api/assets?q=${encodeURIComponent("מועדון ותיקים ייבוא")}`)
    ).json() as {
      items: {
        id: string;
        type: string;
        organization: { name: string } | null;
        openingHours: unknown[];
        phone: string;
      }[];
    };
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      type: "elderly_club",
      organization: { name: "עמותת ייבוא חדשה" },
      phone: "+97246123456",
    });
    expect(list.items[0]!.openingHours).toHaveLength(6);
  });

  it("exports assets as CSV in the reader's language, and the file imports back", async () => {
    const res = await manager.get(
      `/api/assets/export?format=csv&lang=he&q=${encodeURIComponent("ייבוא")}`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/csv");
    expect(res.headers["content-disposition"]).toContain("attachment");
    const text = res.body;
    expect(text.startsWith("\ufeffשם,סוג,ארגון")).toBe(true);
    expect(text).toContain("מועדון ותיקים ייבוא,מועדון ותיקים,עמותת ייבוא חדשה");
    expect(text).toContain("א-ה 08:00-12:00; ו 08:00-11:00");
    const back = (await upload("manager", "assets", text)).json() as ImportJob;
    expect(back.totalRows).toBe(2);
    await manager.post(`/api/imports/${back.id}/validate`, {
      mapping: back.suggestedMapping,
      options: { duplicates: "import" },
    });
    const validated = await waitFor(manager, back.id);
    expect(validated.errors.items).toEqual([]);
    expect(validated.validRows).toBe(2);
    const audit = (await manager.get("/api/audit?action=asset.export")).json() as {
      items: { action: string }[];
    };
    expect(audit.items.some((a) => a.action === "asset.export")).toBe(true);
  });
});
