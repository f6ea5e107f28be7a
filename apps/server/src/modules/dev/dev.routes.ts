import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { desc } from "drizzle-orm";
import { z } from "zod";
import { schema } from "@kaveret/db";

const outboxSchema = z.object({
  items: z.array(
    z.object({
      id: z.number(),
      channel: z.string(),
      to: z.string(),
      subject: z.string().nullable(),
      body: z.string(),
      createdAt: z.string(),
    }),
  ),
});

/**
 * Development only (never registered when NODE_ENV=production): the local
 * message transport's outbox, so one-time codes and invitations can be read
 * without an SMS gateway or mail server.
 */
export async function devRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    "/api/dev/outbox",
    {
      schema: {
        tags: ["development"],
        summary: "Messages the local transport delivered (development only)",
        response: { 200: outboxSchema },
      },
    },
    async () => {
      const rows = await fastify.deps.database.db
        .select()
        .from(schema.devOutbox)
        .orderBy(desc(schema.devOutbox.id))
        .limit(100);
      return { items: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) };
    },
  );
}
