/** /s/$formId?lang=ar — the form language a link asks for (parsed in the router: first bundle, no zod). */
export interface SurveySearch {
  lang?: string;
}

export function parseSurveySearch(s: Record<string, unknown>): SurveySearch {
  const lang =
    typeof s.lang === "string" && /^[A-Za-z0-9_-]{1,35}$/.test(s.lang) ? s.lang : undefined;
  return lang ? { lang } : {};
}
