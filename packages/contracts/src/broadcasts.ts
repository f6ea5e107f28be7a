import { z } from "zod";
import { publicDepartmentSchema } from "./names.ts";
import { pageOf } from "./common.ts";
import { consentPurposeSchema, vulnerabilityFlagSchema, RESIDENT_LANGUAGES } from "./residents.ts";

/* ------------------------------------------------------------------ */
/* Vocabularies (translated in the web app under broadcasts.*).        */
/* ------------------------------------------------------------------ */

/** Languages a broadcast is written in (the resident-facing languages). */
export const BROADCAST_LANGUAGES = ["he", "ar", "en", "ru", "am"] as const;
export const broadcastLanguageSchema = z.enum(BROADCAST_LANGUAGES);
export type BroadcastLanguage = z.infer<typeof broadcastLanguageSchema>;

export const BROADCAST_CHANNELS = ["web_push", "sms", "email", "in_app"] as const;
export const broadcastChannelSchema = z.enum(BROADCAST_CHANNELS);
export type BroadcastChannel = z.infer<typeof broadcastChannelSchema>;

export const BROADCAST_STATUSES = ["draft", "confirmed", "sending", "done", "cancelled"] as const;
export const broadcastStatusSchema = z.enum(BROADCAST_STATUSES);
export type BroadcastStatus = z.infer<typeof broadcastStatusSchema>;

export const DELIVERY_STATUSES = ["queued", "sent", "delivered", "failed", "skipped"] as const;
export const deliveryStatusSchema = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;

export const BROADCAST_ERROR_CODES = [
  "broadcast.not_draft",
  "broadcast.no_message",
  "broadcast.community_not_allowed",
  "broadcast.urgent_needs_emergency",
  "broadcast.empty_audience",
  "broadcast.not_cancellable",
  "broadcast.emergency_not_found",
  "broadcast.drill",
  "push.subscription_invalid",
  "alerts.endpoint_not_allowed",
  "alerts.bad_keys",
  "alerts.community_unknown",
  "alerts.endpoint_in_use",
  "alerts.not_subscribed",
  "push.endpoint_not_allowed",
  "push.bad_keys",
  "push.subscription_unknown",
] as const;

export const BROADCAST_LIMITS = {
  title: 200,
  pushTitle: 80,
  body: 1000,
  communities: 50,
  /** Receipts in one request (a provider may batch them). */
  receipts: 500,
  /** Messages per send job. */
  batch: 500,
} as const;

/** The placeholder replaced by a per-recipient link (removed when none is configured). */
export const STATUS_LINK_PLACEHOLDER = "{statusLink}";

/* ------------------------------------------------------------------ */
/* Compose.                                                             */
/* ------------------------------------------------------------------ */

/**
 * Who receives it: residents of these communities (and what lies inside them; empty: the
 * whole department — managers only) who hold every listed consent, speak one of the
 * languages (empty: any) and carry one of the flags (empty: any).
 */
export const broadcastAudienceSchema = z.object({
  communityIds: z.array(z.uuid()).max(BROADCAST_LIMITS.communities).default([]),
  languages: z.array(z.enum(RESIDENT_LANGUAGES)).max(RESIDENT_LANGUAGES.length).default([]),
  flags: z.array(vulnerabilityFlagSchema).max(10).default([]),
  /** At least one: a broadcast reaches only people who agreed to be contacted. */
  consents: z.array(consentPurposeSchema).min(1).max(4).default(["contact_for_activities"]),
});
export type BroadcastAudience = z.infer<typeof broadcastAudienceSchema>;

export const broadcastMessageSchema = z.object({
  title: z.string().trim().max(BROADCAST_LIMITS.pushTitle).default(""),
  body: z.string().trim().min(1).max(BROADCAST_LIMITS.body),
});
export type BroadcastMessage = z.infer<typeof broadcastMessageSchema>;

export const broadcastMessagesSchema = z.partialRecord(
  broadcastLanguageSchema,
  broadcastMessageSchema,
);
export type BroadcastMessages = z.infer<typeof broadcastMessagesSchema>;

const composeFields = {
  title: z.string().trim().min(1).max(BROADCAST_LIMITS.title),
  audience: broadcastAudienceSchema,
  /** Channels in order of preference. */
  channels: z.array(broadcastChannelSchema).min(1).max(4),
  /** all: every listed channel the person has; first: only the first one they have. */
  channelMode: z.enum(["all", "first"]).default("first"),
  messages: broadcastMessagesSchema,
  /** The emergency event this broadcast belongs to (no foreign key: events live elsewhere). */
  emergencyId: z.uuid().nullable().default(null),
  /** Urgent emergency broadcasts go out during quiet hours (audited). Needs emergencyId. */
  urgent: z.boolean().default(false),
};

export const createBroadcastBodySchema = z.object(composeFields);
export type CreateBroadcastBody = z.infer<typeof createBroadcastBodySchema>;

export const updateBroadcastBodySchema = z.object(composeFields).partial();
export type UpdateBroadcastBody = z.infer<typeof updateBroadcastBodySchema>;

export const broadcastDryRunBodySchema = z.object({
  audience: broadcastAudienceSchema,
  channels: composeFields.channels,
  channelMode: composeFields.channelMode,
  messages: broadcastMessagesSchema.default({}),
  /** The emergency it would belong to: only then does it reach area subscribers. */
  emergencyId: z.uuid().nullable().optional(),
});
export type BroadcastDryRunBody = z.infer<typeof broadcastDryRunBodySchema>;

export const broadcastPreviewSchema = z.object({
  language: broadcastLanguageSchema,
  title: z.string(),
  body: z.string(),
  /** SMS parts the text takes (70 characters each in Hebrew/Arabic/Amharic, 160 in Latin). */
  smsParts: z.number().int(),
  /** Recipients who will get this language. */
  recipients: z.number().int(),
});
export type BroadcastPreview = z.infer<typeof broadcastPreviewSchema>;

export const broadcastDryRunSchema = z.object({
  /** Residents in the audience. */
  residents: z.number().int(),
  /** Residents reached by at least one chosen channel. */
  reachable: z.number().int(),
  /** Messages that would go out, per channel. */
  byChannel: z.record(broadcastChannelSchema, z.number().int()),
  byLanguage: z.partialRecord(broadcastLanguageSchema, z.number().int()),
  /** Languages some recipients speak that have no text (they get the fallback). */
  missingLanguages: z.array(broadcastLanguageSchema),
  previews: z.array(broadcastPreviewSchema),
  /** Non-urgent push and SMS wait until quiet hours end. */
  quietHoursNow: z.boolean(),
  /**
   * Phones subscribed to area alerts without an account, in the audience's communities (an
   * emergency's push broadcast without vulnerability flags only; otherwise 0), by language.
   */
  areaSubscribers: z.object({
    total: z.number().int(),
    byLanguage: z.partialRecord(broadcastLanguageSchema, z.number().int()),
  }),
});
export type BroadcastDryRun = z.infer<typeof broadcastDryRunSchema>;

/* ------------------------------------------------------------------ */
/* Read.                                                                */
/* ------------------------------------------------------------------ */

export const broadcastProgressSchema = z.object({
  id: z.uuid(),
  status: broadcastStatusSchema,
  total: z.number().int(),
  queued: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  byChannel: z.record(
    broadcastChannelSchema,
    z.object({
      total: z.number().int(),
      sent: z.number().int(),
      delivered: z.number().int(),
      failed: z.number().int(),
    }),
  ),
  /** Push and SMS held back by quiet hours until this time. */
  deferredUntil: z.string().nullable(),
});
export type BroadcastProgress = z.infer<typeof broadcastProgressSchema>;

export const broadcastListItemSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  status: broadcastStatusSchema,
  channels: z.array(broadcastChannelSchema),
  languages: z.array(broadcastLanguageSchema),
  emergencyId: z.uuid().nullable(),
  urgent: z.boolean(),
  total: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int(),
  createdAt: z.string(),
  confirmedAt: z.string().nullable(),
  createdByName: z.string().nullable(),
});
export type BroadcastListItem = z.infer<typeof broadcastListItemSchema>;
export const broadcastListSchema = pageOf(broadcastListItemSchema);
export type BroadcastList = z.infer<typeof broadcastListSchema>;

export const broadcastListQuerySchema = z.object({
  status: broadcastStatusSchema.optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});

export const broadcastSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  status: broadcastStatusSchema,
  audience: broadcastAudienceSchema,
  channels: z.array(broadcastChannelSchema),
  channelMode: z.enum(["all", "first"]),
  messages: broadcastMessagesSchema,
  emergencyId: z.uuid().nullable(),
  urgent: z.boolean(),
  quietHoursBypassed: z.boolean(),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  confirmedByName: z.string().nullable(),
  finishedAt: z.string().nullable(),
  version: z.number().int(),
  progress: broadcastProgressSchema,
  /** What the reader may do with it. */
  can: z.object({ edit: z.boolean(), confirm: z.boolean(), cancel: z.boolean() }),
});
export type Broadcast = z.infer<typeof broadcastSchema>;

export const broadcastDeliverySchema = z.object({
  id: z.string(),
  residentId: z.uuid().nullable(),
  channel: broadcastChannelSchema,
  language: broadcastLanguageSchema,
  status: deliveryStatusSchema,
  error: z.string().nullable(),
  sentAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
});
export const broadcastDeliveryListSchema = pageOf(broadcastDeliverySchema);
export type BroadcastDeliveryList = z.infer<typeof broadcastDeliveryListSchema>;
export const broadcastDeliveryQuerySchema = z.object({
  status: deliveryStatusSchema.optional(),
  channel: broadcastChannelSchema.optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});

/** A live progress change (event `broadcast` on the stream): counters only. */
export const broadcastStreamEventSchema = z.object({
  id: z.uuid(),
  status: broadcastStatusSchema,
  total: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int(),
});
export type BroadcastStreamEvent = z.infer<typeof broadcastStreamEventSchema>;

/* ------------------------------------------------------------------ */
/* Receipts, settings, push subscriptions, in-app notifications.        */
/* ------------------------------------------------------------------ */

/**
 * Delivery receipts from devices (the service worker acknowledges a shown notification) and
 * from provider adapters. Each carries the signed token that came with the message.
 */
export const broadcastReceiptsBodySchema = z.object({
  receipts: z
    .array(
      z.object({
        token: z.string().min(10).max(200),
        status: z.enum(["delivered", "failed"]).default("delivered"),
      }),
    )
    .min(1)
    .max(BROADCAST_LIMITS.receipts),
});
export const broadcastReceiptsResultSchema = z.object({
  accepted: z.number().int(),
  rejected: z.number().int(),
});

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM");
export const quietHoursSchema = z.object({
  enabled: z.boolean(),
  start: hhmm,
  end: hhmm,
});
export type QuietHours = z.infer<typeof quietHoursSchema>;
export const broadcastSettingsSchema = z.object({ quietHours: quietHoursSchema });
export type BroadcastSettings = z.infer<typeof broadcastSettingsSchema>;

export const pushPublicKeySchema = z.object({ publicKey: z.string() });
export const pushSubscriptionBodySchema = z.object({
  endpoint: z.url().max(1000),
  keys: z.object({
    p256dh: z
      .string()
      .regex(/^[A-Za-z0-9_-]{80,100}$/)
      .max(120),
    auth: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,32}$/)
      .max(40),
  }),
  language: broadcastLanguageSchema.default("he"),
});
export type PushSubscriptionBody = z.infer<typeof pushSubscriptionBodySchema>;
export const pushUnsubscribeBodySchema = z.object({ endpoint: z.url().max(1000) });
export const pushSubscriptionResultSchema = z.object({
  id: z.uuid(),
  resident: z.boolean(),
});

export const notificationSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  body: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export const notificationListSchema = z.object({ items: z.array(notificationSchema) });
export type NotificationList = z.infer<typeof notificationListSchema>;

/* ------------------------------------------------------------------ */
/* Area alerts: emergency pushes for a community, without an account.  */
/* ------------------------------------------------------------------ */

export const AREA_ALERT_LIMITS = { endpointLength: 1000 } as const;

/** What the public alerts page needs: the department, its communities, the VAPID key. */
export const areaAlertsInfoSchema = z.object({
  department: publicDepartmentSchema,
  publicKey: z.string(),
  communities: z.array(
    z.object({
      id: z.uuid(),
      /** town | neighbourhood */
      level: z.string(),
      parentId: z.uuid().nullable(),
      name: z.string(),
      /** Names in other languages, by locale (may be missing). */
      names: z.partialRecord(broadcastLanguageSchema, z.string()),
    }),
  ),
});
export type AreaAlertsInfo = z.infer<typeof areaAlertsInfoSchema>;

export const areaAlertSubscriptionBodySchema = z.object({
  endpoint: z.url().max(AREA_ALERT_LIMITS.endpointLength),
  keys: pushSubscriptionBodySchema.shape.keys,
  language: broadcastLanguageSchema.default("he"),
  communityId: z.uuid(),
});
export type AreaAlertSubscriptionBody = z.infer<typeof areaAlertSubscriptionBodySchema>;

export const areaAlertSubscriptionResultSchema = z.object({
  communityId: z.uuid(),
  language: broadcastLanguageSchema,
  /** false: this endpoint was already subscribed and is now updated. */
  created: z.boolean(),
});
export type AreaAlertSubscriptionResult = z.infer<typeof areaAlertSubscriptionResultSchema>;

/** Unsubscribe: the endpoint and its auth secret, which only the subscribing browser knows. */
export const areaAlertUnsubscribeBodySchema = z.object({
  endpoint: z.url().max(AREA_ALERT_LIMITS.endpointLength),
  auth: pushSubscriptionBodySchema.shape.keys.shape.auth,
});
export type AreaAlertUnsubscribeBody = z.infer<typeof areaAlertUnsubscribeBodySchema>;

/**
 * The browser replaced a push subscription (the service worker's `pushsubscriptionchange`):
 * the old endpoint with its auth secret — which only that browser and the server know — as
 * proof, and the new subscription. Moves account and area subscriptions alike, without cookies.
 */
export const pushSubscriptionChangeBodySchema = z.object({
  oldEndpoint: z.url().max(AREA_ALERT_LIMITS.endpointLength),
  oldAuth: pushSubscriptionBodySchema.shape.keys.shape.auth,
  endpoint: z.url().max(AREA_ALERT_LIMITS.endpointLength),
  keys: pushSubscriptionBodySchema.shape.keys,
});
export type PushSubscriptionChangeBody = z.infer<typeof pushSubscriptionChangeBodySchema>;
export const pushSubscriptionChangeResultSchema = z.object({
  /** How many subscriptions (one per department the browser had subscribed in) now use it. */
  moved: z.number().int(),
});
export type PushSubscriptionChangeResult = z.infer<typeof pushSubscriptionChangeResultSchema>;
