import { z } from "zod";
import { publicDepartmentSchema } from "./names.ts";
import { localeSchema, pageOf, paginationQuerySchema } from "./common.ts";
import { isPlausiblePhone, normalizePhone } from "./identity.ts";

/* ------------------------------------------------------------------ */
/* Vocabularies (translated in the web app under needs.*).             */
/* ------------------------------------------------------------------ */

/** The category taxonomy every department starts with; each department edits labels and adds its own. */
export const DEFAULT_NEED_CATEGORIES = [
  "food",
  "housing",
  "loneliness",
  "health",
  "accessibility",
  "public_space",
  "cleanliness",
  "safety",
  "children_youth",
  "employment",
  "rights",
  "neighbours",
] as const;

/** A category code: the defaults above, or one a department added (lower-case slug). */
export const needCategoryCodeSchema = z
  .string()
  .trim()
  .min(2)
  .max(40)
  .regex(/^[a-z][a-z0-9_]*$/, { message: "lower-case letters, digits and _ only" });

export const NEED_URGENCIES = ["low", "normal", "high", "critical"] as const;
export const needUrgencySchema = z.enum(NEED_URGENCIES);
export type NeedUrgency = z.infer<typeof needUrgencySchema>;

/** new → triaged → in progress → resolved | referred | closed (SPEC §2). */
export const NEED_STATUSES = [
  "new",
  "triaged",
  "in_progress",
  "resolved",
  "referred",
  "closed",
] as const;
export const needStatusSchema = z.enum(NEED_STATUSES);
export type NeedStatus = z.infer<typeof needStatusSchema>;
export const OPEN_NEED_STATUSES = ["new", "triaged", "in_progress"] as const;

/** Which moves the workflow allows (a closed need can be reopened to triaged). */
export const NEED_TRANSITIONS: Record<NeedStatus, readonly NeedStatus[]> = {
  new: ["triaged", "in_progress", "resolved", "referred", "closed"],
  triaged: ["in_progress", "resolved", "referred", "closed"],
  in_progress: ["triaged", "resolved", "referred", "closed"],
  resolved: ["triaged", "in_progress"],
  referred: ["triaged", "in_progress", "closed"],
  closed: ["triaged"],
};

/** Where a need came from. */
export const NEED_CHANNELS = [
  "web",
  "widget",
  "phone",
  "face_to_face",
  "sms",
  "whatsapp",
  "survey",
  "partner_api",
] as const;
export const needChannelSchema = z.enum(NEED_CHANNELS);
export type NeedChannel = z.infer<typeof needChannelSchema>;
/** Channels staff enter by hand. */
export const STAFF_NEED_CHANNELS = ["phone", "face_to_face"] as const;

export const NEED_EVENT_KINDS = [
  "created",
  "status",
  "assigned",
  "category",
  "urgency",
  "community",
  "resident",
  "comment",
  "attachment",
  "merged",
  "merged_from",
  "edited",
] as const;
export type NeedEventKind = (typeof NEED_EVENT_KINDS)[number];

export const NEED_ERROR_CODES = [
  "need.invalid_transition",
  "need.category_unknown",
  "need.category_exists",
  "need.assignee_not_allowed",
  "need.community_not_found",
  "need.resident_not_found",
  "need.merged",
  "need.merge_same",
  "need.attachment_too_large",
  "need.attachment_type",
  "need.attachments_full",
  "need.spam",
  "need.intake_closed",
  "need.origin_not_allowed",
  "need.reason_required",
  "channel.bad_signature",
  "channel.malformed_payload",
  "channel.not_configured",
] as const;

/* ------------------------------------------------------------------ */
/* Limits (once, here).                                                 */
/* ------------------------------------------------------------------ */

export const NEED_LIMITS = {
  description: 2000,
  comment: 2000,
  attachmentBytes: 5 * 1024 * 1024,
  attachmentsPerNeed: 5,
  /** Image types a photo may have (anything else is refused: need.attachment_type). */
  attachmentTypes: ["image/jpeg", "image/png", "image/webp"] as const,
} as const;

const point = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});

const contactPhone = z
  .string()
  .trim()
  .max(30)
  .transform((v) => normalizePhone(v))
  .refine(isPlausiblePhone, { message: "not a phone number" });

const labels = z
  .object({
    he: z.string().trim().min(1).max(80),
    ar: z.string().trim().max(80).default(""),
    en: z.string().trim().max(80).default(""),
    ru: z.string().trim().max(80).default(""),
    am: z.string().trim().max(80).default(""),
  })
  .strict();
export type NeedCategoryLabels = z.infer<typeof labels>;

/* ------------------------------------------------------------------ */
/* Categories.                                                          */
/* ------------------------------------------------------------------ */

export const needCategorySchema = z.object({
  code: z.string(),
  labels: z.object({
    he: z.string(),
    ar: z.string(),
    en: z.string(),
    ru: z.string(),
    am: z.string(),
  }),
  active: z.boolean(),
  builtIn: z.boolean(),
  sortOrder: z.number().int(),
  openCount: z.number().int(),
});
export type NeedCategory = z.infer<typeof needCategorySchema>;
export const needCategoryListSchema = z.object({ items: z.array(needCategorySchema) });

export const createNeedCategoryBodySchema = z
  .object({
    code: needCategoryCodeSchema,
    labels,
    sortOrder: z.number().int().min(0).max(999).optional(),
  })
  .strict();
export const updateNeedCategoryBodySchema = z
  .object({
    labels: labels.optional(),
    active: z.boolean().optional(),
    sortOrder: z.number().int().min(0).max(999).optional(),
  })
  .strict();

/** Public list of categories for the report page (labels in every language). */
/** The message the embedded report page posts to the widget's loader with its height. */
export const WIDGET_HEIGHT_MESSAGE = "kaveret:report-height";

export const publicNeedCategoriesSchema = z.object({
  department: publicDepartmentSchema,
  categories: z.array(z.object({ code: z.string(), labels: needCategorySchema.shape.labels })),
  /**
   * Sites allowed to embed the report page (the widget), as origins: the embedded page
   * tells only these how tall it is. (The same list the page's CSP frame-ancestors names.)
   */
  embedOrigins: z.array(z.string()),
});

/* ------------------------------------------------------------------ */
/* Intake.                                                              */
/* ------------------------------------------------------------------ */

/** What a resident with no account sends from the public page or the widget (multipart text fields). */
export const publicNeedBodySchema = z
  .object({
    category: needCategoryCodeSchema.nullable().default(null),
    description: z.string().trim().min(5).max(NEED_LIMITS.description),
    location: point.nullable().default(null),
    addressText: z.string().trim().max(200).default(""),
    language: localeSchema.default("he"),
    /** Optional contact; kept only with consent to be contacted about this report. */
    contactName: z.string().trim().max(80).default(""),
    contactPhone: contactPhone.nullable().default(null),
    contactEmail: z.email().max(200).nullable().default(null),
    contactConsent: z.boolean().default(false),
    /** Honeypot: a field people never see. Anything in it marks the report as spam. */
    website: z.string().max(200).default(""),
    /** When the form was shown (ms since epoch): reports sent within 2 s are a spam signal. */
    startedAt: z.number().int().nonnegative().optional(),
  })
  .strict()
  .refine((b) => b.contactConsent || (!b.contactPhone && !b.contactEmail), {
    message: "contact details need consent to be contacted",
    path: ["contactConsent"],
  });
export type PublicNeedBody = z.infer<typeof publicNeedBodySchema>;

export const publicNeedReceiptSchema = z.object({
  reference: z.string(),
  receivedAt: z.string(),
});

/** Staff entry of a need heard by phone or face to face (or a survey/partner need made through the API). */
export const createNeedBodySchema = z
  .object({
    /** Made on the device for offline entry (exactly once); the server makes one when absent. */
    id: z.uuid().optional(),
    channel: z.enum(STAFF_NEED_CHANNELS),
    category: needCategoryCodeSchema.nullable().default(null),
    urgency: needUrgencySchema.default("normal"),
    description: z.string().trim().min(2).max(NEED_LIMITS.description),
    location: point.nullable().default(null),
    addressText: z.string().trim().max(200).default(""),
    communityId: z.uuid().nullable().default(null),
    residentId: z.uuid().nullable().default(null),
    assigneeId: z.string().min(1).max(64).nullable().default(null),
    language: localeSchema.default("he"),
    contactName: z.string().trim().max(80).default(""),
    contactPhone: contactPhone.nullable().default(null),
    contactConsent: z.boolean().default(false),
  })
  .strict();
export type CreateNeedBody = z.infer<typeof createNeedBodySchema>;

/** Edit of the triage fields; `version` detects a concurrent change. */
export const updateNeedBodySchema = z
  .object({
    version: z.number().int().min(1),
    status: needStatusSchema.optional(),
    /** Why (required when closing or referring). */
    reason: z.string().trim().max(500).optional(),
    category: needCategoryCodeSchema.nullable().optional(),
    urgency: needUrgencySchema.optional(),
    assigneeId: z.string().min(1).max(64).nullable().optional(),
    communityId: z.uuid().nullable().optional(),
    residentId: z.uuid().nullable().optional(),
    location: point.nullable().optional(),
    addressText: z.string().trim().max(200).optional(),
    description: z.string().trim().min(2).max(NEED_LIMITS.description).optional(),
    /** false releases a report held as suspected spam into the queue; true holds it. */
    spam: z.boolean().optional(),
  })
  .strict();
export type UpdateNeedBody = z.infer<typeof updateNeedBodySchema>;

export const bulkNeedsBodySchema = z
  .object({
    ids: z.array(z.uuid()).min(1).max(100),
    status: needStatusSchema.optional(),
    reason: z.string().trim().max(500).optional(),
    assigneeId: z.string().min(1).max(64).nullable().optional(),
    urgency: needUrgencySchema.optional(),
    category: needCategoryCodeSchema.optional(),
  })
  .strict()
  .refine(
    (b) =>
      b.status !== undefined ||
      b.assigneeId !== undefined ||
      b.urgency !== undefined ||
      b.category !== undefined,
    { message: "nothing to change" },
  );
export const bulkNeedsResultSchema = z.object({
  updated: z.array(z.uuid()),
  failed: z.array(z.object({ id: z.uuid(), code: z.string(), message: z.string() })),
});

export const needCommentBodySchema = z
  .object({ text: z.string().trim().min(1).max(NEED_LIMITS.comment) })
  .strict();

export const mergeNeedsBodySchema = z
  .object({ survivorId: z.uuid(), duplicateId: z.uuid() })
  .strict();

/* ------------------------------------------------------------------ */
/* Lists and records.                                                   */
/* ------------------------------------------------------------------ */

const csv = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .max(500)
    .transform((s) => s.split(",").filter(Boolean))
    .pipe(z.array(item).max(20));

export const needListQuerySchema = paginationQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  status: csv(needStatusSchema).optional(),
  /** Open = new, triaged, in progress (the default queue). */
  open: z.enum(["true", "false"]).optional(),
  category: csv(z.string().max(40)).optional(),
  /** "none" lists uncategorized needs. */
  urgency: csv(needUrgencySchema).optional(),
  channel: csv(needChannelSchema).optional(),
  communityId: z.uuid().optional(),
  /** A user id, "me", or "none" (unassigned). */
  assignee: z.string().max(64).optional(),
  residentId: z.uuid().optional(),
  /** "true" lists the reports held as suspected spam (hidden from the queue otherwise). */
  spam: z.enum(["true", "false"]).optional(),
  sort: z.enum(["newest", "oldest", "urgency", "updated"]).default("urgency"),
});
export type NeedListQuery = z.infer<typeof needListQuerySchema>;

export const needSuggestionSchema = z.object({
  category: z.string().nullable(),
  confidence: z.number().nullable(),
  /** The words that drove the suggestion, as written. */
  drivers: z.array(z.string()),
  urgency: needUrgencySchema.nullable(),
  urgencyDrivers: z.array(z.string()),
  source: z.enum(["model", "llm", "none"]),
});
export type NeedSuggestion = z.infer<typeof needSuggestionSchema>;

export const needListItemSchema = z.object({
  id: z.uuid(),
  reference: z.string(),
  channel: needChannelSchema,
  status: needStatusSchema,
  category: z.string().nullable(),
  urgency: needUrgencySchema,
  description: z.string(),
  language: z.string(),
  community: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  hasResident: z.boolean(),
  hasLocation: z.boolean(),
  attachmentCount: z.number().int(),
  suggestedCategory: z.string().nullable(),
  spam: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type NeedListItem = z.infer<typeof needListItemSchema>;
export const needListSchema = pageOf(needListItemSchema).extend({
  counts: z.object({ new: z.number().int(), open: z.number().int(), urgent: z.number().int() }),
});
export type NeedList = z.infer<typeof needListSchema>;

export const needEventSchema = z.object({
  id: z.uuid(),
  kind: z.enum(NEED_EVENT_KINDS),
  at: z.string(),
  actor: z.object({ id: z.string(), name: z.string() }).nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  /**
   * What `from` and `to` refer to, named for this reader: a person (assigned), a community
   * (community) or a resident (resident: only when the reader may see that resident). Null
   * when the value is not a reference, or not theirs to see: the history keeps ids only.
   */
  fromName: z.string().nullable(),
  toName: z.string().nullable(),
  text: z.string().nullable(),
});
export type NeedEvent = z.infer<typeof needEventSchema>;

export const needAttachmentSchema = z.object({
  id: z.uuid(),
  contentType: z.string(),
  bytes: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  createdAt: z.string(),
});

export const needSchema = needListItemSchema.extend({
  location: point.nullable(),
  addressText: z.string(),
  /** The linked resident; their name only when the reader may see them (otherwise null). */
  resident: z.object({ id: z.uuid(), name: z.string().nullable() }).nullable(),
  /** Reporter's contact: only to staff who may see the need, and only with consent. */
  contact: z
    .object({ name: z.string(), phone: z.string().nullable(), email: z.string().nullable() })
    .nullable(),
  mergedInto: z.object({ id: z.uuid(), reference: z.string() }).nullable(),
  suggestion: needSuggestionSchema,
  attachments: z.array(needAttachmentSchema),
  events: z.array(needEventSchema),
  /** Possible duplicates (nearby, similar words), best first. */
  similar: z.array(
    z.object({
      id: z.uuid(),
      reference: z.string(),
      description: z.string(),
      status: needStatusSchema,
      score: z.number(),
      distanceMeters: z.number().nullable(),
    }),
  ),
  permissions: z.object({ edit: z.boolean(), assign: z.boolean(), merge: z.boolean() }),
});
export type Need = z.infer<typeof needSchema>;

/** A live event on the queue (SSE `data:`), for the queue to refresh what changed. */
export const needStreamEventSchema = z.object({
  type: z.enum(["created", "updated", "merged"]),
  id: z.uuid(),
  reference: z.string(),
  urgency: needUrgencySchema,
  communityId: z.uuid().nullable(),
  at: z.string(),
});
export type NeedStreamEvent = z.infer<typeof needStreamEventSchema>;

/** Classifier: retrain on the department's own labelled needs; held-out accuracy per language. */
export const needModelStatusSchema = z.object({
  trainedAt: z.string().nullable(),
  examples: z.number().int(),
  perLanguage: z.record(
    z.string(),
    z.object({ examples: z.number().int(), accuracy: z.number().nullable() }),
  ),
  accuracy: z.number().nullable(),
  llmConfigured: z.boolean(),
});

/** Public intake settings of a department: report page, widget sites, SMS and WhatsApp numbers. */
export const needIntakeSettingsSchema = z.object({
  publicIntake: z.boolean(),
  widgetOrigins: z.array(z.string()),
  publicUrl: z.string(),
  widgetSnippet: z.string(),
  /** The number inbound SMS arrive at (E.164), or null. */
  smsNumber: z.string().nullable(),
  /** The WhatsApp Cloud API phone number id, or null. */
  whatsappPhoneNumberId: z.string().nullable(),
  /** Where to point the providers' webhooks. */
  smsWebhookUrl: z.string(),
  whatsappWebhookUrl: z.string(),
});
export const updateNeedIntakeSettingsBodySchema = z
  .object({
    publicIntake: z.boolean().optional(),
    widgetOrigins: z
      .array(
        z
          .string()
          .trim()
          .max(200)
          .regex(/^https?:\/\/[a-z0-9.-]+(:\d+)?$/i, {
            message: "an origin like https://www.city.gov.il",
          }),
      )
      .max(20)
      .optional(),
    smsNumber: z
      .string()
      .trim()
      .regex(/^\+\d{8,15}$/, { message: "a number in international form, like +97235550123" })
      .nullable()
      .optional(),
    whatsappPhoneNumberId: z
      .string()
      .trim()
      .regex(/^\d{6,20}$/, { message: "the phone number id from Meta's console (digits)" })
      .nullable()
      .optional(),
  })
  .strict();

/** Open needs with a location, for the map and the community page (at most 2,000). */
export const needPointsQuerySchema = z.object({
  communityId: z.uuid().optional(),
  /** west,south,east,north */
  bbox: z
    .string()
    .max(100)
    .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/)
    .optional(),
});
export const needPointsSchema = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      reference: z.string(),
      lat: z.number(),
      lon: z.number(),
      urgency: needUrgencySchema,
      status: needStatusSchema,
      category: z.string().nullable(),
    }),
  ),
  truncated: z.boolean(),
});

/** Staff a need may be assigned to (the department's managers, community and social workers). */
export const needAssigneesSchema = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string(), roles: z.array(z.string()) })),
});

export const needSuggestQuerySchema = z.object({
  text: z.string().trim().min(1).max(NEED_LIMITS.description),
});
