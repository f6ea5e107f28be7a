import type { Locale } from "@kaveret/contracts";

/*
 * Text normalization for the need classifier: the same word typed with or
 * without niqqud, harakat, a Hebrew prefix letter, an Arabic article, a
 * Hebrew final letter or another alef form must become the same feature.
 * Rules are deliberately light (no dictionary): what they do is easy to
 * explain to a worker looking at the words that drove a suggestion, and they
 * never need a model of their own.
 *
 * Bump NORMALIZATION_VERSION whenever a rule changes: a stored model trained
 * with other rules no longer matches the features computed from new text.
 */
export const NORMALIZATION_VERSION = 1;

/** A word of the text: as written, folded (letters only), and its stem (the classifier's feature). */
export type Token = {
  /** As it appeared in the text (niqqud, capitals and all). */
  original: string;
  /** Offset of `original` in the text. */
  index: number;
  /** Lower-cased, marks stripped, letter variants folded. */
  folded: string;
  /** `folded` with the language's prefixes and light suffixes stripped. */
  stem: string;
  /** Language of the word's script. */
  language: Locale;
  /** A function word of its language (kept for phrase matching, not a classifier feature). */
  stop: boolean;
};

// ------------------------------------------------------------------ scripts

const SCRIPT_PATTERNS: [Locale, RegExp][] = [
  ["he", /\p{Script=Hebrew}/u],
  ["ar", /\p{Script=Arabic}/u],
  ["ru", /\p{Script=Cyrillic}/u],
  ["am", /\p{Script=Ethiopic}/u],
  ["en", /\p{Script=Latin}/u],
];

/** The language a single word's script points to (Latin → en), or null for digits/symbols. */
export function scriptLanguage(word: string): Locale | null {
  for (const ch of word) {
    for (const [language, pattern] of SCRIPT_PATTERNS) if (pattern.test(ch)) return language;
  }
  return null;
}

/**
 * The language of a text by the script most of its letters are in: Hebrew,
 * Arabic, Cyrillic → ru, Ethiopic → am, Latin → en. Null when it has no letters.
 * (Arabic written in Hebrew letters reads as he, Arabizi as en: the script is
 * what the features depend on, so that is the useful answer here.)
 */
export function detectLanguage(text: string): Locale | null {
  const counts = new Map<Locale, number>();
  for (const ch of text) {
    for (const [language, pattern] of SCRIPT_PATTERNS) {
      if (pattern.test(ch)) {
        counts.set(language, (counts.get(language) ?? 0) + 1);
        break;
      }
    }
  }
  let best: Locale | null = null;
  let bestCount = 0;
  // A tie goes to the script listed first (he, ar, ru, am, en), whatever the order in the text.
  for (const [language] of SCRIPT_PATTERNS) {
    const n = counts.get(language) ?? 0;
    if (n > bestCount) {
      best = language;
      bestCount = n;
    }
  }
  return best;
}

// ------------------------------------------------------------------ folding

const HEBREW_FINALS: Record<string, string> = { ך: "כ", ם: "מ", ן: "נ", ף: "פ", ץ: "צ" };
const LETTER_FOLDS: Record<string, string> = {
  ...HEBREW_FINALS,
  װ: "וו",
  ױ: "וי",
  ײ: "יי",
  ى: "ي",
  ة: "ه",
  ی: "ي", // Persian yeh, from some Arabic keyboards
  ک: "ك",
  ٱ: "ا",
};
const LETTER_FOLD_PATTERN = /[ךםןףץװױײىةیکٱ]/g;
// Combining marks (niqqud, cantillation, harakat, Latin accents, Ethiopic marks) and Arabic tatweel.
const MARKS = /[\p{Mn}\u0640]/gu;
// Quote marks inside a word: Hebrew geresh/gershayim in acronyms (עו"ס, מתנ"ס, צ'יפס), English "don't".
const INNER_QUOTES = /["'׳״’`]/g;

// Ethiopic homophone series written interchangeably in everyday Amharic: ሐ/ኀ → ሀ, ሠ → ሰ, ዐ → አ, ፀ → ጸ.
function foldEthiopic(ch: string): string {
  const code = ch.codePointAt(0)!;
  let folded = code;
  if (code >= 0x1210 && code <= 0x1217) folded = code - 0x10;
  else if (code >= 0x1280 && code <= 0x1287) folded = code - 0x80;
  else if (code >= 0x1220 && code <= 0x1227) folded = code + 0x10;
  else if (code >= 0x12d0 && code <= 0x12d6) folded = code - 0x30;
  else if (code >= 0x1340 && code <= 0x1346) folded = code - 0x08;
  // The fourth (-ā) form of ሀ and አ is written for the first as often as not.
  if (folded === 0x1203) folded = 0x1200;
  if (folded === 0x12a3) folded = 0x12a0;
  return String.fromCodePoint(folded);
}

/**
 * Folds letters so spelling variants meet: lower case; niqqud, cantillation,
 * harakat, tatweel and accents stripped; Hebrew final letters → regular;
 * Arabic أ إ آ ٱ → ا, ى → ي, ة → ه, ؤ → و, ئ → ي; ё → е; Ethiopic homophones.
 * Keeps everything else (spaces, digits, punctuation) as it is.
 */
export function foldText(text: string): string {
  return (
    text
      .normalize("NFKD")
      // NFKD splits й into и + breve; й is its own letter in Russian, keep it.
      .replace(/и\u0306/g, "й")
      .replace(/И\u0306/g, "Й")
      .replace(MARKS, "")
      .toLowerCase()
      .replace(LETTER_FOLD_PATTERN, (ch) => LETTER_FOLDS[ch] ?? ch)
      .replace(/[\u1200-\u137f]/gu, foldEthiopic)
  );
}

// ------------------------------------------------------------------ stems

const HEBREW_PREFIXES = new Set(["ו", "ה", "ב", "ל", "מ", "ש", "כ"]);
// Folded forms (ם → מ): plural -ים, -ות, feminine/directional -ה.
const HEBREW_SUFFIXES = ["ימ", "ות", "ה"];

/**
 * Hebrew: a one-letter prefix (ו ה ב ל מ ש כ) is stripped while the rest of
 * the word, not counting a plural/feminine ending, keeps at least 3 letters;
 * then that ending goes. Stripping greedily means a word and the same word
 * with prefixes always meet (השכנים, שכנים, לשכנה → שכנ), at the price of
 * over-stripping some words that merely begin with such a letter (מקלט → קלט),
 * which is harmless as long as it is done the same way everywhere.
 */
function hebrewStem(word: string): string {
  const suffix = HEBREW_SUFFIXES.find((s) => word.endsWith(s) && word.length - s.length >= 2);
  let core = suffix ? word.slice(0, -suffix.length) : word;
  while (core.length - 1 >= 3 && HEBREW_PREFIXES.has(core[0]!)) core = core.slice(1);
  return core;
}

// Longest first. The article and its combinations with و ب ك ف ل; ل + ال is written لل.
// Colloquial عال is على + ال (عالدرج, on the stairs).
const ARABIC_ARTICLES = ["وال", "بال", "كال", "فال", "عال", "لل", "ال"];
// One-letter proclitics: and, in/with, for, so, like (colloquial writing attaches them everywhere: بشارع, وجوزي).
const ARABIC_PREFIXES = new Set(["و", "ب", "ل", "ف", "ك"]);
// Light10-style suffixes (folded: ة → ه), longest first, with the possessives our/their and
// ta marbuta + my (جارتي, my neighbour).
const ARABIC_SUFFIXES = ["ها", "ان", "ات", "ون", "ين", "يه", "تي", "نا", "هم", "ه", "ي"];

/**
 * Arabic: the article (with what is attached to it) once, then one-letter
 * proclitics greedily while the rest, not counting a light suffix, keeps at
 * least 3 letters (as for Hebrew, so بشارع, شارع and والشارع meet), then the suffix.
 */
function arabicStem(word: string): string {
  let stem = word;
  const article = ARABIC_ARTICLES.find((p) => stem.startsWith(p) && stem.length - p.length >= 2);
  if (article) stem = stem.slice(article.length);
  const suffix = ARABIC_SUFFIXES.find((s) => stem.endsWith(s) && stem.length - s.length >= 3);
  let core = suffix ? stem.slice(0, -suffix.length) : stem;
  while (core.length - 1 >= 3 && ARABIC_PREFIXES.has(core[0]!)) core = core.slice(1);
  return core;
}

// Case and verb endings, longest first; a stem keeps ≥ 3 letters (≥ 2 for one-letter endings: еда, еды, еду).
const RUSSIAN_SUFFIXES = [
  "иями",
  "ями",
  "ами",
  "ого",
  "его",
  "ому",
  "ему",
  "ыми",
  "ими",
  "иях",
  "ия",
  "ие",
  "ий",
  "ию",
  "ая",
  "яя",
  "ое",
  "ее",
  "ые",
  "ый",
  "ой",
  "ей",
  "ам",
  "ям",
  "ах",
  "ях",
  "ов",
  "ев",
  "ом",
  "ем",
  "ую",
  "юю",
  "ть",
  "ся",
  "а",
  "я",
  "о",
  "е",
  "ы",
  "и",
  "у",
  "ю",
  "ь",
  "й",
];

function russianStem(word: string): string {
  const suffix = RUSSIAN_SUFFIXES.find(
    (s) => word.endsWith(s) && word.length - s.length >= (s.length === 1 ? 2 : 3),
  );
  return suffix ? word.slice(0, -suffix.length) : word;
}

function englishStem(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(?:ss|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !/(?:ss|us|is)$/.test(word))
    return word.slice(0, -1);
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2);
  return word;
}

// Amharic writes prepositions as one syllable in front of the word (የ of, በ in/by, ለ for, ከ from),
// and the object/also/and endings ን ም ና after it. One of each, when two syllables stay.
const AMHARIC_PREFIXES = new Set(["የ", "በ", "ለ", "ከ"]);
const AMHARIC_SUFFIXES = new Set(["ን", "ም", "ና"]);

function amharicStem(word: string): string {
  let stem = word;
  if (stem.length - 1 >= 2 && AMHARIC_PREFIXES.has(stem[0]!)) stem = stem.slice(1);
  if (stem.length - 1 >= 2 && AMHARIC_SUFFIXES.has(stem[stem.length - 1]!))
    stem = stem.slice(0, -1);
  return stem;
}

/** The stem of one folded word in its language. */
export function stemWord(folded: string, language: Locale): string {
  switch (language) {
    case "he":
      return hebrewStem(folded);
    case "ar":
      return arabicStem(folded);
    case "ru":
      return russianStem(folded);
    case "en":
      return englishStem(folded);
    case "am":
      return amharicStem(folded);
  }
}

// ------------------------------------------------------------------ stop words

// Small lists of function words, as people type them (colloquial forms too). Kept short on purpose:
// a word that is common but meaningful (אין, no, нет) stays a feature; the model learns its weight.
const STOP_WORD_LISTS: Record<Locale, string> = {
  he: `
    אני אנחנו אתה את אתם הוא היא הם הן של שלי שלנו שלו שלה על עם זה זו זאת גם כי אם
    או כל יש רק עוד כבר אבל מה מי איך פה שם לי לו לה לנו להם אותי אותו אותה אותנו
    הזה הזאת האלה אל אצל כמו מאוד ממש היי שלום תודה בבקשה רבה טוב בוקר ערב אפשר
    אצלנו אצלי עכשיו היה הייתה להיות כן לא אז וגם אחרי לפני מאז`,
  ar: `
    في من على عن الى إلى انا أنا احنا إحنا نحن هو هي هم هاد هذا هذه هاي هيك مع كل بس
    او أو لا ما يا شو اللي الي التي الذي كتير كثير جدا مش لو سمحت سمحتو شكرا مرحبا
    السلام عليكم صباح مساء الخير عنا عندي عندنا إنه انه أن ان إن كان كانت هل لأن
    لانه عشان و ف ثم عند بعد جنب مين بدي بدنا بخصوص ممكن كمان لسا تحية طيبة يعطيكم
    العافية الله يخليكم إشي اشي`,
  en: `
    a an the and or but of to in on at for with from by is are was were be been am
    it its this that these there i we you he she they my our your his her their me
    us him them do does did have has had so very just hi hello please thanks thank
    dear can could would will im ive its any some all if as about`,
  ru: `
    и в во не что он она оно они на я мы вы ты с со как а то все всё так его её ее
    их но да к у же за бы по только мне меня нам нас наш наша было был была вот от
    уже ещё еще о из ему ей очень это этот эта пожалуйста здравствуйте добрый день
    спасибо шалом есть ли там тут когда где для`,
  am: `
    እና ነው ናቸው ላይ ውስጥ ጋር ግን እኔ እኛ አንተ አንቺ እሱ እሷ እነሱ ይህ ያ እዚህ እዚያ ነበር እባክዎ እባካችሁ ሰላም
    አመሰግናለሁ ጤና ይስጥልኝ ደግሞ ምን ማን የት መቼ እንዴት በጣም ሁሉ`,
};

const STOP_WORDS: Record<Locale, Set<string>> = Object.fromEntries(
  Object.entries(STOP_WORD_LISTS).map(([language, words]) => [
    language,
    new Set(
      words
        .split(/\s+/)
        .filter(Boolean)
        .map((w) => foldText(w).replace(INNER_QUOTES, "")),
    ),
  ]),
) as Record<Locale, Set<string>>;

// "and", "that", "the", "in", "to" written onto a function word (ואני, שזה, وما, لمين) keep it one.
const STOP_PROCLITICS: Partial<Record<Locale, Set<string>>> = {
  he: new Set(["ו", "ש", "ה", "ב", "ל", "כ", "מ"]),
  ar: new Set(["و", "ف", "ب", "ل"]),
};

/** Whether a folded word is a function word of its language (also with "and"/"that" attached). */
export function isStopWord(folded: string, language: Locale): boolean {
  const stops = STOP_WORDS[language];
  if (stops.has(folded)) return true;
  const first = folded[0];
  return Boolean(first && STOP_PROCLITICS[language]?.has(first) && stops.has(folded.slice(1)));
}

// ------------------------------------------------------------------ tokens

// A word: letters and marks, with quote marks allowed between letters (עו"ס, ג'ובניק, don't).
const WORD = /[\p{L}\p{M}]+(?:["'׳״’`][\p{L}\p{M}]+)*/gu;

/** The words of a text, each with its original form, folded form, stem and script language. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(WORD)) {
    const original = match[0];
    const language = scriptLanguage(original);
    if (!language) continue;
    const folded = foldText(original).replace(INNER_QUOTES, "");
    if (!folded) continue;
    tokens.push({
      original,
      index: match.index,
      folded,
      stem: stemWord(folded, language),
      language,
      stop: isStopWord(folded, language),
    });
  }
  return tokens;
}

/** Character n-grams of a word with boundary marks ("<שכנ>" → "<שכ", "שכנ", "כנ>"): they survive typos. */
export function charNgrams(word: string, n = 3): string[] {
  const chars = [...`<${word}>`];
  if (chars.length <= n) return [chars.join("")];
  const grams: string[] = [];
  for (let i = 0; i + n <= chars.length; i++) grams.push(chars.slice(i, i + n).join(""));
  return grams;
}

/** Stems of a text's content words, space-separated (for tests and debugging). */
export function normalizeText(text: string): string {
  return tokenize(text)
    .filter((t) => !t.stop)
    .map((t) => t.stem)
    .join(" ");
}
