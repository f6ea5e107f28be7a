import type { Community, CommunityLevel } from "@kaveret/contracts";

/** What the community form holds while someone types. */
export interface CommunityFormValues {
  kind: "geographic" | "functional";
  level: CommunityLevel | null;
  parentId: string | null;
  name: string;
  altHe: string;
  altAr: string;
  altEn: string;
  description: string;
  membershipCriteria: string;
  population: number | string;
  languages: string[];
}

export function emptyValues(): CommunityFormValues {
  return {
    kind: "geographic",
    level: "neighbourhood",
    parentId: null,
    name: "",
    altHe: "",
    altAr: "",
    altEn: "",
    description: "",
    membershipCriteria: "",
    population: "",
    languages: [],
  };
}

export function valuesFromCommunity(c: Community): CommunityFormValues {
  return {
    kind: c.kind,
    level: c.level,
    parentId: c.parentId,
    name: c.name,
    altHe: c.altNames.he ?? "",
    altAr: c.altNames.ar ?? "",
    altEn: c.altNames.en ?? "",
    description: c.description,
    membershipCriteria: c.membershipCriteria,
    population: c.population ?? "",
    languages: [...c.languages],
  };
}

function altNamesOf(v: CommunityFormValues): Record<string, string> {
  const out: Record<string, string> = {};
  if (v.altHe.trim()) out.he = v.altHe.trim();
  if (v.altAr.trim()) out.ar = v.altAr.trim();
  if (v.altEn.trim()) out.en = v.altEn.trim();
  return out;
}

function populationOf(v: CommunityFormValues): number | null {
  if (v.population === "" || v.population === null) return null;
  const n = typeof v.population === "number" ? v.population : Number(v.population);
  return Number.isFinite(n) ? n : null;
}

/** The body for POST /api/communities (validated afterwards with the contract's schema). */
export function toCreateBody(v: CommunityFormValues) {
  return {
    kind: v.kind,
    level: v.kind === "geographic" ? v.level : null,
    parentId: v.parentId,
    name: v.name.trim(),
    altNames: altNamesOf(v),
    description: v.description.trim(),
    membershipCriteria: v.kind === "functional" ? v.membershipCriteria.trim() : "",
    population: populationOf(v),
    languages: v.languages,
  };
}

/** The body for PATCH /api/communities/:id: everything editable, with the version edited. */
export function toUpdateBody(v: CommunityFormValues, version: number) {
  return {
    version,
    parentId: v.parentId,
    name: v.name.trim(),
    altNames: altNamesOf(v),
    description: v.description.trim(),
    membershipCriteria: v.kind === "functional" ? v.membershipCriteria.trim() : "",
    population: populationOf(v),
    languages: v.languages,
  };
}

/** Server and zod paths to the form's field names ("altNames.he" → "altHe"). */
export function formFieldOf(path: string): string {
  switch (path) {
    case "altNames.he":
      return "altHe";
    case "altNames.ar":
      return "altAr";
    case "altNames.en":
      return "altEn";
    default:
      return path.startsWith("languages") ? "languages" : path;
  }
}
