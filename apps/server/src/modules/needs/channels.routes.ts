import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import { and, eq, sql } from "drizzle-orm";
import { schema, type Db, type FieldCipher } from "@kaveret/db";
import type { Config } from "../../config/env.ts";
import type { EventBus } from "../../events/bus.ts";
import { AppError } from "../../lib/errors.ts";
import {
  ChannelError,
  answerWhatsAppVerification,
  confirmationReplies,
  createWhatsAppTransport,
  downloadTwilioMedia,
  keepRawBodies,
  parseConversationState,
  publicWebhookUrl,
  readTwilioWebhook,
  readWhatsAppWebhook,
  step,
  twilioConversationInput,
  twimlForReplies,
  whatsAppConversationInput,
  type ConversationInput,
  type NeedDraft,
  type OutboundReply,
} from "../../channels/index.ts";
import * as repo from "./needs.repository.ts";
import { createPublicNeed, labelsOf } from "./needs.service.ts";

type Channel = "sms" | "whatsapp";

const asAppError = (err: unknown): never => {
  if (err instanceof ChannelError)
    throw new AppError(err.code, err.status, err.message, err.details);
  throw err;
};

/** The department an inbound message is for: by the number it was sent to. */
async function departmentFor(db: Db, channel: Channel, address: string): Promise<string | null> {
  const key = channel === "sms" ? "smsNumber" : "whatsappPhoneNumberId";
  const [row] = await db
    .select({ id: schema.departments.id })
    .from(schema.departments)
    .where(sql`${schema.departments.settings}->>${key} = ${address}`)
    .limit(1);
  return row?.id ?? null;
}

/** Providers redeliver: each message id is handled once (false when seen before). */
async function firstTime(db: Db, channel: Channel, messageId: string, departmentId: string) {
  const rows = await db
    .insert(schema.channelInbound)
    .values({ channel, messageId, departmentId })
    .onConflictDoNothing()
    .returning({ id: schema.channelInbound.messageId });
  return rows.length === 1;
}

type Turn = {
  db: Db;
  cipher: FieldCipher;
  config: Config;
  events: EventBus;
  departmentId: string;
  channel: Channel;
  from: string;
  input: ConversationInput;
  /** Fetches the photos of a finished report (provider media ids or URLs). */
  photos: (draft: NeedDraft) => Promise<Buffer[]>;
};

/**
 * One inbound message: advance the resident's conversation (state kept encrypted per
 * number), and when it is complete store the need (through the same intake as the public
 * page) and add the confirmation with its reference. Returns the replies to send.
 */
async function converse(t: Turn): Promise<OutboundReply[]> {
  const addressHash = t.cipher.blindIndex(t.departmentId, "channel_address", t.from);
  const where = and(
    eq(schema.channelConversations.departmentId, t.departmentId),
    eq(schema.channelConversations.channel, t.channel),
    eq(schema.channelConversations.addressHash, addressHash),
  );
  const [stored] = await t.db
    .select({ stateEnc: schema.channelConversations.stateEnc })
    .from(schema.channelConversations)
    .where(where)
    .limit(1);
  let previous = null;
  if (stored) {
    try {
      previous = parseConversationState(t.cipher.decryptJson(stored.stateEnc));
    } catch {
      previous = null;
    }
  }
  const categories = (await repo.categories(t.db, t.departmentId))
    .filter((c) => c.active)
    .map((c) => ({ code: c.code, labels: labelsOf(c.labels) }));
  const result = step(previous, t.input, {
    categories,
    now: new Date(),
    channel: t.channel,
    contactPhone: t.from,
  });
  const replies = [...result.replies];
  for (const draft of [result.abandoned, result.done]) {
    if (!draft) continue;
    const photos = await t.photos(draft).catch(() => [] as Buffer[]);
    const receipt = await createPublicNeed(
      { db: t.db, cipher: t.cipher, config: t.config, events: t.events },
      t.departmentId,
      {
        category: draft.category,
        description: draft.description,
        location: draft.location,
        addressText: draft.addressText ?? "",
        language: draft.language,
        contactName: "",
        // They wrote to us from this number: it is how the worker answers them.
        contactPhone: draft.contactPhone,
        contactEmail: null,
        contactConsent: true,
        website: "",
      },
      photos.slice(0, 3),
      t.channel,
    ).catch((err: unknown) => {
      // A photo we cannot take must not lose the report itself.
      if (err instanceof AppError && err.code.startsWith("need.attachment") && photos.length) {
        return null;
      }
      throw err;
    });
    if (draft === result.done && receipt) {
      replies.push(...confirmationReplies(draft.language, receipt.reference));
    }
  }
  if (result.state) {
    const stateEnc = t.cipher.encryptJson(result.state);
    await t.db
      .insert(schema.channelConversations)
      .values({ departmentId: t.departmentId, channel: t.channel, addressHash, stateEnc })
      .onConflictDoUpdate({
        target: [
          schema.channelConversations.departmentId,
          schema.channelConversations.channel,
          schema.channelConversations.addressHash,
        ],
        set: { stateEnc, updatedAt: sql`now()` },
      });
  } else {
    await t.db.delete(schema.channelConversations).where(where);
  }
  return replies;
}

/**
 * Inbound SMS (Twilio's webhook format) and WhatsApp (the Cloud API's), with their
 * signatures checked on the raw body; a short conversation asks for category and
 * place, then the need joins the queue like any other report.
 */
export async function channelsRoutes(fastify: FastifyInstance) {
  const { config, database, cipher, events } = fastify.deps;
  const db = database.db;
  keepRawBodies(fastify, { bodyLimit: 256 * 1024 });

  fastify.post("/api/channels/sms", { schema: { hide: true } }, async (request, reply) => {
    if (!config.TWILIO_AUTH_TOKEN) {
      throw new AppError("channel.not_configured", 404, "Inbound SMS is not configured");
    }
    let message;
    try {
      message = readTwilioWebhook({
        authToken: config.TWILIO_AUTH_TOKEN,
        url: publicWebhookUrl(config.publicUrl, request.url),
        rawBody: typeof request.body === "string" ? request.body : "",
        signature: request.headers["x-twilio-signature"],
      });
    } catch (err) {
      asAppError(err);
    }
    const m = message!;
    const departmentId = await departmentFor(db, "sms", m.to);
    if (!departmentId) {
      throw new AppError(
        "channel.not_configured",
        404,
        "No department takes messages at this number",
      );
    }
    if (!(await firstTime(db, "sms", m.messageSid, departmentId))) {
      return reply.type("text/xml").send(twimlForReplies([]));
    }
    const replies = await converse({
      db,
      cipher,
      config,
      events,
      departmentId,
      channel: "sms",
      from: m.from,
      input: twilioConversationInput(m),
      photos: async (draft) =>
        Promise.all(
          draft.mediaIds.map(
            async (url) =>
              (
                await downloadTwilioMedia(url, {
                  apiUrl: config.TWILIO_API_URL,
                  accountSid: config.TWILIO_ACCOUNT_SID ?? "",
                  authToken: config.TWILIO_AUTH_TOKEN ?? "",
                  maxBytes: 5 * 1024 * 1024,
                })
              ).bytes,
          ),
        ),
    });
    // Twilio sends what the TwiML says, synchronously.
    return reply.type("text/xml").send(twimlForReplies(replies));
  });

  fastify.get("/api/channels/whatsapp", { schema: { hide: true } }, async (request, reply) => {
    if (!config.WHATSAPP_VERIFY_TOKEN) {
      throw new AppError("channel.not_configured", 404, "WhatsApp is not configured");
    }
    try {
      return reply
        .type("text/plain")
        .send(
          answerWhatsAppVerification(
            request.query as Record<string, unknown>,
            config.WHATSAPP_VERIFY_TOKEN,
          ),
        );
    } catch (err) {
      return asAppError(err);
    }
  });

  fastify.post("/api/channels/whatsapp", { schema: { hide: true } }, async (request, reply) => {
    if (!config.WHATSAPP_APP_SECRET || !config.WHATSAPP_ACCESS_TOKEN) {
      throw new AppError("channel.not_configured", 404, "WhatsApp is not configured");
    }
    let hook;
    try {
      hook = readWhatsAppWebhook({
        appSecret: config.WHATSAPP_APP_SECRET,
        rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        signature: request.headers["x-hub-signature-256"],
      });
    } catch (err) {
      asAppError(err);
    }
    const outgoing: { phoneNumberId: string; to: string; replies: OutboundReply[] }[] = [];
    for (const m of hook!.messages) {
      const departmentId = await departmentFor(db, "whatsapp", m.phoneNumberId);
      if (!departmentId || !(await firstTime(db, "whatsapp", m.id, departmentId))) continue;
      const transport = transportFor(config, m.phoneNumberId);
      const replies = await converse({
        db,
        cipher,
        config,
        events,
        departmentId,
        channel: "whatsapp",
        from: m.from,
        input: whatsAppConversationInput(m),
        photos: async (draft) =>
          Promise.all(
            draft.mediaIds.map(
              async (id) =>
                (await transport.downloadMedia(id, { maxBytes: 5 * 1024 * 1024 })).bytes,
            ),
          ),
      });
      outgoing.push({ phoneNumberId: m.phoneNumberId, to: m.from, replies });
    }
    // A failed reply must not make Meta redeliver (the need is stored): always 200.
    for (const o of outgoing) {
      await transportFor(config, o.phoneNumberId)
        .sendReplies(o.to, o.replies)
        .catch((err: unknown) => logSendFailure(fastify.log, err));
    }
    return reply.status(200).send({ received: true });
  });
}

function transportFor(config: Config, phoneNumberId: string) {
  return createWhatsAppTransport({
    accessToken: config.WHATSAPP_ACCESS_TOKEN ?? "",
    phoneNumberId,
    baseUrl: config.WHATSAPP_API_URL,
    version: config.WHATSAPP_API_VERSION,
  });
}

function logSendFailure(log: FastifyBaseLogger, err: unknown) {
  // The error names the provider's code, never the recipient or the text.
  log.warn({ err: err instanceof Error ? err.message : String(err) }, "whatsapp reply not sent");
}
