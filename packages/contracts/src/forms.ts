import { z } from "zod";
import { publicDepartmentSchema } from "./names.ts";
import { localeSchema, pageOf, paginationQuerySchema } from "./common.ts";
import { NEED_LIMITS } from "./needs.ts";

/*
 * Forms and surveys (SPEC §2). The definition itself is the @kaveret/forms model
 * (questions tree, choice lists, translations); in the API it travels as JSON and the
 * server validates it with that package (`formDefinitionSchema`, `checkForm`).
 */

export const FORM_STATUSES = ["draft", "open", "closed"] as const;
export const formStatusSchema = z.enum(FORM_STATUSES);
export type FormStatus = z.infer<typeof formStatusSchema>;

/** How an answer was collected; all land in one dataset. */
export const RESPONSE_CHANNELS = ["link", "paper", "face_to_face", "door_to_door"] as const;
export const responseChannelSchema = z.enum(RESPONSE_CHANNELS);
export type ResponseChannel = z.infer<typeof responseChannelSchema>;
/** Channels staff type in. */
export const STAFF_RESPONSE_CHANNELS = ["paper", "face_to_face", "door_to_door"] as const;

export const FORM_ERROR_CODES = [
  "form.invalid_definition",
  "form.xlsform_invalid",
  "form.not_open",
  "form.answers_invalid",
  "form.published_definition",
  "form.has_responses",
  "form.question_not_found",
  "form.photo_too_large",
  "form.photo_type",
  "assignment.target_invalid",
  "assignment.surveyor_invalid",
  "assignment.duplicate",
  "assignment.not_found",
] as const;

export const FORM_API_LIMITS = { xlsformBytes: 5 * 1024 * 1024, title: 200 } as const;

/**
 * Photos answering a form's photo questions: the same limits as a need's photos (one
 * image, JPEG/PNG/WebP, ≤ 5 MB; location and other metadata removed on the server). One
 * never referenced by an answer is deleted after `orphanDays`.
 */
export const FORM_PHOTO_LIMITS = {
  bytes: NEED_LIMITS.attachmentBytes,
  types: NEED_LIMITS.attachmentTypes,
  orphanDays: 7,
  /** Longest side of the thumbnail the staff pages show (`?size=thumb`, a JPEG). */
  thumbPixels: 320,
} as const;

/** PUT …/photos/:photoId (the body is the image; the id is made on the device). */
export const formPhotoParamsSchema = z.object({ id: z.uuid(), photoId: z.uuid() });
export const formPhotoReceiptSchema = z.object({
  id: z.uuid(),
  contentType: z.enum(NEED_LIMITS.attachmentTypes),
  bytes: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
});
export type FormPhotoReceipt = z.infer<typeof formPhotoReceiptSchema>;
/**
 * GET …/photos/:photoId: `size=thumb` for the small JPEG the staff pages show; `scope`
 * stands in for the scope header in links (an <img> cannot send headers).
 */
export const formPhotoQuerySchema = z.object({
  scope: z.string().max(100).optional(),
  size: z.enum(["thumb"]).optional(),
});

/** A form definition as JSON (validated on the server by @kaveret/forms). */
export const formDefinitionJsonSchema = z.record(z.string(), z.unknown());

/** A problem found in a definition (checkForm) or in an XLSForm (import report). */
export const formProblemSchema = z.object({
  level: z.enum(["error", "warning"]),
  code: z.string(),
  message: z.string(),
  params: z.record(z.string(), z.unknown()).optional(),
  /** XLSForm import: sheet and row of the problem. */
  sheet: z.string().optional(),
  row: z.number().int().optional(),
  /** The question it concerns, when any. */
  name: z.string().optional(),
});
export type FormProblem = z.infer<typeof formProblemSchema>;

export const formSummarySchema = z.object({
  id: z.uuid(),
  title: z.string(),
  status: formStatusSchema,
  anonymous: z.boolean(),
  languages: z.array(z.string()),
  defaultLanguage: z.string(),
  questionCount: z.number().int(),
  responseCount: z.number().int(),
  community: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  /** The public link (only while open). */
  publicUrl: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
  createdAt: z.string(),
});
export type FormSummary = z.infer<typeof formSummarySchema>;
export const formListQuerySchema = paginationQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  status: formStatusSchema.optional(),
});
export const formListSchema = pageOf(formSummarySchema);

export const formSchema = formSummarySchema.extend({
  definition: formDefinitionJsonSchema,
  /** checkForm's findings: errors block opening the form. */
  problems: z.array(formProblemSchema),
  permissions: z.object({ edit: z.boolean(), readResponses: z.boolean() }),
});
export type Form = z.infer<typeof formSchema>;

export const createFormBodySchema = z
  .object({
    title: z.string().trim().min(1).max(FORM_API_LIMITS.title),
    anonymous: z.boolean().default(true),
    communityId: z.uuid().nullable().default(null),
    /** Starts empty (one language: Hebrew) when absent. */
    definition: formDefinitionJsonSchema.optional(),
  })
  .strict();
export const updateFormBodySchema = z
  .object({
    version: z.number().int().min(1),
    title: z.string().trim().min(1).max(FORM_API_LIMITS.title).optional(),
    anonymous: z.boolean().optional(),
    communityId: z.uuid().nullable().optional(),
    definition: formDefinitionJsonSchema.optional(),
    /** draft → open (publish) → closed; closed → open reopens. */
    status: formStatusSchema.optional(),
  })
  .strict();

/** POST /api/forms/import?title=… with the XLSForm file as the body. */
export const importFormQuerySchema = z.object({
  title: z.string().trim().min(1).max(FORM_API_LIMITS.title).optional(),
  fileName: z.string().max(200).optional(),
});
export const importFormResultSchema = z.object({
  form: formSchema,
  /** Question by question: what was not supported, renamed or left out. */
  report: z.array(formProblemSchema),
});

/* ------------------------------------------------------------------ */
/* Responses.                                                           */
/* ------------------------------------------------------------------ */

const answersSchema = z.record(z.string(), z.unknown());

/** Staff typing in a paper answer or one taken face to face (id made on the device: exactly once). */
export const createResponseBodySchema = z
  .object({
    id: z.uuid(),
    channel: z.enum(STAFF_RESPONSE_CHANNELS),
    answers: answersSchema,
    language: localeSchema.default("he"),
    communityId: z.uuid().nullable().default(null),
    residentId: z.uuid().nullable().default(null),
    /**
     * The door-to-door assignment the answer was taken on (a street or a building). No
     * default: a command sent before this field existed keeps the same payload hash.
     */
    assignmentId: z.uuid().optional(),
  })
  .strict();

/** Someone answering by the public link (no account). */
export const publicResponseBodySchema = z
  .object({
    id: z.uuid(),
    answers: answersSchema,
    language: localeSchema.default("he"),
    /** Honeypot: people never see it. */
    website: z.string().max(200).default(""),
  })
  .strict();
export const publicResponseReceiptSchema = z.object({ id: z.uuid(), receivedAt: z.string() });

/** The form as the public link shows it. */
export const publicFormSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  department: publicDepartmentSchema,
  anonymous: z.boolean(),
  definition: formDefinitionJsonSchema,
});

export const responseIssueSchema = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  code: z.string(),
  message: z.string(),
});

export const responseListQuerySchema = paginationQuerySchema.extend({
  channel: responseChannelSchema.optional(),
  communityId: z.uuid().optional(),
});
export const responseItemSchema = z.object({
  id: z.uuid(),
  channel: responseChannelSchema,
  language: z.string(),
  community: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  submittedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  answers: answersSchema,
  formVersion: z.number().int(),
  needIds: z.array(z.uuid()),
  createdAt: z.string(),
});
export type ResponseItem = z.infer<typeof responseItemSchema>;
export const responseListSchema = pageOf(responseItemSchema);

/* ------------------------------------------------------------------ */
/* Analysis.                                                            */
/* ------------------------------------------------------------------ */

export const analysisQuerySchema = z.object({
  channel: responseChannelSchema.optional(),
  communityId: z.uuid().optional(),
  /** A select question to cross every other select question with. */
  crossBy: z.string().max(100).optional(),
});

const count = z.object({ value: z.string(), label: z.string(), count: z.number().int() });
export const questionSummarySchema = z.object({
  name: z.string(),
  type: z.string(),
  label: z.string(),
  /** Responses in which the question was answered. */
  answered: z.number().int(),
  /** Selects: count per choice (select_multiple: per choice ticked). */
  counts: z.array(count).optional(),
  /** Numbers: summary. */
  numeric: z
    .object({ min: z.number(), max: z.number(), mean: z.number(), median: z.number() })
    .optional(),
  /** Dates: earliest and latest. */
  dates: z.object({ first: z.string(), last: z.string() }).optional(),
  /** Text: the most recent answers (at most 20). */
  samples: z.array(z.string()).optional(),
  /** Photos: the newest (at most 20), each with the answer holding it. */
  photos: z.array(z.object({ id: z.uuid(), responseId: z.uuid() })).optional(),
  /** Geopoints: up to 5,000 points. */
  points: z.array(z.object({ lat: z.number(), lon: z.number() })).optional(),
  /** With crossBy: rows = this question's choices, columns = crossBy's. */
  cross: z
    .object({
      columns: z.array(z.object({ value: z.string(), label: z.string() })),
      rows: z.array(
        z.object({ value: z.string(), label: z.string(), counts: z.array(z.number().int()) }),
      ),
    })
    .optional(),
});
export type QuestionSummary = z.infer<typeof questionSummarySchema>;
export const formAnalysisSchema = z.object({
  total: z.number().int(),
  byChannel: z.record(z.string(), z.number().int()),
  questions: z.array(questionSummarySchema),
});
export type FormAnalysis = z.infer<typeof formAnalysisSchema>;

/** "Create a need from this answer". */
export const needFromResponseBodySchema = z
  .object({
    description: z.string().trim().min(2).max(2000),
    category: z.string().max(40).nullable().default(null),
    urgency: z.enum(["low", "normal", "high", "critical"]).default("normal"),
  })
  .strict();

/* ------------------------------------------------------------------ */
/* Door-to-door assignments: a street or a building of a form, given   */
/* to a surveyor (SPEC §2 "distribution and collection").              */
/* ------------------------------------------------------------------ */

/** What a surveyor walks: a street cluster or building (a community), or a street of the list. */
export const ASSIGNMENT_TARGET_KINDS = ["community", "street"] as const;
export const assignmentTargetKindSchema = z.enum(ASSIGNMENT_TARGET_KINDS);
/** Community levels a door-to-door assignment may name. */
export const ASSIGNABLE_COMMUNITY_LEVELS = ["street_cluster", "building"] as const;

export const assignmentTargetSchema = z.object({
  kind: assignmentTargetKindSchema,
  id: z.uuid(),
  name: z.string(),
  /** community: street_cluster | building. */
  level: z.string().nullable(),
});

export const formAssignmentSchema = z.object({
  id: z.uuid(),
  formId: z.uuid(),
  surveyor: z.object({ id: z.string(), name: z.string() }),
  target: assignmentTargetSchema,
  note: z.string(),
  /** Answers taken on this assignment so far (every channel that names it). */
  answers: z.number().int(),
  createdAt: z.string(),
});
export type FormAssignment = z.infer<typeof formAssignmentSchema>;
export const formAssignmentListSchema = z.object({ items: z.array(formAssignmentSchema) });

export const createAssignmentBodySchema = z
  .object({
    surveyorId: z.string().min(1).max(100),
    targetKind: assignmentTargetKindSchema,
    targetId: z.uuid(),
    note: z.string().trim().max(500).default(""),
  })
  .strict();

/** Who may be given the form, and what may be walked (for the manager's picker). */
export const assignmentOptionsSchema = z.object({
  surveyors: z.array(z.object({ id: z.string(), name: z.string() })),
  targets: z.array(assignmentTargetSchema),
});
export type AssignmentOptions = z.infer<typeof assignmentOptionsSchema>;

/** A surveyor's own assignment as the device keeps it (sync pull). */
export const fieldAssignmentSchema = z.object({
  id: z.uuid(),
  formId: z.uuid(),
  formTitle: z.string(),
  target: assignmentTargetSchema,
  note: z.string(),
  answers: z.number().int(),
  createdAt: z.string(),
});
export type FieldAssignment = z.infer<typeof fieldAssignmentSchema>;
