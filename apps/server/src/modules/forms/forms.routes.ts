import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  FORM_API_LIMITS,
  analysisQuerySchema,
  createFormBodySchema,
  createResponseBodySchema,
  errorBodySchema,
  formAnalysisSchema,
  formListQuerySchema,
  formListSchema,
  formSchema,
  importFormQuerySchema,
  importFormResultSchema,
  needFromResponseBodySchema,
  publicFormSchema,
  publicResponseBodySchema,
  publicResponseReceiptSchema,
  responseItemSchema,
  responseListQuerySchema,
  responseListSchema,
  updateFormBodySchema,
} from "@kaveret/contracts";
import { contextOf } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import * as service from "./forms.service.ts";
import { formAssignmentRoutes } from "./form-assignments.routes.ts";
import { formPhotoRoutes } from "./form-photos.routes.ts";
import { attachment, tableWriter } from "../imports/table-writer.ts";

const params = z.object({ id: z.uuid() });
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};
const tags = ["forms"];
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The reader's language for labels in analyses (the UI's, else Hebrew). */
function languageOf(request: FastifyRequest): string {
  const header = String(request.headers["accept-language"] ?? "");
  return ["he", "ar", "en", "ru", "am"].find((l) => header.startsWith(l)) ?? "he";
}

const fileName = (title: string, ext: string) =>
  `${
    title
      .replace(/[^\p{L}\p{N} _-]+/gu, "")
      .trim()
      .slice(0, 80) || "form"
  }.${ext}`;

export async function formsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  await formAssignmentRoutes(fastify);
  await formPhotoRoutes(fastify);
  app.addContentTypeParser(
    [XLSX, "application/octet-stream"],
    { parseAs: "buffer", bodyLimit: FORM_API_LIMITS.xlsformBytes },
    (_req, body, done) => done(null, body),
  );

  app.get(
    "/api/forms",
    {
      schema: {
        tags,
        summary: "Forms and surveys the reader may see",
        querystring: formListQuerySchema,
        response: { 200: formListSchema, ...errors },
      },
    },
    async (request) => service.listForms(await contextOf(request), request.query),
  );

  app.post(
    "/api/forms",
    {
      schema: {
        tags,
        summary: "Create a form (empty, or from a definition)",
        body: createFormBodySchema,
        response: { 201: formSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createForm(await contextOf(request), request.body)),
  );

  app.post(
    "/api/forms/import",
    {
      bodyLimit: FORM_API_LIMITS.xlsformBytes,
      schema: {
        tags,
        summary:
          "Import an XLSForm (the body is the .xlsx): the form and a question-by-question report",
        querystring: importFormQuerySchema,
        response: { 201: importFormResultSchema, ...errors },
      },
    },
    async (request, reply) => {
      const ctx = await contextOf(request);
      if (!Buffer.isBuffer(request.body)) {
        throw new AppError(
          "unsupported_media_type",
          415,
          "Send the XLSForm file itself as the body",
        );
      }
      return reply.status(201).send(await service.importForm(ctx, request.body, request.query));
    },
  );

  app.get(
    "/api/forms/:id",
    {
      schema: {
        tags,
        summary: "One form with its definition and the problems found in it",
        params,
        response: { 200: formSchema, ...errors },
      },
    },
    async (request) => service.getForm(await contextOf(request), request.params.id),
  );

  app.patch(
    "/api/forms/:id",
    {
      schema: {
        tags,
        summary: "Edit a form, open it for answers or close it",
        params,
        body: updateFormBodySchema,
        response: { 200: formSchema, ...errors },
      },
    },
    async (request) =>
      service.updateForm(await contextOf(request), request.params.id, request.body),
  );

  app.get(
    "/api/forms/:id/xlsform",
    { schema: { tags, summary: "The form as an XLSForm file", params } },
    async (request, reply) => {
      const file = await service.exportForm(await contextOf(request), request.params.id);
      return reply
        .header("content-type", XLSX)
        .header("content-disposition", attachment(fileName(file.title, "xlsx")))
        .send(file.data);
    },
  );

  app.get(
    "/api/forms/:id/responses",
    {
      schema: {
        tags,
        summary: "Answers of a form, from every channel",
        params,
        querystring: responseListQuerySchema,
        response: { 200: responseListSchema, ...errors },
      },
    },
    async (request) =>
      service.listResponses(await contextOf(request), request.params.id, request.query),
  );

  app.post(
    "/api/forms/:id/responses",
    {
      schema: {
        tags,
        summary: "Type in an answer (paper, face to face, door to door); exactly once per id",
        params,
        body: createResponseBodySchema,
        response: { 201: responseItemSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.createResponse(await contextOf(request), request.params.id, request.body),
        ),
  );

  app.get(
    "/api/forms/:id/analysis",
    {
      schema: {
        tags,
        summary: "Per-question summaries, optionally crossed with one select question",
        params,
        querystring: analysisQuerySchema,
        response: { 200: formAnalysisSchema, ...errors },
      },
    },
    async (request) =>
      service.analysis(
        await contextOf(request),
        request.params.id,
        request.query,
        languageOf(request),
      ),
  );

  app.get(
    "/api/forms/:id/responses/export",
    {
      schema: {
        tags,
        summary: "Answers as CSV (UTF-8 with BOM) or XLSX",
        params,
        querystring: z.object({
          format: z.enum(["csv", "xlsx"]).default("csv"),
          channel: z.enum(["link", "paper", "face_to_face", "door_to_door"]).optional(),
          communityId: z.uuid().optional(),
        }),
      },
    },
    async (request, reply) => {
      const { format, ...filter } = request.query;
      const out = await service.exportRows(await contextOf(request), request.params.id, filter);
      const rtl = ["he", "ar"].includes(languageOf(request));
      const writer = tableWriter(format, {
        header: out.header,
        sheetName: "answers",
        rightToLeft: rtl,
      });
      // Written after the reply starts: the writer's stream is what is sent.
      void writer
        .rows(out.rows)
        .then(() => writer.end())
        .catch((err: unknown) =>
          writer.fail(err instanceof Error ? err : new Error("export failed")),
        );
      return reply
        .header("content-type", writer.contentType)
        .header("content-disposition", attachment(fileName(out.title, writer.extension)))
        .send(writer.stream);
    },
  );

  app.post(
    "/api/forms/:id/responses/:responseId/need",
    {
      schema: {
        tags,
        summary: "Create a need from an answer (channel: survey)",
        params: z.object({ id: z.uuid(), responseId: z.uuid() }),
        body: needFromResponseBodySchema,
        response: { 201: z.object({ id: z.uuid() }), ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.needFromResponse(
            await contextOf(request),
            request.params.id,
            request.params.responseId,
            request.body,
          ),
        ),
  );

  /* The public link: no account. */

  app.get(
    "/api/public/forms/:id",
    {
      schema: {
        tags: ["public"],
        summary: "An open survey as its public link shows it",
        params,
        response: { 200: publicFormSchema, ...errors },
      },
    },
    async (request) => service.publicForm(fastify.deps.database.db, request.params.id),
  );

  app.post(
    "/api/public/forms/:id/responses",
    {
      config: {
        rateLimit: {
          max: fastify.deps.config.PUBLIC_REPORTS_PER_MINUTE * 3,
          timeWindow: "1 minute",
        },
      },
      schema: {
        tags: ["public"],
        summary: "Answer an open survey (id made on the device: a retry is not counted twice)",
        params,
        body: publicResponseBodySchema,
        response: { 201: publicResponseReceiptSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.publicResponse(fastify.deps.database.db, request.params.id, request.body),
        ),
  );
}
