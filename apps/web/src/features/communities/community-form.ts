import type { Boundary, Community, CommunityLevel } from "@kaveret/contracts";
import { displayPhone } from "./display.ts";

/** A key contact while typed (every field a string; empty ones are dropped). */
export interface KeyContactValues {
  name: string;
  role: string;
  phone: string;
  email: string;
}

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
  boundary: Boundary | null;
  notes: string;
  keyContacts: KeyContactValues[];
  statAreaCode: string;
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
    boundary: null,
    notes: "",
    keyContacts: [],
    statAreaCode: "",
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
    boundary: c.boundary,
    notes: c.notes,
    keyContacts: c.keyContacts.map((k) => ({
      name: k.name,
      role: k.role,
      phone: k.phone ? displayPhone(k.phone) : "",
      email: k.email ?? "",
    })),
    statAreaCode: c.statAreaCode ?? "",
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

/** Key contacts for the API: trimmed, empty optional fields left out, blank rows dropped. */
export function keyContactsOf(v: CommunityFormValues) {
  return v.keyContacts
    .filter((k) => k.name.trim() || k.role.trim() || k.phone.trim() || k.email.trim())
    .map((k) => ({
      name: k.name.trim(),
      role: k.role.trim(),
      ...(k.phone.trim() ? { phone: k.phone.trim() } : {}),
      ...(k.email.trim() ? { email: k.email.trim() } : {}),
    }));
}

/** Fields of the profile, shared by create and update. */
function profileOf(v: CommunityFormValues) {
  return {
    boundary: v.kind === "geographic" ? v.boundary : null,
    notes: v.notes.trim(),
    keyContacts: keyContactsOf(v),
    statAreaCode: v.statAreaCode.trim() || null,
  };
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
    ...profileOf(v),
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
    ...profileOf(v),
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
      if (path.startsWith("languages")) return "languages";
      if (path.startsWith("boundary")) return "boundary";
      return path;
  }
}
