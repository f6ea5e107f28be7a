import { randomUUID } from "node:crypto";
import type { z } from "zod";
import {
  BYDAY,
  createAssetBodySchema,
  createResidentBodySchema,
  FIGURE_PERIOD_PATTERN,
  figureValueProblem,
  type ConsentPurpose,
  type ImportRowErrorCode,
} from "@kaveret/contracts";
import { residentStoredFields, type FieldCipher } from "@kaveret/db";
import type { Actor } from "../../policy/actor.ts";
import { can, residentAccess } from "../../policy/policy.ts";
import type { CommunityIndex, Found, StreetIndex } from "./lookups.ts";
import { parseNumber, parseYear, restorePhone, splitList, WordIndex } from "./mapping.ts";
import { parseOpeningHours } from "./opening-hours.ts";
import {
  ASSET_TYPE_WORDS,
  COMMUNITY_ROLE_WORDS,
  CONSENT_WORDS,
  FLAG_WORDS,
  GENDER_WORDS,
  HOUSEHOLD_ROLE_WORDS,
  LANGUAGE_WORDS,
} from "./vocabulary.ts";
import { foldWord } from "./mapping.ts";

/**
 * One row of a file → the body a form would send → the contract's own schema
 * (so an import accepts exactly what the forms accept) → the row as it will be
 * inserted (sensitive fields already encrypted). Problems come back per field,
 * with a code — never with the cell's value.
 */

export type RowIssue = { field: string; code: ImportRowErrorCode };
export type Cells = (field: string) => string;
export type RowResult<T> = { data: T; issues: [] } | { data: null; issues: RowIssue[] };

const words = {
  gender: new WordIndex(GENDER_WORDS),
  languages: new WordIndex(LANGUAGE_WORDS),
  householdRole: new WordIndex(HOUSEHOLD_ROLE_WORDS),
  communityRoles: new WordIndex(COMMUNITY_ROLE_WORDS),
  consents: new WordIndex(CONSENT_WORDS),
  flags: new WordIndex(FLAG_WORDS),
  assetType: new WordIndex(ASSET_TYPE_WORDS),
};

class Issues {
  readonly list: RowIssue[] = [];
  add(field: string, code: ImportRowErrorCode) {
    if (!this.list.some((i) => i.field === field)) this.list.push({ field, code });
  }
  has(field: string) {
    return this.list.some((i) => i.field === field);
  }
}

/** A zod issue on a body path → the import field and a code. */
function addZodIssues(
  issues: Issues,
  error: z.ZodError,
  fieldOf: Record<string, string>,
  codeOf: Record<string, ImportRowErrorCode>,
) {
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "");
    const field = fieldOf[key] ?? key;
    if (issues.has(field)) continue;
    let code: ImportRowErrorCode = codeOf[field] ?? "invalid";
    if (!codeOf[field]) {
      if (issue.code === "too_big") code = "too_long";
      else if (issue.code === "too_small" || (issue.code === "invalid_type" && issue.input == null))
        code = "required";
    }
    issues.add(field, code);
  }
}

function reference(
  found: Found,
  issues: Issues,
  field: string,
  notFound: ImportRowErrorCode = "community_not_found",
): string | null {
  if (found === null) {
    issues.add(field, notFound);
    return null;
  }
  if (found === "ambiguous") {
    issues.add(field, notFound === "street_not_found" ? notFound : "community_ambiguous");
    return null;
  }
  return found.id;
}

function location(get: Cells, issues: Issues): { lat: number; lon: number } | null | undefined {
  const latText = get("lat");
  const lonText = get("lon");
  if (!latText && !lonText) return undefined;
  if (!latText || !lonText) {
    issues.add("lat", "location_incomplete");
    return null;
  }
  const lat = parseNumber(latText);
  const lon = parseNumber(lonText);
  if (lat === null) issues.add("lat", "invalid_number");
  if (lon === null) issues.add("lon", "invalid_number");
  return lat === null || lon === null ? null : { lat, lon };
}

function vocabulary<C extends string>(
  index: WordIndex<C>,
  cell: string,
  issues: Issues,
  field: string,
): C[] {
  const { codes, unknown } = index.list(cell);
  if (unknown) issues.add(field, "unknown_value");
  return codes;
}

/* ------------------------------------------------------------------ */
/* Residents                                                            */
/* ------------------------------------------------------------------ */

export type ResidentEnv = {
  departmentId: string;
  actor: Actor;
  cipher: FieldCipher;
  /** The town chosen for the file (streets are matched in it; the home community when none is given). */
  townId: string | null;
  streets: StreetIndex | null;
  communities: CommunityIndex;
  consentMethod: string;
  /** The file's household keys → the new households' ids (shared by the rows of one file). */
  households: Map<string, string>;
};

/** A resident as staged: the columns of `residents` (snake case), plus what goes into linked tables. */
export type StagedResident = {
  id: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  id_number_hash: string | null;
  [column: string]: unknown;
};

const RESIDENT_PATHS: Record<string, string> = {
  streetId: "street",
  location: "lat",
  homeCommunityId: "homeCommunity",
  communityIds: "communities",
  householdId: "household",
  newHouseholdLabel: "household",
};
const RESIDENT_CODES: Record<string, ImportRowErrorCode> = {
  phone: "invalid_phone",
  idNumber: "invalid_id_number",
  email: "invalid_email",
  birthYear: "invalid_year",
};

export function residentRow(get: Cells, env: ResidentEnv): RowResult<StagedResident> {
  const issues = new Issues();
  const body: Record<string, unknown> = {};
  const setText = (field: string) => {
    const v = get(field);
    if (v !== "") body[field] = v;
  };
  for (const f of ["firstName", "lastName", "otherNames", "addressNote", "healthNotes", "notes"])
    setText(f);
  for (const f of ["houseNumber", "apartment", "idNumber"]) setText(f);
  const phone = get("phone");
  if (phone) body.phone = restorePhone(phone);
  const email = get("email");
  if (email) body.email = email.toLowerCase();
  const year = get("birthYear");
  if (year) {
    const y = parseYear(year);
    if (y === null) issues.add("birthYear", "invalid_year");
    else body.birthYear = y;
  }
  const gender = get("gender");
  if (gender) {
    const g = words.gender.get(gender);
    if (!g) issues.add("gender", "unknown_value");
    else body.gender = g;
  }
  const street = get("street");
  if (street && env.streets) {
    const found = env.streets.find(street);
    if (!found || found === "ambiguous") issues.add("street", "street_not_found");
    else {
      body.streetId = found.id;
      if (found.houseNumber && body.houseNumber === undefined) body.houseNumber = found.houseNumber;
    }
  }
  const point = location(get, issues);
  if (point) body.location = point;
  const home = get("homeCommunity");
  if (home) {
    const id = reference(env.communities.byName(home), issues, "homeCommunity");
    if (id) body.homeCommunityId = id;
  }
  const others = get("communities");
  if (others) {
    const ids: string[] = [];
    for (const name of splitList(others)) {
      const id = reference(env.communities.byName(name), issues, "communities");
      if (id && !ids.includes(id)) ids.push(id);
    }
    body.communityIds = ids;
  }
  const languages = get("languages");
  if (languages) body.languages = vocabulary(words.languages, languages, issues, "languages");
  const role = get("householdRole");
  if (role) {
    const r = words.householdRole.get(role);
    if (!r) issues.add("householdRole", "unknown_value");
    else body.householdRole = r;
  }
  const roles = get("communityRoles");
  if (roles)
    body.communityRoles = vocabulary(words.communityRoles, roles, issues, "communityRoles");
  const skills = get("skills");
  if (skills) body.skills = [...new Set(splitList(skills))];
  const flags = get("flags");
  if (flags) body.flags = vocabulary(words.flags, flags, issues, "flags");
  const consents = get("consents");
  if (consents) {
    body.consents = vocabulary(words.consents, consents, issues, "consents").map((purpose) => ({
      purpose,
      granted: true,
      method: env.consentMethod,
    }));
  }

  const parsed = createResidentBodySchema.safeParse(body);
  if (!parsed.success) addZodIssues(issues, parsed.error, RESIDENT_PATHS, RESIDENT_CODES);
  if (!parsed.success || issues.list.length) return { data: null, issues: issues.list };
  const b = parsed.data;

  const homeCommunityId =
    b.homeCommunityId ?? (b.location ? env.communities.containing(b.location) : null) ?? env.townId;
  const memberships = [
    ...new Set([...(homeCommunityId ? [homeCommunityId] : []), ...b.communityIds]),
  ];
  const purposes = [...new Set(b.consents.map((c) => c.purpose))].sort() as ConsentPurpose[];
  // The same rule as the form: the importer must have full access to the record as it will be.
  const access = residentAccess(env.actor, {
    departmentId: env.departmentId,
    communityChains: memberships.map((id) => env.communities.chain(id)),
    caseworkerIds: [],
    consents: purposes,
  });
  if (access !== "full") {
    return {
      data: null,
      issues: [
        {
          field: b.homeCommunityId || !b.communityIds.length ? "homeCommunity" : "communities",
          code: "community_out_of_scope",
        },
      ],
    };
  }

  const householdKey = get("household");
  let householdId: string | null = null;
  if (householdKey) {
    const key = foldWord(householdKey) || householdKey;
    householdId = env.households.get(key) ?? randomUUID();
    env.households.set(key, householdId);
  }
  const stored = residentStoredFields(env.cipher, env.departmentId, {
    firstName: b.firstName,
    lastName: b.lastName,
    otherNames: b.otherNames,
    flags: b.flags,
    healthNotes: b.healthNotes,
    idNumber: b.idNumber,
  });
  return {
    issues: [],
    data: {
      id: randomUUID(),
      first_name: b.firstName,
      last_name: b.lastName,
      other_names: b.otherNames,
      search_text: stored.searchText ?? "",
      phone: b.phone,
      email: b.email,
      birth_year: b.birthYear,
      gender: b.gender,
      street_id: b.streetId,
      house_number: b.houseNumber,
      apartment: b.apartment,
      address_note: b.addressNote,
      lat: b.location?.lat ?? null,
      lon: b.location?.lon ?? null,
      home_community_id: homeCommunityId,
      languages: [...new Set(b.languages)],
      household_id: householdId,
      household_role: b.householdRole,
      community_roles: [...new Set(b.communityRoles)],
      skills: b.skills,
      consents: purposes,
      flags_enc: stored.flagsEnc ?? null,
      flag_tokens: stored.flagTokens ?? [],
      health_notes_enc: stored.healthNotesEnc ?? null,
      id_number_enc: stored.idNumberEnc ?? null,
      id_number_hash: stored.idNumberHash ?? null,
      notes: b.notes,
      // Linked tables.
      x_communities: memberships,
      x_household_label: householdKey ? householdKey.slice(0, 120) : null,
    },
  };
}

/* ------------------------------------------------------------------ */
/* Assets                                                               */
/* ------------------------------------------------------------------ */

export type AssetEnv = {
  departmentId: string;
  actor: Actor;
  streets: StreetIndex | null;
  communities: CommunityIndex;
  /** Existing organizations by folded name. */
  organizations: Map<string, string>;
  /** Organizations the file names that do not exist yet: folded name → new id and name. */
  newOrganizations: Map<string, { id: string; name: string }>;
};

export type StagedAsset = {
  id: string;
  name: string;
  asset_type: string;
  [column: string]: unknown;
};

const ASSET_PATHS: Record<string, string> = {
  organizationId: "organization",
  newOrganization: "organization",
  streetId: "street",
  communityId: "community",
  location: "lat",
};
const ASSET_CODES: Record<string, ImportRowErrorCode> = {
  phone: "invalid_phone",
  email: "invalid_email",
  website: "invalid_url",
  capacity: "invalid_number",
  openingHours: "invalid_opening_hours",
};

export function assetRow(get: Cells, env: AssetEnv): RowResult<StagedAsset> {
  const issues = new Issues();
  const body: Record<string, unknown> = {};
  for (const f of ["name", "description", "houseNumber", "address", "accessibility", "website"]) {
    const v = get(f);
    if (v !== "") body[f] = v;
  }
  const type = get("type");
  if (type) {
    const t = words.assetType.get(type);
    if (!t) issues.add("type", "unknown_value");
    else body.type = t;
  }
  const org = get("organization");
  let newOrganization: { id: string; name: string } | null = null;
  if (org) {
    const key = foldWord(org);
    const existing = env.organizations.get(key);
    if (existing) body.organizationId = existing;
    else {
      body.newOrganization = { name: org };
      newOrganization = env.newOrganizations.get(key) ?? { id: randomUUID(), name: org };
    }
  }
  const street = get("street");
  if (street && env.streets) {
    const found = env.streets.find(street);
    if (!found || found === "ambiguous") issues.add("street", "street_not_found");
    else {
      body.streetId = found.id;
      if (found.houseNumber && body.houseNumber === undefined) body.houseNumber = found.houseNumber;
    }
  }
  const community = get("community");
  if (community) {
    const id = reference(env.communities.byName(community), issues, "community");
    if (id) body.communityId = id;
  }
  const point = location(get, issues);
  if (point) body.location = point;
  const capacity = get("capacity");
  if (capacity) {
    const n = parseNumber(capacity);
    if (n === null) issues.add("capacity", "invalid_number");
    else body.capacity = n;
  }
  const phone = get("phone");
  if (phone) body.phone = restorePhone(phone);
  const email = get("email");
  if (email) body.email = email.toLowerCase();
  const languages = get("languages");
  if (languages) body.languages = vocabulary(words.languages, languages, issues, "languages");
  const hours = get("openingHours");
  if (hours) {
    const rows = parseOpeningHours(hours);
    if (!rows) issues.add("openingHours", "invalid_opening_hours");
    else body.openingHours = rows;
  }

  const parsed = createAssetBodySchema.safeParse(body);
  if (!parsed.success) addZodIssues(issues, parsed.error, ASSET_PATHS, ASSET_CODES);
  if (!parsed.success || issues.list.length) return { data: null, issues: issues.list };
  const b = parsed.data;
  const chain = b.communityId ? env.communities.chain(b.communityId) : [];
  if (!can(env.actor, { type: "asset.write", target: { departmentId: env.departmentId, chain } })) {
    return { data: null, issues: [{ field: "community", code: "community_out_of_scope" }] };
  }
  if (newOrganization) env.newOrganizations.set(foldWord(newOrganization.name), newOrganization);
  return {
    issues: [],
    data: {
      id: randomUUID(),
      organization_id: b.organizationId ?? newOrganization?.id ?? null,
      name: b.name,
      asset_type: b.type,
      description: b.description,
      street_id: b.streetId,
      house_number: b.houseNumber,
      address: b.address,
      community_id: b.communityId,
      lat: b.location?.lat ?? null,
      lon: b.location?.lon ?? null,
      capacity: b.capacity,
      accessibility: b.accessibility,
      phone: b.phone,
      email: b.email,
      website: b.website,
      languages: [...new Set(b.languages)],
      x_schedules: b.openingHours.map((h) => ({
        by_day: BYDAY[h.day],
        opens_at: h.opens,
        closes_at: h.closes,
        description: h.note,
      })),
      x_new_organization: newOrganization,
    },
  };
}

/* ------------------------------------------------------------------ */
/* Community figures                                                    */
/* ------------------------------------------------------------------ */

export type FiguresEnv = {
  departmentId: string;
  actor: Actor;
  communities: CommunityIndex;
  /** The indicator fields mapped to a column. */
  indicators: string[];
  /** The period of every row when the file has none. */
  period: string | null;
  /** community + period already seen in this file. */
  seen: Set<string>;
};

export type StagedFigures = {
  community_id: string;
  period: string;
  values: Record<string, number>;
};

export function figuresRow(get: Cells, env: FiguresEnv): RowResult<StagedFigures> {
  const issues = new Issues();
  const code = get("statAreaCode");
  const name = get("community");
  let communityId: string | null = null;
  const areaField = code ? "statAreaCode" : "community";
  if (code)
    communityId = reference(env.communities.byCode(code), issues, "statAreaCode", "area_not_found");
  else if (name)
    communityId = reference(env.communities.byName(name), issues, "community", "area_not_found");
  else issues.add(areaField, "required");
  const period = (get("period") || env.period || "").trim();
  if (!FIGURE_PERIOD_PATTERN.test(period)) issues.add("period", "invalid_period");
  const values: Record<string, number> = {};
  for (const indicator of env.indicators) {
    const cell = get(indicator);
    if (!cell) continue;
    const n = parseNumber(cell);
    if (n === null || figureValueProblem(indicator, n) !== null)
      issues.add(indicator, "invalid_number");
    else values[indicator] = n;
  }
  if (!issues.list.length && Object.keys(values).length === 0 && env.indicators[0]) {
    issues.add(env.indicators[0], "required");
  }
  if (issues.list.length || !communityId) return { data: null, issues: issues.list };
  const chain = env.communities.chain(communityId);
  if (
    !can(env.actor, { type: "figures.write", target: { departmentId: env.departmentId, chain } })
  ) {
    return { data: null, issues: [{ field: areaField, code: "community_out_of_scope" }] };
  }
  const key = `${communityId} ${period}`;
  if (env.seen.has(key))
    return { data: null, issues: [{ field: areaField, code: "duplicate_in_file" }] };
  env.seen.add(key);
  return { issues: [], data: { community_id: communityId, period, values } };
}
