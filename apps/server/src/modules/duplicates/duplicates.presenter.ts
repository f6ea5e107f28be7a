import {
  MERGEABLE_FIELDS,
  type ConsentPurpose,
  type DuplicateCandidate,
  type DuplicatePair,
  type MergeSide,
  type ResidentMerge,
  type VulnerabilityFlag,
} from "@kaveret/contracts";
import { presentResidentListItem } from "../residents/residents.presenter.ts";
import type { ResidentRow } from "./duplicates.repository.ts";

type Reason = DuplicateCandidate["reasons"][number];
type FullItem = DuplicateCandidate["resident"];

/** The list-row columns (as duplicates.repository selects them). */
type ListRow = {
  id: string;
  firstName: string;
  lastName: string;
  otherNames: string;
  phone: string | null;
  email: string | null;
  birthYear: number | null;
  streetId: string | null;
  houseNumber: string | null;
  apartment: string | null;
  addressNote: string;
  homeCommunityId: string | null;
  languages: string[];
  communityRoles: string[];
  consents: string[];
  householdId: string | null;
  lat: number | null;
  version: number;
  updatedAt: Date;
  streetName: string | null;
  homeCommunityName: string | null;
};

/** Every duplicate row is read with full access (the queries are limited to those). */
function fullItem(row: ListRow, flags: string[]): FullItem {
  const item = presentResidentListItem({ ...row, access: "full" }, flags as VulnerabilityFlag[]);
  if (item.access !== "full") throw new Error("duplicate rows are presented in full");
  return item;
}

type Scored = { reasons: Reason[]; score: number };

export function presentCandidate(row: ListRow, flags: string[], s: Scored): DuplicateCandidate {
  return { resident: fullItem(row, flags), reasons: s.reasons, score: s.score };
}

export function presentPair(
  a: { row: ListRow; flags: string[] },
  b: { row: ListRow; flags: string[] },
  s: Scored,
): DuplicatePair {
  return {
    a: fullItem(a.row, a.flags),
    b: fullItem(b.row, b.flags),
    reasons: s.reasons,
    score: s.score,
  };
}

/** Names and counts around the two records of a merge (looked up once for both). */
export type SideExtras = {
  streets: Map<string, string>;
  homes: Map<string, string>;
  households: Map<string, string>;
  communities: { residentId: string; communityId: string; name: string }[];
  caseworkers: { residentId: string; userId: string; name: string | null }[];
  consentCounts: Map<string, number>;
};

/** One side of the merge screen: sensitive values only as "has one". */
export function presentMergeSide(row: ResidentRow, flags: string[], x: SideExtras): MergeSide {
  return {
    id: row.id,
    version: row.version,
    firstName: row.firstName,
    lastName: row.lastName,
    otherNames: row.otherNames,
    phone: row.phone,
    email: row.email,
    birthYear: row.birthYear,
    gender: row.gender as MergeSide["gender"],
    address: {
      streetId: row.streetId,
      streetName: row.streetId ? (x.streets.get(row.streetId) ?? null) : null,
      houseNumber: row.houseNumber,
      apartment: row.apartment,
      note: row.addressNote,
    },
    homeCommunity:
      row.homeCommunityId && x.homes.has(row.homeCommunityId)
        ? { id: row.homeCommunityId, name: x.homes.get(row.homeCommunityId)! }
        : null,
    location: row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : null,
    household: row.householdId
      ? { id: row.householdId, label: x.households.get(row.householdId) ?? "" }
      : null,
    householdRole: row.householdRole as MergeSide["householdRole"],
    hasHealthNotes: row.healthNotesEnc !== null,
    hasIdNumber: row.idNumberHash !== null,
    notes: row.notes,
    languages: row.languages,
    communityRoles: row.communityRoles as MergeSide["communityRoles"],
    skills: row.skills,
    flags: flags as VulnerabilityFlag[],
    communities: x.communities
      .filter((c) => c.residentId === row.id)
      .map((c) => ({ id: c.communityId, name: c.name })),
    caseworkers: x.caseworkers
      .filter((c) => c.residentId === row.id)
      .map((c) => ({ id: c.userId, name: c.name ?? "" })),
    consents: row.consents as ConsentPurpose[],
    consentEventCount: x.consentCounts.get(row.id) ?? 0,
    hasAccount: row.userId !== null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentResidentMerge(m: {
  id: string;
  mergedId: string;
  mergedFirstName: string | null;
  mergedLastName: string | null;
  mergedAt: Date;
  mergedByName: string | null;
  choices: Record<string, "survivor" | "merged">;
}): ResidentMerge {
  return {
    id: m.id,
    mergedId: m.mergedId,
    mergedName: [m.mergedFirstName, m.mergedLastName].filter(Boolean).join(" "),
    mergedAt: m.mergedAt.toISOString(),
    mergedByName: m.mergedByName,
    fieldsFromMerged: MERGEABLE_FIELDS.filter((f) => m.choices[f] === "merged"),
  };
}
