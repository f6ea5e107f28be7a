import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { AppError } from "../../lib/errors.ts";
import { detectDelimiter, openSheet, type SheetRow } from "./file-reader.ts";

async function readAll(file: Buffer) {
  const sheet = await openSheet(file);
  const rows: SheetRow[] = [];
  for await (const r of sheet.rows) rows.push(r);
  return { ...sheet, rows };
}

async function codeOf(file: Buffer): Promise<string> {
  try {
    await readAll(file);
    return "ok";
  } catch (err) {
    return err instanceof AppError ? err.code : String(err);
  }
}

describe("file reader", () => {
  it("reads UTF-8 CSV with a BOM, quotes and blank lines (row numbers as a spreadsheet shows them)", async () => {
    const csv = '\ufeffשם פרטי,שם משפחה,הערות\nדנה,לוי,"שורה, עם פסיק"\n\nיוסי,כהן,"שתי\nשורות"\n';
    const { headers, rows, fileType } = await readAll(Buffer.from(csv, "utf8"));
    expect(fileType).toBe("csv");
    expect(headers).toEqual(["שם פרטי", "שם משפחה", "הערות"]);
    expect(rows).toEqual([
      { row: 2, cells: ["דנה", "לוי", "שורה, עם פסיק"] },
      { row: 4, cells: ["יוסי", "כהן", "שתי\nשורות"] },
    ]);
  });

  it("detects semicolons and tabs", async () => {
    expect(detectDelimiter("a;b;c\n1,5;2;3")).toBe(";");
    expect(detectDelimiter("a\tb\tc")).toBe("\t");
    expect(detectDelimiter('"x;y",b,c')).toBe(",");
    const { headers, rows } = await readAll(Buffer.from("first;last\nDana;Levi\n"));
    expect(headers).toEqual(["first", "last"]);
    expect(rows[0]!.cells).toEqual(["Dana", "Levi"]);
  });

  it("reads Windows-1255 Hebrew and Windows-1256 Arabic", async () => {
    // "שם,עיר\nדנה,חיפה" in windows-1255
    const heb = Buffer.from([
      0xf9, 0xed, 0x2c, 0xf2, 0xe9, 0xf8, 0x0a, 0xe3, 0xf0, 0xe4, 0x2c, 0xe7, 0xe9, 0xf4, 0xe4,
    ]);
    const h = await readAll(heb);
    expect(h.headers).toEqual(["שם", "עיר"]);
    expect(h.rows[0]!.cells).toEqual(["דנה", "חיפה"]);
    // "الاسم\nأحمد" in windows-1256
    const ar = Buffer.from([0xc7, 0xe1, 0xc7, 0xd3, 0xe3, 0x0a, 0xc3, 0xcd, 0xe3, 0xcf]);
    const a = await readAll(ar);
    expect(a.headers).toEqual(["الاسم"]);
    expect(a.rows[0]!.cells).toEqual(["أحمد"]);
  });

  it("reads UTF-16 (Excel's Unicode text, tab separated)", async () => {
    const text = "שם\tטלפון\r\nדנה\t050-1234567\r\n";
    const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const { headers, rows } = await readAll(buf);
    expect(headers).toEqual(["שם", "טלפון"]);
    expect(rows[0]!.cells).toEqual(["דנה", "050-1234567"]);
  });

  it("cleans headers: empty ones named by position, duplicates numbered", async () => {
    const { headers, rows } = await readAll(Buffer.from("name,,name\na,b,c,d\nx\n"));
    expect(headers).toEqual(["name", "#2", "name (2)"]);
    // Extra cells are dropped, missing ones are empty.
    expect(rows.map((r) => r.cells)).toEqual([
      ["a", "b", "c"],
      ["x", "", ""],
    ]);
  });

  it("reads the first sheet of an XLSX: numbers, dates, formulas, rich text", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("תושבים");
    ws.addRow(["שם פרטי", "שנת לידה", "תאריך", "נוסחה", "עשיר"]);
    ws.addRow([
      "דנה",
      1950,
      new Date(Date.UTC(1950, 2, 1)),
      { formula: "1+1", result: 2 },
      { richText: [{ text: "א" }, { text: "ב" }] },
    ]);
    ws.addRow([]);
    ws.addRow(["יוסי"]);
    wb.addWorksheet("other").addRow(["not read"]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const { fileType, headers, rows } = await readAll(buf);
    expect(fileType).toBe("xlsx");
    expect(headers).toEqual(["שם פרטי", "שנת לידה", "תאריך", "נוסחה", "עשיר"]);
    expect(rows).toEqual([
      { row: 2, cells: ["דנה", "1950", "1950-03-01", "2", "אב"] },
      { row: 4, cells: ["יוסי", "", "", "", ""] },
    ]);
  });

  it("reads an XLSX written by the streaming writer (shared strings after the sheet)", async () => {
    const chunks: Buffer[] = [];
    const { PassThrough } = await import("node:stream");
    const out = new PassThrough();
    out.on("data", (c: Buffer) => chunks.push(c));
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true });
    const ws = wb.addWorksheet("a");
    ws.addRow(["first", "last"]).commit();
    for (let i = 0; i < 50; i++) ws.addRow([`n${i}`, "same"]).commit();
    ws.commit();
    await wb.commit();
    const { headers, rows } = await readAll(Buffer.concat(chunks));
    expect(headers).toEqual(["first", "last"]);
    expect(rows).toHaveLength(50);
    expect(rows[49]).toEqual({ row: 51, cells: ["n49", "same"] });
  });

  it("refuses garbage with a clear code", async () => {
    expect(await codeOf(Buffer.alloc(0))).toBe("import.empty_file");
    expect(await codeOf(Buffer.from("\ufeff\n\n  \n"))).toBe("import.empty_file");
    expect(await codeOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2, 3, 0, 255]))).toBe(
      "import.unreadable_file",
    );
    expect(await codeOf(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]))).toBe(
      "import.unsupported_format",
    );
    expect(await codeOf(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]))).toBe(
      "import.unreadable_file",
    );
    expect(await codeOf(Buffer.from("050-1234567,dana@example.org,1950\n"))).toBe(
      "import.no_header",
    );
    const wide = Array.from({ length: 201 }, (_, i) => `c${i}`).join(",");
    expect(await codeOf(Buffer.from(`${wide}\n`))).toBe("import.too_many_columns");
  });
});
