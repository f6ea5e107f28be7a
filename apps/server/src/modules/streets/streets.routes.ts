import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import {
  createStreetBodySchema,
  errorBodySchema,
  listStreetsQuerySchema,
  streetListSchema,
  streetSchema,
} from "@kaveret/contracts";
import { contextOf } from "../../lib/context.ts";
import * as service from "./streets.service.ts";

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  409: errorBodySchema,
};
const tags = ["streets"];

export async function streetsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    "/api/streets",
    {
      schema: {
        tags,
        summary: "Streets of the department's towns (for addresses; no external geocoder)",
        querystring: listStreetsQuerySchema,
        response: { 200: streetListSchema, ...errors },
      },
    },
    async (request) => service.listStreets(await contextOf(request), request.query),
  );

  app.post(
    "/api/streets",
    {
      schema: {
        tags,
        summary: "Add a street to a town's list",
        body: createStreetBodySchema,
        response: { 201: streetSchema, ...errors },
      },
    },
    async (request, reply) => {
      const created = await service.createStreet(await contextOf(request), request.body);
      return reply.status(201).send(created);
    },
  );
}
