/** /report/$departmentId?lang=ar — the language a link or the widget asks for (router, first bundle). */
export interface ReportSearch {
  lang?: "he" | "ar" | "en" | "ru" | "am";
}

const LANGS = ["he", "ar", "en", "ru", "am"] as const;

export function parseReportSearch(s: Record<string, unknown>): ReportSearch {
  const lang = LANGS.find((l) => l === s.lang);
  return lang ? { lang } : {};
}
