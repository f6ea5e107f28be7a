import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { parse as parseCsv } from "csv-parse";
import { IMPORT_LIMITS, type ImportFileType } from "@kaveret/contracts";
import { AppError } from "../../lib/errors.ts";

/**
 * Reading an uploaded spreadsheet: CSV (UTF-8 with or without BOM, UTF-16 as
 * Excel's "Unicode text", or the Windows Hebrew/Arabic code pages; comma,
 * semicolon or tab) or XLSX (the first sheet). Rows are read one at a time so a
 * large file is never held as rows in memory, and nothing is written to disk.
 */

/** One row of the file: its number as a spreadsheet shows it (the header is row 1) and its cells. */
export type SheetRow = { row: number; cells: string[] };

export type OpenedSheet = {
  fileType: ImportFileType;
  /** Cleaned header names: trimmed, unique, never empty. */
  headers: string[];
  /** The data rows after the header (empty rows left out). */
  rows: AsyncGenerator<SheetRow>;
};

const fail = (
  code:
    | "import.empty_file"
    | "import.unreadable_file"
    | "import.unsupported_format"
    | "import.no_header"
    | "import.too_many_columns",
  message: string,
) => new AppError(code, 400, message);

/** Opens a file: detects its type and encoding, reads the header row. */
export async function openSheet(file: Buffer): Promise<OpenedSheet> {
  if (file.length === 0) throw fail("import.empty_file", "The file is empty");
  const fileType = detectType(file);
  const records = fileType === "xlsx" ? xlsxRecords(file) : csvRecords(decodeText(file));
  let header: SheetRow | undefined;
  try {
    for (;;) {
      const next = await records.next();
      if (next.done) break;
      if (next.value.cells.some((c) => c !== "")) {
        header = next.value;
        break;
      }
    }
  } catch (err) {
    throw asReadError(err);
  }
  if (!header) throw fail("import.empty_file", "The file has no rows");
  if (header.cells.length > IMPORT_LIMITS.maxColumns) {
    throw fail(
      "import.too_many_columns",
      `The file has more than ${IMPORT_LIMITS.maxColumns} columns`,
    );
  }
  const headers = cleanHeaders(header.cells);
  if (looksLikeData(header.cells)) {
    throw fail(
      "import.no_header",
      "The first row holds values, not column names: add a header row",
    );
  }
  return { fileType, headers, rows: dataRows(records, headers.length) };
}

async function* dataRows(
  records: AsyncGenerator<SheetRow>,
  width: number,
): AsyncGenerator<SheetRow> {
  try {
    for await (const r of records) {
      if (!r.cells.some((c) => c !== "")) continue;
      const cells = r.cells.length >= width ? r.cells.slice(0, width) : r.cells;
      while (cells.length < width) cells.push("");
      yield { row: r.row, cells };
    }
  } catch (err) {
    throw asReadError(err);
  }
}

function asReadError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return fail("import.unreadable_file", "The file could not be read as CSV or XLSX");
}

function detectType(file: Buffer): ImportFileType {
  // ZIP (XLSX is a ZIP of XML parts).
  if (file[0] === 0x50 && file[1] === 0x4b && file[2] === 0x03 && file[3] === 0x04) return "xlsx";
  // The old binary Excel format (and other OLE documents).
  if (file[0] === 0xd0 && file[1] === 0xcf && file[2] === 0x11 && file[3] === 0xe0) {
    throw fail(
      "import.unsupported_format",
      "This is an old Excel (.xls) file: save it as .xlsx or .csv",
    );
  }
  return "csv";
}

/* ------------------------------------------------------------------ */
/* CSV                                                                  */
/* ------------------------------------------------------------------ */

const HEBREW = /[\u05d0-\u05ea]/g;
const ARABIC = /[\u0621-\u064a]/g;

/** Decodes a text file: BOM, else strict UTF-8, else the Windows Hebrew or Arabic code page. */
export function decodeText(file: Buffer): string {
  let text: string;
  if (file[0] === 0xef && file[1] === 0xbb && file[2] === 0xbf) {
    text = new TextDecoder("utf-8").decode(file.subarray(3));
  } else if (file[0] === 0xff && file[1] === 0xfe) {
    text = new TextDecoder("utf-16le").decode(file.subarray(2));
  } else if (file[0] === 0xfe && file[1] === 0xff) {
    text = new TextDecoder("utf-16be").decode(file.subarray(2));
  } else {
    assertNotBinary(file);
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(file);
    } catch {
      // Not UTF-8: an older Excel's "CSV" in the Windows code page of its language.
      const hebrew = new TextDecoder("windows-1255").decode(file);
      const arabic = new TextDecoder("windows-1256").decode(file);
      const h = hebrew.match(HEBREW)?.length ?? 0;
      const a = arabic.match(ARABIC)?.length ?? 0;
      text = a > h ? arabic : hebrew;
    }
  }
  assertTextual(text);
  return text;
}

function assertNotBinary(file: Buffer) {
  const sample = file.subarray(0, 8192);
  if (sample.includes(0)) throw fail("import.unreadable_file", "This is not a CSV or XLSX file");
}

function assertTextual(text: string) {
  const sample = text.slice(0, 8192);
  if (sample.trim() === "") throw fail("import.empty_file", "The file is empty");
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) control++;
  }
  if (control > sample.length * 0.02) {
    throw fail("import.unreadable_file", "This is not a CSV or XLSX file");
  }
}

/** The delimiter used in the first line: comma, semicolon or tab (quoted text ignored). */
export function detectDelimiter(text: string): string {
  const counts: Record<string, number> = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (let i = 0; i < text.length && i < 65_536; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && ch in counts) counts[ch]!++;
  }
  let best = ",";
  for (const d of [";", "\t"]) if (counts[d]! > counts[best]!) best = d;
  return best;
}

async function* csvRecords(text: string): AsyncGenerator<SheetRow> {
  const delimiter = detectDelimiter(text);
  const parser = parseCsv({
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    trim: false,
    max_record_size: 1_000_000,
  });
  // Fed in slices so the parser's back-pressure holds: records are made as they are read.
  const CHUNK = 256 * 1024;
  const source = Readable.from(
    (function* () {
      for (let i = 0; i < text.length; i += CHUNK) yield text.slice(i, i + CHUNK);
    })(),
  );
  source.pipe(parser);
  source.on("error", (err) => parser.destroy(err));
  let row = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    row++;
    yield { row, cells: record.map(cleanCell) };
  }
}

/* ------------------------------------------------------------------ */
/* XLSX                                                                 */
/* ------------------------------------------------------------------ */

/**
 * exceljs' streaming reader writes a worksheet to a temporary file when the
 * shared strings come after it in the ZIP (as Excel writes them) — personal data
 * on disk. So the parts it needs are handed to it in the order it wants, from
 * memory: workbook, relations, shared strings, styles, then the first sheet only.
 */
async function* xlsxRecords(file: Buffer): AsyncGenerator<SheetRow> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(file);
  } catch {
    throw fail("import.unreadable_file", "The file is not a valid XLSX workbook");
  }
  const workbookXml = await zip.file("xl/workbook.xml")?.async("string");
  const relsXml = await zip.file("xl/_rels/workbook.xml.rels")?.async("string");
  if (!workbookXml || !relsXml) {
    throw fail("import.unreadable_file", "The file is not a valid XLSX workbook");
  }
  const sheetPath = firstSheetPath(workbookXml, relsXml);
  const sheet = sheetPath ? zip.file(sheetPath) : null;
  if (!sheet) throw fail("import.empty_file", "The workbook has no sheet");

  const ordered = new JSZip();
  ordered.file("xl/workbook.xml", workbookXml);
  const firstRid = /<sheet\b[^>]*\br:id="([^"]+)"/.exec(workbookXml)?.[1] ?? "rId1";
  ordered.file(
    "xl/_rels/workbook.xml.rels",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="${firstRid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
  );
  const shared = zip.file("xl/sharedStrings.xml");
  ordered.file(
    "xl/sharedStrings.xml",
    shared
      ? shared.nodeStream("nodebuffer")
      : '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
  );
  const styles = zip.file("xl/styles.xml");
  if (styles) ordered.file("xl/styles.xml", styles.nodeStream("nodebuffer"));
  ordered.file("xl/worksheets/sheet1.xml", sheet.nodeStream("nodebuffer"));

  // JSZip's stream is an old-style one: piped into a current PassThrough for exceljs.
  const zipped = ordered.generateNodeStream({ streamFiles: true, compression: "STORE" });
  const input = new PassThrough();
  zipped.on("error", (err: Error) => input.destroy(err));
  zipped.pipe(input);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: "emit",
    sharedStrings: "cache",
    // Styles tell which numbers are dates.
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  });
  for await (const worksheet of reader) {
    for await (const row of worksheet) {
      const values = Array.isArray(row.values) ? (row.values as unknown[]) : [];
      const cells: string[] = [];
      // exceljs rows are 1-based: values[0] is always empty.
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
      yield { row: row.number, cells };
    }
    break;
  }
}

function firstSheetPath(workbookXml: string, relsXml: string): string | null {
  const rid = /<sheet\b[^>]*\br:id="([^"]+)"/.exec(workbookXml)?.[1];
  if (!rid) return null;
  const rel = new RegExp(`<Relationship\\b[^>]*\\bId="${rid.replace(/\W/g, "")}"[^>]*>`).exec(
    relsXml,
  )?.[0];
  const target = rel ? /\bTarget="([^"]+)"/.exec(rel)?.[1] : undefined;
  if (!target) return null;
  return target.startsWith("/") ? target.slice(1) : `xl/${target}`;
}

/** A cell as text: numbers as written, dates as YYYY-MM-DD, rich text joined, formulas' results. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return cleanCell(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? "" : value.toISOString().slice(0, 10);
  }
  if (typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) {
      return cleanCell(
        (v.richText as { text?: unknown }[])
          .map((part) => (typeof part.text === "string" ? part.text : ""))
          .join(""),
      );
    }
    if ("result" in v) return cellText(v.result);
    if (typeof v.text === "string") return cleanCell(v.text);
    if ("error" in v) return "";
  }
  return "";
}

function cleanCell(value: string): string {
  return value.split("\u0000").join("").trim();
}

/* ------------------------------------------------------------------ */
/* Headers                                                              */
/* ------------------------------------------------------------------ */

/** Trimmed, at most 120 characters, never empty ("#3"), unique ("Phone (2)"). */
export function cleanHeaders(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((raw, i) => {
    let name = raw.replace(/\s+/g, " ").trim().slice(0, IMPORT_LIMITS.headerLength);
    if (!name) name = `#${i + 1}`;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name} (${n})`;
  });
}

/** A first row made only of numbers, phone numbers, dates or e-mail addresses is data, not headers. */
function looksLikeData(cells: string[]): boolean {
  const filled = cells.filter((c) => c !== "");
  return (
    filled.length > 0 &&
    filled.every((c) => /^[+\d\s\-./:()]+$/.test(c) || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(c))
  );
}
