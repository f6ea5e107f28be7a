import { z } from "zod";
import { pageOf, paginationQuerySchema } from "./common.ts";
import { isPlausiblePhone, isValidIsraeliId, normalizePhone } from "./identity.ts";

/* ------------------------------------------------------------------ */
/* Vocabularies (translated in the web app under residents.*).         */
/* ------------------------------------------------------------------ */

/** Vulnerability flags (SPEC §2). Stored encrypted; filtered through a blind index. */
export const VULNERABILITY_FLAGS = [
  "lives_alone",
  "age_75_plus",
  "disability",
  "chronic_illness",
  "mobility_limited",
  "no_smartphone",
  "needs_interpreter",
  "single_parent",
  "low_income",
  "holocaust_survivor",
] as const;
export const vulnerabilityFlagSchema = z.enum(VULNERABILITY_FLAGS);
export type VulnerabilityFlag = z.infer<typeof vulnerabilityFlagSchema>;

/** What a resident may consent to. Withdrawal takes effect at once. */
export const CONSENT_PURPOSES = [
  "listed_to_activists",
  "contact_for_activities",
  "emergency_contact",
  "shared_with_partner",
] as const;
export const consentPurposeSchema = z.enum(CONSENT_PURPOSES);
export type ConsentPurpose = z.infer<typeof consentPurposeSchema>;

/** How a consent (or its withdrawal) was given. */
export const CONSENT_METHODS = [
  "in_person",
  "phone",
  "written_form",
  "online_self",
  "import",
] as const;
export const consentMethodSchema = z.enum(CONSENT_METHODS);

export const COMMUNITY_ROLES = ["leader", "activist", "volunteer"] as const;
export const communityRoleSchema = z.enum(COMMUNITY_ROLES);

export const HOUSEHOLD_ROLES = ["head", "partner", "child", "parent", "other"] as const;
export const householdRoleSchema = z.enum(HOUSEHOLD_ROLES);

export const GENDERS = ["female", "male", "other"] as const;
export const genderSchema = z.enum(GENDERS);

export const RESIDENT_LANGUAGES = [
  "he",
  "ar",
  "en",
  "ru",
  "am",
  "fr",
  "es",
  "ti",
  "other",
] as const;
export const residentLanguageSchema = z.enum(RESIDENT_LANGUAGES);

/** Sensitive fields: encrypted at rest, each read audited, shown only to full-access roles. */
export const SENSITIVE_RESIDENT_FIELDS = ["flags", "healthNotes", "idNumber"] as const;
export const revealableFieldSchema = z.enum(["healthNotes", "idNumber"]);

export const RESIDENT_ERROR_CODES = [
  "resident.invalid_id_number",
  "resident.invalid_phone",
  "resident.community_out_of_scope",
  "resident.street_not_found",
  "resident.household_not_found",
  "resident.community_not_found",
  "resident.merged",
  "resident.merge_same",
  "resident.purpose_required",
  "resident.archived",
] as const;

/* ------------------------------------------------------------------ */
/* Field schemas (limits live here once).                               */
/* ------------------------------------------------------------------ */

const personName = z.string().trim().min(1).max(80);
const phone = z
  .string()
  .trim()
  .max(30)
  .transform((v) => normalizePhone(v))
  .refine(isPlausiblePhone, { message: "not a phone number" });
const idNumber = z
  .string()
  .trim()
  .max(12)
  .refine(isValidIsraeliId, { message: "not a valid Israeli ID number (check digit)" });
export const geoPointSchema = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});
export type GeoPoint = z.infer<typeof geoPointSchema>;

export const consentInputSchema = z
  .object({
    purpose: consentPurposeSchema,
    granted: z.boolean(),
    method: consentMethodSchema,
    note: z.string().trim().max(500).default(""),
  })
  .strict();
export type ConsentInput = z.infer<typeof consentInputSchema>;

const residentFields = {
  firstName: personName,
  lastName: personName,
  otherNames: z.string().trim().max(200).default(""),
  phone: phone.nullable().default(null),
  email: z.email().max(200).nullable().default(null),
  birthYear: z.number().int().min(1900).max(2100).nullable().default(null),
  gender: genderSchema.nullable().default(null),
  streetId: z.uuid().nullable().default(null),
  houseNumber: z.string().trim().max(10).nullable().default(null),
  apartment: z.string().trim().max(10).nullable().default(null),
  addressNote: z.string().trim().max(300).default(""),
  location: geoPointSchema.nullable().default(null),
  /** Explicit home community; when null the server finds it from the location's point. */
  homeCommunityId: z.uuid().nullable().default(null),
  /** Further communities (functional ones, or a place they belong to beyond home). */
  communityIds: z.array(z.uuid()).max(50).default([]),
  languages: z.array(residentLanguageSchema).max(9).default([]),
  householdId: z.uuid().nullable().default(null),
  householdRole: householdRoleSchema.nullable().default(null),
  communityRoles: z.array(communityRoleSchema).max(3).default([]),
  skills: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
  flags: z.array(vulnerabilityFlagSchema).max(VULNERABILITY_FLAGS.length).default([]),
  healthNotes: z.string().trim().max(4000).nullable().default(null),
  idNumber: idNumber.nullable().default(null),
  notes: z.string().trim().max(4000).default(""),
};

export const createResidentBodySchema = z
  .object({
    ...residentFields,
    /** Create a new household for this resident (instead of householdId). */
    newHouseholdLabel: z.string().trim().min(1).max(120).optional(),
    /** Consents given when the record is made. */
    consents: z.array(consentInputSchema).max(CONSENT_PURPOSES.length).default([]),
    /** Social workers whose caseload the resident joins (user ids). */
    caseworkerIds: z.array(z.string().min(1).max(64)).max(10).default([]),
  })
  .strict();
export type CreateResidentBody = z.infer<typeof createResidentBodySchema>;

export const updateResidentBodySchema = z
  .object({
    version: z.number().int().min(1),
    firstName: personName.optional(),
    lastName: personName.optional(),
    otherNames: residentFields.otherNames.optional(),
    phone: phone.nullable().optional(),
    email: z.email().max(200).nullable().optional(),
    birthYear: z.number().int().min(1900).max(2100).nullable().optional(),
    gender: genderSchema.nullable().optional(),
    streetId: z.uuid().nullable().optional(),
    houseNumber: z.string().trim().max(10).nullable().optional(),
    apartment: z.string().trim().max(10).nullable().optional(),
    addressNote: z.string().trim().max(300).optional(),
    location: geoPointSchema.nullable().optional(),
    homeCommunityId: z.uuid().nullable().optional(),
    communityIds: z.array(z.uuid()).max(50).optional(),
    languages: z.array(residentLanguageSchema).max(9).optional(),
    householdId: z.uuid().nullable().optional(),
    newHouseholdLabel: z.string().trim().min(1).max(120).optional(),
    householdRole: householdRoleSchema.nullable().optional(),
    communityRoles: z.array(communityRoleSchema).max(3).optional(),
    skills: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
    flags: z.array(vulnerabilityFlagSchema).max(VULNERABILITY_FLAGS.length).optional(),
    healthNotes: z.string().trim().max(4000).nullable().optional(),
    idNumber: idNumber.nullable().optional(),
    notes: z.string().trim().max(4000).optional(),
    caseworkerIds: z.array(z.string().min(1).max(64)).max(10).optional(),
  })
  .strict();
export type UpdateResidentBody = z.infer<typeof updateResidentBodySchema>;

/* ------------------------------------------------------------------ */
/* Responses. Two levels of access, each with its own presenter:       */
/* "full" (manager; community worker in their communities; social      */
/* worker for their caseload) and "contact" (activists: name and       */
/* contact of residents who consented to be listed to activists).      */
/* ------------------------------------------------------------------ */

export const residentRefSchema = z.object({ id: z.uuid(), name: z.string() });

export const residentAddressSchema = z.object({
  streetId: z.uuid().nullable(),
  streetName: z.string().nullable(),
  houseNumber: z.string().nullable(),
  apartment: z.string().nullable(),
  note: z.string(),
});

export const residentListItemFullSchema = z.object({
  access: z.literal("full"),
  id: z.uuid(),
  firstName: z.string(),
  lastName: z.string(),
  otherNames: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  birthYear: z.number().int().nullable(),
  address: residentAddressSchema,
  homeCommunity: residentRefSchema.nullable(),
  languages: z.array(z.string()),
  communityRoles: z.array(communityRoleSchema),
  consents: z.array(consentPurposeSchema),
  /** Vulnerability flags (sensitive: the list read is audited). */
  flags: z.array(vulnerabilityFlagSchema),
  householdId: z.uuid().nullable(),
  hasLocation: z.boolean(),
  version: z.number().int(),
  updatedAt: z.string(),
});

export const residentContactSchema = z.object({
  access: z.literal("contact"),
  id: z.uuid(),
  firstName: z.string(),
  lastName: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
});
export type ResidentContact = z.infer<typeof residentContactSchema>;

export const residentListItemSchema = z.discriminatedUnion("access", [
  residentListItemFullSchema,
  residentContactSchema,
]);
export type ResidentListItem = z.infer<typeof residentListItemSchema>;
/**
 * Counting stops here: a larger result answers this total with `totalCapped: true`
 * ("1,000+"). Exact figures of a community come from its overview; a list's total only
 * has to say how far paging goes, and counting 10,000 rows of a million on every page
 * view cost more than the page (bench/results).
 */
export const RESIDENT_COUNT_CAP = 1_000;
export const residentPageSchema = pageOf(residentListItemSchema).extend({
  /** True when there are more matches than `total` (counting stopped at RESIDENT_COUNT_CAP). */
  totalCapped: z.boolean().optional(),
});

export const consentStateSchema = z.object({
  purpose: consentPurposeSchema,
  granted: z.boolean(),
  method: consentMethodSchema.nullable(),
  recordedAt: z.string().nullable(),
  recordedByName: z.string().nullable(),
});

export const residentSchema = residentListItemFullSchema.extend({
  gender: genderSchema.nullable(),
  location: geoPointSchema.nullable(),
  communities: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      kind: z.enum(["geographic", "functional"]),
      level: z.string().nullable(),
      source: z.string(),
    }),
  ),
  household: z
    .object({
      id: z.uuid(),
      label: z.string(),
      members: z.array(
        z.object({ id: z.uuid(), name: z.string(), role: householdRoleSchema.nullable() }),
      ),
    })
    .nullable(),
  householdRole: householdRoleSchema.nullable(),
  skills: z.array(z.string()),
  consentStates: z.array(consentStateSchema),
  caseworkers: z.array(z.object({ id: z.string(), name: z.string() })),
  notes: z.string(),
  /** Whether the revealable fields hold something (their values come from /reveal). */
  hasHealthNotes: z.boolean(),
  hasIdNumber: z.boolean(),
  hasAccount: z.boolean(),
  mergedFromCount: z.number().int(),
  createdAt: z.string(),
  /** Set while the record is archived (it is left out of lists; restore to edit it). */
  archivedAt: z.string().nullable().optional(),
});
export type Resident = z.infer<typeof residentSchema>;

/** GET /api/residents/:id answers one of these, depending on the reader's access. */
export const residentDetailSchema = z.discriminatedUnion("access", [
  residentSchema,
  residentContactSchema,
]);
export type ResidentDetail = z.infer<typeof residentDetailSchema>;

export const revealBodySchema = z
  .object({
    fields: z.array(revealableFieldSchema).min(1).max(2),
    /** Why the reader needs them; kept in the audit trail. */
    purpose: z.string().trim().min(3).max(300),
  })
  .strict();
export const revealResponseSchema = z.object({
  healthNotes: z.string().nullable().optional(),
  idNumber: z.string().nullable().optional(),
});

export const consentEventSchema = z.object({
  id: z.uuid(),
  purpose: consentPurposeSchema,
  granted: z.boolean(),
  method: consentMethodSchema,
  note: z.string(),
  recordedAt: z.string(),
  recordedByName: z.string().nullable(),
});
export const consentHistorySchema = z.object({ items: z.array(consentEventSchema) });

export const residentHistoryItemSchema = z.object({
  at: z.string(),
  action: z.string(),
  actorName: z.string().nullable(),
  fields: z.array(z.string()),
  purpose: z.string().nullable(),
});
export const residentHistorySchema = z.object({ items: z.array(residentHistoryItemSchema) });

/* ------------------------------------------------------------------ */
/* Finding people.                                                      */
/* ------------------------------------------------------------------ */

const csvList = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .max(500)
    .transform((v) => v.split(",").filter(Boolean))
    .pipe(z.array(item).max(20));

export const listResidentsQuerySchema = paginationQuerySchema.extend({
  /** Names in any script, partial and typo-tolerant; a phone number or e-mail also works. */
  q: z.string().trim().max(100).optional(),
  /** Residents of this community and every community inside it. */
  communityId: z.uuid().optional(),
  /** All of these flags (comma separated). */
  flags: csvList(vulnerabilityFlagSchema).optional(),
  /** Any of these community roles. */
  roles: csvList(communityRoleSchema).optional(),
  language: residentLanguageSchema.optional(),
  /** Consented to this purpose. */
  consent: consentPurposeSchema.optional(),
  streetId: z.uuid().optional(),
  householdId: z.uuid().optional(),
  hasLocation: z.enum(["yes", "no"]).optional(),
  /** Default: relevance when `q` is given, otherwise name. */
  sort: z.enum(["relevance", "name", "updated", "created"]).optional(),
});
export type ListResidentsQuery = z.infer<typeof listResidentsQuerySchema>;

export const SAVED_FILTER_ENTITIES = ["residents", "assets"] as const;
export const savedFilterSchema = z.object({
  id: z.uuid(),
  entity: z.enum(SAVED_FILTER_ENTITIES),
  name: z.string(),
  query: z.record(z.string(), z.string()),
  createdAt: z.string(),
});
export type SavedFilter = z.infer<typeof savedFilterSchema>;
export const createSavedFilterBodySchema = z
  .object({
    entity: z.enum(SAVED_FILTER_ENTITIES),
    name: z.string().trim().min(1).max(80),
    query: z
      .record(z.string().max(40), z.string().max(500))
      .refine((q) => Object.keys(q).length <= 20),
  })
  .strict();
export const savedFilterListSchema = z.object({ items: z.array(savedFilterSchema) });
export const listSavedFiltersQuerySchema = z.object({
  entity: z.enum(SAVED_FILTER_ENTITIES).optional(),
});

/** Body of archive / restore: the version the reader saw. */
export const residentVersionBodySchema = z.object({ version: z.number().int().min(1) }).strict();

/* ------------------------------------------------------------------ */
/* Duplicates and merge.                                                */
/* ------------------------------------------------------------------ */

export const DUPLICATE_REASONS = ["phone", "id_number", "name_address", "name"] as const;
export const duplicateCandidateSchema = z.object({
  resident: residentListItemFullSchema,
  reasons: z.array(z.enum(DUPLICATE_REASONS)),
  /** 0..1, higher is more likely the same person. */
  score: z.number(),
});
export const duplicateCandidatesSchema = z.object({ items: z.array(duplicateCandidateSchema) });

/** Before saving a new record: who might this already be? */
export const checkDuplicatesBodySchema = z
  .object({
    firstName: personName,
    lastName: personName,
    phone: phone.nullable().default(null),
    idNumber: idNumber.nullable().default(null),
    streetId: z.uuid().nullable().default(null),
    houseNumber: z.string().trim().max(10).nullable().default(null),
    /** Leave this record out (when editing). */
    excludeId: z.uuid().optional(),
  })
  .strict();

export const duplicatePairSchema = z.object({
  a: residentListItemFullSchema,
  b: residentListItemFullSchema,
  reasons: z.array(z.enum(DUPLICATE_REASONS)),
  score: z.number(),
});
export const duplicatePairPageSchema = pageOf(duplicatePairSchema);

export const MERGEABLE_FIELDS = [
  "firstName",
  "lastName",
  "otherNames",
  "phone",
  "email",
  "birthYear",
  "gender",
  "address",
  "location",
  "householdId",
  "healthNotes",
  "idNumber",
  "notes",
] as const;
export const mergeBodySchema = z
  .object({
    /** The record merged into this one (it disappears from lists; its history stays). */
    otherId: z.uuid(),
    version: z.number().int().min(1),
    otherVersion: z.number().int().min(1),
    /** For each field, which record's value to keep; unlisted fields keep this record's value
     * (or the other's where this one is empty). Lists (languages, roles, skills, flags,
     * communities, consents' history) are united. */
    choices: z.partialRecord(z.enum(MERGEABLE_FIELDS), z.enum(["survivor", "merged"])).default({}),
  })
  .strict();

export type MergeBody = z.infer<typeof mergeBodySchema>;
export type MergeableField = (typeof MERGEABLE_FIELDS)[number];
export type DuplicateCandidate = z.infer<typeof duplicateCandidateSchema>;
export type DuplicatePair = z.infer<typeof duplicatePairSchema>;

/** The department's queue of likely duplicate pairs (same phone, same ID number, similar names at one address). */
export const listDuplicatePairsQuerySchema = paginationQuerySchema;

/**
 * POST /api/residents/:id/merge answers the survivor's id and new version (and the
 * merged record's id); the client then loads the survivor (GET /api/residents/:id).
 */
export const mergeResultSchema = z.object({
  id: z.uuid(),
  version: z.number().int(),
  mergedId: z.uuid(),
  /** The resident_merges row that keeps both records as they were. */
  mergeId: z.uuid(),
});
export type MergeResult = z.infer<typeof mergeResultSchema>;

/** POST/DELETE /api/residents/:id/not-duplicate/:otherId: "not the same person" (and its undo). */
export const duplicateDismissalSchema = z.object({
  id: z.uuid(),
  otherId: z.uuid(),
  /** true: the pair is no longer proposed; false: proposed again (undo). */
  dismissed: z.boolean(),
});
export type DuplicateDismissal = z.infer<typeof duplicateDismissalSchema>;

/** One side of a merge, as the merge screen compares them (sensitive values only as "has one"). */
export const mergeSideSchema = z.object({
  id: z.uuid(),
  version: z.number().int(),
  firstName: z.string(),
  lastName: z.string(),
  otherNames: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  birthYear: z.number().int().nullable(),
  gender: genderSchema.nullable(),
  address: residentAddressSchema,
  homeCommunity: residentRefSchema.nullable(),
  location: geoPointSchema.nullable(),
  household: z.object({ id: z.uuid(), label: z.string() }).nullable(),
  householdRole: householdRoleSchema.nullable(),
  hasHealthNotes: z.boolean(),
  hasIdNumber: z.boolean(),
  notes: z.string(),
  languages: z.array(z.string()),
  communityRoles: z.array(communityRoleSchema),
  skills: z.array(z.string()),
  /** Vulnerability flags (sensitive: the read is audited). */
  flags: z.array(vulnerabilityFlagSchema),
  communities: z.array(z.object({ id: z.uuid(), name: z.string() })),
  caseworkers: z.array(z.object({ id: z.string(), name: z.string() })),
  /** Purposes currently consented to. */
  consents: z.array(consentPurposeSchema),
  /** Grants and withdrawals in the consent history (all move to the survivor). */
  consentEventCount: z.number().int(),
  hasAccount: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MergeSide = z.infer<typeof mergeSideSchema>;

/** GET /api/residents/:id/merge/:otherId — both records, before choosing. */
export const mergePreviewSchema = z.object({
  survivor: mergeSideSchema,
  other: mergeSideSchema,
  /** Both have an ID number: whether they are the same (compared through the blind index). */
  idNumbersMatch: z.boolean().nullable(),
  reasons: z.array(z.enum(DUPLICATE_REASONS)),
  score: z.number(),
});
export type MergePreview = z.infer<typeof mergePreviewSchema>;

/** GET /api/residents/:id/merges — records merged into this one. */
export const residentMergeSchema = z.object({
  id: z.uuid(),
  mergedId: z.uuid(),
  mergedName: z.string(),
  mergedAt: z.string(),
  mergedByName: z.string().nullable(),
  /** Fields whose value was taken from the merged record. */
  fieldsFromMerged: z.array(z.enum(MERGEABLE_FIELDS)),
});
export const residentMergeListSchema = z.object({ items: z.array(residentMergeSchema) });
export type ResidentMerge = z.infer<typeof residentMergeSchema>;

/* ------------------------------------------------------------------ */
/* Streets and households.                                              */
/* ------------------------------------------------------------------ */

export const streetSchema = z.object({
  id: z.uuid(),
  townId: z.uuid(),
  name: z.string(),
  altNames: z.record(z.string(), z.string()),
  hasGeometry: z.boolean(),
});
export type Street = z.infer<typeof streetSchema>;
export const streetListSchema = z.object({ items: z.array(streetSchema), total: z.number().int() });
export const listStreetsQuerySchema = z.object({
  townId: z.uuid().optional(),
  q: z.string().trim().max(60).optional(),
  limit: z.coerce.number().int().min(1).max(2000).default(50),
});
export const createStreetBodySchema = z
  .object({
    townId: z.uuid(),
    name: z.string().trim().min(2).max(80),
    altNames: z
      .object({
        he: z.string().trim().max(80).optional(),
        ar: z.string().trim().max(80).optional(),
        en: z.string().trim().max(80).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export const householdSchema = z.object({
  id: z.uuid(),
  label: z.string(),
  version: z.number().int(),
  members: z.array(residentListItemSchema),
});
export const updateHouseholdBodySchema = z
  .object({ version: z.number().int().min(1), label: z.string().trim().min(1).max(120) })
  .strict();
