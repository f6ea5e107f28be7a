import { once } from "node:events";
import { PassThrough, type Readable } from "node:stream";
import ExcelJS from "exceljs";
import type { ExportFormat } from "@kaveret/contracts";

/**
 * Writing a table as it is read, batch by batch, so an export of a million rows
 * never holds them all: CSV (UTF-8 with a BOM, so Excel shows Hebrew and Arabic)
 * or XLSX (a right-to-left sheet for Hebrew and Arabic readers).
 */

export type Cell = string | number | null | undefined;

/** A formula-looking text ("=HYPERLINK(…)") is written as text; phone numbers and numbers stay as they are. */
function safeText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) && !/^[+-]?[\d\s().-]+$/.test(value) ? `'${value}` : value;
}

/** One CSV line (RFC 4180: quoted when needed, CRLF). */
export function csvLine(values: Cell[]): string {
  return `${values
    .map((v) => {
      if (v === null || v === undefined) return "";
      const s = typeof v === "number" ? String(v) : safeText(v);
      return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(",")}\r\n`;
}

export type TableWriter = {
  /** What the response sends. */
  stream: Readable;
  contentType: string;
  extension: string;
  /** Writes rows; resolves when the reader has taken them (back-pressure). */
  rows(rows: Cell[][]): Promise<void>;
  end(): Promise<void>;
  fail(err: Error): void;
};

export function tableWriter(
  format: ExportFormat,
  options: { header: string[]; sheetName: string; rightToLeft: boolean },
): TableWriter {
  const out = new PassThrough();
  const drained = async () => {
    if (out.writableNeedDrain) await once(out, "drain");
  };
  if (format === "csv") {
    out.write(`\ufeff${csvLine(options.header)}`);
    return {
      stream: out,
      contentType: "text/csv; charset=utf-8",
      extension: "csv",
      async rows(rows) {
        out.write(rows.map(csvLine).join(""));
        await drained();
      },
      async end() {
        out.end();
      },
      fail: (err) => out.destroy(err),
    };
  }
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(options.sheetName.slice(0, 31), {
    views: [{ rightToLeft: options.rightToLeft, state: "frozen", ySplit: 1 }],
  });
  const head = sheet.addRow(options.header);
  head.font = { bold: true };
  head.commit();
  return {
    stream: out,
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    extension: "xlsx",
    async rows(rows) {
      for (const r of rows) sheet.addRow(r.map((v) => (v === null ? undefined : v))).commit();
      await drained();
    },
    async end() {
      sheet.commit();
      await workbook.commit();
    },
    fail: (err) => out.destroy(err),
  };
}

/** `attachment; filename=…` with the UTF-8 form for non-ASCII names. */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/"/g, "");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
