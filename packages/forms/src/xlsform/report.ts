/* What the XLSForm import tells the author, row by row. Codes are stable (the web app
   translates them as xlsform.<code> with params); message is the English fallback. */

export const XLSFORM_REPORT_CODES = [
  // question types
  "unsupported_type",
  "unknown_type",
  "unsupported_metadata",
  "missing_list_name",
  "unknown_choice_list",
  // names
  "missing_name",
  "invalid_name",
  "duplicate_name",
  // columns and values
  "unsupported_column",
  "column_ignored",
  "external_app",
  "invalid_parameters",
  "formula_without_value",
  "text_too_long",
  // expressions
  "invalid_expression",
  "unsupported_function",
  "unsupported_syntax",
  "unknown_reference",
  "reference_to_dropped",
  "dependency_cycle",
  "missing_calculation",
  // structure
  "unmatched_end",
  "mismatched_end",
  "unclosed_container",
  "empty_container",
  "loop_expanded",
  "row_without_type",
  // choices
  "choice_missing_name",
  "choice_missing_list",
  "invalid_list_name",
  "duplicate_choice",
  "too_many_choices",
  // settings and sheets
  "unsupported_setting",
  "unsupported_sheet",
  "unknown_language",
] as const;
export type XlsformReportCode = (typeof XLSFORM_REPORT_CODES)[number];

export type XlsformSheet = "survey" | "choices" | "settings";

export interface XlsformReportEntry {
  /** null: about the whole form. */
  sheet: XlsformSheet | null;
  /** The spreadsheet row (1-based, as Excel shows it); null when not tied to a row. */
  row: number | null;
  /** The question's name as written (or as renamed). */
  name: string | null;
  /** The row's type cell as written. */
  type: string | null;
  /** error: this element (or this property of it) was not loaded; warning: loaded, with a difference. */
  level: "error" | "warning";
  code: XlsformReportCode;
  params: Record<string, string | number>;
  message: string;
}

/** Files that are not an XLSForm at all: nothing is loaded. */
export const XLSFORM_ERROR_CODES = [
  "empty_file",
  "not_xlsx",
  "xls_not_supported",
  "no_survey_sheet",
  "no_type_column",
  "empty_survey",
  "too_many_rows",
] as const;
export type XlsformErrorCode = (typeof XLSFORM_ERROR_CODES)[number];

export class XlsformError extends Error {
  override readonly name = "XlsformError";
  constructor(
    readonly code: XlsformErrorCode,
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
  }
}
