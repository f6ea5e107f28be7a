import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { sql } from "drizzle-orm";
import { withIsraeliIdCheckDigit, type ImportJob } from "@kaveret/contracts";
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
let activist: ReturnType<typeof client>;
let volunteer: ReturnType<typeof client>;
let townId: string;

type Api = ReturnType<typeof client>;

const validId = (n: number) => withIsraeliIdCheckDigit(String(31_000_000 + n));
function badId(n: number) {
  const good = validId(n);
  return good.slice(0, 8) + String((Number(good[8]) + 1) % 10);
}

const csvOf = (rows: string[][]) =>
  rows
    .map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(","))
    .join("\n");

async function upload(
  api: Api,
  body: Buffer | string,
  options: { entity?: string; fileName?: string; contentType?: string } = {},
) {
  const { entity = "residents", fileName = "people.csv", contentType = "text/csv" } = options;
  return t.app.inject({
    method: "POST",
    url: `/api/imports?entity=${entity}&fileName=${encodeURIComponent(fileName)}`,
    headers: { ...headersOf(api), "content-type": contentType },
    payload: typeof body === "string" ? Buffer.from(body, "utf8") : body,
  });
}

// The harness client keeps its headers private: read them back from a request.
const apiHeaders = new Map<Api, Record<string, string>>();
function headersOf(api: Api) {
  return apiHeaders.get(api)!;
}
async function withHeaders(app: TestServer["app"], cookie: string, scope?: string) {
  const api = client(app, cookie, scope);
  apiHeaders.set(api, { cookie, ...(scope ? { "x-kaveret-scope": scope } : {}) });
  return api;
}

async function waitFor(api: Api, id: string): Promise<ImportJob> {
  for (let i = 0; i < 600; i++) {
    const job = (await api.get(`/api/imports/${id}`)).json() as ImportJob;
    if (job.status !== "validating" && job.status !== "importing") return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the import did not finish");
}

const countResidents = async () =>
  Number(
    (
      await t.database.query<{ n: number }>(
        "select count(*)::int as n from residents where department_id = (select department_id from communities where id = $1)",
        [townId],
      )
    )[0]!.n,
  );

const header = [
  "שם פרטי",
  "שם משפחה",
  'ת"ז',
  "טלפון נייד",
  "רחוב",
  "מס' בית",
  "שפות",
  "סימוני פגיעות",
  "הסכמות",
  "משק בית",
  "הערות בריאות",
];

beforeAll(async () => {
  t = await startTestServer({ IMPORT_MAX_MB: "1" });
  const m = await signInManager(t.app);
  const scope = (await m.get("/api/me")).json() as { scopes: { id: string; name: string }[] };
  const einHadar = scope.scopes.find((s) => s.name.includes("עין הדר"))!.id;
  manager = await withHeaders(t.app, await signIn(t.app, demoEmail("manager")), einHadar);
  worker = await withHeaders(t.app, await signIn(t.app, demoEmail("worker")));
  activist = await withHeaders(t.app, await signIn(t.app, demoEmail("activist")));
  volunteer = await withHeaders(t.app, await signIn(t.app, demoEmail("volunteer")));
  const towns = (await manager.get("/api/communities?level=town")).json() as {
    items: { id: string }[];
  };
  townId = towns.items[0]!.id;
}, 120_000);
afterAll(async () => t.close());

describe("residents import", () => {
  let jobId: string;
  const rows = [
    header,
    [
      "דנה",
      "כהן-ייבוא",
      validId(1),
      "050-1111111",
      "הגפן",
      "3",
      "עברית, רוסית",
      "גר לבד",
      "גלוי לפעילים",
      "A",
      "סוכרת",
    ],
    ["יוסי", "כהן-ייבוא", validId(2), "0501111112", "רחוב התאנה", "5", "עברית", "", "", "A", ""],
    ["רינה", "שגיאה", badId(3), "050-1111113", "הגפן", "1", "", "", "", "", ""],
    ["גיל", "שגיאה", validId(4), "12", "הגפן", "1", "", "", "", "", ""],
    ["נועם", "שגיאה", validId(5), "050-1111115", "רחוב שאינו קיים", "1", "", "", "", "", ""],
    [
      "سلمى",
      "خوري-استيراد",
      validId(6),
      "+972501111116",
      "شارع الرمان",
      "7",
      "العربية",
      "مرض مزمن",
      "",
      "",
      "",
    ],
  ];

  it("uploads a CSV: columns, rows, a preview for the uploader, a suggested mapping; the file kept encrypted", async () => {
    const res = await upload(manager, csvOf(rows));
    expect(res.statusCode).toBe(201);
    const job = res.json() as ImportJob;
    jobId = job.id;
    expect(job.status).toBe("uploaded");
    expect(job.fileType).toBe("csv");
    expect(job.totalRows).toBe(6);
    expect(job.headers).toEqual(header);
    expect(job.preview).toHaveLength(6);
    expect(job.preview![0]![0]).toBe("דנה");
    expect(job.suggestedMapping).toMatchObject({
      firstName: "שם פרטי",
      lastName: "שם משפחה",
      idNumber: 'ת"ז',
      phone: "טלפון נייד",
      street: "רחוב",
      houseNumber: "מס' בית",
      languages: "שפות",
      flags: "סימוני פגיעות",
      consents: "הסכמות",
      household: "משק בית",
      healthNotes: "הערות בריאות",
    });
    const [stored] = await t.database.query<{ file_enc: string }>(
      "select file_enc from import_jobs where id = $1",
      [jobId],
    );
    expect(stored!.file_enc.startsWith("enc:v1:")).toBe(true);
    expect(stored!.file_enc).not.toContain("כהן");
    // Another importer sees the job, but not the file's rows.
    const seen = (await worker.get(`/api/imports/${jobId}`)).json() as ImportJob;
    expect(seen.preview).toBeNull();
    expect(seen.canAct).toBe(false);
  });

  it("validates every row: errors per row and field, never the values", async () => {
    const res = await manager.post(`/api/imports/${jobId}/validate`, {
      mapping: (await manager.get(`/api/imports/${jobId}`)).json().suggestedMapping,
      options: { townId, consentMethod: "written_form" },
    });
    expect(res.statusCode).toBe(202);
    const job = await waitFor(manager, jobId);
    expect(job.status).toBe("validated");
    expect(job.processedRows).toBe(6);
    expect(job.validRows).toBe(3);
    expect(job.errorRows).toBe(3);
    expect(job.errors.items).toEqual([
      { row: 4, field: "idNumber", code: "invalid_id_number", message: expect.any(String) },
      { row: 5, field: "phone", code: "invalid_phone", message: expect.any(String) },
      { row: 6, field: "street", code: "street_not_found", message: expect.any(String) },
    ]);
    expect(job.errorGroups.map((g) => [g.field, g.code, g.rows])).toContainEqual([
      "idNumber",
      "invalid_id_number",
      [4],
    ]);
    const report = JSON.stringify(job.errors) + JSON.stringify(job.errorGroups);
    for (const value of [badId(3), "רחוב שאינו קיים", "שגיאה", "רינה"]) {
      expect(report).not.toContain(value);
    }
    const csv = await manager.get(`/api/imports/${jobId}/errors.csv?lang=he`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.body.startsWith("\ufeffשורה,שדה,בעיה,code")).toBe(true);
    expect(csv.body).toContain("4,תעודת זהות,");
    expect(csv.body).not.toContain(badId(3));
    // Staged rows hold the sensitive fields encrypted already.
    const staged = await t.database.query<{ data: Record<string, unknown> }>(
      "select data from import_rows where import_id = $1 order by row_no",
      [jobId],
    );
    expect(staged).toHaveLength(3);
    expect(JSON.stringify(staged)).not.toContain(validId(1));
    expect(JSON.stringify(staged)).not.toContain("סוכרת");
  });

  it("refuses to commit while rows have errors, unless told to skip them", async () => {
    const refused = await manager.post(`/api/imports/${jobId}/commit`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe("import.has_row_errors");
    const before = await countResidents();
    const res = await manager.post(`/api/imports/${jobId}/commit`, { skipInvalid: true });
    expect(res.statusCode).toBe(202);
    const job = await waitFor(manager, jobId);
    expect(job.status).toBe("done");
    expect(job.result).toMatchObject({ created: 3, households: 1, consents: 1 });
    expect(await countResidents()).toBe(before + 3);
  });

  it("wrote exactly the valid rows, sensitive fields encrypted, with memberships, consents and a household", async () => {
    const created = await t.database.query<Record<string, unknown>>(
      `select r.*, (select count(*)::int from resident_communities rc where rc.resident_id = r.id) as memberships
       from residents r where last_name in ('כהן-ייבוא', 'خوري-استيراد', 'שגיאה') order by first_name`,
    );
    expect(created.map((r) => r.first_name).sort()).toEqual(["דנה", "יוסי", "سلمى"].sort());
    const dana = created.find((r) => r.first_name === "דנה")!;
    expect(String(dana.id_number_enc)).toMatch(/^enc:v1:/);
    expect(String(dana.health_notes_enc)).toMatch(/^enc:v1:/);
    expect(String(dana.flags_enc)).toMatch(/^enc:v1:/);
    expect(JSON.stringify(dana)).not.toContain(validId(1));
    expect(JSON.stringify(dana)).not.toContain("סוכרת");
    expect(dana.phone).toBe("+972501111111");
    expect(dana.languages).toEqual(["he", "ru"]);
    expect(dana.consents).toEqual(["listed_to_activists"]);
    expect(dana.home_community_id).toBe(townId);
    expect(dana.memberships).toBe(1);
    expect(dana.search_text).toContain("דנה");
    const yossi = created.find((r) => r.first_name === "יוסי")!;
    expect(yossi.household_id).toBe(dana.household_id);
    expect(yossi.street_id).not.toBeNull();
    const salma = created.find((r) => r.first_name === "سلمى")!;
    expect(salma.street_id).not.toBeNull();
    // The form's reader shows the imported record with its decrypted fields.
    const detail = (await manager.get(`/api/residents/${String(dana.id)}`)).json();
    expect(detail.flags).toEqual(["lives_alone"]);
    expect(
      detail.consentStates.find((c: { purpose: string }) => c.purpose === "listed_to_activists"),
    ).toMatchObject({ granted: true, method: "written_form" });
    // One audit row for the import: counts and field names, no values.
    const audit = (await manager.get(`/api/audit?entityId=${jobId}`)).json() as {
      items: { action: string; fields: string[] }[];
    };
    expect(audit.items.map((a) => a.action)).toEqual(["resident.import"]);
    expect(audit.items[0]!.fields).toContain("idNumber");
    expect(JSON.stringify(audit)).not.toContain(validId(1));
  });

  it("erases the file and the staged rows when the import ends", async () => {
    const [job] = await t.database.query<{
      file_enc: string | null;
      result: Record<string, unknown>;
    }>("select file_enc, result from import_jobs where id = $1", [jobId]);
    expect(job!.file_enc).toBeNull();
    expect(job!.result.previewEnc).toBeUndefined();
    const [staged] = await t.database.query<{ n: number }>(
      "select count(*)::int as n from import_rows where import_id = $1",
      [jobId],
    );
    expect(staged!.n).toBe(0);
    expect(((await manager.get(`/api/imports/${jobId}`)).json() as ImportJob).preview).toBeNull();
  });

  it("skips residents already there (same ID number), or imports them when told to", async () => {
    const again = csvOf([header, ["דנה", "כהן-ייבוא", validId(1), "", "", "", "", "", "", "", ""]]);
    const job = (await upload(manager, again)).json() as ImportJob;
    await manager.post(`/api/imports/${job.id}/validate`, {
      mapping: job.suggestedMapping,
      options: { townId },
    });
    const validated = await waitFor(manager, job.id);
    expect(validated).toMatchObject({ validRows: 0, errorRows: 0, skippedRows: 1 });
    expect(validated.errors.items[0]).toMatchObject({
      row: 2,
      field: "idNumber",
      code: "duplicate_existing",
    });
    const nothing = await manager.post(`/api/imports/${job.id}/commit`, {});
    expect(nothing.json().error.code).toBe("import.nothing_to_import");
    // Validating again with other options.
    await manager.post(`/api/imports/${job.id}/validate`, {
      mapping: job.suggestedMapping,
      options: { townId, duplicates: "import" },
    });
    expect(await waitFor(manager, job.id)).toMatchObject({ validRows: 1, skippedRows: 0 });
    expect((await manager.delete(`/api/imports/${job.id}`)).statusCode).toBe(200);
  });

  it("reads XLSX (the first sheet) built by a spreadsheet program", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("תושבים");
    ws.addRow(["First name", "Last name", "ID number", "Phone", "Birth year", "Neighbourhood"]);
    ws.addRow([
      "Maya",
      "Xlsx-Import",
      Number(validId(7)),
      501111117,
      new Date(Date.UTC(1948, 4, 14)),
      "שכונת הגפן",
    ]);
    ws.addRow(["Omer", "Xlsx-Import", validId(8), "050-1111118", 1990, "Gefen"]);
    wb.addWorksheet("notes").addRow(["ignored"]);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await upload(manager, file, {
      fileName: "people.xlsx",
      contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    });
    expect(res.statusCode).toBe(201);
    const job = res.json() as ImportJob;
    expect(job.fileType).toBe("xlsx");
    expect(job.totalRows).toBe(2);
    expect(job.suggestedMapping).toMatchObject({
      firstName: "First name",
      lastName: "Last name",
      idNumber: "ID number",
      phone: "Phone",
      birthYear: "Birth year",
      homeCommunity: "Neighbourhood",
    });
    await manager.post(`/api/imports/${job.id}/validate`, {
      mapping: job.suggestedMapping,
      options: {},
    });
    const validated = await waitFor(manager, job.id);
    expect(validated.errors.items).toEqual([
      { row: 3, field: "homeCommunity", code: "community_not_found", message: expect.any(String) },
    ]);
    await manager.post(`/api/imports/${job.id}/commit`, { skipInvalid: true });
    expect((await waitFor(manager, job.id)).result.created).toBe(1);
    const [maya] = await t.database.query<{ phone: string; birth_year: number }>(
      "select phone, birth_year from residents where last_name = 'Xlsx-Import'",
    );
    expect(maya).toEqual({ phone: "+972501111117", birth_year: 1948 });
  });

  it("is all or nothing: a failure in the middle of the commit leaves nothing written", async () => {
    const many = [header];
    for (let i = 0; i < 40; i++) {
      many.push([
        `שם${i}`,
        "אטומי",
        validId(100 + i),
        "",
        "הגפן",
        String(i + 1),
        "",
        "",
        "גלוי לפעילים",
        "",
        "",
      ]);
    }
    const job = (await upload(manager, csvOf(many))).json() as ImportJob;
    await manager.post(`/api/imports/${job.id}/validate`, {
      mapping: job.suggestedMapping,
      options: { townId },
    });
    expect((await waitFor(manager, job.id)).validRows).toBe(40);
    // A staged row that breaks the commit after the residents were inserted (memberships come next).
    await t.database.db.execute(
      sql`update import_rows set data = jsonb_set(data, '{x_communities}', '["not-a-uuid"]') where import_id = ${job.id}::uuid and row_no = 30`,
    );
    const before = await countResidents();
    const [consentsBefore] = await t.database.query<{ n: number }>(
      "select count(*)::int as n from resident_consents",
    );
    expect((await manager.post(`/api/imports/${job.id}/commit`, {})).statusCode).toBe(202);
    const failed = await waitFor(manager, job.id);
    expect(failed.status).toBe("failed");
    expect(failed.failure).toBe("commit_failed");
    expect(await countResidents()).toBe(before);
    const [consentsAfter] = await t.database.query<{ n: number }>(
      "select count(*)::int as n from resident_consents",
    );
    expect(consentsAfter!.n).toBe(consentsBefore!.n);
    const [left] = await t.database.query<{ n: number }>(
      "select (select count(*)::int from import_rows where import_id = $1) + (select count(*)::int from import_jobs where id = $1 and file_enc is not null) as n",
      [job.id],
    );
    expect(left!.n).toBe(0);
    const audit = (await manager.get(`/api/audit?entityId=${job.id}`)).json() as {
      items: unknown[];
    };
    expect(audit.items).toHaveLength(0);
  });

  it("cancels: nothing imported, the file erased", async () => {
    const job = (
      await upload(manager, csvOf([header, ["אבי", "מבוטל", "", "", "", "", "", "", "", "", ""]]))
    ).json() as ImportJob;
    const res = await manager.delete(`/api/imports/${job.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe("cancelled");
    const [row] = await t.database.query<{ file_enc: string | null }>(
      "select file_enc from import_jobs where id = $1",
      [job.id],
    );
    expect(row!.file_enc).toBeNull();
    const again = await manager.post(`/api/imports/${job.id}/validate`, {
      mapping: job.suggestedMapping,
      options: {},
    });
    expect(again.json().error.code).toBe("import.wrong_status");
  });

  it("marks a job left running by a stopped process as failed", async () => {
    const job = (
      await upload(manager, csvOf([header, ["אבי", "תקוע", "", "", "", "", "", "", "", "", ""]]))
    ).json() as ImportJob;
    await t.database.query(
      "update import_jobs set status = 'validating', updated_at = now() - interval '10 minutes' where id = $1",
      [job.id],
    );
    const read = (await manager.get(`/api/imports/${job.id}`)).json() as ImportJob;
    expect(read.status).toBe("failed");
    expect(read.failure).toBe("interrupted");
  });

  it("lists the department's imports with who, when, what and counts", async () => {
    const res = await manager.get("/api/imports?pageSize=50");
    expect(res.statusCode).toBe(200);
    const page = res.json() as {
      items: { id: string; status: string; createdBy: { name: string } }[];
      total: number;
    };
    expect(page.items.find((i) => i.id === jobId)).toMatchObject({
      status: "done",
      createdBy: { name: "מיכל לוי" },
    });
    expect(page.total).toBeGreaterThanOrEqual(5);
  });

  it("keeps a community worker's rows inside their communities", async () => {
    const file = csvOf([
      ["שם פרטי", "שם משפחה", "שכונה"],
      ["ליאת", "בשכונה", "רמת הזיתים"],
      ["עמית", "מחוץ", "שכונת הגפן"],
    ]);
    const job = (await upload(worker, file)).json() as ImportJob;
    await worker.post(`/api/imports/${job.id}/validate`, {
      mapping: job.suggestedMapping,
      options: {},
    });
    const validated = await waitFor(worker, job.id);
    expect(validated.validRows).toBe(1);
    expect(validated.errors.items).toEqual([
      {
        row: 3,
        field: "homeCommunity",
        code: "community_out_of_scope",
        message: expect.any(String),
      },
    ]);
    // A manager may go on with someone else's job; another worker may not.
    expect((await activist.post(`/api/imports/${job.id}/commit`, {})).statusCode).toBe(403);
  });
});

describe("import refusals", () => {
  it("forbids activists and volunteers", async () => {
    for (const api of [activist, volunteer]) {
      expect((await upload(api, csvOf([header, ["a", "b"]]))).statusCode).toBe(403);
      expect((await api.get("/api/imports")).statusCode).toBe(403);
    }
  });

  it("answers 413 for a file over IMPORT_MAX_MB", async () => {
    const big = Buffer.alloc(1024 * 1024 + 10, "a");
    const res = await upload(manager, big);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe("payload_too_large");
  });

  it("answers 400 with a clear code for garbage", async () => {
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82,
    ]);
    const cases: [Buffer | string, string, string?][] = [
      [png, "import.unreadable_file", "application/octet-stream"],
      ["", "import.empty_file"],
      ["שם פרטי,שם משפחה\n", "import.no_rows"],
      ["0501234567,1950\n0501234568,1951\n", "import.no_header"],
      [
        Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
        "import.unsupported_format",
        "application/vnd.ms-excel",
      ],
    ];
    for (const [body, code, type] of cases) {
      const res = await upload(manager, body, type ? { contentType: type } : {});
      expect(res.statusCode, code).toBe(400);
      expect(res.json().error.code).toBe(code);
    }
    const json = await t.app.inject({
      method: "POST",
      url: "/api/imports?entity=residents&fileName=x.json",
      headers: { ...headersOf(manager), "content-type": "application/json" },
      payload: { a: 1 },
    });
    expect(json.statusCode).toBe(415);
  });

  it("checks the mapping before validating", async () => {
    const job = (await upload(manager, csvOf([header, ["a", "b"]]))).json() as ImportJob;
    const res = await manager.post(`/api/imports/${job.id}/validate`, {
      mapping: { firstName: "שם פרטי", phone: "no such column" },
      options: {},
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: "import.mapping_invalid",
      details: {
        problems: expect.arrayContaining([
          { field: "phone", problem: "unknown_column" },
          { field: "lastName", problem: "required" },
        ]),
      },
    });
  });
});
