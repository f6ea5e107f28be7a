import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { withIsraeliIdCheckDigit } from "@kaveret/contracts";
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
let activist: ReturnType<typeof client>;
let volunteer: ReturnType<typeof client>;
const idNumber = withIsraeliIdCheckDigit("39123456");

/** CSV text → rows (the export's own simple quoting). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const body = text.replace(/^\ufeff/, "");
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r") continue;
    else if (ch === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

async function totalOf(api: ReturnType<typeof client>, query = "") {
  return ((await api.get(`/api/residents?pageSize=1${query}`)).json() as { total: number }).total;
}

beforeAll(async () => {
  t = await startTestServer();
  manager = await signInManager(t.app);
  activist = client(t.app, await signIn(t.app, demoEmail("activist")));
  volunteer = client(t.app, await signIn(t.app, demoEmail("volunteer")));
  const towns = (await manager.get("/api/communities?level=town")).json() as {
    items: { id: string }[];
  };
  const created = await manager.post("/api/residents", {
    firstName: "שרה",
    lastName: "ייצוא-בדיקה",
    phone: "050-7654321",
    idNumber,
    healthNotes: "אסתמה",
    flags: ["lives_alone"],
    languages: ["he", "ru"],
    homeCommunityId: towns.items[0]!.id,
  });
  expect(created.statusCode).toBe(201);
}, 120_000);
afterAll(async () => t.close());

describe("residents export", () => {
  it("exports the manager's rows in Hebrew as CSV with a BOM, without ID numbers by default", async () => {
    const res = await manager.get("/api/residents/export?format=csv&lang=he");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["content-disposition"]).toMatch(
      /attachment; filename="residents-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    expect(res.body.startsWith("\ufeff")).toBe(true);
    const rows = parseCsv(res.body);
    const [header, ...data] = rows;
    expect(header!.slice(0, 4)).toEqual(["שם פרטי", "שם משפחה", "שמות נוספים", "טלפון"]);
    expect(header).toContain("סימוני פגיעות");
    expect(header).not.toContain("תעודת זהות");
    expect(header).not.toContain("הערות בריאות");
    expect(data).toHaveLength(await totalOf(manager));
    const sara = data.find((r) => r[1] === "ייצוא-בדיקה")!;
    expect(sara[3]).toBe("+972507654321");
    expect(sara).toContain("עברית, רוסית");
    expect(sara).toContain("גר/ה לבד");
    expect(res.body).not.toContain(idNumber);
    expect(res.body).not.toContain("אסתמה");
  });

  it("applies the list's filters", async () => {
    const res = await manager.get(`/api/residents/export?q=${encodeURIComponent("ייצוא-בדיקה")}`);
    expect(parseCsv(res.body)).toHaveLength(2);
    const flagged = await manager.get("/api/residents/export?flags=lives_alone");
    expect(parseCsv(flagged.body).length - 1).toBe(await totalOf(manager, "&flags=lives_alone"));
  });

  it("adds ID numbers and health notes only with a purpose, and audits it", async () => {
    const noPurpose = await manager.get("/api/residents/export?includeSensitive=true");
    expect(noPurpose.statusCode).toBe(400);
    expect(noPurpose.json().error.code).toBe("resident.purpose_required");
    const res = await manager.get(
      `/api/residents/export?includeSensitive=true&purpose=${encodeURIComponent("בדיקת זכאות")}&q=${encodeURIComponent("ייצוא-בדיקה")}`,
    );
    expect(res.statusCode).toBe(200);
    const [header, sara] = parseCsv(res.body);
    expect(header!.slice(-2)).toEqual(["תעודת זהות", "הערות בריאות"]);
    expect(sara!.slice(-2)).toEqual([idNumber, "אסתמה"]);
    const audit = (await manager.get("/api/audit?action=resident.export&pageSize=50")).json() as {
      items: {
        action: string;
        purpose: string | null;
        fields: string[];
        details: Record<string, unknown>;
      }[];
    };
    const entry = audit.items.find((a) => a.purpose === "בדיקת זכאות")!;
    expect(entry.fields).toEqual(expect.arrayContaining(["idNumber", "healthNotes", "flags"]));
    expect(entry.details).toMatchObject({ rows: 1, format: "csv", completed: true });
    expect(JSON.stringify(audit)).not.toContain(idNumber);
    expect(JSON.stringify(audit)).not.toContain("ייצוא-בדיקה");
  });

  it("writes XLSX: right-to-left in Hebrew and Arabic, left-to-right in English", async () => {
    for (const [lang, rtl, first] of [
      ["he", true, "שם פרטי"],
      ["ar", true, "الاسم الشخصي"],
      ["en", false, "First name"],
    ] as const) {
      const res = await manager.get(
        `/api/residents/export?format=xlsx&lang=${lang}&q=${encodeURIComponent("ייצוא-בדיקה")}`,
      );
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toContain("spreadsheetml");
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      expect(ws.views[0]?.rightToLeft ?? false).toBe(rtl);
      expect(ws.getRow(1).getCell(1).value).toBe(first);
      expect(ws.getRow(2).getCell(2).value).toBe("ייצוא-בדיקה");
      expect(ws.rowCount).toBe(2);
    }
  });

  it("gives an activist only name, phone and e-mail of the members who consented", async () => {
    const res = await activist.get("/api/residents/export?format=csv");
    expect(res.statusCode).toBe(200);
    const [header, ...data] = parseCsv(res.body);
    expect(header).toHaveLength(4);
    expect(data.every((r) => r.length === 4)).toBe(true);
    const total = await totalOf(activist);
    expect(total).toBeGreaterThan(0);
    expect(data).toHaveLength(total);
    // Exactly the people the activist's list shows (consenting members of their community).
    const listed: string[] = [];
    for (let page = 1; listed.length < total; page++) {
      const res = (await activist.get(`/api/residents?pageSize=100&page=${page}`)).json() as {
        items: {
          access: string;
          firstName: string;
          lastName: string;
          phone: string | null;
          email: string | null;
        }[];
      };
      expect(res.items.every((i) => i.access === "contact")).toBe(true);
      listed.push(
        ...res.items.map((i) => [i.firstName, i.lastName, i.phone ?? "", i.email ?? ""].join("|")),
      );
    }
    expect(data.map((r) => r.join("|")).sort()).toEqual(listed.sort());
    expect(
      (await activist.get("/api/residents/export?includeSensitive=true&purpose=test")).statusCode,
    ).toBe(403);
  });

  it("refuses volunteers", async () => {
    expect((await volunteer.get("/api/residents/export")).statusCode).toBe(403);
    expect((await volunteer.get("/api/imports")).statusCode).toBe(403);
  });
});
