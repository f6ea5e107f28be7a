/**
 * Identity helpers shared by the server, the web forms and the data generator:
 * Israeli ID check digit, phone normalisation, and the search keys of names.
 */

/** An Israeli ID number (teudat zehut) with a valid check digit; up to 9 digits, zero-padded. */
export function isValidIsraeliId(input: string): boolean {
  const digits = input.replace(/[\s-]/g, "");
  if (!/^\d{5,9}$/.test(digits)) return false;
  const padded = digits.padStart(9, "0");
  if (/^0+$/.test(padded)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(padded[i]) * ((i % 2) + 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

/** The canonical 9-digit form of an ID number (as stored and compared). */
export function canonicalIsraeliId(input: string): string {
  return input.replace(/[\s-]/g, "").padStart(9, "0");
}

/** Completes the 8 leading digits of an ID with its check digit (test data, demo generator). */
export function withIsraeliIdCheckDigit(eightDigits: string): string {
  const base = eightDigits.padStart(8, "0").slice(0, 8);
  for (let c = 0; c <= 9; c++) if (isValidIsraeliId(base + c)) return base + c;
  return `${base}0`;
}

/** Israeli numbers as people type them ("050-123 4567") → E.164 ("+972501234567"). */
export function normalizePhone(input: string): string {
  const digits = input.replace(/[^\d+]/g, "");
  if (digits.startsWith("+")) return `+${digits.slice(1).replace(/\+/g, "")}`;
  if (digits.startsWith("00")) return `+${digits.slice(2)}`;
  if (digits.startsWith("972")) return `+${digits}`;
  if (digits.startsWith("0")) return `+972${digits.slice(1)}`;
  return digits;
}

/** A plausible phone number after normalisation (8–15 digits, E.164). */
export function isPlausiblePhone(e164: string): boolean {
  return /^\+[1-9]\d{7,14}$/.test(e164);
}

const COMBINING =
  /[\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g;
const HEBREW_FINALS: Record<string, string> = { ך: "כ", ם: "מ", ן: "נ", ף: "פ", ץ: "צ" };
const ARABIC_FOLD: Record<string, string> = {
  أ: "ا",
  إ: "ا",
  آ: "ا",
  ٱ: "ا",
  ة: "ه",
  ى: "ي",
  ؤ: "و",
  ئ: "ي",
};

/**
 * Folds a name for matching: lower case, no diacritics, niqqud or harakat,
 * Hebrew final letters and Arabic alef/ta marbuta/ya variants folded,
 * punctuation (geresh, quotes, hyphens) to spaces.
 */
export function normalizeForSearch(input: string): string {
  return input
    .normalize("NFKD")
    .replace(COMBINING, "")
    .toLowerCase()
    .replace(/[ךםןףץ]/g, (ch) => HEBREW_FINALS[ch] ?? ch)
    .replace(/[أإآٱةىؤئ]/g, (ch) => ARABIC_FOLD[ch] ?? ch)
    .replace(/ё/g, "е")
    .replace(/[^\p{L}\p{N}@+.]+/gu, " ")
    .trim()
    .replace(/\s+/g, " ");
}

// Consonant skeletons: each script mapped to a small Latin consonant alphabet, vowels and
// weak letters dropped, so "Ahmad Masarwa", "אחמד מסארווה" and "أحمد مصاروة" all become "hmd msr".
const HEBREW_SKELETON: Record<string, string> = {
  ב: "b",
  ג: "g",
  ד: "d",
  ז: "z",
  ח: "h",
  ט: "t",
  כ: "k",
  ל: "l",
  מ: "m",
  נ: "n",
  ס: "s",
  פ: "p",
  צ: "s",
  ק: "k",
  ר: "r",
  ש: "s",
  ת: "t",
};
const ARABIC_SKELETON: Record<string, string> = {
  ب: "b",
  ت: "t",
  ث: "t",
  ج: "g",
  ح: "h",
  خ: "h",
  د: "d",
  ذ: "d",
  ر: "r",
  ز: "z",
  س: "s",
  ش: "s",
  ص: "s",
  ض: "d",
  ط: "t",
  ظ: "z",
  غ: "g",
  ف: "p",
  ق: "k",
  ك: "k",
  ل: "l",
  م: "m",
  ن: "n",
  ه: "",
};
const CYRILLIC_SKELETON: Record<string, string> = {
  б: "b",
  в: "b",
  г: "g",
  д: "d",
  ж: "z",
  з: "z",
  к: "k",
  л: "l",
  м: "m",
  н: "n",
  п: "p",
  р: "r",
  с: "s",
  т: "t",
  ф: "p",
  х: "h",
  ц: "s",
  ч: "s",
  ш: "s",
  щ: "s",
};

function latinSkeleton(word: string): string {
  return word
    .replace(/ph/g, "p")
    .replace(/f/g, "p")
    .replace(
      /(kh|ch|sh|th|ts|tz)/g,
      (m) => ({ kh: "h", ch: "h", sh: "s", th: "t", ts: "s", tz: "s" })[m] ?? m,
    )
    .replace(/[cq]/g, "k")
    .replace(/x/g, "ks")
    .replace(/j/g, "g")
    .replace(/v/g, "b")
    .replace(/[aeiouyw']/g, "")
    .replace(/[^a-z]/g, "");
}

/** The consonant skeleton of one normalized word, in Latin letters ("" when too short to help). */
export function skeletonOf(word: string): string {
  let out = "";
  if (/[\u0590-\u05ff]/.test(word)) {
    // A leading ה is a consonant ("הדר" → hdr); elsewhere it usually marks a vowel.
    if (word.startsWith("ה")) out = "h";
    for (const ch of word) out += HEBREW_SKELETON[ch] ?? "";
  } else if (/[\u0600-\u06ff]/.test(word)) {
    if (word.startsWith("ه")) out = "h";
    for (const ch of word) out += ARABIC_SKELETON[ch] ?? "";
  } else if (/[\u0400-\u04ff]/.test(word)) {
    for (const ch of word) out += CYRILLIC_SKELETON[ch] ?? "";
  } else {
    out = latinSkeleton(word);
  }
  // Doubled letters (Hebrew ו/י used as vowels, "ss" in Latin) collapse.
  out = out.replace(/(.)\1+/g, "$1");
  return out.length >= 2 ? out : "";
}

/** Skeletons of every word of a text, space separated. */
export function skeletonText(text: string): string {
  return normalizeForSearch(text).split(" ").map(skeletonOf).filter(Boolean).join(" ");
}

/** The text the trigram index searches: normalized names, then their skeletons after a "~". */
export function buildSearchText(names: string[]): string {
  const normalized = normalizeForSearch(names.filter(Boolean).join(" "));
  const skeletons = skeletonText(normalized);
  return skeletons ? `${normalized} ~ ${skeletons}` : normalized;
}
