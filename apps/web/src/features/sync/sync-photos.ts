/*
 * Pure helpers for the photos of answers kept on the device: which photo ids an answer
 * still names, and an answer without some of its values (a refused photo left out).
 */

/** Every string an answer holds, at any depth (photo ids among them). */
export function answerStrings(answers: unknown, out = new Set<string>()): Set<string> {
  if (typeof answers === "string") out.add(answers);
  else if (Array.isArray(answers)) for (const v of answers) answerStrings(v, out);
  else if (answers && typeof answers === "object") {
    for (const v of Object.values(answers)) answerStrings(v, out);
  }
  return out;
}

/** The answers with every value equal to one of `values` removed (inside repeats too). */
export function withoutValues(
  answers: Record<string, unknown>,
  values: ReadonlySet<string>,
): Record<string, unknown> {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === "object") {
      return Object.fromEntries(
        Object.entries(v)
          .filter(([, x]) => !(typeof x === "string" && values.has(x)))
          .map(([k, x]) => [k, strip(x)]),
      );
    }
    return v;
  };
  return strip(answers) as Record<string, unknown>;
}
