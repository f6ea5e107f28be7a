import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { exportAssetsQuerySchema, exportResidentsQuerySchema } from "@kaveret/contracts";
import { contextOf } from "../../lib/context.ts";
import * as service from "./exports.service.ts";
import { localeOf } from "./imports.routes.ts";

export async function exportsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    "/api/residents/export",
    {
      schema: {
        tags: ["residents"],
        summary:
          "CSV or XLSX of the residents the reader may see, under the list's filters (ID number and health notes only with includeSensitive and a purpose); audited",
        querystring: exportResidentsQuerySchema,
      },
    },
    async (request, reply) => {
      const ctx = await contextOf(request);
      const locale = localeOf(request, request.query.lang, ctx.actor.locale);
      const file = await service.exportResidents(ctx, request.query, locale, request.log);
      return reply
        .header("content-type", file.contentType)
        .header("content-disposition", file.disposition)
        .header("cache-control", "no-store")
        .send(file.stream);
    },
  );

  app.get(
    "/api/assets/export",
    {
      schema: {
        tags: ["assets"],
        summary: "CSV or XLSX of the community assets, under the list's filters",
        querystring: exportAssetsQuerySchema,
      },
    },
    async (request, reply) => {
      const ctx = await contextOf(request);
      const locale = localeOf(request, request.query.lang, ctx.actor.locale);
      const file = await service.exportAssets(ctx, request.query, locale, request.log);
      return reply
        .header("content-type", file.contentType)
        .header("content-disposition", file.disposition)
        .header("cache-control", "no-store")
        .send(file.stream);
    },
  );
}
