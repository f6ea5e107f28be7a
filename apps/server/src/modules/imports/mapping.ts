import { IMPORT_FIELDS, type ImportEntity } from "@kaveret/contracts";
import { HEADER_WORDS, type Words } from "./vocabulary.ts";

/**
 * Matching what people typed against what we know: column names against target
 * fields (the suggested mapping), and cell words against vocabularies.
 */

const COMBINING = /[\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u0640]/g;
const FINALS: Record<string, string> = { ך: "כ", ם: "מ", ן: "נ", ף: "פ", ץ: "צ" };
const ARABIC_FOLD: Record<string, string> = {
  أ: "ا",
  إ: "ا",
  آ: "ا",
  ٱ: "ا",
  ة: "ه",
  ى: "ي",
};

/**
 * A word folded for matching: lower case, no diacritics, niqqud or harakat, Hebrew
 * finals and Arabic letter variants folded, only letters, digits and "+" kept
 * ("ת.ז." and 'ת"ז' both become "תז"; "בני 65+" becomes "בני65+").
 */
export function foldWord(input: string): string {
  return input
    .normalize("NFKD")
    .replace(COMBINING, "")
    .toLowerCase()
    .replace(/[ךםןףץ]/g, (ch) => FINALS[ch] ?? ch)
    .replace(/[أإآٱةى]/g, (ch) => ARABIC_FOLD[ch] ?? ch)
    .replace(/[^\p{L}\p{N}+]/gu, "");
}

/** A lookup of words (in he/ar/en, and the codes themselves) to codes. */
export class WordIndex<C extends string> {
  private readonly map = new Map<string, C>();

  constructor(words: Record<C, Words>) {
    for (const code of Object.keys(words) as C[]) {
      this.add(code, code);
      this.add(code.replace(/_/g, " "), code);
      const w = words[code];
      for (const word of [...w.he, ...w.ar, ...w.en]) this.add(word, code);
    }
  }

  private add(word: string, code: C) {
    const key = foldWord(word);
    if (key && !this.map.has(key)) this.map.set(key, code);
  }

  get(word: string): C | undefined {
    return this.map.get(foldWord(word));
  }

  /** Codes of every word in a list cell; `unknown` is true when a word matched nothing. */
  list(cell: string): { codes: C[]; unknown: boolean } {
    const codes: C[] = [];
    let unknown = false;
    for (const word of splitList(cell)) {
      const code = this.get(word);
      if (code === undefined) unknown = true;
      else if (!codes.includes(code)) codes.push(code);
    }
    return { codes, unknown };
  }
}

/** The items of a list cell ("עברית, רוסית" · "a; b" · one per line). */
export function splitList(cell: string): string[] {
  return cell
    .split(/[,;|\n\r]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The suggested mapping: each target field with the column whose name best
 * matches one of its names in Hebrew, Arabic or English (exact before partial);
 * each column used once.
 */
export function suggestMapping(entity: ImportEntity, headers: string[]): Record<string, string> {
  const words = HEADER_WORDS[entity];
  const candidates: { score: number; field: string; header: string; order: number }[] = [];
  const folded = headers.map(foldWord);
  IMPORT_FIELDS[entity].forEach((field, order) => {
    const names = words[field.key];
    const synonyms = [field.key, ...(names ? [...names.he, ...names.ar, ...names.en] : [])]
      .map(foldWord)
      .filter(Boolean);
    headers.forEach((header, i) => {
      const h = folded[i]!;
      if (!h) return;
      let score = 0;
      for (const s of synonyms) {
        if (h === s) score = Math.max(score, 1000 + s.length);
        else if (s.length >= 3 && h.includes(s)) score = Math.max(score, 500 + s.length);
        else if (h.length >= 3 && s.includes(h)) score = Math.max(score, 100 + h.length);
      }
      if (score > 0) candidates.push({ score, field: field.key, header, order });
    });
  });
  candidates.sort((a, b) => b.score - a.score || a.order - b.order);
  const mapping: Record<string, string> = {};
  const used = new Set<string>();
  for (const c of candidates) {
    if (c.field in mapping || used.has(c.header)) continue;
    mapping[c.field] = c.header;
    used.add(c.header);
  }
  return mapping;
}

/**
 * A number as people write it: "1,234", "1 234", "12.5", "12,5", "40%".
 * Null when it is not one.
 */
export function parseNumber(cell: string): number | null {
  let s = cell.replace(/[\s\u00a0\u202f']/g, "").replace(/%$/, "");
  if (s === "") return null;
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, "");
  else if (/^-?\d+,\d+$/.test(s)) s = s.replace(",", ".");
  if (!/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** A year from "1950", "1950-03-01", "01/03/1950" or "1.3.1950"; null when none. */
export function parseYear(cell: string): number | null {
  const s = cell.trim();
  let m = /^(\d{4})(?:-\d{1,2}-\d{1,2})?(?:T.*)?$/.exec(s);
  if (m) return Number(m[1]);
  m = /^\d{1,2}[./-]\d{1,2}[./-](\d{4})$/.exec(s);
  if (m) return Number(m[1]);
  return null;
}

/**
 * A phone number as a spreadsheet may have mangled it: a number cell loses the
 * leading zero ("501234567" was "0501234567").
 */
export function restorePhone(cell: string): string {
  const s = cell.trim();
  return /^[1-9]\d{7,8}$/.test(s) ? `0${s}` : s;
}
