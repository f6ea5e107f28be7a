import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import {
  errorBodySchema,
  pushSubscriptionChangeBodySchema,
  pushSubscriptionChangeResultSchema,
} from "@kaveret/contracts";
import { changeSubscription } from "./subscription-change.ts";

/** The service worker reports a replaced push subscription (see subscription-change.ts). */
export async function subscriptionChangeRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { config } = fastify.deps;
  app.post(
    "/api/public/push/subscription-change",
    {
      config: { rateLimit: { max: config.PUBLIC_ALERTS_PER_MINUTE, timeWindow: "1 minute" } },
      schema: {
        tags: ["public", "push"],
        summary:
          "The browser replaced its push subscription: move this browser's subscriptions to the new one (the old auth secret is the proof)",
        body: pushSubscriptionChangeBodySchema,
        response: {
          200: pushSubscriptionChangeResultSchema,
          400: errorBodySchema,
          404: errorBodySchema,
          429: errorBodySchema,
        },
      },
    },
    async (request) =>
      changeSubscription(
        {
          db: fastify.deps.database.db,
          pushHosts: config.AREA_ALERT_PUSH_HOSTS.split(","),
          allowLoopback: config.NODE_ENV !== "production",
        },
        request.body,
      ),
  );
}
