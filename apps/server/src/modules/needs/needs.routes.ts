import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  NEED_LIMITS,
  bulkNeedsBodySchema,
  bulkNeedsResultSchema,
  createNeedBodySchema,
  createNeedCategoryBodySchema,
  errorBodySchema,
  mergeNeedsBodySchema,
  needAssigneesSchema,
  needCategoryCodeSchema,
  needCategoryListSchema,
  needCommentBodySchema,
  needIntakeSettingsSchema,
  needListQuerySchema,
  needListSchema,
  needModelStatusSchema,
  needPointsQuerySchema,
  needPointsSchema,
  needSchema,
  needSuggestionSchema,
  needSuggestQuerySchema,
  updateNeedBodySchema,
  updateNeedCategoryBodySchema,
  updateNeedIntakeSettingsBodySchema,
} from "@kaveret/contracts";
import { scopeFromQuery, serveEvents } from "../../lib/sse.ts";
import { contextOf } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { authorize, can, needVisibility } from "../../policy/policy.ts";
import * as service from "./needs.service.ts";
import { presentSuggestion } from "./needs.presenter.ts";
import { forgetRetrainedModels, suggestFor, trainDepartmentModel } from "./needs.suggest.ts";
import * as repo from "./needs.repository.ts";
import { onNeedChange } from "./needs.live.ts";
import { subtreeIds } from "../residents/residents.scope.ts";
import { rowsOf } from "../../lib/sql.ts";

const params = z.object({ id: z.uuid() });
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};
const tags = ["needs"];
const IMAGE_TYPES = [...NEED_LIMITS.attachmentTypes];

export async function needsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const stopForgetting = forgetRetrainedModels(fastify.deps.events);
  fastify.addHook("onClose", async () => stopForgetting());

  // A photo is uploaded as the image itself; this parser lives only inside this plugin.
  app.addContentTypeParser(
    IMAGE_TYPES,
    { parseAs: "buffer", bodyLimit: NEED_LIMITS.attachmentBytes + 1024 },
    (_req, body, done) => done(null, body),
  );

  app.get(
    "/api/needs",
    {
      schema: {
        tags,
        summary:
          "The needs queue: filters, sort, pagination and headline counts, within the reader's scope",
        querystring: needListQuerySchema,
        response: { 200: needListSchema, ...errors },
      },
    },
    async (request) => service.listNeeds(await contextOf(request), request.query),
  );

  app.post(
    "/api/needs",
    {
      schema: {
        tags,
        summary: "Enter a need heard by phone or face to face (idempotent on a device-made id)",
        body: createNeedBodySchema,
        response: { 201: needSchema, ...errors },
      },
    },
    async (request, reply) => {
      const need = await service.createNeed(await contextOf(request), request.body);
      return reply.status(201).send(need);
    },
  );

  app.get(
    "/api/needs/points",
    {
      schema: {
        tags,
        summary: "Open needs with a location (map, community page), at most 2,000",
        querystring: needPointsQuerySchema,
        response: { 200: needPointsSchema, ...errors },
      },
    },
    async (request) => service.needPoints(await contextOf(request), request.query),
  );

  app.get(
    "/api/needs/assignees",
    {
      schema: {
        tags,
        summary: "Staff a need may be assigned to",
        response: { 200: needAssigneesSchema, ...errors },
      },
    },
    async (request) => service.assignees(await contextOf(request)),
  );

  app.get(
    "/api/needs/suggest",
    {
      schema: {
        tags,
        summary: "Category and urgency suggestion for a text (the department's own classifier)",
        querystring: needSuggestQuerySchema,
        response: { 200: needSuggestionSchema, ...errors },
      },
    },
    async (request) => {
      const ctx = await contextOf(request);
      authorize(ctx.actor, { type: "need.list" });
      const departmentId = ctx.actor.departmentId ?? "";
      return presentSuggestion(
        await suggestFor(ctx.db, ctx.config, departmentId, request.query.text),
      );
    },
  );

  app.get(
    "/api/needs/stream",
    {
      schema: {
        tags,
        summary:
          "Live changes of the needs the reader may see (Server-Sent Events, event name `need`); `?scope=` stands in for the scope header, which EventSource cannot send",
        querystring: z.object({ scope: z.string().max(100).optional() }),
      },
    },
    async (request, reply) => {
      scopeFromQuery(request);
      const ctx = await contextOf(request);
      authorize(ctx.actor, { type: "need.list" });
      const v = needVisibility(ctx.actor);
      if (v.kind === "none") throw new AppError("forbidden", 403, "You may not do this");
      // The reader's reach, resolved once per connection (refreshed on reconnect).
      const reach = v.all
        ? null
        : new Set(
            v.communityRoots.length
              ? rowsOf<{ id: string }>(
                  await ctx.db.execute(subtreeIds(v.departmentId, v.communityRoots)),
                ).map((r) => r.id)
              : [],
          );
      return serveEvents(request, reply, (send) =>
        onNeedChange(ctx.events, (change) => {
          if (change.departmentId !== v.departmentId) return;
          const visible =
            reach === null ||
            change.assigneeId === v.assignedTo ||
            (v.communityRoots.length > 0 &&
              (change.communityId === null || reach.has(change.communityId)));
          if (!visible) return;
          const { departmentId: _d, assigneeId: _a, ...event } = change;
          send("need", event);
        }),
      );
    },
  );

  app.post(
    "/api/needs/bulk",
    {
      schema: {
        tags,
        summary: "The same change on up to 100 needs; failures reported per need",
        body: bulkNeedsBodySchema,
        response: { 200: bulkNeedsResultSchema, ...errors },
      },
    },
    async (request) => service.bulkUpdate(await contextOf(request), request.body),
  );

  app.post(
    "/api/needs/merge",
    {
      schema: {
        tags,
        summary:
          "Merge a duplicate into a surviving need (photos and history move; the duplicate closes)",
        body: mergeNeedsBodySchema,
        response: { 200: needSchema, ...errors },
      },
    },
    async (request) => service.mergeNeeds(await contextOf(request), request.body),
  );

  app.get(
    "/api/needs/:id",
    {
      schema: {
        tags,
        summary: "One need with its history, photos, possible duplicates and suggestion",
        params,
        response: { 200: needSchema, ...errors },
      },
    },
    async (request) => service.getNeed(await contextOf(request), request.params.id),
  );

  app.patch(
    "/api/needs/:id",
    {
      schema: {
        tags,
        summary:
          "Triage: status (workflow), category, urgency, assignee, community, resident, place",
        params,
        body: updateNeedBodySchema,
        response: { 200: needSchema, ...errors },
      },
    },
    async (request) =>
      service.updateNeed(await contextOf(request), request.params.id, request.body),
  );

  app.post(
    "/api/needs/:id/comments",
    {
      schema: {
        tags,
        summary: "Add a comment to a need's history",
        params,
        body: needCommentBodySchema,
        response: { 200: needSchema, ...errors },
      },
    },
    async (request) =>
      service.addComment(await contextOf(request), request.params.id, request.body.text),
  );

  app.post(
    "/api/needs/:id/attachments",
    {
      bodyLimit: NEED_LIMITS.attachmentBytes + 1024,
      schema: {
        tags,
        summary:
          "Attach a photo (the body is the image: JPEG, PNG or WebP, ≤ 5 MB; metadata removed)",
        params,
        response: { 200: needSchema, ...errors },
      },
    },
    async (request) => {
      const ctx = await contextOf(request);
      if (!Buffer.isBuffer(request.body)) {
        throw new AppError("need.attachment_type", 415, "Send the image itself as the body");
      }
      return service.addAttachment(ctx, request.params.id, request.body);
    },
  );

  app.get(
    "/api/needs/:id/attachments/:attachmentId",
    {
      schema: {
        tags,
        summary: "A need's photo",
        params: z.object({ id: z.uuid(), attachmentId: z.uuid() }),
      },
    },
    async (request, reply) => {
      const file = await service.getAttachment(
        await contextOf(request),
        request.params.id,
        request.params.attachmentId,
      );
      return reply
        .header("content-type", file.contentType)
        .header("cache-control", "private, max-age=3600")
        .header("content-disposition", "inline")
        .send(file.data);
    },
  );

  /* Categories, classifier, intake settings. */

  app.get(
    "/api/need-categories",
    {
      schema: {
        tags,
        summary: "The department's need categories",
        response: { 200: needCategoryListSchema, ...errors },
      },
    },
    async (request) => service.listCategories(await contextOf(request)),
  );

  app.post(
    "/api/need-categories",
    {
      schema: {
        tags,
        summary: "Add a category (manager)",
        body: createNeedCategoryBodySchema,
        response: { 201: needCategoryListSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createCategory(await contextOf(request), request.body)),
  );

  app.patch(
    "/api/need-categories/:code",
    {
      schema: {
        tags,
        summary: "Rename, reorder or deactivate a category (manager)",
        params: z.object({ code: needCategoryCodeSchema }),
        body: updateNeedCategoryBodySchema,
        response: { 200: needCategoryListSchema, ...errors },
      },
    },
    async (request) =>
      service.updateCategory(await contextOf(request), request.params.code, request.body),
  );

  const modelStatus = async (ctx: Awaited<ReturnType<typeof contextOf>>) => {
    const departmentId = ctx.actor.departmentId ?? "";
    const row = await repo.findModel(ctx.db, departmentId);
    const evaluation = (row?.evaluation ?? {}) as {
      accuracy?: number | null;
      perLanguage?: Record<string, { examples: number; accuracy: number | null }>;
    };
    return {
      trainedAt: row?.trainedAt.toISOString() ?? null,
      examples: row?.examples ?? 0,
      perLanguage: evaluation.perLanguage ?? {},
      accuracy: evaluation.accuracy ?? null,
      llmConfigured: Boolean(ctx.config.NEEDS_LLM_URL),
    };
  };

  app.get(
    "/api/need-model",
    {
      schema: {
        tags,
        summary:
          "The category classifier: when trained, on how many needs, held-out accuracy per language",
        response: { 200: needModelStatusSchema, ...errors },
      },
    },
    async (request) => {
      const ctx = await contextOf(request);
      if (!can(ctx.actor, { type: "need.list" }))
        throw new AppError("forbidden", 403, "You may not do this");
      return modelStatus(ctx);
    },
  );

  app.post(
    "/api/need-model/train",
    {
      schema: {
        tags,
        summary: "Retrain the classifier on the department's labelled needs (manager)",
        response: { 200: needModelStatusSchema, ...errors },
      },
    },
    async (request) => {
      const ctx = await contextOf(request);
      const departmentId = ctx.actor.departmentId ?? "";
      authorize(ctx.actor, { type: "need.manage", departmentId });
      await trainDepartmentModel(ctx.db, departmentId, ctx.events);
      return modelStatus(ctx);
    },
  );

  app.get(
    "/api/need-intake",
    {
      schema: {
        tags,
        summary: "Public intake settings: on/off, sites that may embed the widget, the snippet",
        response: { 200: needIntakeSettingsSchema, ...errors },
      },
    },
    async (request) => service.getIntakeSettings(await contextOf(request)),
  );

  app.patch(
    "/api/need-intake",
    {
      schema: {
        tags,
        summary: "Change public intake settings (manager)",
        body: updateNeedIntakeSettingsBodySchema,
        response: { 200: needIntakeSettingsSchema, ...errors },
      },
    },
    async (request) => service.updateIntakeSettings(await contextOf(request), request.body),
  );
}
