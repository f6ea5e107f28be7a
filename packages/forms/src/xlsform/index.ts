/* @kaveret/forms/xlsform: XLSForm (.xlsx) import and export. Server side only:
   it pulls in exceljs, which the web app must never bundle. */
export { importXlsform, XLSFORM_LIMITS } from "./import.ts";
export type { XlsformImportOptions, XlsformImportResult } from "./import.ts";
export { exportXlsform } from "./export.ts";
export { parseLanguage } from "./languages.ts";
export { XLSFORM_ERROR_CODES, XLSFORM_REPORT_CODES, XlsformError } from "./report.ts";
export type {
  XlsformErrorCode,
  XlsformReportCode,
  XlsformReportEntry,
  XlsformSheet,
} from "./report.ts";
