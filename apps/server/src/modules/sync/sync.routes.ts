import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import {
  errorBodySchema,
  syncPullQuerySchema,
  syncPullSchema,
  syncPushBodySchema,
  syncPushResultSchema,
} from "@kaveret/contracts";
import { contextOf } from "../../lib/context.ts";
import * as service from "./sync.service.ts";

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema };
const tags = ["sync"];

/** Offline field work: push the device's outbox, pull changes since a cursor. */
export async function syncRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.post(
    "/api/sync/push",
    {
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        tags,
        summary:
          "Apply a device's commands in order, each exactly once (a replay answers the stored result)",
        body: syncPushBodySchema,
        response: { 200: syncPushResultSchema, ...errors },
      },
    },
    async (request) => service.push(await contextOf(request), request.body),
  );
  app.get(
    "/api/sync/pull",
    {
      schema: {
        tags,
        summary: "Changes the reader may see after a cursor (removals for what left their reach)",
        querystring: syncPullQuerySchema,
        response: { 200: syncPullSchema, ...errors },
      },
    },
    async (request) => service.pull(await contextOf(request), request.query),
  );
}
