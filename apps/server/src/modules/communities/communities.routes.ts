import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  communityPageSchema,
  communitySchema,
  communityVersionBodySchema,
  createCommunityBodySchema,
  errorBodySchema,
  listCommunitiesQuerySchema,
  updateCommunityBodySchema,
} from "@kaveret/contracts";
import { contextOf } from "../../lib/context.ts";
import * as service from "./communities.service.ts";

const params = z.object({ id: z.uuid() });
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};
const tags = ["communities"];

export async function communitiesRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    "/api/communities",
    {
      schema: {
        tags,
        summary: "Communities the caller may see",
        querystring: listCommunitiesQuerySchema,
        response: { 200: communityPageSchema, ...errors },
      },
    },
    async (request) => service.listCommunities(await contextOf(request), request.query),
  );

  app.get(
    "/api/communities/:id",
    {
      schema: {
        tags,
        summary: "One community",
        params,
        response: { 200: communitySchema, ...errors },
      },
    },
    async (request) => service.getCommunity(await contextOf(request), request.params.id),
  );

  app.post(
    "/api/communities",
    {
      schema: {
        tags,
        summary: "Create a community",
        body: createCommunityBodySchema,
        response: { 201: communitySchema, ...errors },
      },
    },
    async (request, reply) => {
      const created = await service.createCommunity(await contextOf(request), request.body);
      return reply.status(201).send(created);
    },
  );

  app.patch(
    "/api/communities/:id",
    {
      schema: {
        tags,
        summary: "Edit a community (send the version you edited)",
        params,
        body: updateCommunityBodySchema,
        response: { 200: communitySchema, ...errors },
      },
    },
    async (request) =>
      service.updateCommunity(await contextOf(request), request.params.id, request.body),
  );

  app.post(
    "/api/communities/:id/archive",
    {
      schema: {
        tags,
        summary: "Archive a community",
        params,
        body: communityVersionBodySchema,
        response: { 200: communitySchema, ...errors },
      },
    },
    async (request) =>
      service.setCommunityArchived(
        await contextOf(request),
        request.params.id,
        request.body.version,
        true,
      ),
  );

  app.post(
    "/api/communities/:id/restore",
    {
      schema: {
        tags,
        summary: "Restore an archived community",
        params,
        body: communityVersionBodySchema,
        response: { 200: communitySchema, ...errors },
      },
    },
    async (request) =>
      service.setCommunityArchived(
        await contextOf(request),
        request.params.id,
        request.body.version,
        false,
      ),
  );
}
