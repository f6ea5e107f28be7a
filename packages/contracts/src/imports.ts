import { z } from "zod";
import { pageOf, paginationQuerySchema, STAFF_LOCALES } from "./common.ts";
import { listAssetsQuerySchema } from "./assets.ts";
import { FIGURE_INDICATORS, figurePeriodSchema } from "./community-profile.ts";
import { consentMethodSchema, listResidentsQuerySchema } from "./residents.ts";

/* ------------------------------------------------------------------ */
/* CSV/XLSX import: upload → column mapping → validation (rows staged  */
/* in their stored form) → commit in one transaction, all or nothing.  */
/* Export of what the reader may see. Strings: web imports.*.          */
/* ------------------------------------------------------------------ */

export const IMPORT_ENTITIES = ["residents", "assets", "community_figures"] as const;
export const importEntitySchema = z.enum(IMPORT_ENTITIES);
export type ImportEntity = z.infer<typeof importEntitySchema>;

export const IMPORT_STATUSES = [
  "uploaded",
  "validating",
  "validated",
  "importing",
  "done",
  "failed",
  "cancelled",
] as const;
export const importStatusSchema = z.enum(IMPORT_STATUSES);
export type ImportStatus = z.infer<typeof importStatusSchema>;
/** A job in one of these is over: its file and staged rows are erased. */
export const FINISHED_IMPORT_STATUSES = ["done", "failed", "cancelled"] as const;

export const IMPORT_FILE_TYPES = ["csv", "xlsx"] as const;
export type ImportFileType = (typeof IMPORT_FILE_TYPES)[number];

export const IMPORT_LIMITS = {
  /** Rows of the file shown (to the uploader only) before mapping. */
  previewRows: 10,
  maxColumns: 200,
  maxRows: 1_000_000,
  /** Row errors kept for the report (all are counted). */
  keptErrors: 1000,
  /** Row errors per page of GET /api/imports/:id. */
  errorsPageSize: 100,
  fileName: 200,
  headerLength: 120,
} as const;

/** Errors of the import endpoints (translated as errors.<code>). */
export const IMPORT_ERROR_CODES = [
  "import.empty_file",
  "import.unreadable_file",
  "import.unsupported_format",
  "import.no_header",
  "import.no_rows",
  "import.too_many_columns",
  "import.too_many_rows",
  "import.mapping_invalid",
  "import.town_required",
  "import.wrong_status",
  "import.has_row_errors",
  "import.nothing_to_import",
  "import.not_owner",
] as const;

/**
 * Problems found in one row of a file (translated as imports.rowCodes.<code>).
 * Reports carry the row number, the field and the code — never the cell's value.
 */
export const IMPORT_ROW_ERROR_CODES = [
  "required",
  "invalid",
  "too_long",
  "invalid_id_number",
  "invalid_phone",
  "invalid_email",
  "invalid_number",
  "invalid_year",
  "invalid_url",
  "unknown_value",
  "street_not_found",
  "community_not_found",
  "community_ambiguous",
  "community_out_of_scope",
  "area_not_found",
  "invalid_period",
  "invalid_opening_hours",
  "location_incomplete",
  "duplicate_in_file",
  "duplicate_existing",
] as const;
export const importRowErrorCodeSchema = z.enum(IMPORT_ROW_ERROR_CODES);
export type ImportRowErrorCode = z.infer<typeof importRowErrorCodeSchema>;
/** Row codes that skip the row (duplicates, when so chosen) rather than block the import. */
export const IMPORT_SKIP_CODES = ["duplicate_in_file", "duplicate_existing"] as const;

/* ------------------------------------------------------------------ */
/* Target fields of each entity (labels: imports.fields.<entity>.<key>). */
/* ------------------------------------------------------------------ */

export const IMPORT_FIELD_TYPES = [
  "text",
  "phone",
  "email",
  "id_number",
  "year",
  "number",
  "choice",
  "list",
  "reference",
  "hours",
  "period",
  "code",
] as const;
export type ImportFieldType = (typeof IMPORT_FIELD_TYPES)[number];

export type ImportFieldDef = {
  key: string;
  required: boolean;
  type: ImportFieldType;
  /** At least one field of the group must be mapped (e.g. area code or community name). */
  group?: string;
};

export const RESIDENT_IMPORT_FIELDS = [
  { key: "firstName", required: true, type: "text" },
  { key: "lastName", required: true, type: "text" },
  { key: "otherNames", required: false, type: "text" },
  { key: "phone", required: false, type: "phone" },
  { key: "email", required: false, type: "email" },
  { key: "idNumber", required: false, type: "id_number" },
  { key: "birthYear", required: false, type: "year" },
  { key: "gender", required: false, type: "choice" },
  { key: "street", required: false, type: "reference" },
  { key: "houseNumber", required: false, type: "text" },
  { key: "apartment", required: false, type: "text" },
  { key: "addressNote", required: false, type: "text" },
  { key: "lat", required: false, type: "number" },
  { key: "lon", required: false, type: "number" },
  { key: "homeCommunity", required: false, type: "reference" },
  { key: "communities", required: false, type: "list" },
  { key: "languages", required: false, type: "list" },
  { key: "household", required: false, type: "text" },
  { key: "householdRole", required: false, type: "choice" },
  { key: "communityRoles", required: false, type: "list" },
  { key: "skills", required: false, type: "list" },
  { key: "consents", required: false, type: "list" },
  { key: "flags", required: false, type: "list" },
  { key: "healthNotes", required: false, type: "text" },
  { key: "notes", required: false, type: "text" },
] as const satisfies readonly ImportFieldDef[];

export const ASSET_IMPORT_FIELDS = [
  { key: "name", required: true, type: "text" },
  { key: "type", required: true, type: "choice" },
  { key: "organization", required: false, type: "text" },
  { key: "description", required: false, type: "text" },
  { key: "street", required: false, type: "reference" },
  { key: "houseNumber", required: false, type: "text" },
  { key: "address", required: false, type: "text" },
  { key: "community", required: false, type: "reference" },
  { key: "lat", required: false, type: "number" },
  { key: "lon", required: false, type: "number" },
  { key: "capacity", required: false, type: "number" },
  { key: "accessibility", required: false, type: "text" },
  { key: "phone", required: false, type: "phone" },
  { key: "email", required: false, type: "email" },
  { key: "website", required: false, type: "text" },
  { key: "languages", required: false, type: "list" },
  { key: "openingHours", required: false, type: "hours" },
] as const satisfies readonly ImportFieldDef[];

export const FIGURES_IMPORT_FIELDS = [
  { key: "statAreaCode", required: false, type: "code", group: "area" },
  { key: "community", required: false, type: "reference", group: "area" },
  { key: "period", required: false, type: "period" },
  ...FIGURE_INDICATORS.map((key) => ({ key, required: false, type: "number" as const })),
] as const satisfies readonly ImportFieldDef[];

export const IMPORT_FIELDS: Record<ImportEntity, readonly ImportFieldDef[]> = {
  residents: RESIDENT_IMPORT_FIELDS,
  assets: ASSET_IMPORT_FIELDS,
  community_figures: FIGURES_IMPORT_FIELDS,
};

/* ------------------------------------------------------------------ */
/* Requests.                                                            */
/* ------------------------------------------------------------------ */

/** POST /api/imports?entity=…&fileName=… with the file itself as the body. */
export const uploadImportQuerySchema = z.object({
  entity: importEntitySchema,
  fileName: z.string().trim().min(1).max(IMPORT_LIMITS.fileName),
});

export const DUPLICATE_POLICIES = ["skip", "import"] as const;

export const importOptionsSchema = z
  .object({
    /** The town whose streets the file's street names are matched in. */
    townId: z.uuid().nullable().default(null),
    /** How the consents in the file were given (recorded in each consent's history). */
    consentMethod: consentMethodSchema.default("import"),
    /** Residents already in the department (same ID number, or same phone and name): skip them, or import anyway. */
    duplicates: z.enum(DUPLICATE_POLICIES).default("skip"),
    /** Import the valid rows and leave out rows with errors. */
    skipInvalid: z.boolean().default(false),
    /** Community figures: the period of every row when the file has no period column. */
    period: figurePeriodSchema.nullable().default(null),
    /** Community figures: where the numbers come from ("CBS 2022 census"). */
    source: z.string().trim().min(1).max(120).default("import"),
  })
  .strict();
export type ImportOptions = z.infer<typeof importOptionsSchema>;

/** Target field key → the file's column header. */
export const importMappingSchema = z
  .record(
    z.string().min(1).max(60),
    z
      .string()
      .min(1)
      .max(IMPORT_LIMITS.headerLength + 10),
  )
  .refine((m) => Object.keys(m).length <= 100, { message: "too many mapped fields" });
export type ImportMapping = z.infer<typeof importMappingSchema>;

export const validateImportBodySchema = z
  .object({
    mapping: importMappingSchema,
    options: importOptionsSchema.default(importOptionsSchema.parse({})),
  })
  .strict();
export type ValidateImportBody = z.infer<typeof validateImportBodySchema>;

export const commitImportBodySchema = z
  .object({
    /** Overrides the option given at validation. */
    skipInvalid: z.boolean().optional(),
  })
  .strict();
export type CommitImportBody = z.infer<typeof commitImportBodySchema>;

export const getImportQuerySchema = z.object({
  errorsPage: z.coerce.number().int().min(1).max(1000).default(1),
});

export const listImportsQuerySchema = paginationQuerySchema.extend({
  entity: importEntitySchema.optional(),
});

/* ------------------------------------------------------------------ */
/* Responses.                                                           */
/* ------------------------------------------------------------------ */

export const importFieldSchema = z.object({
  key: z.string(),
  required: z.boolean(),
  type: z.enum(IMPORT_FIELD_TYPES),
  group: z.string().optional(),
});
export type ImportField = z.infer<typeof importFieldSchema>;

export const importRowErrorSchema = z.object({
  /** The row's number in the file as a spreadsheet shows it (the header is row 1). */
  row: z.number().int(),
  field: z.string(),
  code: importRowErrorCodeSchema,
  /** English, for API users; never the cell's value. */
  message: z.string(),
});
export type ImportRowError = z.infer<typeof importRowErrorSchema>;

export const importErrorGroupSchema = z.object({
  field: z.string(),
  code: importRowErrorCodeSchema,
  count: z.number().int(),
  /** The first rows with this problem. */
  rows: z.array(z.number().int()),
});
export type ImportErrorGroup = z.infer<typeof importErrorGroupSchema>;

export const importResultSchema = z.object({
  created: z.number().int().optional(),
  updated: z.number().int().optional(),
  skipped: z.number().int().optional(),
  households: z.number().int().optional(),
  consents: z.number().int().optional(),
  organizations: z.number().int().optional(),
  schedules: z.number().int().optional(),
  figures: z.number().int().optional(),
  communities: z.number().int().optional(),
});
export type ImportResult = z.infer<typeof importResultSchema>;

const personRef = z.object({ id: z.string(), name: z.string() });

export const importListItemSchema = z.object({
  id: z.uuid(),
  entity: importEntitySchema,
  status: importStatusSchema,
  fileName: z.string(),
  fileType: z.enum(IMPORT_FILE_TYPES),
  totalRows: z.number().int(),
  validRows: z.number().int(),
  errorRows: z.number().int(),
  result: importResultSchema,
  createdBy: personRef,
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ImportListItem = z.infer<typeof importListItemSchema>;
export const importPageSchema = pageOf(importListItemSchema);
export type ImportPage = z.infer<typeof importPageSchema>;

export const importJobSchema = importListItemSchema.extend({
  headers: z.array(z.string()),
  mapping: z.record(z.string(), z.string()),
  /** The options of the last validation (defaults before one). */
  options: importOptionsSchema,
  processedRows: z.number().int(),
  /** Rows left out as duplicates (when so chosen). */
  skippedRows: z.number().int(),
  fields: z.array(importFieldSchema),
  suggestedMapping: z.record(z.string(), z.string()),
  /** The first rows of the file, as read — only for the person who uploaded it, until the import ends. */
  preview: z.array(z.array(z.string())).nullable(),
  /** Row problems grouped by field and code (from the kept errors). */
  errorGroups: z.array(importErrorGroupSchema),
  errors: pageOf(importRowErrorSchema),
  /** Why the job failed (a stable reason: interrupted, commit_failed, file_unreadable…). */
  failure: z.string().nullable(),
  /** Whether the reader may go on with this job (validate, commit, cancel). */
  canAct: z.boolean(),
  updatedAt: z.string(),
});
export type ImportJob = z.infer<typeof importJobSchema>;

/** GET /api/imports/limits: what the upload accepts (shown before choosing a file). */
export const importLimitsSchema = z.object({
  maxBytes: z.number().int(),
  maxRows: z.number().int(),
  maxColumns: z.number().int(),
});
export type ImportLimits = z.infer<typeof importLimitsSchema>;

export const importAcceptedSchema = z.object({ id: z.uuid(), status: importStatusSchema });

/* ------------------------------------------------------------------ */
/* Exports.                                                             */
/* ------------------------------------------------------------------ */

export const EXPORT_FORMATS = ["csv", "xlsx"] as const;
export const exportFormatSchema = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof exportFormatSchema>;

const exportCommon = {
  format: exportFormatSchema.default("csv"),
  /** Language of the header row and of the words in cells (else Accept-Language, else the user's). */
  lang: z.enum(STAFF_LOCALES).optional(),
};

/** GET /api/residents/export: the list's filters, plus what to include. */
export const exportResidentsQuerySchema = listResidentsQuerySchema
  .omit({ page: true, pageSize: true })
  .extend({
    ...exportCommon,
    /** ID number and health notes, for rows the reader sees in full; needs a purpose. */
    includeSensitive: z
      .enum(["true", "false"])
      .default("false")
      .transform((v) => v === "true"),
    purpose: z.string().trim().min(3).max(300).optional(),
  });
export type ExportResidentsQuery = z.infer<typeof exportResidentsQuerySchema>;

export const exportAssetsQuerySchema = listAssetsQuerySchema
  .omit({ page: true, pageSize: true })
  .extend(exportCommon);
export type ExportAssetsQuery = z.infer<typeof exportAssetsQuerySchema>;
