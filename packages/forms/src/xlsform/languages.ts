import { DEFAULT_LANGUAGE } from "../model.ts";

/* XLSForm names languages in column headers: label::English (en), label::עברית (he),
   label:english, label::Hebrew. We store BCP 47-ish codes and keep the author's name. */

/** Language name (lower case, English or native) → code. */
const NAME_TO_CODE: Record<string, string> = {
  english: "en",
  hebrew: "he",
  עברית: "he",
  ivrit: "he",
  arabic: "ar",
  العربية: "ar",
  عربي: "ar",
  عربية: "ar",
  russian: "ru",
  русский: "ru",
  amharic: "am",
  አማርኛ: "am",
  tigrinya: "ti",
  ትግርኛ: "ti",
  french: "fr",
  français: "fr",
  francais: "fr",
  spanish: "es",
  español: "es",
  espanol: "es",
  portuguese: "pt",
  português: "pt",
  german: "de",
  deutsch: "de",
  italian: "it",
  swahili: "sw",
  kiswahili: "sw",
  chinese: "zh",
  中文: "zh",
  hindi: "hi",
  urdu: "ur",
  persian: "fa",
  farsi: "fa",
  turkish: "tr",
  ukrainian: "uk",
  українська: "uk",
  romanian: "ro",
  polish: "pl",
  dutch: "nl",
  indonesian: "id",
  bengali: "bn",
  nepali: "ne",
  somali: "so",
  yiddish: "yi",
  georgian: "ka",
  thai: "th",
  vietnamese: "vi",
  japanese: "ja",
  korean: "ko",
  burmese: "my",
  hausa: "ha",
  yoruba: "yo",
  igbo: "ig",
  zulu: "zu",
  kinyarwanda: "rw",
  luganda: "lg",
  oromo: "om",
  tagalog: "tl",
};

/** A record lookup that ignores Object.prototype ("constructor" is not a language). */
const own = (record: Record<string, string>, key: string): string | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

const CODE = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;
const NAME_WITH_CODE = /^(.*?)\s*\(\s*([A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*)\s*\)$/;

const normalizeCode = (code: string) => {
  const [primary, ...rest] = code.split(/[-_]/);
  return [primary!.toLowerCase(), ...rest].join("-");
};

export interface ParsedLanguage {
  code: string;
  /** The name to show and to write back; absent when only a code is known. */
  name?: string;
}

/**
 * "English (en)" → en/English; "עברית" → he; "english" → en; "en" → en;
 * an unknown name becomes an ASCII code of its own ("Klingon" → klingon).
 */
export function parseLanguage(raw: string): ParsedLanguage {
  const text = raw.trim();
  if (text.toLowerCase() === DEFAULT_LANGUAGE) return { code: DEFAULT_LANGUAGE };
  const withCode = NAME_WITH_CODE.exec(text);
  if (withCode) {
    const code = normalizeCode(withCode[2]!);
    const name = withCode[1]!.trim();
    return name ? { code, name } : { code };
  }
  const byName = own(NAME_TO_CODE, text.toLowerCase());
  if (byName) return { code: byName, name: text };
  // A bare code: the author gave no name, none is invented (an export writes the code back).
  if (/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$/.test(text)) return { code: normalizeCode(text) };
  const slug = text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z]+/g, "-")
    .replace(/^-+|-+$/g, "");
  // The code must survive a round trip through "Name (code)" in an exported header.
  if (CODE.test(slug) && normalizeCode(slug) === slug) return { code: slug, name: text };
  return { code: `und-${hash(text)}`, name: text };
}

/** FNV-1a, base 36: a short stable code for a language named in a script we do not map. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (const c of text) {
    h ^= c.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).slice(0, 8);
}

/** How a language is written in an exported header: "English (en)", or the bare code. */
export function languageLabel(code: string, names: Record<string, string> | undefined): string {
  const name = names?.[code];
  return name ? `${name} (${code})` : code;
}
