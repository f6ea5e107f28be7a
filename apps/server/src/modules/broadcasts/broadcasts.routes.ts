import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  broadcastDeliveryListSchema,
  broadcastDeliveryQuerySchema,
  broadcastDryRunBodySchema,
  broadcastDryRunSchema,
  broadcastListQuerySchema,
  broadcastListSchema,
  broadcastProgressSchema,
  broadcastReceiptsBodySchema,
  broadcastReceiptsResultSchema,
  broadcastSchema,
  broadcastSettingsSchema,
  createBroadcastBodySchema,
  errorBodySchema,
  notificationListSchema,
  pushPublicKeySchema,
  pushSubscriptionBodySchema,
  pushSubscriptionResultSchema,
  pushUnsubscribeBodySchema,
  updateBroadcastBodySchema,
} from "@kaveret/contracts";
import { keepRawBodies } from "../../channels/index.ts";
import { scopeFromQuery, serveEvents } from "../../lib/sse.ts";
import { contextOf } from "../../lib/context.ts";
import { authorize } from "../../policy/policy.ts";
import { hasRole } from "../../policy/actor.ts";
import * as service from "./broadcasts.service.ts";

const params = z.object({ id: z.uuid() });
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};
const tags = ["broadcasts"];

export async function broadcastsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const rt = () => fastify.deps.broadcasts;

  app.get(
    "/api/broadcasts",
    {
      schema: {
        tags,
        summary: "Broadcasts of the department (a community worker: theirs and their communities')",
        querystring: broadcastListQuerySchema,
        response: { 200: broadcastListSchema, ...errors },
      },
    },
    async (request) => service.listBroadcasts(await contextOf(request), request.query),
  );

  app.post(
    "/api/broadcasts",
    {
      schema: {
        tags,
        summary: "A draft broadcast: audience, channels, texts per language",
        body: createBroadcastBodySchema,
        response: { 201: broadcastSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createBroadcast(await contextOf(request), request.body)),
  );

  app.post(
    "/api/broadcasts/dry-run",
    {
      schema: {
        tags,
        summary:
          "Who a broadcast would reach (counts by channel and language) and a preview of each text; sends nothing",
        body: broadcastDryRunBodySchema,
        response: { 200: broadcastDryRunSchema, ...errors },
      },
    },
    async (request) => service.dryRun(await contextOf(request), request.body),
  );

  app.get(
    "/api/broadcasts/settings",
    {
      schema: {
        tags,
        summary: "The department's quiet hours",
        response: { 200: broadcastSettingsSchema, ...errors },
      },
    },
    async (request) => service.getSettings(await contextOf(request)),
  );

  app.put(
    "/api/broadcasts/settings",
    {
      schema: {
        tags,
        summary: "Set quiet hours (manager); only urgent emergency broadcasts go out during them",
        body: broadcastSettingsSchema,
        response: { 200: broadcastSettingsSchema, ...errors },
      },
    },
    async (request) => service.updateSettings(await contextOf(request), request.body),
  );

  app.get(
    "/api/broadcasts/stream",
    {
      schema: {
        tags,
        summary:
          "Live progress of the broadcasts the reader may see (Server-Sent Events, event `broadcast`); `?scope=` stands in for the scope header",
        querystring: z.object({ scope: z.string().max(100).optional() }),
      },
    },
    async (request, reply) => {
      scopeFromQuery(request);
      const ctx = await contextOf(request);
      authorize(ctx.actor, { type: "broadcast.list" });
      const departmentId = ctx.actor.departmentId!;
      const manager = hasRole(ctx.actor, "manager");
      // A community worker's stream carries counters of the broadcasts they could open.
      const allowed = new Set<string>();
      if (!manager) {
        const mine = await service.listBroadcasts(ctx, { page: 1, pageSize: 100 });
        for (const b of mine.items) allowed.add(b.id);
      }
      return serveEvents(request, reply, (send) =>
        ctx.events.subscribe("broadcasts", (change) => {
          if (change.departmentId !== departmentId) return;
          if (!manager && !allowed.has(change.id)) return;
          const { departmentId: _d, ...event } = change;
          send("broadcast", event);
        }),
      );
    },
  );

  app.post(
    "/api/broadcasts/receipts",
    {
      config: {
        rateLimit: { max: fastify.deps.config.RECEIPTS_PER_MINUTE, timeWindow: "1 minute" },
      },
      schema: {
        tags,
        summary:
          "Delivery receipts: a device acknowledging a shown notification, or a provider adapter; each carries the signed token sent with the message (no account)",
        body: broadcastReceiptsBodySchema,
        response: { 202: broadcastReceiptsResultSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(202).send(service.ingestReceipts(rt(), request.body.receipts)),
  );

  // Twilio's delivery report for one SMS (StatusCallback, form-encoded): the token in the
  // address names the delivery and is the proof (HMAC), so no account is involved.
  await app.register(async (scope) => {
    keepRawBodies(scope, { bodyLimit: 64 * 1024 });
    scope.withTypeProvider<ZodTypeProvider>().post(
      "/api/broadcasts/receipts/sms",
      {
        config: {
          rateLimit: { max: fastify.deps.config.RECEIPTS_PER_MINUTE, timeWindow: "1 minute" },
        },
        schema: {
          tags,
          summary:
            "An SMS provider's delivery report (Twilio StatusCallback, form-encoded MessageStatus); `token` is the one the server put in the callback address",
          querystring: z.object({ token: z.string().min(10).max(200) }),
          response: { 204: z.null().describe("Recorded (or ignored)"), ...errors },
        },
      },
      async (request, reply) => {
        const form = new URLSearchParams(typeof request.body === "string" ? request.body : "");
        const status = form.get("MessageStatus") ?? form.get("SmsStatus");
        const outcome =
          status === "delivered"
            ? "delivered"
            : status === "undelivered" || status === "failed"
              ? "failed"
              : null;
        if (outcome)
          service.ingestReceipts(rt(), [{ token: request.query.token, status: outcome }]);
        return reply.status(204).send(null);
      },
    );
  });

  app.get(
    "/api/broadcasts/:id",
    {
      schema: {
        tags,
        summary: "A broadcast with its progress",
        params,
        response: { 200: broadcastSchema, ...errors },
      },
    },
    async (request) => service.getBroadcast(await contextOf(request), request.params.id),
  );

  app.patch(
    "/api/broadcasts/:id",
    {
      schema: {
        tags,
        summary: "Change a draft",
        params,
        body: updateBroadcastBodySchema,
        response: { 200: broadcastSchema, ...errors },
      },
    },
    async (request) =>
      service.updateBroadcast(await contextOf(request), request.params.id, request.body),
  );

  app.get(
    "/api/broadcasts/:id/dry-run",
    {
      schema: {
        tags,
        summary: "Dry run of a saved broadcast",
        params,
        response: { 200: broadcastDryRunSchema, ...errors },
      },
    },
    async (request) => service.dryRunOf(await contextOf(request), request.params.id),
  );

  app.post(
    "/api/broadcasts/:id/confirm",
    {
      schema: {
        tags,
        summary:
          "Confirm and send: the fan-out runs on the job queue; non-urgent push and SMS wait for quiet hours to end",
        params,
        response: { 200: broadcastSchema, ...errors },
      },
    },
    async (request) => service.confirmBroadcast(await contextOf(request), rt(), request.params.id),
  );

  app.post(
    "/api/broadcasts/:id/cancel",
    {
      schema: {
        tags,
        summary: "Stop a broadcast; what is still queued is skipped",
        params,
        response: { 200: broadcastSchema, ...errors },
      },
    },
    async (request) => service.cancelBroadcast(await contextOf(request), request.params.id),
  );

  app.get(
    "/api/broadcasts/:id/progress",
    {
      schema: {
        tags,
        summary: "Counts by status and channel",
        params,
        response: { 200: broadcastProgressSchema, ...errors },
      },
    },
    async (request) => service.progressOf(await contextOf(request), request.params.id),
  );

  app.get(
    "/api/broadcasts/:id/deliveries",
    {
      schema: {
        tags,
        summary: "Delivery receipts, one row per recipient and channel (no names or addresses)",
        params,
        querystring: broadcastDeliveryQuerySchema,
        response: { 200: broadcastDeliveryListSchema, ...errors },
      },
    },
    async (request) =>
      service.deliveriesOf(await contextOf(request), request.params.id, request.query),
  );

  /* Push subscriptions and in-app notifications of the signed-in user. */

  app.get(
    "/api/push/public-key",
    {
      schema: {
        tags: ["push"],
        summary: "The server's VAPID public key (applicationServerKey)",
        response: { 200: pushPublicKeySchema },
      },
    },
    async () => ({ publicKey: rt().publicKey }),
  );

  app.post(
    "/api/push/subscriptions",
    {
      schema: {
        tags: ["push"],
        summary: "Store this browser's push subscription for the signed-in user",
        body: pushSubscriptionBodySchema,
        response: { 201: pushSubscriptionResultSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.subscribe(await contextOf(request), request.body)),
  );

  app.delete(
    "/api/push/subscriptions",
    {
      schema: {
        tags: ["push"],
        summary: "Remove this browser's subscription",
        body: pushUnsubscribeBodySchema,
        response: { 204: z.null().describe("Removed"), ...errors },
      },
    },
    async (request, reply) => {
      await service.unsubscribe(await contextOf(request), request.body.endpoint);
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/api/notifications",
    {
      schema: {
        tags: ["push"],
        summary: "The signed-in user's in-app notifications (newest 50)",
        response: { 200: notificationListSchema, ...errors },
      },
    },
    async (request) => service.myNotifications(await contextOf(request)),
  );

  app.post(
    "/api/notifications/:id/read",
    {
      schema: {
        tags: ["push"],
        summary: "Mark an in-app notification read",
        params,
        response: { 204: z.null().describe("Marked"), ...errors },
      },
    },
    async (request, reply) => {
      await service.markRead(await contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
