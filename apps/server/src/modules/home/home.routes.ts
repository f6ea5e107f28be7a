import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { errorBodySchema, homeSchema } from "@kaveret/contracts";
import { contextOf } from "../../lib/context.ts";
import { homeFor } from "./home.service.ts";

export async function homeRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    "/api/home",
    {
      schema: {
        tags: ["home"],
        summary: "Figures for the home page of the active scope",
        response: { 200: homeSchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => homeFor(await contextOf(request)),
  );
}
