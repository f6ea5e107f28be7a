import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import {
  errorBodySchema,
  mapConfigSchema,
  mapLayersQuerySchema,
  mapLayersSchema,
  mapResidentsQuerySchema,
  mapResidentsSchema,
} from "@kaveret/contracts";
import { contextOf } from "../../lib/context.ts";
import * as service from "./map.service.ts";

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema };
const tags = ["map"];

export async function mapRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    "/api/map/config",
    {
      schema: {
        tags,
        summary: "Base-map settings (tile URL; none: our own GeoJSON on a plain background)",
        response: { 200: mapConfigSchema, ...errors },
      },
    },
    async (request) => service.mapConfig(await contextOf(request)),
  );

  app.get(
    "/api/map/layers",
    {
      schema: {
        tags,
        summary: "Boundaries, assets and streets the caller may see, as GeoJSON",
        querystring: mapLayersQuerySchema,
        response: { 200: mapLayersSchema, 404: errorBodySchema, ...errors },
      },
    },
    async (request) => service.mapLayers(await contextOf(request), request.query),
  );

  app.get(
    "/api/map/residents",
    {
      schema: {
        tags,
        summary: "Residents the caller may see in a box: grid clusters, or single points when few",
        querystring: mapResidentsQuerySchema,
        response: { 200: mapResidentsSchema, 404: errorBodySchema, ...errors },
      },
    },
    async (request) => service.mapResidents(await contextOf(request), request.query),
  );
}
