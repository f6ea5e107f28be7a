/**
 * /report/$departmentId?lang=ar — the language a link or the widget asks for (router, first
 * bundle); the widget's loader also names the page embedding it (`parent`, an origin).
 */
export interface ReportSearch {
  lang?: "he" | "ar" | "en" | "ru" | "am";
  parent?: string;
}

const LANGS = ["he", "ar", "en", "ru", "am"] as const;

export function parseReportSearch(s: Record<string, unknown>): ReportSearch {
  const lang = LANGS.find((l) => l === s.lang);
  const parent = typeof s.parent === "string" && s.parent.length <= 300 ? s.parent : undefined;
  return { ...(lang ? { lang } : {}), ...(parent ? { parent } : {}) };
}
