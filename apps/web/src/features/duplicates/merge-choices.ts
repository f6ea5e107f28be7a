import { MERGEABLE_FIELDS, type MergeSide, type MergeableField } from "@kaveret/contracts";

export type Side = "survivor" | "merged";
export type Choices = Record<MergeableField, Side>;

const blank = (v: unknown) => v === null || v === undefined || v === "";

/** Whether a record holds something in this field (as the server decides it). */
export function hasValue(r: MergeSide, field: MergeableField): boolean {
  switch (field) {
    case "address":
      return [r.address.streetId, r.address.houseNumber, r.address.apartment, r.address.note].some(
        (v) => !blank(v),
      );
    case "location":
      return r.location !== null;
    case "householdId":
      return r.household !== null;
    case "healthNotes":
      return r.hasHealthNotes;
    case "idNumber":
      return r.hasIdNumber;
    default:
      return !blank(r[field]);
  }
}

/**
 * Whether both records hold the same value, so there is nothing to choose. Sensitive
 * values are not known here: ID numbers are the same when the server says so.
 */
export function sameValue(
  s: MergeSide,
  o: MergeSide,
  field: MergeableField,
  idNumbersMatch: boolean | null,
): boolean {
  if (!hasValue(s, field) && !hasValue(o, field)) return true;
  switch (field) {
    case "address":
      return (
        s.address.streetId === o.address.streetId &&
        s.address.houseNumber === o.address.houseNumber &&
        s.address.apartment === o.address.apartment &&
        s.address.note === o.address.note
      );
    case "location":
      return s.location?.lat === o.location?.lat && s.location?.lon === o.location?.lon;
    case "householdId":
      return s.household?.id === o.household?.id && s.householdRole === o.householdRole;
    case "healthNotes":
      return false;
    case "idNumber":
      return idNumbersMatch === true;
    default:
      return s[field] === o[field];
  }
}

/** The kept record's value, or the other's where the kept one is empty (as the server does). */
export function defaultChoices(s: MergeSide, o: MergeSide): Choices {
  const out = {} as Choices;
  for (const field of MERGEABLE_FIELDS) {
    out[field] = !hasValue(s, field) && hasValue(o, field) ? "merged" : "survivor";
  }
  return out;
}

const union = <T>(a: readonly T[], b: readonly T[]) => [...new Set([...a, ...b])];

/** What the merge unites without asking, and what the other record adds to each list. */
export function unitedLists(s: MergeSide, o: MergeSide) {
  const byId = <T extends { id: string }>(a: T[], b: T[]) => {
    const seen = new Set(a.map((x) => x.id));
    return [...a, ...b.filter((x) => !seen.has(x.id))];
  };
  const skillKeys = new Set(s.skills.map((k) => k.trim().toLocaleLowerCase()));
  return {
    languages: union(s.languages, o.languages),
    communityRoles: union(s.communityRoles, o.communityRoles),
    skills: [...s.skills, ...o.skills.filter((k) => !skillKeys.has(k.trim().toLocaleLowerCase()))],
    flags: union(s.flags, o.flags),
    communities: byId(s.communities, o.communities),
    caseworkers: byId(s.caseworkers, o.caseworkers),
    consentEvents: s.consentEventCount + o.consentEventCount,
  };
}

/** A likelihood in words (the score is a heuristic, not a probability to show). */
export function likelihood(score: number): "high" | "medium" | "low" {
  if (score >= 0.85) return "high";
  if (score >= 0.6) return "medium";
  return "low";
}
