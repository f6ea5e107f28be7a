import type { RiskReason, VulnerabilityFlag } from "@kaveret/contracts";

/**
 * THE RISK RULE of the emergency call list: who is called first.
 *
 * A resident of the communities in scope is on the list when they have at least one of
 * the risk flags below, or are 75 or older by birth year. Their score is the sum of:
 *
 * | reason              | points | why                                                       |
 * |---------------------|-------:|-----------------------------------------------------------|
 * | lives_alone         |     30 | nobody at home notices if something is wrong             |
 * | age_85_plus         |     30 | by birth year (replaces age_75_plus)                      |
 * | age_75_plus         |     20 | flag or birth year                                        |
 * | disability          |     20 | may not reach a shelter or help unaided                   |
 * | mobility_limited    |     20 | same                                                      |
 * | chronic_illness     |     15 | medicine, power for devices                               |
 * | no_smartphone       |     15 | will not see the status-page link or app alerts            |
 * | needs_interpreter   |     10 | alerts may not be understood                              |
 * | holocaust_survivor  |     10 | trauma; often old and alone                               |
 * | single_parent       |      5 | one adult for several children                            |
 * | low_income          |      5 | fewer means to stock up or leave                          |
 *
 * plus 20 more for living alone together with age 75+, disability or limited mobility
 * (the combination the emergency-preparedness guides single out: nobody to help them move).
 *
 * Order: score, highest first; then older first (birth year, unknown last); then family
 * name, first name and id, so the order is stable. Ranks are 1, 2, 3… in that order.
 */
export const RISK_POINTS: Record<RiskReason, number> = {
  lives_alone: 30,
  age_85_plus: 30,
  age_75_plus: 20,
  disability: 20,
  mobility_limited: 20,
  chronic_illness: 15,
  no_smartphone: 15,
  needs_interpreter: 10,
  holocaust_survivor: 10,
  single_parent: 5,
  low_income: 5,
};

/** Extra points when someone living alone is also old, disabled or of limited mobility. */
export const ALONE_AND_FRAIL_BONUS = 20;

/** Flags that put a resident on the call list (everything the rule scores). */
export const RISK_FLAGS = [
  "lives_alone",
  "age_75_plus",
  "disability",
  "mobility_limited",
  "chronic_illness",
  "no_smartphone",
  "needs_interpreter",
  "holocaust_survivor",
  "single_parent",
  "low_income",
] as const satisfies readonly VulnerabilityFlag[];

export type Risk = { score: number; reasons: RiskReason[] };

/** The score and the reasons for one resident (no reasons: not on the list). */
export function riskOf(input: {
  flags: readonly string[];
  birthYear: number | null;
  /** The current year (passed in, so the rule is pure). */
  year: number;
}): Risk {
  const flags = new Set(input.flags);
  const age = input.birthYear !== null ? input.year - input.birthYear : null;
  const reasons: RiskReason[] = [];
  if (flags.has("lives_alone")) reasons.push("lives_alone");
  if (age !== null && age >= 85) reasons.push("age_85_plus");
  else if (flags.has("age_75_plus") || (age !== null && age >= 75)) reasons.push("age_75_plus");
  for (const f of [
    "disability",
    "mobility_limited",
    "chronic_illness",
    "no_smartphone",
    "needs_interpreter",
    "holocaust_survivor",
    "single_parent",
    "low_income",
  ] as const) {
    if (flags.has(f)) reasons.push(f);
  }
  let score = reasons.reduce((sum, r) => sum + RISK_POINTS[r], 0);
  const frail = reasons.some(
    (r) =>
      r === "age_85_plus" || r === "age_75_plus" || r === "disability" || r === "mobility_limited",
  );
  if (flags.has("lives_alone") && frail) score += ALONE_AND_FRAIL_BONUS;
  return { score, reasons };
}

export type Rankable = {
  id: string;
  score: number;
  birthYear: number | null;
  lastName: string;
  firstName: string;
};

// One collator for every comparison: localeCompare(…, "he") builds one per call (a town-wide
// list is half a million comparisons). Same order.
const hebrew = new Intl.Collator("he");

/** The call order (see the rule above): a comparator for Array.prototype.sort. */
export function compareRisk(a: Rankable, b: Rankable): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.birthYear !== b.birthYear) {
    if (a.birthYear === null) return 1;
    if (b.birthYear === null) return -1;
    return a.birthYear - b.birthYear;
  }
  return (
    hebrew.compare(a.lastName, b.lastName) ||
    hebrew.compare(a.firstName, b.firstName) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}
