import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  areaAlertSubscriptionBodySchema,
  areaAlertSubscriptionResultSchema,
  areaAlertUnsubscribeBodySchema,
  areaAlertsInfoSchema,
  errorBodySchema,
} from "@kaveret/contracts";
import * as service from "./area-alerts.service.ts";

const params = z.object({ departmentId: z.uuid() });
const errors = {
  400: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  429: errorBodySchema,
};
const tags = ["public"];

/**
 * Area alerts without an account (the public page /alerts/:departmentId): the communities to
 * choose from and the VAPID key; subscribe and unsubscribe, rate-limited per IP.
 */
export async function areaAlertsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { config } = fastify.deps;
  const deps = (): service.AreaAlertsDeps => ({
    db: fastify.deps.database.db,
    publicKey: fastify.deps.broadcasts.publicKey,
    pushHosts: config.AREA_ALERT_PUSH_HOSTS.split(","),
    allowLoopback: config.NODE_ENV !== "production",
  });
  const limited = {
    rateLimit: { max: config.PUBLIC_ALERTS_PER_MINUTE, timeWindow: "1 minute" },
  };

  app.get(
    "/api/public/departments/:departmentId/alerts",
    {
      schema: {
        tags,
        summary:
          "Emergency alerts without an account: the communities to choose from and the push key",
        params,
        response: { 200: areaAlertsInfoSchema, ...errors },
      },
    },
    async (request) => service.alertsInfo(deps(), request.params.departmentId),
  );

  app.post(
    "/api/public/departments/:departmentId/alerts/subscriptions",
    {
      config: limited,
      schema: {
        tags,
        summary:
          "Have this phone's browser get the department's emergency alerts for a community (no account; same endpoint: updated)",
        params,
        body: areaAlertSubscriptionBodySchema,
        response: {
          201: areaAlertSubscriptionResultSchema,
          200: areaAlertSubscriptionResultSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const result = await service.subscribeArea(deps(), request.params.departmentId, request.body);
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  app.delete(
    "/api/public/departments/:departmentId/alerts/subscriptions",
    {
      config: limited,
      schema: {
        tags,
        summary: "Stop area alerts on this browser: the endpoint and its auth secret as proof",
        params,
        body: areaAlertUnsubscribeBodySchema,
        response: { 204: z.null().describe("Removed"), ...errors },
      },
    },
    async (request, reply) => {
      await service.unsubscribeArea(deps(), request.params.departmentId, request.body);
      return reply.status(204).send(null);
    },
  );
}
