import { normalizeForSearch, skeletonOf, type DuplicateCandidate } from "@kaveret/contracts";

/**
 * How alike two resident records are: the one scoring rule of the duplicates module
 * (a check before saving, one record's candidates, the department's queue, the merge
 * screen). Pure, so it is tested on its own.
 */

export type Reason = DuplicateCandidate["reasons"][number];

/** Names at one address, first names agreeing, at least this similar may be one person. */
export const ADDRESS_NAME_SIMILARITY = 0.4;
/** Without another sign, only names this similar are suggested. */
export const NAME_ONLY_SIMILARITY = 0.8;
/** Pairs below this score stay out of the department's queue (relatives sharing a phone). */
export const MIN_PAIR_SCORE = 0.4;

/** What the database says about two records (or a record and a new one's details). */
export type Signals = {
  sameIdNumber: boolean;
  samePhone: boolean;
  /** Same street and house number. */
  sameBuilding: boolean;
  /** Same building and not two different flats of it. */
  sameHome: boolean;
  /** Trigram similarity of the normalized names. */
  textSimilarity: number;
  /** Trigram similarity of the names' consonant skeletons (alike across scripts). */
  skeletonSimilarity: number;
  a: { firstName: string; lastName: string; birthYear: number | null };
  b: { firstName: string; lastName: string; birthYear: number | null };
};

/**
 * The first word of a name; a geresh stays inside it ("ח'אלד" is one word, not "ח" and
 * "אלד" as the search text has it), so "ח'אלד" and "ח'דיג'ה" do not share a key.
 */
const firstWord = (name: string) =>
  normalizeForSearch(name.replace(/['\u05f3\u2019`]/g, "")).split(" ")[0] ?? "";

/**
 * The key of a name for comparing first names: the consonant skeleton of its first
 * word in any script ("משה", "מושה", "Moshe" → "ms"; "أحمد", "אחמד" → "hmd"), else the
 * normalized word when too short to have one ("דוד").
 */
export function nameKey(name: string): string {
  const word = firstWord(name);
  return skeletonOf(word) || word;
}

function namesAgree(x: string, y: string): boolean {
  const wx = firstWord(x);
  const wy = firstWord(y);
  return wx !== "" && (wx === wy || nameKey(x) === nameKey(y));
}

/** Whether the first names agree (spelling aside), or first and last names are swapped. */
export function firstNamesAgree(a: Signals["a"], b: Signals["b"]): boolean {
  return (
    namesAgree(a.firstName, b.firstName) ||
    (namesAgree(a.firstName, b.lastName) && namesAgree(a.lastName, b.firstName))
  );
}

/**
 * Reasons and score (0..1) of a pair. Independent hints combine as 1 − Π(1 − p): an ID
 * number is near certain; a shared phone counts when the first names agree (otherwise
 * it is usually a relative's); names at one home must agree on the first name (a family
 * shares the surname); a very similar name alone is a weak hint. Birth years more than
 * 2 (or 10) years apart — a parent and a child of one name — cut down all but the ID.
 */
export function scorePair(s: Signals): { reasons: Reason[]; score: number } {
  const agree = firstNamesAgree(s.a, s.b);
  // Skeletons only count when the first names agree: "חנה אוחיון" → "hn hn" and
  // "דוד אוחיון" → "hn" (דוד has none) look alike to trigrams, yet are two people.
  const sim = agree ? Math.max(s.textSimilarity, s.skeletonSimilarity) : s.textSimilarity;
  const nameAddress = s.sameHome && agree && sim >= ADDRESS_NAME_SIMILARITY;
  const nameOnly = !s.sameBuilding && sim >= NAME_ONLY_SIMILARITY;
  const reasons: Reason[] = [];
  if (s.sameIdNumber) reasons.push("id_number");
  if (s.samePhone) reasons.push("phone");
  if (nameAddress) reasons.push("name_address");
  if (nameOnly) reasons.push("name");

  const hints = [
    s.samePhone ? (agree ? 0.5 + 0.4 * sim : 0.1 + 0.2 * sim) : 0,
    nameAddress ? 0.4 + 0.5 * sim : 0,
    nameOnly ? 0.2 + 0.4 * sim : 0,
  ];
  let other = 1 - hints.reduce((rest, p) => rest * (1 - p), 1);
  if (s.a.birthYear !== null && s.b.birthYear !== null) {
    const years = Math.abs(s.a.birthYear - s.b.birthYear);
    if (years > 10) other *= 0.3;
    else if (years > 2) other *= 0.6;
  }
  const score = 1 - (1 - (s.sameIdNumber ? 0.9 : 0)) * (1 - other);
  return { reasons, score: Math.round(score * 100) / 100 };
}
