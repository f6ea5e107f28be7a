import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { eq } from "drizzle-orm";
import { errorBodySchema, meSchema, updateMeBodySchema, type Me } from "@kaveret/contracts";
import { schema } from "@kaveret/db";
import { requireActor } from "../../lib/context.ts";
import type { Actor } from "../../policy/actor.ts";

function presentMe(actor: Actor): Me {
  return {
    user: {
      id: actor.userId,
      name: actor.name,
      email: actor.email,
      kind: actor.kind,
      locale: actor.locale as Me["user"]["locale"],
      twoFactorEnabled: actor.twoFactorEnabled,
    },
    scopes: actor.scopes,
    activeScopeId: actor.scope?.id ?? null,
    twoFactorRequired: actor.twoFactorRequired,
  };
}

export async function meRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const errors = { 401: errorBodySchema, 400: errorBodySchema };
  app.get(
    "/api/me",
    {
      schema: {
        tags: ["me"],
        summary: "Who I am, my scopes and roles",
        response: { 200: meSchema, ...errors },
      },
    },
    async (request) => presentMe(await requireActor(request, { allowPendingTwoFactor: true })),
  );
  app.patch(
    "/api/me",
    {
      schema: {
        tags: ["me"],
        summary: "Change my language or display name",
        body: updateMeBodySchema,
        response: { 200: meSchema, ...errors },
      },
    },
    async (request) => {
      const actor = await requireActor(request, { allowPendingTwoFactor: true });
      const { locale, name } = request.body;
      if (locale !== undefined || name !== undefined) {
        await fastify.deps.database.db
          .update(schema.user)
          .set({ ...(locale ? { locale } : {}), ...(name ? { name } : {}), updatedAt: new Date() })
          .where(eq(schema.user.id, actor.userId));
      }
      fastify.deps.actorCache.invalidateUser(actor.userId);
      return presentMe({ ...actor, locale: locale ?? actor.locale, name: name ?? actor.name });
    },
  );
}
