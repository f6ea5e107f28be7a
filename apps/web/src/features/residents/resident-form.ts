import {
  CONSENT_PURPOSES,
  isPlausiblePhone,
  isValidIsraeliId,
  normalizePhone,
  type ConsentPurpose,
  type Resident,
} from "@kaveret/contracts";
import { formatPhone } from "./resident-labels.ts";

export type HouseholdMode = "none" | "existing" | "new";

/** What the resident form holds while someone types. */
export interface ResidentFormValues {
  firstName: string;
  lastName: string;
  otherNames: string;
  phone: string;
  email: string;
  birthYear: number | string;
  gender: string;
  languages: string[];
  /** Only narrows the street list; not sent. */
  townId: string | null;
  streetId: string | null;
  /** The chosen street's name, to show it before the street list loads. */
  streetName: string | null;
  houseNumber: string;
  apartment: string;
  addressNote: string;
  location: { lat: number; lon: number } | null;
  homeCommunityId: string | null;
  /** On edit, the home community is sent only when changed (else the server keeps or re-finds it). */
  homeCommunityTouched: boolean;
  communityIds: string[];
  householdMode: HouseholdMode;
  householdId: string | null;
  /** The chosen household's label (or a member's name), to show it. */
  householdLabel: string;
  newHouseholdLabel: string;
  householdRole: string;
  communityRoles: string[];
  skills: string[];
  flags: string[];
  healthNotes: string;
  /** On edit, health notes and ID number are sent only when changed (their values are not loaded). */
  healthNotesTouched: boolean;
  idNumber: string;
  idNumberTouched: boolean;
  notes: string;
  /** Social workers whose caseload holds the resident; on edit sent only when changed. */
  caseworkerIds: string[];
  caseworkersTouched: boolean;
  /** Consents given when the record is made (new records only). */
  consents: Record<ConsentPurpose, { granted: boolean; method: string }>;
}

export function emptyValues(): ResidentFormValues {
  const consents = {} as ResidentFormValues["consents"];
  for (const p of CONSENT_PURPOSES) consents[p] = { granted: false, method: "in_person" };
  return {
    firstName: "",
    lastName: "",
    otherNames: "",
    phone: "",
    email: "",
    birthYear: "",
    gender: "",
    languages: [],
    townId: null,
    streetId: null,
    streetName: null,
    houseNumber: "",
    apartment: "",
    addressNote: "",
    location: null,
    homeCommunityId: null,
    homeCommunityTouched: false,
    communityIds: [],
    householdMode: "none",
    householdId: null,
    householdLabel: "",
    newHouseholdLabel: "",
    householdRole: "",
    communityRoles: [],
    skills: [],
    flags: [],
    healthNotes: "",
    healthNotesTouched: false,
    idNumber: "",
    idNumberTouched: false,
    notes: "",
    caseworkerIds: [],
    caseworkersTouched: false,
    consents,
  };
}

/** The form's values for an existing record (sensitive values stay on the server). */
export function valuesFromResident(r: Resident): ResidentFormValues {
  const base = emptyValues();
  const homeId = r.homeCommunity?.id ?? null;
  return {
    ...base,
    firstName: r.firstName,
    lastName: r.lastName,
    otherNames: r.otherNames,
    phone: r.phone ? formatPhone(r.phone) : "",
    email: r.email ?? "",
    birthYear: r.birthYear ?? "",
    gender: r.gender ?? "",
    languages: [...r.languages],
    streetId: r.address.streetId,
    streetName: r.address.streetName,
    houseNumber: r.address.houseNumber ?? "",
    apartment: r.address.apartment ?? "",
    addressNote: r.address.note,
    location: r.location ? { lat: r.location.lat, lon: r.location.lon } : null,
    homeCommunityId: homeId,
    // The home membership comes with the address; the others were chosen (or imported).
    communityIds: r.communities
      .filter((c) => c.id !== homeId && c.source !== "address")
      .map((c) => c.id),
    householdMode: r.household ? "existing" : "none",
    householdId: r.household?.id ?? null,
    householdLabel: r.household?.label ?? "",
    householdRole: r.householdRole ?? "",
    communityRoles: [...r.communityRoles],
    skills: [...r.skills],
    flags: [...r.flags],
    notes: r.notes,
    caseworkerIds: r.caseworkers.map((c) => c.id),
  };
}

function trimOrNull(s: string): string | null {
  const v = s.trim();
  return v ? v : null;
}

function numberOrNull(v: number | string): number | null {
  if (v === "" || v === null) return null;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? n : NaN;
}

function householdOf(v: ResidentFormValues) {
  if (v.householdMode === "existing") {
    return { householdId: v.householdId, householdRole: v.householdRole || null };
  }
  if (v.householdMode === "new") {
    return {
      householdId: null,
      newHouseholdLabel: v.newHouseholdLabel.trim(),
      householdRole: v.householdRole || null,
    };
  }
  return { householdId: null, householdRole: null };
}

function commonBody(v: ResidentFormValues) {
  return {
    firstName: v.firstName.trim(),
    lastName: v.lastName.trim(),
    otherNames: v.otherNames.trim(),
    phone: trimOrNull(v.phone),
    email: trimOrNull(v.email),
    birthYear: numberOrNull(v.birthYear),
    gender: v.gender || null,
    streetId: v.streetId,
    houseNumber: trimOrNull(v.houseNumber),
    apartment: trimOrNull(v.apartment),
    addressNote: v.addressNote.trim(),
    location: v.location,
    communityIds: v.communityIds.filter((id) => id !== v.homeCommunityId),
    languages: v.languages,
    ...householdOf(v),
    communityRoles: v.communityRoles,
    skills: v.skills.map((s) => s.trim()).filter(Boolean),
    flags: v.flags,
    notes: v.notes.trim(),
  };
}

/** The body of POST /api/residents (validated afterwards with the contract's schema). */
export function toCreateBody(v: ResidentFormValues) {
  return {
    ...commonBody(v),
    homeCommunityId: v.homeCommunityId,
    healthNotes: trimOrNull(v.healthNotes),
    idNumber: trimOrNull(v.idNumber),
    caseworkerIds: v.caseworkerIds,
    consents: CONSENT_PURPOSES.filter((p) => v.consents[p].granted).map((p) => ({
      purpose: p,
      granted: true,
      method: v.consents[p].method,
      note: "",
    })),
  };
}

/** The body of PATCH /api/residents/:id: everything editable, sensitive fields only when changed. */
export function toUpdateBody(v: ResidentFormValues, version: number) {
  return {
    version,
    ...commonBody(v),
    ...(v.homeCommunityTouched ? { homeCommunityId: v.homeCommunityId } : {}),
    ...(v.healthNotesTouched ? { healthNotes: trimOrNull(v.healthNotes) } : {}),
    ...(v.idNumberTouched ? { idNumber: trimOrNull(v.idNumber) } : {}),
    ...(v.caseworkersTouched ? { caseworkerIds: v.caseworkerIds } : {}),
  };
}

/** Server and zod paths to the form's field names ("location.lat" → "location", "skills.2" → "skills"). */
export function formFieldOf(path: string): string {
  const [head = ""] = path.split(".");
  return head || "_form";
}

/** Error codes the server ties to one field. */
export const CODE_FIELDS: Record<string, string> = {
  "resident.invalid_id_number": "idNumber",
  "resident.invalid_phone": "phone",
  "resident.street_not_found": "streetId",
  "resident.household_not_found": "householdId",
  "resident.community_not_found": "homeCommunityId",
  "resident.community_out_of_scope": "homeCommunityId",
};

export interface DuplicateCheckInput {
  firstName: string;
  lastName: string;
  phone: string;
  idNumber: string;
  streetId: string | null;
  houseNumber: string;
  excludeId?: string;
}

/**
 * The body of POST /api/residents/check-duplicates, or null while the names are not
 * both typed. A phone or ID that is not valid yet is left out rather than refused.
 */
export function duplicateCheckOf(v: DuplicateCheckInput) {
  const firstName = v.firstName.trim().slice(0, 80);
  const lastName = v.lastName.trim().slice(0, 80);
  if (!firstName || !lastName) return null;
  const phone = v.phone.trim() ? normalizePhone(v.phone.trim()) : "";
  const id = v.idNumber.trim();
  return {
    firstName,
    lastName,
    phone: phone && isPlausiblePhone(phone) ? phone : null,
    idNumber: id && id.length <= 12 && isValidIsraeliId(id) ? id : null,
    streetId: v.streetId,
    houseNumber: trimOrNull(v.houseNumber.slice(0, 10)),
    ...(v.excludeId ? { excludeId: v.excludeId } : {}),
  };
}
