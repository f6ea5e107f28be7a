import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { errorBodySchema, healthSchema } from "@kaveret/contracts";
import { AppError } from "../../lib/errors.ts";

export async function healthRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    "/api/health",
    {
      schema: {
        tags: ["ops"],
        summary: "Liveness with a database round trip",
        response: { 200: healthSchema, 503: errorBodySchema },
      },
      config: { rateLimit: false },
    },
    async () => {
      try {
        await fastify.deps.database.query("select 1");
      } catch {
        throw new AppError("internal_error", 503, "The database is not reachable");
      }
      return { status: "ok" as const };
    },
  );
}
