import { z } from "zod";
import { pageOf, paginationQuerySchema } from "./common.ts";
import { isPlausiblePhone, normalizePhone } from "./identity.ts";
import { geoPointSchema, residentLanguageSchema } from "./residents.ts";

/* ------------------------------------------------------------------ */
/* Community assets (SPEC §2), shaped after Open Referral HSDS 3.0:     */
/* an asset is an HSDS location (a place on the map) run by an          */
/* organization, offering services, open on weekly schedules.           */
/* Vocabularies are translated in the web app under assets.*.           */
/* ------------------------------------------------------------------ */

/**
 * Asset types: the terms of our own taxonomy (exported to HSDS as taxonomy_term).
 * Houses of worship are separate types so the map can tell them apart; the generic
 * `house_of_worship` covers any other (e.g. a Druze khilwa).
 */
export const ASSET_TYPES = [
  "school",
  "kindergarten",
  "clinic",
  "community_center",
  "synagogue",
  "mosque",
  "church",
  "house_of_worship",
  "shelter",
  "distribution_point",
  "welfare_office",
  "elderly_club",
  "day_center",
  "youth_club",
  "library",
  "sports_facility",
  "park",
  "public_space",
  "business",
  "ngo",
  "other",
] as const;
export const assetTypeSchema = z.enum(ASSET_TYPES);
export type AssetType = z.infer<typeof assetTypeSchema>;

/** Groups for legends and filters (a parent term in the exported taxonomy). */
export const ASSET_TYPE_GROUPS = {
  education: ["school", "kindergarten", "library"],
  health_welfare: ["clinic", "welfare_office", "day_center"],
  community: ["community_center", "elderly_club", "youth_club", "ngo"],
  worship: ["synagogue", "mosque", "church", "house_of_worship"],
  emergency: ["shelter", "distribution_point"],
  open_space: ["park", "public_space", "sports_facility"],
  other: ["business", "other"],
} as const satisfies Record<string, readonly AssetType[]>;
export type AssetTypeGroup = keyof typeof ASSET_TYPE_GROUPS;

/** Types whose live occupancy matters in an emergency (the occupancy endpoint and bar). */
export const OCCUPANCY_ASSET_TYPES = [
  "shelter",
  "distribution_point",
] as const satisfies readonly AssetType[];

export const ORGANIZATION_KINDS = [
  "municipal",
  "government",
  "ngo",
  "religious",
  "business",
  "community",
  "health",
  "education",
] as const;
export const organizationKindSchema = z.enum(ORGANIZATION_KINDS);
export type OrganizationKind = z.infer<typeof organizationKindSchema>;

export const SERVICE_CATEGORIES = [
  "food",
  "housing",
  "health",
  "mental_health",
  "education",
  "children_youth",
  "elderly",
  "disability",
  "employment",
  "welfare",
  "legal",
  "religious",
  "culture_leisure",
  "sports",
  "emergency",
  "transport",
  "volunteering",
  "other",
] as const;
export const serviceCategorySchema = z.enum(SERVICE_CATEGORIES);
export type ServiceCategory = z.infer<typeof serviceCategorySchema>;

/** HSDS service status ("temporarily closed" in HSDS is `temporarily_closed` here). */
export const SERVICE_STATUSES = ["active", "inactive", "defunct", "temporarily_closed"] as const;
export const serviceStatusSchema = z.enum(SERVICE_STATUSES);
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;

/** Days of the week, Sunday first (Israel); stored as RFC 5545 BYDAY (SU..SA). */
export const WEEKDAYS = ["su", "mo", "tu", "we", "th", "fr", "sa"] as const;
export const weekdaySchema = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof weekdaySchema>;

export const ASSET_LANGUAGES = residentLanguageSchema.options;

export const ASSET_ERROR_CODES = [
  "asset.organization_not_found",
  "asset.community_not_found",
  "asset.street_not_found",
  "asset.service_not_found",
  "asset.location_not_found",
  "asset.archived",
  "asset.organization_in_use",
] as const;

/* ------------------------------------------------------------------ */
/* Field schemas (limits live here once).                               */
/* ------------------------------------------------------------------ */

export const ASSET_LIMITS = {
  name: 160,
  description: 4000,
  accessibility: 1000,
  address: 300,
  capacity: 1_000_000,
  openingHours: 42,
  serviceIds: 50,
} as const;

const entityName = z.string().trim().min(2).max(ASSET_LIMITS.name);
const altNamesSchema = z
  .object({
    he: entityName.optional(),
    ar: entityName.optional(),
    en: entityName.optional(),
    ru: entityName.optional(),
  })
  .strict();

/**
 * A phone number: Israeli and international numbers are stored as E.164; short
 * service numbers (*2626, 106) and 1-800 numbers are kept as digits.
 */
export const assetPhoneSchema = z
  .string()
  .trim()
  .max(30)
  .transform((v) => {
    const e164 = normalizePhone(v);
    return isPlausiblePhone(e164) ? e164 : v.replace(/[\s\-().]/g, "");
  })
  .refine((v) => /^(\+[1-9]\d{7,14}|\*\d{2,6}|1[5789]00\d{6}|\d{3,6})$/.test(v), {
    message: "not a phone number",
  });

/** A web address; "www.example.org" is taken as https. */
export const websiteSchema = z
  .string()
  .trim()
  .max(300)
  .transform((v) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `https://${v}`))
  .pipe(z.url({ protocol: /^https?$/ }));

const emailSchema = z.email().max(200);
const count = z.number().int().min(0).max(ASSET_LIMITS.capacity);

/** "HH:MM", 00:00–23:59. */
export const timeOfDaySchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "expected HH:MM" });
/** A closing time may also be 24:00 (open until midnight). */
export const closingTimeSchema = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: "expected HH:MM" });

/** One weekly opening: a day with opening and closing times (opens before closes). */
export const openingHoursRowSchema = z
  .object({
    day: weekdaySchema,
    opens: timeOfDaySchema,
    closes: closingTimeSchema,
    /** e.g. "by appointment", "women only". */
    note: z.string().trim().max(120).default(""),
  })
  .strict()
  .refine((r) => r.opens < r.closes, {
    path: ["closes"],
    message: "must be after the opening time",
  });
export type OpeningHoursRow = z.infer<typeof openingHoursRowSchema>;

/** A week of opening hours; rows of one day must not overlap. */
export const openingHoursSchema = z
  .array(openingHoursRowSchema)
  .max(ASSET_LIMITS.openingHours)
  .superRefine((rows, ctx) => {
    rows.forEach((r, i) => {
      const clash = rows.findIndex(
        (o, j) => j < i && o.day === r.day && o.opens < r.closes && r.opens < o.closes,
      );
      if (clash >= 0) {
        ctx.addIssue({
          code: "custom",
          path: [i, "opens"],
          message: `overlaps row ${clash} of the same day`,
        });
      }
    });
  });

/** Creating an organization on the fly (from an asset or a service form, or an import). */
export const newOrganizationSchema = z
  .object({
    name: entityName,
    kind: organizationKindSchema.default("community"),
  })
  .strict();

/* ------------------------------------------------------------------ */
/* Assets (HSDS locations).                                             */
/* ------------------------------------------------------------------ */

const assetFields = {
  name: entityName,
  altNames: altNamesSchema.default({}),
  type: assetTypeSchema,
  description: z.string().trim().max(ASSET_LIMITS.description).default(""),
  /** The organization that runs the place; or `newOrganization` to create one. */
  organizationId: z.uuid().nullable().default(null),
  /** A street from the department's list (with a house number)… */
  streetId: z.uuid().nullable().default(null),
  houseNumber: z.string().trim().max(10).nullable().default(null),
  /** …or a free address line (or a note such as "entrance from the yard"). */
  address: z.string().trim().max(ASSET_LIMITS.address).default(""),
  /** The community the asset belongs to; null = department-wide. */
  communityId: z.uuid().nullable().default(null),
  location: geoPointSchema.nullable().default(null),
  capacity: count.nullable().default(null),
  occupancy: count.nullable().default(null),
  accessibility: z.string().trim().max(ASSET_LIMITS.accessibility).default(""),
  phone: assetPhoneSchema.nullable().default(null),
  email: emailSchema.nullable().default(null),
  website: websiteSchema.nullable().default(null),
  languages: z.array(residentLanguageSchema).max(ASSET_LANGUAGES.length).default([]),
  openingHours: openingHoursSchema.default([]),
  /** Services offered here (HSDS service_at_location). */
  serviceIds: z.array(z.uuid()).max(ASSET_LIMITS.serviceIds).default([]),
};

export const createAssetBodySchema = z
  .object({ ...assetFields, newOrganization: newOrganizationSchema.optional() })
  .strict()
  .superRefine((v, ctx) => {
    if (v.organizationId && v.newOrganization) {
      ctx.addIssue({
        code: "custom",
        path: ["newOrganization"],
        message: "give organizationId or newOrganization, not both",
      });
    }
  });
export type CreateAssetBody = z.infer<typeof createAssetBodySchema>;
/** What a form or an import row fills in, before defaults. */
export type CreateAssetInput = z.input<typeof createAssetBodySchema>;

export const updateAssetBodySchema = z
  .object({
    /** The version the edit was made on; a stale one is refused with version_conflict. */
    version: z.number().int().min(1),
    name: entityName.optional(),
    altNames: altNamesSchema.optional(),
    type: assetTypeSchema.optional(),
    description: z.string().trim().max(ASSET_LIMITS.description).optional(),
    organizationId: z.uuid().nullable().optional(),
    newOrganization: newOrganizationSchema.optional(),
    streetId: z.uuid().nullable().optional(),
    houseNumber: z.string().trim().max(10).nullable().optional(),
    address: z.string().trim().max(ASSET_LIMITS.address).optional(),
    communityId: z.uuid().nullable().optional(),
    location: geoPointSchema.nullable().optional(),
    capacity: count.nullable().optional(),
    occupancy: count.nullable().optional(),
    accessibility: z.string().trim().max(ASSET_LIMITS.accessibility).optional(),
    phone: assetPhoneSchema.nullable().optional(),
    email: emailSchema.nullable().optional(),
    website: websiteSchema.nullable().optional(),
    languages: z.array(residentLanguageSchema).max(ASSET_LANGUAGES.length).optional(),
    /** Replaces the whole week. */
    openingHours: openingHoursSchema.optional(),
    /** Replaces the services offered here. */
    serviceIds: z.array(z.uuid()).max(ASSET_LIMITS.serviceIds).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.organizationId && v.newOrganization) {
      ctx.addIssue({
        code: "custom",
        path: ["newOrganization"],
        message: "give organizationId or newOrganization, not both",
      });
    }
  });
export type UpdateAssetBody = z.infer<typeof updateAssetBodySchema>;

/** Live occupancy of a shelter or distribution point (emergency mode relies on it). */
export const assetOccupancyBodySchema = z
  .object({ occupancy: count, version: z.number().int().min(1) })
  .strict();
export type AssetOccupancyBody = z.infer<typeof assetOccupancyBodySchema>;

export const assetVersionBodySchema = z.object({ version: z.number().int().min(1) }).strict();

const refSchema = z.object({ id: z.uuid(), name: z.string() });

export const assetAddressSchema = z.object({
  streetId: z.uuid().nullable(),
  streetName: z.string().nullable(),
  houseNumber: z.string().nullable(),
  /** The free line (or a note next to the street). */
  text: z.string(),
  /** One line to show: "Herzl 12, entrance from the yard". */
  display: z.string(),
});
export type AssetAddress = z.infer<typeof assetAddressSchema>;

export const openingHoursItemSchema = z.object({
  day: weekdaySchema,
  opens: z.string(),
  closes: z.string(),
  note: z.string(),
});
export type OpeningHoursItem = z.infer<typeof openingHoursItemSchema>;

export const assetServiceRefSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  category: serviceCategorySchema,
  status: serviceStatusSchema,
});

export const assetListItemSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  altNames: z.record(z.string(), z.string()),
  type: assetTypeSchema,
  organization: refSchema.nullable(),
  address: assetAddressSchema,
  community: refSchema.nullable(),
  location: geoPointSchema.nullable(),
  capacity: z.number().int().nullable(),
  occupancy: z.number().int().nullable(),
  phone: z.string().nullable(),
  openingHours: z.array(openingHoursItemSchema),
  serviceCount: z.number().int(),
  archived: z.boolean(),
  /** Whether the reader may edit, archive or update occupancy. */
  canEdit: z.boolean(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type AssetListItem = z.infer<typeof assetListItemSchema>;
export const assetPageSchema = pageOf(assetListItemSchema);
export type AssetPage = z.infer<typeof assetPageSchema>;

export const assetSchema = assetListItemSchema.extend({
  description: z.string(),
  accessibility: z.string(),
  email: z.string().nullable(),
  website: z.string().nullable(),
  languages: z.array(z.string()),
  services: z.array(assetServiceRefSchema),
  createdAt: z.string(),
});
export type Asset = z.infer<typeof assetSchema>;

const csvList = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .max(500)
    .transform((v) => v.split(",").filter(Boolean))
    .pipe(z.array(item).max(ASSET_TYPES.length));

export const listAssetsQuerySchema = paginationQuerySchema.extend({
  /** Name, other names, address or street (partial, case-insensitive). */
  q: z.string().trim().max(100).optional(),
  /** Any of these types (comma separated). */
  type: csvList(assetTypeSchema).optional(),
  /** Assets of this community and every community inside it. */
  communityId: z.uuid().optional(),
  organizationId: z.uuid().optional(),
  serviceId: z.uuid().optional(),
  archived: z.enum(["active", "archived", "all"]).default("active"),
  sort: z.enum(["name", "type", "updated"]).default("name"),
});
export type ListAssetsQuery = z.infer<typeof listAssetsQuerySchema>;

/* ------------------------------------------------------------------ */
/* Organizations.                                                       */
/* ------------------------------------------------------------------ */

const organizationFields = {
  name: entityName,
  altNames: altNamesSchema.default({}),
  kind: organizationKindSchema.default("community"),
  description: z.string().trim().max(ASSET_LIMITS.description).default(""),
  phone: assetPhoneSchema.nullable().default(null),
  email: emailSchema.nullable().default(null),
  website: websiteSchema.nullable().default(null),
};

export const createOrganizationBodySchema = z.object(organizationFields).strict();
export type CreateOrganizationBody = z.infer<typeof createOrganizationBodySchema>;

export const updateOrganizationBodySchema = z
  .object({
    version: z.number().int().min(1),
    name: entityName.optional(),
    altNames: altNamesSchema.optional(),
    kind: organizationKindSchema.optional(),
    description: z.string().trim().max(ASSET_LIMITS.description).optional(),
    phone: assetPhoneSchema.nullable().optional(),
    email: emailSchema.nullable().optional(),
    website: websiteSchema.nullable().optional(),
  })
  .strict();
export type UpdateOrganizationBody = z.infer<typeof updateOrganizationBodySchema>;

export const organizationSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  altNames: z.record(z.string(), z.string()),
  kind: organizationKindSchema,
  description: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  website: z.string().nullable(),
  /** Active assets and services it runs. */
  assetCount: z.number().int(),
  serviceCount: z.number().int(),
  archived: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Organization = z.infer<typeof organizationSchema>;
export const organizationPageSchema = pageOf(organizationSchema);

export const listOrganizationsQuerySchema = paginationQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  kind: organizationKindSchema.optional(),
  archived: z.enum(["active", "archived", "all"]).default("active"),
});
export type ListOrganizationsQuery = z.infer<typeof listOrganizationsQuerySchema>;

/* ------------------------------------------------------------------ */
/* Services (HSDS service; offered at assets through service_at_location). */
/* ------------------------------------------------------------------ */

const serviceFields = {
  name: entityName,
  altNames: altNamesSchema.default({}),
  description: z.string().trim().max(ASSET_LIMITS.description).default(""),
  category: serviceCategorySchema.default("other"),
  status: serviceStatusSchema.default("active"),
  organizationId: z.uuid().nullable().default(null),
  phone: assetPhoneSchema.nullable().default(null),
  email: emailSchema.nullable().default(null),
  url: websiteSchema.nullable().default(null),
  languages: z.array(residentLanguageSchema).max(ASSET_LANGUAGES.length).default([]),
  /** Who may use it ("residents over 65", "families with children"). */
  eligibility: z.string().trim().max(2000).default(""),
  fees: z.string().trim().max(1000).default(""),
  /** The service's own hours, when they differ from the places'. */
  openingHours: openingHoursSchema.default([]),
  /** Assets where it is offered (HSDS service_at_location). */
  locationIds: z.array(z.uuid()).max(200).default([]),
};

export const createServiceBodySchema = z
  .object({ ...serviceFields, newOrganization: newOrganizationSchema.optional() })
  .strict()
  .superRefine((v, ctx) => {
    if (v.organizationId && v.newOrganization) {
      ctx.addIssue({
        code: "custom",
        path: ["newOrganization"],
        message: "give organizationId or newOrganization, not both",
      });
    }
  });
export type CreateServiceBody = z.infer<typeof createServiceBodySchema>;

export const updateServiceBodySchema = z
  .object({
    version: z.number().int().min(1),
    name: entityName.optional(),
    altNames: altNamesSchema.optional(),
    description: z.string().trim().max(ASSET_LIMITS.description).optional(),
    category: serviceCategorySchema.optional(),
    status: serviceStatusSchema.optional(),
    organizationId: z.uuid().nullable().optional(),
    phone: assetPhoneSchema.nullable().optional(),
    email: emailSchema.nullable().optional(),
    url: websiteSchema.nullable().optional(),
    languages: z.array(residentLanguageSchema).max(ASSET_LANGUAGES.length).optional(),
    eligibility: z.string().trim().max(2000).optional(),
    fees: z.string().trim().max(1000).optional(),
    openingHours: openingHoursSchema.optional(),
    locationIds: z.array(z.uuid()).max(200).optional(),
  })
  .strict();
export type UpdateServiceBody = z.infer<typeof updateServiceBodySchema>;

export const serviceSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  altNames: z.record(z.string(), z.string()),
  description: z.string(),
  category: serviceCategorySchema,
  status: serviceStatusSchema,
  organization: refSchema.nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  url: z.string().nullable(),
  languages: z.array(z.string()),
  eligibility: z.string(),
  fees: z.string(),
  openingHours: z.array(openingHoursItemSchema),
  locations: z.array(z.object({ id: z.uuid(), name: z.string(), type: assetTypeSchema })),
  archived: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Service = z.infer<typeof serviceSchema>;
export const servicePageSchema = pageOf(serviceSchema);

export const listServicesQuerySchema = paginationQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  category: serviceCategorySchema.optional(),
  organizationId: z.uuid().optional(),
  /** Services offered at this asset. */
  locationId: z.uuid().optional(),
  archived: z.enum(["active", "archived", "all"]).default("active"),
});
export type ListServicesQuery = z.infer<typeof listServicesQuerySchema>;

/* ------------------------------------------------------------------ */
/* HSDS 3.0 export: GET /api/assets/hsds/services.json (compiled        */
/* services, the shape of HSDS service_with_definitions) and            */
/* GET /api/assets/hsds.zip (the tabular CSVs + datapackage.json).       */
/* The JSON is validated against the HSDS schemas in tests; here it is  */
/* typed loosely (HSDS owns its shape).                                  */
/* ------------------------------------------------------------------ */

export const hsdsServicesSchema = z.array(
  z.looseObject({ id: z.uuid(), name: z.string(), status: z.string() }),
);
export type HsdsServices = z.infer<typeof hsdsServicesSchema>;

/** Our day codes ↔ RFC 5545 BYDAY as stored and exported. */
export const BYDAY: Record<Weekday, string> = {
  su: "SU",
  mo: "MO",
  tu: "TU",
  we: "WE",
  th: "TH",
  fr: "FR",
  sa: "SA",
};
