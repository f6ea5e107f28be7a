/** UI languages. Hebrew is the default and the source; ru and am cover resident screens. */
export const UI_LOCALES = ["he", "ar", "en", "ru", "am"] as const;
export type UiLocale = (typeof UI_LOCALES)[number];
export const STAFF_UI_LOCALES = ["he", "ar", "en"] as const satisfies readonly UiLocale[];
export const DEFAULT_LOCALE: UiLocale = "he";
export const LOCALE_STORAGE_KEY = "kaveret.locale";

const RTL_LOCALES: ReadonlySet<UiLocale> = new Set<UiLocale>(["he", "ar"]);

export function isUiLocale(value: unknown): value is UiLocale {
  return typeof value === "string" && (UI_LOCALES as readonly string[]).includes(value);
}

export function directionOf(locale: UiLocale): "rtl" | "ltr" {
  return RTL_LOCALES.has(locale) ? "rtl" : "ltr";
}

/** Intl locale for dates and numbers: Israeli conventions in every language. */
export function intlLocaleOf(locale: UiLocale): string {
  switch (locale) {
    case "he":
      return "he-IL";
    case "ar":
      return "ar-IL";
    case "ru":
      return "ru-IL";
    case "am":
      return "am-ET";
    default:
      return "en-IL";
  }
}

/** Where a missing key is looked up next (ru and am are partial). */
export const FALLBACKS: Record<UiLocale, UiLocale[]> = {
  he: [],
  ar: ["he"],
  en: ["he"],
  ru: ["en", "he"],
  am: ["en", "he"],
};
