import { z } from "zod";
import { localeSchema } from "./common.ts";
import { geoPointSchema, vulnerabilityFlagSchema } from "./residents.ts";

/*
 * Emergency mode on the same data (SPEC §2 "Emergency event", journey 5).
 *
 * A manager declares an emergency (type, level, communities in scope) — or a drill, which
 * runs the same flows but sends nothing to residents and marks everything it makes as a
 * drill. The call list of vulnerable residents is generated from routine data (flags,
 * consents), ordered by the documented risk rule (apps/server/src/modules/emergency/risk.ts),
 * split among callers by street, building and language, and worked on phones (online, or
 * offline through the sync command `emergency.call_outcome`). Residents answer "I'm OK / I
 * need help" on a server-rendered page reached by a per-resident link. Help requests are
 * matched with volunteer offers. The board sums it all up and updates live (SSE). Closing
 * returns to routine: open help requests become needs and a summary is kept.
 *
 * Vocabularies are translated in the web app under emergency.*.
 */

/* ------------------------------------------------------------------ */
/* Vocabularies.                                                        */
/* ------------------------------------------------------------------ */

export const EMERGENCY_TYPES = [
  "rocket_fire",
  "war",
  "earthquake",
  "fire",
  "flood",
  "storm",
  "heatwave",
  "hazmat",
  "pandemic",
  "evacuation",
  "infrastructure_outage",
  "other",
] as const;
export const emergencyTypeSchema = z.enum(EMERGENCY_TYPES);
export type EmergencyType = z.infer<typeof emergencyTypeSchema>;

/** 1 = heightened alert … 4 = mass-casualty / disaster. */
export const EMERGENCY_LEVELS = [1, 2, 3, 4] as const;
export const emergencyLevelSchema = z.union([
  z.literal(1),
  z.literal(2),
  z.literal(3),
  z.literal(4),
]);
export type EmergencyLevel = z.infer<typeof emergencyLevelSchema>;

export const EMERGENCY_STATUSES = ["active", "closed"] as const;
export const emergencyStatusSchema = z.enum(EMERGENCY_STATUSES);

/** What the whole department is in: what every screen shows. */
export const EMERGENCY_MODES = ["routine", "emergency", "drill"] as const;
export const emergencyModeSchema = z.enum(EMERGENCY_MODES);
export type EmergencyMode = z.infer<typeof emergencyModeSchema>;

/** The outcome of one call attempt. */
export const CALL_OUTCOMES = ["reached_ok", "reached_needs_help", "not_reached"] as const;
export const callOutcomeSchema = z.enum(CALL_OUTCOMES);
export type CallOutcome = z.infer<typeof callOutcomeSchema>;

/**
 * Where a call stands:
 * - `pending`: not tried yet;
 * - `retry`: not reached, tried again from `nextAttemptAt` (automatic, after each miss);
 * - `escalated`: not reached `CALL_RULES.maxAttempts` times: handed to a staff member
 *   (`escalatedTo`) to go and check in person;
 * - `done`: reached (ok or needs help), or the resident answered on the status page.
 */
export const CALL_STATUSES = ["pending", "retry", "escalated", "done"] as const;
export const callStatusSchema = z.enum(CALL_STATUSES);
export type CallStatus = z.infer<typeof callStatusSchema>;

/** Retries and escalation (the service applies them; the web shows them). */
export const CALL_RULES = {
  /** Misses before a call is escalated. */
  maxAttempts: 3,
  /** Minutes until the next try after the 1st, 2nd… miss. */
  retryAfterMinutes: [30, 60] as readonly number[],
} as const;

/** Who answered last: a caller on the phone, or the resident on the status page. */
export const CALL_SOURCES = ["call", "self"] as const;
export const callSourceSchema = z.enum(CALL_SOURCES);

/** Kinds of help (requests and volunteer offers). */
export const HELP_CATEGORIES = [
  "food",
  "medicine",
  "evacuation",
  "emotional_support",
  "transport",
  "shelter",
  "other",
] as const;
export const helpCategorySchema = z.enum(HELP_CATEGORIES);
export type HelpCategory = z.infer<typeof helpCategorySchema>;

/** open → claimed → completed; claimed → open (released); open|claimed → cancelled. */
export const HELP_REQUEST_STATUSES = ["open", "claimed", "completed", "cancelled"] as const;
export const helpRequestStatusSchema = z.enum(HELP_REQUEST_STATUSES);
export type HelpRequestStatus = z.infer<typeof helpRequestStatusSchema>;

export const HELP_URGENCIES = ["normal", "high", "critical"] as const;
export const helpUrgencySchema = z.enum(HELP_URGENCIES);

/** How a help request came in. */
export const HELP_SOURCES = ["call", "self", "staff"] as const;
export const helpSourceSchema = z.enum(HELP_SOURCES);

export const SHIFT_LOG_KINDS = ["note", "decision", "handover", "incident"] as const;
export const shiftLogKindSchema = z.enum(SHIFT_LOG_KINDS);

/** Risk reasons shown next to a call (risk.ts turns flags and age into these). */
export const RISK_REASONS = [
  "lives_alone",
  "age_85_plus",
  "age_75_plus",
  "disability",
  "mobility_limited",
  "chronic_illness",
  "no_smartphone",
  "needs_interpreter",
  "holocaust_survivor",
  "single_parent",
  "low_income",
] as const;
export const riskReasonSchema = z.enum(RISK_REASONS);
export type RiskReason = z.infer<typeof riskReasonSchema>;

/** Languages of the residents' status page. */
export const STATUS_PAGE_LOCALES = ["he", "ar", "ru", "am", "en"] as const;

export const EMERGENCY_ERROR_CODES = [
  "emergency.already_active",
  "emergency.not_active",
  "emergency.not_found",
  "emergency.community_not_found",
  "emergency.call_not_found",
  "emergency.call_done",
  "emergency.caller_not_allowed",
  "emergency.no_callers",
  "emergency.help_request_not_found",
  "emergency.invalid_transition",
  "emergency.not_claimer",
  "emergency.offer_not_found",
  "emergency.volunteer_not_found",
  "emergency.shelter_not_found",
  "emergency.status_link_invalid",
  "emergency.review_exists",
] as const;

export const EMERGENCY_LIMITS = {
  title: 120,
  note: 2000,
  logText: 4000,
  communities: 200,
  callers: 500,
  pageSize: 200,
} as const;

const ref = z.object({ id: z.uuid(), name: z.string() });
const userRef = z.object({ id: z.string(), name: z.string() });
const note = z.string().trim().max(EMERGENCY_LIMITS.note);

/* ------------------------------------------------------------------ */
/* Declaring, the current mode, closing.                                 */
/* ------------------------------------------------------------------ */

/** POST /api/emergency/events — one step: scope, mode, call list (unless `generateCalls: false`). */
export const declareEmergencyBodySchema = z
  .object({
    type: emergencyTypeSchema,
    level: emergencyLevelSchema,
    title: z.string().trim().min(2).max(EMERGENCY_LIMITS.title),
    communityIds: z.array(z.uuid()).min(1).max(EMERGENCY_LIMITS.communities),
    /** A drill runs the same flows, sends nothing to residents, marks everything as a drill. */
    drill: z.boolean().default(false),
    note: note.default(""),
    /** Generate the call list at once (default); it can be regenerated later. */
    generateCalls: z.boolean().default(true),
  })
  .strict();
export type DeclareEmergencyBody = z.infer<typeof declareEmergencyBodySchema>;

export const emergencySummaryCountsSchema = z.object({
  calls: z.number().int(),
  pending: z.number().int(),
  retry: z.number().int(),
  escalated: z.number().int(),
  reachedOk: z.number().int(),
  reachedNeedsHelp: z.number().int(),
  notReached: z.number().int(),
  selfReported: z.number().int(),
  helpOpen: z.number().int(),
  helpClaimed: z.number().int(),
  helpCompleted: z.number().int(),
});
export type EmergencySummaryCounts = z.infer<typeof emergencySummaryCountsSchema>;

export const emergencySchema = z.object({
  id: z.uuid(),
  type: emergencyTypeSchema,
  level: emergencyLevelSchema,
  title: z.string(),
  drill: z.boolean(),
  status: emergencyStatusSchema,
  note: z.string(),
  communities: z.array(ref),
  startedAt: z.string(),
  closedAt: z.string().nullable(),
  declaredBy: userRef.nullable(),
  closedBy: userRef.nullable(),
  counts: emergencySummaryCountsSchema,
  version: z.number().int(),
});
export type Emergency = z.infer<typeof emergencySchema>;
export const emergencyListSchema = z.object({ items: z.array(emergencySchema) });
/** The answer to declaring: the emergency, how many were put on the call list, links sent. */
export const declareEmergencyResultSchema = emergencySchema.extend({
  callsAdded: z.number().int(),
  linksSent: z.number().int(),
});

/**
 * GET /api/emergency/mode — for every signed-in screen's banner. Any role of the department
 * may read it; it carries no personal data.
 */
export const emergencyModeResponseSchema = z.object({
  mode: emergencyModeSchema,
  emergency: z
    .object({
      id: z.uuid(),
      type: emergencyTypeSchema,
      level: emergencyLevelSchema,
      title: z.string(),
      drill: z.boolean(),
      startedAt: z.string(),
      communities: z.array(ref),
    })
    .nullable(),
  /** What the reader may do in this emergency (the UI hides the rest). */
  permissions: z.object({
    declare: z.boolean(),
    manage: z.boolean(),
    board: z.boolean(),
    call: z.boolean(),
    offerHelp: z.boolean(),
  }),
});
export type EmergencyModeResponse = z.infer<typeof emergencyModeResponseSchema>;

export const updateEmergencyBodySchema = z
  .object({
    version: z.number().int().min(1),
    level: emergencyLevelSchema.optional(),
    title: z.string().trim().min(2).max(EMERGENCY_LIMITS.title).optional(),
    note: note.optional(),
    /** Adding communities widens the scope (regenerate the call list to include them). */
    communityIds: z.array(z.uuid()).min(1).max(EMERGENCY_LIMITS.communities).optional(),
  })
  .strict();

/** POST /api/emergency/events/:id/close — back to routine. */
export const closeEmergencyBodySchema = z
  .object({
    version: z.number().int().min(1),
    note: note.default(""),
  })
  .strict();

/* ------------------------------------------------------------------ */
/* Call list.                                                           */
/* ------------------------------------------------------------------ */

/** POST /api/emergency/events/:id/calls/generate — adds residents not yet on the list. */
export const generateCallsResultSchema = z.object({
  added: z.number().int(),
  total: z.number().int(),
  /** Status-page links sent by message (0 in a drill: nothing is sent). */
  linksSent: z.number().int(),
});

export const callerInputSchema = z
  .object({
    userId: z.string().min(1).max(64),
    /** Languages the caller can hold a call in (resident-language codes). */
    languages: z.array(z.string().min(2).max(10)).max(9).default(["he"]),
    /** At most this many calls for this caller (default: an even share). */
    maxCalls: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();

/**
 * POST /api/emergency/events/:id/calls/assign — split the unassigned (or, with
 * `reassignAll`, all open) calls among the callers: a building stays with one caller, a
 * street stays together where loads allow, a resident who speaks no language of a caller
 * goes to one who does; residents without emergency-contact consent go to staff only.
 */
export const assignCallsBodySchema = z
  .object({
    callers: z.array(callerInputSchema).min(1).max(EMERGENCY_LIMITS.callers),
    reassignAll: z.boolean().default(false),
  })
  .strict();
export type AssignCallsBody = z.infer<typeof assignCallsBodySchema>;
export const assignCallsResultSchema = z.object({
  assigned: z.number().int(),
  /** Calls no caller could take (no shared language, or only staff may call and none given). */
  unassigned: z.number().int(),
  perCaller: z.array(
    z.object({
      userId: z.string(),
      name: z.string(),
      calls: z.number().int(),
      streets: z.number().int(),
      buildings: z.number().int(),
    }),
  ),
});

/** Move one call to another caller (or back to the pool with null). */
export const reassignCallBodySchema = z
  .object({ assigneeId: z.string().min(1).max(64).nullable() })
  .strict();

export const listCallsQuerySchema = z.object({
  /** "me" (my assignments — all a volunteer may ask for), a user id, or "none". */
  assignee: z.string().max(64).optional(),
  status: z
    .string()
    .max(100)
    .transform((s) => s.split(",").filter(Boolean))
    .pipe(z.array(callStatusSchema).max(CALL_STATUSES.length))
    .optional(),
  /** Only calls due now (pending, retry whose time came, escalated). */
  due: z.enum(["true", "false"]).optional(),
  communityId: z.uuid().optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(EMERGENCY_LIMITS.pageSize).default(50),
});
export type ListCallsQuery = z.infer<typeof listCallsQuerySchema>;

export const callAttemptSchema = z.object({
  id: z.uuid(),
  outcome: callOutcomeSchema,
  source: callSourceSchema,
  note: z.string(),
  by: userRef.nullable(),
  at: z.string(),
});

/**
 * One resident to call. A volunteer sees only what the call needs: name, phone, address,
 * languages; staff also see the risk reasons (derived from the encrypted flags — reading
 * them is audited).
 */
export const callSchema = z.object({
  id: z.uuid(),
  emergencyId: z.uuid(),
  drill: z.boolean(),
  /** 1 = call first. */
  rank: z.number().int(),
  riskScore: z.number().int(),
  riskReasons: z.array(riskReasonSchema).nullable(),
  resident: z.object({
    id: z.uuid(),
    name: z.string(),
    phone: z.string().nullable(),
    languages: z.array(z.string()),
    address: z.string(),
    streetId: z.uuid().nullable(),
    houseNumber: z.string().nullable(),
    community: ref.nullable(),
    location: geoPointSchema.nullable(),
  }),
  /** Whether the resident consented to emergency contact (if not, staff call, not volunteers). */
  consented: z.boolean(),
  assignee: userRef.nullable(),
  status: callStatusSchema,
  outcome: callOutcomeSchema.nullable(),
  lastSource: callSourceSchema.nullable(),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  escalatedTo: userRef.nullable(),
  helpRequestId: z.uuid().nullable(),
  history: z.array(callAttemptSchema),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Call = z.infer<typeof callSchema>;
export const callPageSchema = z.object({
  items: z.array(callSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type CallPage = z.infer<typeof callPageSchema>;

/** The "needs help" part of an outcome: it becomes a help request at once. */
export const helpInputSchema = z
  .object({
    category: helpCategorySchema,
    urgency: helpUrgencySchema.default("normal"),
    description: z.string().trim().max(EMERGENCY_LIMITS.note).default(""),
  })
  .strict();

/**
 * POST /api/emergency/calls/:id/outcome — also the args of the offline sync command
 * `emergency.call_outcome` (with `callId` and a device-made `attemptId`: applied once).
 */
export const callOutcomeBodySchema = z
  .object({
    /** Made on the device (offline); the server makes one when absent. */
    attemptId: z.uuid().optional(),
    outcome: callOutcomeSchema,
    note: note.default(""),
    /** Required when the outcome is reached_needs_help. */
    help: helpInputSchema.optional(),
    /** When the call happened on the device (ISO); defaults to now. Not after now. */
    at: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .refine((b) => b.outcome !== "reached_needs_help" || b.help !== undefined, {
    message: "say what help is needed",
    path: ["help"],
  });
export type CallOutcomeBody = z.infer<typeof callOutcomeBodySchema>;

/** Sync args of `emergency.call_outcome` (a device-made attempt id; inserts never conflict). */
export const syncCallOutcomeArgsSchema = z
  .object({
    callId: z.uuid(),
    attemptId: z.uuid(),
    outcome: callOutcomeSchema,
    note: note.default(""),
    help: helpInputSchema.optional(),
    at: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .refine((b) => b.outcome !== "reached_needs_help" || b.help !== undefined, {
    message: "say what help is needed",
    path: ["help"],
  });

/* ------------------------------------------------------------------ */
/* Residents' own status page (server-rendered; here for API clients). */
/* ------------------------------------------------------------------ */

/** POST /ok/:token (form-encoded, from the page without JavaScript; GET /ok/:token?lang= shows it). */
export const statusAnswerBodySchema = z.object({
  answer: z.enum(["ok", "help"]),
  category: helpCategorySchema.optional(),
  note: z.string().trim().max(500).optional(),
  lang: localeSchema.optional(),
});
export type StatusAnswerBody = z.infer<typeof statusAnswerBodySchema>;

export const selfReportSchema = z.object({
  id: z.uuid(),
  answer: z.enum(["ok", "help"]),
  category: helpCategorySchema.nullable(),
  at: z.string(),
});

/* ------------------------------------------------------------------ */
/* Help requests and volunteer offers.                                  */
/* ------------------------------------------------------------------ */

export const createHelpRequestBodySchema = z
  .object({
    category: helpCategorySchema,
    urgency: helpUrgencySchema.default("normal"),
    description: z.string().trim().max(EMERGENCY_LIMITS.note).default(""),
    residentId: z.uuid().nullable().default(null),
    /** Where help is needed (defaults to the resident's home). */
    location: geoPointSchema.nullable().default(null),
    addressText: z.string().trim().max(200).default(""),
    communityId: z.uuid().nullable().default(null),
    /** Languages the helper should speak (defaults to the resident's). */
    languages: z.array(z.string().min(2).max(10)).max(9).default([]),
    /** Skills the helper should have (free labels, matched case-insensitively). */
    skills: z.array(z.string().trim().min(1).max(40)).max(10).default([]),
  })
  .strict();
export type CreateHelpRequestBody = z.infer<typeof createHelpRequestBodySchema>;

export const listHelpRequestsQuerySchema = z.object({
  status: z
    .string()
    .max(100)
    .transform((s) => s.split(",").filter(Boolean))
    .pipe(z.array(helpRequestStatusSchema).max(HELP_REQUEST_STATUSES.length))
    .optional(),
  category: helpCategorySchema.optional(),
  /** "me": claimed by me; for a volunteer, also the open ones matching their offers. */
  mine: z.enum(["true", "false"]).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(EMERGENCY_LIMITS.pageSize).default(50),
});

/**
 * A help request. `resident`, `contact` and the exact location are given to staff and to
 * the volunteer who claimed it; a volunteer looking for something to take sees the
 * category, urgency, area and distance only.
 */
export type ListHelpRequestsQuery = z.infer<typeof listHelpRequestsQuerySchema>;

/** POST /api/emergency/calls/:id/status-link — the resident's own status-page link (staff). */
export const statusLinkSchema = z.object({ url: z.string() });

export const helpRequestSchema = z.object({
  id: z.uuid(),
  emergencyId: z.uuid(),
  drill: z.boolean(),
  reference: z.string(),
  category: helpCategorySchema,
  urgency: helpUrgencySchema,
  status: helpRequestStatusSchema,
  source: helpSourceSchema,
  description: z.string().nullable(),
  community: ref.nullable(),
  languages: z.array(z.string()),
  skills: z.array(z.string()),
  resident: ref.nullable(),
  contact: z.object({ phone: z.string().nullable(), address: z.string() }).nullable(),
  location: geoPointSchema.nullable(),
  /** For a volunteer: metres from their offer's point. */
  distanceMeters: z.number().nullable(),
  claimedBy: userRef.nullable(),
  claimedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  completionNote: z.string().nullable(),
  /** Set on return to routine: the need it became. */
  need: z.object({ id: z.uuid(), reference: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type HelpRequest = z.infer<typeof helpRequestSchema>;
export const helpRequestPageSchema = z.object({
  items: z.array(helpRequestSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

/** POST /api/emergency/help-requests/:id/claim — a volunteer takes it; staff may name who. */
export const claimHelpRequestBodySchema = z
  .object({
    version: z.number().int().min(1),
    /** Staff only: the volunteer (or worker) to give it to; default: me. */
    userId: z.string().min(1).max(64).optional(),
  })
  .strict();
export const releaseHelpRequestBodySchema = z
  .object({ version: z.number().int().min(1), reason: note.default("") })
  .strict();
export const completeHelpRequestBodySchema = z
  .object({ version: z.number().int().min(1), note: note.default("") })
  .strict();
export const cancelHelpRequestBodySchema = z
  .object({ version: z.number().int().min(1), reason: z.string().trim().min(2).max(500) })
  .strict();

export const createVolunteerOfferBodySchema = z
  .object({
    /** Staff may record an offer for a volunteer of the department; default: me. */
    userId: z.string().min(1).max(64).optional(),
    categories: z.array(helpCategorySchema).min(1).max(HELP_CATEGORIES.length),
    languages: z.array(z.string().min(2).max(10)).min(1).max(9),
    skills: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
    location: geoPointSchema.nullable().default(null),
    /** How far the volunteer will go. */
    radiusKm: z.number().min(0.1).max(100).default(3),
    hasVehicle: z.boolean().default(false),
    note: z.string().trim().max(500).default(""),
  })
  .strict();
export type CreateVolunteerOfferBody = z.infer<typeof createVolunteerOfferBodySchema>;

export const volunteerOfferSchema = z.object({
  id: z.uuid(),
  emergencyId: z.uuid(),
  volunteer: userRef,
  categories: z.array(helpCategorySchema),
  languages: z.array(z.string()),
  skills: z.array(z.string()),
  location: geoPointSchema.nullable(),
  radiusKm: z.number(),
  hasVehicle: z.boolean(),
  note: z.string(),
  active: z.boolean(),
  /** Help requests this volunteer holds now. */
  activeClaims: z.number().int(),
  createdAt: z.string(),
});
export type VolunteerOffer = z.infer<typeof volunteerOfferSchema>;
export const volunteerOfferListSchema = z.object({ items: z.array(volunteerOfferSchema) });

/**
 * GET /api/emergency/help-requests/:id/matches — offers ranked by the documented score
 * (category required; within the volunteer's radius; shared language; skills; load).
 */
export const helpMatchSchema = z.object({
  offer: volunteerOfferSchema,
  score: z.number(),
  distanceMeters: z.number().nullable(),
  languageMatch: z.boolean(),
  skillsMatched: z.array(z.string()),
});
export const helpMatchListSchema = z.object({ items: z.array(helpMatchSchema) });

/* ------------------------------------------------------------------ */
/* Shelters and distribution points (from the asset directory).         */
/* ------------------------------------------------------------------ */

export const shelterSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.enum(["shelter", "distribution_point"]),
  community: ref.nullable(),
  address: z.string(),
  location: geoPointSchema.nullable(),
  capacity: z.number().int().nullable(),
  occupancy: z.number().int().nullable(),
  phone: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type Shelter = z.infer<typeof shelterSchema>;
export const shelterListSchema = z.object({ items: z.array(shelterSchema) });
export const shelterOccupancyBodySchema = z
  .object({ occupancy: z.number().int().min(0).max(1_000_000), version: z.number().int().min(1) })
  .strict();

/* ------------------------------------------------------------------ */
/* Situation board, live events, shift log.                             */
/* ------------------------------------------------------------------ */

export const boardPointSchema = z.object({
  kind: z.enum(["call", "help", "shelter"]),
  id: z.uuid(),
  lat: z.number(),
  lon: z.number(),
  /** call: its status/outcome ("pending", "retry", "escalated", "reached_ok", "reached_needs_help", "not_reached");
   * help: its category; shelter: its type. */
  status: z.string(),
  /** help: urgency; shelter: occupancy/capacity as "12/40". */
  label: z.string().nullable(),
});

export const emergencyBoardSchema = z.object({
  emergency: emergencySchema,
  counts: emergencySummaryCountsSchema,
  /** Per community in scope: the same figures. */
  byCommunity: z.array(
    z.object({
      community: ref,
      calls: z.number().int(),
      reachedOk: z.number().int(),
      reachedNeedsHelp: z.number().int(),
      notReached: z.number().int(),
      pending: z.number().int(),
    }),
  ),
  helpOpenByCategory: z.array(
    z.object({ category: helpCategorySchema, open: z.number().int(), claimed: z.number().int() }),
  ),
  shelters: z.array(shelterSchema),
  callers: z.array(
    z.object({
      user: userRef,
      assigned: z.number().int(),
      done: z.number().int(),
      due: z.number().int(),
    }),
  ),
  points: z.array(boardPointSchema),
  pointsTruncated: z.boolean(),
  generatedAt: z.string(),
});
export type EmergencyBoard = z.infer<typeof emergencyBoardSchema>;

/** SSE `data:` of GET /api/emergency/events/:id/stream: what changed, no personal data. */
export const emergencyStreamEventSchema = z.object({
  type: z.enum([
    "declared",
    "updated",
    "closed",
    "calls_generated",
    "calls_assigned",
    "call_updated",
    "self_report",
    "help_created",
    "help_updated",
    "offer_updated",
    "shelter_updated",
    "log_entry",
  ]),
  emergencyId: z.uuid(),
  /** The record that changed (call, help request, offer, asset, log entry). */
  id: z.uuid().nullable(),
  communityId: z.uuid().nullable(),
  at: z.string(),
});
export type EmergencyStreamEvent = z.infer<typeof emergencyStreamEventSchema>;

export const createShiftLogEntryBodySchema = z
  .object({
    kind: shiftLogKindSchema.default("note"),
    text: z.string().trim().min(1).max(EMERGENCY_LIMITS.logText),
  })
  .strict();
/** What the system writes in the shift log by itself. */
export const SHIFT_LOG_CODES = [
  "declared",
  "drill_declared",
  "level_changed",
  "calls_added",
  "calls_split",
  "escalated",
  "closed",
] as const;
export type ShiftLogCode = (typeof SHIFT_LOG_CODES)[number];

export const shiftLogEntrySchema = z.object({
  id: z.uuid(),
  kind: shiftLogKindSchema,
  text: z.string(),
  author: userRef.nullable(),
  /** Entries written by the system (declared, closed, escalations…) have no author. */
  system: z.boolean(),
  /** A system entry as a code and its values (the web words it in the reader's language;
   * `text` keeps an English wording for exports). */
  code: z.enum(SHIFT_LOG_CODES).nullable(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).nullable(),
  at: z.string(),
});
export const shiftLogSchema = z.object({ items: z.array(shiftLogEntrySchema) });

/* ------------------------------------------------------------------ */
/* Back to routine: summary, review, residents' history.               */
/* ------------------------------------------------------------------ */

export const emergencySummarySchema = z.object({
  emergency: emergencySchema,
  durationMinutes: z.number().int(),
  counts: emergencySummaryCountsSchema,
  byCommunity: emergencyBoardSchema.shape.byCommunity,
  helpByCategory: z.array(
    z.object({
      category: helpCategorySchema,
      total: z.number().int(),
      completed: z.number().int(),
      becameNeeds: z.number().int(),
    }),
  ),
  /** Open help requests turned into routine needs on closing (none in a drill). */
  needsCreated: z.array(z.object({ id: z.uuid(), reference: z.string() })),
  shelters: z.array(shelterSchema),
  logEntries: z.number().int(),
  volunteers: z.number().int(),
});
export type EmergencySummary = z.infer<typeof emergencySummarySchema>;

/** The after-action review: a structured record kept with the emergency. */
export const reviewBodySchema = z
  .object({
    whatWorked: z.string().trim().max(EMERGENCY_LIMITS.logText).default(""),
    whatDidNot: z.string().trim().max(EMERGENCY_LIMITS.logText).default(""),
    lessons: z.string().trim().max(EMERGENCY_LIMITS.logText).default(""),
    actions: z
      .array(
        z
          .object({
            text: z.string().trim().min(1).max(500),
            owner: z.string().trim().max(80).default(""),
            due: z.iso.date().nullable().default(null),
          })
          .strict(),
      )
      .max(50)
      .default([]),
    /** Updating an existing review sends its version. */
    version: z.number().int().min(1).optional(),
  })
  .strict();
export type ReviewBody = z.infer<typeof reviewBodySchema>;
export const reviewSchema = z.object({
  emergencyId: z.uuid(),
  whatWorked: z.string(),
  whatDidNot: z.string(),
  lessons: z.string(),
  actions: z.array(z.object({ text: z.string(), owner: z.string(), due: z.string().nullable() })),
  author: userRef.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Review = z.infer<typeof reviewSchema>;
export const reviewResponseSchema = z.object({ review: reviewSchema.nullable() });

/** GET /api/emergency/residents/:residentId/history — a resident's emergency contacts and outcomes. */
export const residentEmergencyHistorySchema = z.object({
  items: z.array(
    z.object({
      emergency: z.object({
        id: z.uuid(),
        title: z.string(),
        type: emergencyTypeSchema,
        drill: z.boolean(),
        startedAt: z.string(),
        closedAt: z.string().nullable(),
      }),
      call: z
        .object({
          id: z.uuid(),
          status: callStatusSchema,
          outcome: callOutcomeSchema.nullable(),
          attempts: z.array(callAttemptSchema),
        })
        .nullable(),
      selfReports: z.array(selfReportSchema),
      helpRequests: z.array(
        z.object({
          id: z.uuid(),
          reference: z.string(),
          category: helpCategorySchema,
          status: helpRequestStatusSchema,
          need: z.object({ id: z.uuid(), reference: z.string() }).nullable(),
          createdAt: z.string(),
        }),
      ),
    }),
  ),
});
export type ResidentEmergencyHistory = z.infer<typeof residentEmergencyHistorySchema>;

/** Flags used by the risk rule (re-exported for the web's legend). */
export const RISK_FLAG_SCHEMA = vulnerabilityFlagSchema;
