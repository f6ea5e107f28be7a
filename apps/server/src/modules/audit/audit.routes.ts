import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { auditPageSchema, listAuditQuerySchema } from "@kaveret/contracts";
import { contextOf } from "../../lib/context.ts";
import { listAudit } from "./audit.service.ts";
import { presentAuditEvent } from "./audit.presenter.ts";

export async function auditRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // Read-only by design: there is no route that alters or deletes audit rows.
  app.get(
    "/api/audit",
    {
      schema: {
        tags: ["audit"],
        summary: "The department's audit trail (managers)",
        querystring: listAuditQuerySchema,
        response: { 200: auditPageSchema },
      },
    },
    async (request) => {
      const ctx = await contextOf(request);
      const { rows, total } = await listAudit(ctx, request.query);
      return {
        items: rows.map(presentAuditEvent),
        total,
        page: request.query.page,
        pageSize: request.query.pageSize,
      };
    },
  );
}
