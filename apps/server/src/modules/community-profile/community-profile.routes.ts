import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  communityOverviewSchema,
  errorBodySchema,
  figureListSchema,
  putFiguresBodySchema,
} from "@kaveret/contracts";
import { contextOf } from "../../lib/context.ts";
import * as service from "./community-profile.service.ts";

const params = z.object({ id: z.uuid() });
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
};
const tags = ["communities"];

export async function communityProfileRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    "/api/communities/:id/overview",
    {
      schema: {
        tags,
        summary:
          "The community page in one request: profile, figures, counts, sub-communities, assets, people, recent activity",
        params,
        response: { 200: communityOverviewSchema, ...errors },
      },
    },
    async (request) => service.getOverview(await contextOf(request), request.params.id),
  );

  app.get(
    "/api/communities/:id/figures",
    {
      schema: {
        tags,
        summary: "Population and other figures of a community, every period",
        params,
        response: { 200: figureListSchema, ...errors },
      },
    },
    async (request) => service.getFigures(await contextOf(request), request.params.id),
  );

  app.put(
    "/api/communities/:id/figures",
    {
      schema: {
        tags,
        summary:
          "Set (or, with value null, remove) figures for the given indicator and period pairs",
        params,
        body: putFiguresBodySchema,
        response: { 200: figureListSchema, ...errors },
      },
    },
    async (request) =>
      service.putFigures(await contextOf(request), request.params.id, request.body),
  );
}
