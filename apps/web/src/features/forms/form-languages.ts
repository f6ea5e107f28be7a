/**
 * The languages of a form's own texts (not the UI's): names and writing direction.
 * A form may carry any language code (an imported XLSForm can say "fr" or "default");
 * the builder offers the platform's five.
 */
import { DEFAULT_LANGUAGE, type FormSettings } from "@kaveret/forms";
import { LANGUAGE_NAMES } from "../../components/language-switch.tsx";
import { isUiLocale, UI_LOCALES, type UiLocale } from "../../i18n/locales.ts";

/** The languages a new form may be written in, in the platform's order. */
export const FORM_UI_LANGUAGES: readonly UiLocale[] = UI_LOCALES;

const RTL = new Set(["he", "iw", "ar", "fa", "ur", "yi", "ps", "dv", "ckb", "syr"]);

/** "rtl" for Hebrew, Arabic and the like (by the code's first part), else "ltr". */
export function languageDirection(code: string): "rtl" | "ltr" {
  const base = code.toLowerCase().split(/[-_]/)[0] ?? "";
  return RTL.has(base) ? "rtl" : "ltr";
}

/** The BCP 47 tag for a `lang` attribute ("default" has none). */
export function langAttribute(code: string): string | undefined {
  return code === DEFAULT_LANGUAGE ? undefined : code;
}

/**
 * A language named in itself ("עברית", "English"), else the name the form's author gave
 * it, else `unnamed` for the language-less texts of an XLSForm ("default"), else its code.
 */
export function languageName(
  code: string,
  settings?: Pick<FormSettings, "languageNames">,
  unnamed?: string,
) {
  if (isUiLocale(code)) return LANGUAGE_NAMES[code];
  const own = settings?.languageNames?.[code]?.trim();
  if (own) return own;
  return code === DEFAULT_LANGUAGE && unnamed ? unnamed : code;
}

/**
 * The language to open a form in: the one asked for, else the first of the reader's
 * preferences the form has, else the form's default.
 */
export function pickFormLanguage(
  settings: Pick<FormSettings, "languages" | "defaultLanguage">,
  wanted: readonly (string | null | undefined)[],
): string {
  const has = (l: string) => settings.languages.includes(l);
  for (const w of wanted) {
    if (!w) continue;
    if (has(w)) return w;
    const base = w.toLowerCase().split("-")[0] ?? "";
    if (has(base)) return base;
  }
  return has(settings.defaultLanguage)
    ? settings.defaultLanguage
    : (settings.languages[0] ?? settings.defaultLanguage);
}

/** The language an answer is recorded in (the API takes the five UI languages): the form's, else the UI's. */
export function answerLocale(formLanguage: string, uiLocale: UiLocale): UiLocale {
  return isUiLocale(formLanguage) ? formLanguage : uiLocale;
}
