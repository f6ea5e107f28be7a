import { DEFAULT_LANGUAGE, type FormSettings, type LocalizedText } from "./model.ts";

/**
 * The text in `language`, else in the form's default language, else the
 * language-less column, else any text there is ("" when none).
 */
export function localize(
  text: LocalizedText | undefined,
  language: string | undefined,
  settings: Pick<FormSettings, "defaultLanguage">,
): string {
  if (!text) return "";
  const pick = (lang: string | undefined) => (lang !== undefined ? text[lang] : undefined);
  const hit =
    pick(language) ??
    pick(settings.defaultLanguage) ??
    pick(DEFAULT_LANGUAGE) ??
    Object.values(text).find((t) => t !== "");
  return hit ?? "";
}

const REFERENCE = /\$\{\s*([^}\s]+)\s*\}/g;

/** Replaces ${name} in a label, hint or message with the answer's text. */
export function interpolate(text: string, valueOf: (name: string) => string): string {
  return text.includes("${")
    ? text.replace(REFERENCE, (_all, name: string) => valueOf(name))
    : text;
}
