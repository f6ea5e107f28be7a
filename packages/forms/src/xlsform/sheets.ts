import type ExcelJS from "exceljs";

/* Reading XLSForm sheets as text, the way pyxform sees them: trimmed strings,
   numbers as written, formulas by their cached result. */

export interface SheetCell {
  text: string;
  /** A formula whose result the file does not carry (saved by a tool that does not compute). */
  formulaWithoutValue?: boolean;
}

export interface SheetRow {
  /** 1-based, as Excel shows it. */
  row: number;
  /** By 0-based column of the header. */
  cells: SheetCell[];
}

export interface Sheet {
  name: string;
  headerRow: number;
  headers: string[];
  rows: SheetRow[];
}

function formulaLiteral(formula: string): string | null {
  const f = formula.trim().replace(/^=/, "").toUpperCase();
  if (f === "TRUE()" || f === "TRUE") return "TRUE";
  if (f === "FALSE()" || f === "FALSE") return "FALSE";
  return null;
}

function formatDate(d: Date): string {
  if (Number.isNaN(d.getTime())) return "";
  const iso = d.toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
}

/** One cell as text (rich text joined, hyperlinks by their text, formulas by their result). */
export function cellOf(value: unknown): SheetCell {
  if (value === null || value === undefined) return { text: "" };
  if (typeof value === "string") return { text: value.trim() };
  if (typeof value === "number") return { text: Number.isFinite(value) ? String(value) : "" };
  if (typeof value === "boolean") return { text: value ? "TRUE" : "FALSE" };
  if (value instanceof Date) return { text: formatDate(value) };
  if (typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) {
      const text = v.richText.map((part: unknown) => {
        const t = (part as { text?: unknown }).text;
        return typeof t === "string" ? t : "";
      });
      return { text: text.join("").trim() };
    }
    if ("formula" in v || "sharedFormula" in v) {
      if (v.result !== undefined && v.result !== null && typeof v.result !== "object")
        return cellOf(v.result);
      if (v.result instanceof Date) return cellOf(v.result);
      const literal = typeof v.formula === "string" ? formulaLiteral(v.formula) : null;
      return literal !== null ? { text: literal } : { text: "", formulaWithoutValue: true };
    }
    if ("text" in v) return cellOf(v.text);
    if ("error" in v) return { text: "" };
  }
  return { text: "" };
}

/** A worksheet's header (its first non-empty row) and data rows (empty ones skipped). */
export function readSheet(ws: ExcelJS.Worksheet, maxRows: number): Sheet | "too_many_rows" {
  let headers: string[] | null = null;
  let headerRow = 0;
  const rows: SheetRow[] = [];
  let tooMany = false;
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (tooMany) return;
    const values = Array.isArray(row.values) ? (row.values as unknown[]) : [];
    // exceljs rows are 1-based: values[0] is always empty.
    const cells = values.slice(1).map(cellOf);
    if (cells.every((c) => c.text === "" && !c.formulaWithoutValue)) return;
    if (!headers) {
      headers = cells.map((c) => c.text);
      headerRow = rowNumber;
      return;
    }
    if (rows.length >= maxRows) {
      tooMany = true;
      return;
    }
    rows.push({ row: rowNumber, cells });
  });
  if (tooMany) return "too_many_rows";
  return { name: ws.name, headerRow, headers: headers ?? [], rows };
}
