import type { Locale } from "@kaveret/contracts";
import { tokenize, type Token } from "./normalize.ts";

/*
 * Urgency hints from keyword lists per language. Deliberately not learned:
 * a worker can read the whole list, and a missed "urgent" word is fixed by
 * adding it here, not by waiting for training data. The result is a
 * suggestion shown next to the need — it never routes, escalates or notifies
 * anything by itself; a person decides the urgency.
 *
 * A phrase is a few words that must appear in order, with up to MAX_GAP words
 * between them ("אין לנו אוכל" matches "אין אוכל"); words joined by "+" must
 * be next to each other ("ما+اكل", so "ما بكفي للأكل" is not a match). A
 * word ending in "*" matches any word that begins with it (נפל* → נפלה,
 * נפלתי). Words are compared after the classifier's normalization, so niqqud,
 * final letters, alef forms and one prefix letter do not matter, and a word of
 * five letters or more also matches with one letter left out or doubled
 * (מצלחה, срочнно) — not with one changed: shouting is not shooting.
 */

export type UrgencyLevel = "high" | "critical";

export type UrgencyDriver = {
  /** The matched words as they appear in the text. */
  text: string;
  level: UrgencyLevel;
};

export type UrgencySuggestion = {
  /** The highest level found, or null when no keyword matched (which does not mean "not urgent"). */
  urgency: UrgencyLevel | null;
  /** Strongest first. */
  drivers: UrgencyDriver[];
};

const MAX_GAP = 4;
/** Keywords this long still match with one letter left out or added (a typo). */
const FUZZY_MIN_LETTERS = 5;

/** Keyword phrases per language: critical = danger to life or health now; high = urgent need. */
const KEYWORDS: Record<Locale, Record<UrgencyLevel, string[]>> = {
  he: {
    critical: [
      "סכנת חיים",
      "לא נושם*",
      "מאבד* הכרה",
      "איבד* הכרה",
      "חסר הכרה",
      "חסרת הכרה",
      "התעלף*",
      "להתאבד",
      "התאבדות",
      "אובדני*",
      "רוצה למות",
      "שריפה",
      "בוער*",
      "דליפת גז",
      "ריח של גז",
      "נפל* לא קמ*",
      "נפל* לא מצליח* לקום",
      "נפל* לא עונ*",
      "יריות",
      "ירי",
      "סכין",
      "מרביץ* לה",
      "מכה אותה",
    ],
    high: [
      "דחוף",
      "דחופה",
      "בדחיפות",
      "מצב חירום",
      "סכנה",
      "אין אוכל",
      "אין מה לאכול",
      "לא+אכל*",
      "רעבים",
      "רעב",
      "נפל",
      "נפלה",
      "נפלתי",
      "נגמר* תרופות",
      "נגמר* כדורים",
      "אין תרופות",
      "נגמר* אינסולין",
      "ניתק* חשמל",
      "ניתק* מים",
      "אין חשמל",
      "צו פינוי",
      "מכתב פינוי",
      "אין לאן ללכת",
      "אין איפה לגור",
      "ישנ*+ברכב",
      "ישנ*+אצל",
      "מקלט נעול",
      "מרחב מוגן נעול",
      "מרחב מוגן לא מוכן",
      "קורת גג",
      "לעזוב את הדירה",
      "באזעקה",
      "אזעקה",
      "מאיים",
      "איים",
      "אלימות",
      "מכות",
    ],
  },
  ar: {
    critical: [
      "خطر على حياته",
      "خطر على حياتها",
      "ما بتنفس",
      "مش عم يتنفس",
      "مش عم تتنفس",
      "فاقد الوعي",
      "فاقدة الوعي",
      "اغمي عليه",
      "اغمي عليها",
      "انتحار",
      "انتحر",
      "حريق",
      "تسرب غاز",
      "ريحة غاز",
      "وقع* تقوم",
      "وقع* يقوم",
      "وقع* عم ترد",
      "وقع* عم يرد",
      "اطلاق نار",
      "طخ",
      "سكين",
    ],
    high: [
      "عاجل",
      "ضروري",
      "مستعجل",
      "طارئ",
      "طوارئ",
      "خطر",
      "لا يوجد طعام",
      "ما في اكل",
      "مافي اكل",
      "ما عنا اكل",
      "جوعانين",
      "جوعان",
      "جائعون",
      "جائع",
      "ما+اكل",
      "ما+اكلت",
      "صفارة الانذار",
      "الملجا مسكر",
      "وقع",
      "وقعت",
      "خلص* الدوا",
      "خلص* الادويه",
      "خلص* الانسولين",
      "قطعوا الكهربا",
      "قطعوا المي",
      "فصلوا الكهربا",
      "فصلوا المي",
      "اخلاء",
      "طردونا",
      "ما عنا وين",
      "بهدد*",
      "هدد*",
      "عنف",
      "ضرب",
    ],
  },
  en: {
    critical: [
      "not breathing",
      "unconscious",
      "passed out",
      "suicid*",
      "kill myself",
      "fire",
      "gas leak",
      "smell of gas",
      "fell cant get up",
      "fell isnt answering",
      "fell not answering",
      "shooting",
      "gunshots",
      "stabbed",
      "knife",
    ],
    high: [
      "urgent",
      "urgently",
      "emergency",
      "asap",
      "danger",
      "no food",
      "nothing to eat",
      "ran out of food",
      "hungry",
      "havent eaten",
      "hasnt eaten",
      "fell",
      "ran out of medication",
      "ran out of insulin",
      "no more insulin",
      "sirens",
      "no more pills",
      "no more medication",
      "shelter locked",
      "shelter not ready",
      "siren",
      "eviction",
      "nowhere to go",
      "cut off",
      "homeless",
      "threaten*",
      "violence",
      "hitting",
    ],
  },
  ru: {
    critical: [
      "не дышит",
      "без сознания",
      "потерял* сознание",
      "суицид",
      "покончить с собой",
      "пожар",
      "горит",
      "утечка газа",
      "запах газа",
      "упал* не может встать",
      "упал* не встает",
      "упал* не отвечает",
      "стрельба",
      "нож",
    ],
    high: [
      "срочно",
      "срочная",
      "срочный",
      "экстренно",
      "опасно",
      "опасность",
      "нет еды",
      "нечего есть",
      "голодн*",
      "не ел*",
      "упал",
      "упала",
      "кончил* лекарств*",
      "закончил* лекарств*",
      "нет лекарств",
      "закончил* продукт*",
      "сирен*",
      "нет таблеток",
      "убежище закрыто",
      "кончил* инсулин",
      "выселени*",
      "некуда идти",
      "отключили свет",
      "отключили электричество",
      "отключили воду",
      "угрожа*",
      "насилие",
      "бьют",
    ],
  },
  am: {
    critical: [
      "አይተነፍስም",
      "አትተነፍስም",
      "ራሱን ስቷል",
      "ራሷን ስታለች",
      "ራሱን ማጥፋት",
      "ራሴን ማጥፋት",
      "እሳት",
      "ወድቃ መነሳት",
      "ወድቆ መነሳት",
    ],
    high: [
      "አስቸኳይ",
      "አደጋ",
      "ምግብ የለም",
      "ምግብ የለንም",
      "ተርበዋል",
      "ተርቤያለሁ",
      "አልበላም",
      "አልበላችም",
      "መድኃኒት አልቋል",
      "ወደቀ",
      "ወደቀች",
      "ልንወጣ ነው",
      "መብራት ተቆርጧል",
      "ያስፈራራናል",
      "ዛቻ",
      "ቶሎ ኑ",
      "ቤት የለንም",
      "ሳይረን",
    ],
  },
};

// A negation right before the phrase ("לא דחוף", "not urgent", "не срочно", "مش مستعجل") cancels it;
// Amharic negates after the word ("አስቸኳይ አይደለም").
const NEGATIONS_BEFORE: Partial<Record<Locale, Set<string>>> = {
  he: new Set(["לא", "אינו", "אינה", "ולא"]),
  en: new Set(["not", "no", "isnt", "dont", "never"]),
  ru: new Set(["не", "нет", "ни"]),
  ar: new Set(["مش", "مو", "ليس", "ليست", "غير", "مش"]),
};
const NEGATIONS_AFTER: Partial<Record<Locale, Set<string>>> = {
  am: new Set(["አይደለም", "አይደለችም"]),
};

// One prefix letter of a word (ו ה ב …, و ف ب ل ك, የ በ ለ ከ) may be dropped when matching a keyword.
const ONE_LETTER_PREFIXES: Partial<Record<Locale, Set<string>>> = {
  he: new Set(["ו", "ה", "ב", "ל", "מ", "ש", "כ"]),
  ar: new Set(["و", "ف", "ب", "ل", "ك"]),
  am: new Set(["የ", "በ", "ለ", "ከ"]),
};

type KeywordWord = {
  folded: string;
  /** `folded` as code points, and whether one letter more or less still matches. */
  chars: string[];
  fuzzy: boolean;
  stem: string;
  wildcard: boolean;
  /** Words allowed between this word and the one before it. */
  gap: number;
};
type Keyword = { words: KeywordWord[]; level: UrgencyLevel };

const COMPILED: Keyword[] = (Object.entries(KEYWORDS) as [Locale, Record<UrgencyLevel, string[]>][])
  .flatMap(([, levels]) =>
    (Object.entries(levels) as [UrgencyLevel, string[]][]).flatMap(([level, phrases]) =>
      phrases.map((phrase) => ({
        level,
        words: phrase.split(/\s+/).flatMap((group) =>
          group.split("+").map((word, i) => {
            const wildcard = word.endsWith("*");
            const token = tokenize(wildcard ? word.slice(0, -1) : word)[0];
            if (!token) throw new Error(`urgency keyword without letters: ${phrase}`);
            const chars = [...token.folded];
            return {
              folded: token.folded,
              chars,
              fuzzy: chars.length >= FUZZY_MIN_LETTERS,
              stem: token.stem,
              wildcard,
              gap: i === 0 ? MAX_GAP : 0,
            };
          }),
        ),
      })),
    ),
  )
  // Critical phrases first, longer phrases first: the strongest, most specific match wins a span.
  .sort((a, b) =>
    a.level === b.level ? b.words.length - a.words.length : a.level === "critical" ? -1 : 1,
  );

function withoutPrefix(token: Token): string | null {
  const prefixes = ONE_LETTER_PREFIXES[token.language];
  const first = [...token.folded][0];
  return prefixes && first && prefixes.has(first) ? token.folded.slice(first.length) : null;
}

/** A token with what matching needs worked out once (not once per keyword). */
type Prepared = { token: Token; forms: string[]; formChars: string[][] };

function prepare(token: Token): Prepared {
  const bare = withoutPrefix(token);
  const forms = bare === null ? [token.folded] : [token.folded, bare];
  return { token, forms, formChars: forms.map((f) => [...f]) };
}

function matches(p: Prepared, word: KeywordWord): boolean {
  const { token, forms, formChars } = p;
  if (word.wildcard) {
    if (token.stem.startsWith(word.stem)) return true;
    for (let f = 0; f < forms.length; f++) {
      if (forms[f]!.startsWith(word.folded)) return true;
      if (!word.fuzzy) continue;
      // The beginning of the word, one letter shorter or longer than the keyword.
      const chars = formChars[f]!;
      const n = word.chars.length;
      if (oneLetterApart(chars, Math.min(n - 1, chars.length), word.chars)) return true;
      if (oneLetterApart(chars, Math.min(n + 1, chars.length), word.chars)) return true;
    }
    return false;
  }
  if (token.stem === word.stem || forms.includes(word.folded)) return true;
  return word.fuzzy && formChars.some((chars) => oneLetterApart(chars, chars.length, word.chars));
}

/**
 * Whether the first `aLength` letters of `a` and the word `b` are one word with one letter
 * left out (or one extra). Compared as code points, without building strings.
 */
function oneLetterApart(a: readonly string[], aLength: number, b: readonly string[]): boolean {
  const aLonger = aLength > b.length;
  const long = aLonger ? a : b;
  const short = aLonger ? b : a;
  const longLength = aLonger ? aLength : b.length;
  const shortLength = aLonger ? b.length : aLength;
  if (longLength !== shortLength + 1) return false;
  let i = 0;
  while (i < shortLength && long[i] === short[i]) i++;
  for (let j = i; j < shortLength; j++) if (long[j + 1] !== short[j]) return false;
  return true;
}

/** Where the phrase matches starting at token `start`: the indexes of its words, or null. */
function matchAt(tokens: Prepared[], start: number, keyword: Keyword): number[] | null {
  if (!matches(tokens[start]!, keyword.words[0]!)) return null;
  const at = [start];
  for (const word of keyword.words.slice(1)) {
    const from = at[at.length - 1]! + 1;
    let found = -1;
    for (let i = from; i < tokens.length && i <= from + word.gap; i++) {
      if (matches(tokens[i]!, word)) {
        found = i;
        break;
      }
    }
    if (found < 0) return null;
    at.push(found);
  }
  return at;
}

function negated(tokens: Token[], at: number[]): boolean {
  const first = at[0]!;
  const last = at[at.length - 1]!;
  const before = tokens[first - 1];
  if (before && NEGATIONS_BEFORE[before.language]?.has(before.folded)) return true;
  const after = tokens[last + 1];
  return Boolean(after && NEGATIONS_AFTER[after.language]?.has(after.folded));
}

/**
 * Suggests an urgency from keywords in any of the five languages (a text may
 * mix them). Only a suggestion for the person triaging: never used to route.
 */
export function suggestUrgency(text: string): UrgencySuggestion {
  const tokens = tokenize(text);
  const prepared = tokens.map(prepare);
  const used = new Set<number>();
  const found: (UrgencyDriver & { at: number })[] = [];
  for (const keyword of COMPILED) {
    for (let start = 0; start < tokens.length; start++) {
      if (used.has(start)) continue;
      const at = matchAt(prepared, start, keyword);
      if (!at || at.some((i) => used.has(i)) || negated(tokens, at)) continue;
      for (const i of at) used.add(i);
      const first = tokens[at[0]!]!;
      const last = tokens[at[at.length - 1]!]!;
      found.push({
        text: text.slice(first.index, last.index + last.original.length),
        level: keyword.level,
        at: first.index,
      });
    }
  }
  // Critical first, then in the order they appear in the text.
  const drivers = found
    .sort((a, b) => (a.level === b.level ? a.at - b.at : a.level === "critical" ? -1 : 1))
    .map(({ text: t, level }) => ({ text: t, level }));
  const urgency = drivers.some((d) => d.level === "critical")
    ? "critical"
    : drivers.length
      ? "high"
      : null;
  return { urgency, drivers };
}
