import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  createSavedFilterBodySchema,
  errorBodySchema,
  listSavedFiltersQuerySchema,
  savedFilterListSchema,
  savedFilterSchema,
} from "@kaveret/contracts";
import { contextOf } from "../../lib/context.ts";
import * as service from "./saved-filters.service.ts";

const params = z.object({ id: z.uuid() });
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};
const tags = ["saved-filters"];

export async function savedFiltersRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    "/api/saved-filters",
    {
      schema: {
        tags,
        summary: "The caller's own saved list filters",
        querystring: listSavedFiltersQuerySchema,
        response: { 200: savedFilterListSchema, ...errors },
      },
    },
    async (request) => service.listSavedFilters(await contextOf(request), request.query.entity),
  );

  app.post(
    "/api/saved-filters",
    {
      schema: {
        tags,
        summary: "Save a list filter under a name",
        body: createSavedFilterBodySchema,
        response: { 201: savedFilterSchema, ...errors },
      },
    },
    async (request, reply) => {
      const created = await service.createSavedFilter(await contextOf(request), request.body);
      return reply.status(201).send(created);
    },
  );

  app.delete(
    "/api/saved-filters/:id",
    {
      schema: {
        tags,
        summary: "Delete one of the caller's saved filters",
        params,
        response: { 204: z.null().describe("Deleted"), ...errors },
      },
    },
    async (request, reply) => {
      await service.deleteSavedFilter(await contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
