import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";

/* Test helpers (used by *.test.ts only): fixtures and small hand-written XLSForms. */

export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
export const FIXTURES = [
  "UCL_Biomass_Plot_Form.xlsx",
  "choice_filter_test.xlsx",
  "group.xlsx",
  "loop.xlsx",
  "specify_other.xlsx",
  "text_and_integer.xlsx",
  "xlsform_spec_test.xlsx",
  "yes_or_no_question.xlsx",
] as const;

export const fixture = (name: string): Uint8Array => readFileSync(join(FIXTURE_DIR, name));

/** Builds an .xlsx from sheets given as rows of cells (first row = header). */
export async function workbook(sheets: Record<string, unknown[][]>): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const row of rows) ws.addRow(row);
  }
  return new Uint8Array((await wb.xlsx.writeBuffer()) as unknown as ArrayBuffer);
}

/** A compact line per report entry, for readable assertions. */
export const brief = (r: {
  sheet: string | null;
  row: number | null;
  level: string;
  code: string;
  name: string | null;
}) => `${r.sheet ?? "-"}:${r.row ?? "-"} ${r.level} ${r.code} ${r.name ?? "-"}`;
