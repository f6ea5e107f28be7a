import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  commitImportBodySchema,
  errorBodySchema,
  getImportQuerySchema,
  importAcceptedSchema,
  importJobSchema,
  importLimitsSchema,
  IMPORT_LIMITS,
  importPageSchema,
  listImportsQuerySchema,
  uploadImportQuerySchema,
  validateImportBodySchema,
} from "@kaveret/contracts";
import { contextOf } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import * as service from "./imports.service.ts";
import { attachment } from "./table-writer.ts";
import type { ExportLocale } from "./vocabulary.ts";

const params = z.object({ id: z.uuid() });
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};
const tags = ["imports"];

/** Content types a spreadsheet arrives with (browsers send CSV as Excel's type on Windows). */
const FILE_TYPES = [
  "text/csv",
  "text/plain",
  "text/tab-separated-values",
  "application/csv",
  "application/vnd.ms-excel",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/octet-stream",
];

/** The language of a file written for this request: ?lang, else Accept-Language, else the user's. */
export function localeOf(
  request: FastifyRequest,
  lang: string | undefined,
  userLocale: string,
): ExportLocale {
  const pick = (v: string | undefined): ExportLocale | null =>
    v === "he" || v === "ar" || v === "en" ? v : null;
  const fromHeader = String(request.headers["accept-language"] ?? "")
    .split(",")
    .map((part) => pick(part.trim().slice(0, 2).toLowerCase()))
    .find(Boolean);
  return pick(lang) ?? fromHeader ?? pick(userLocale) ?? "he";
}

export async function importsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const maxBytes = fastify.deps.config.IMPORT_MAX_MB * 1024 * 1024;

  // The upload is the file itself; these parsers exist only inside this plugin.
  app.removeContentTypeParser(["text/plain"]);
  app.addContentTypeParser(
    FILE_TYPES,
    { parseAs: "buffer", bodyLimit: maxBytes },
    (_req, body, done) => done(null, body),
  );

  app.addHook("onReady", async () => {
    await service.sweepInterruptedAtStart(fastify.deps.database);
  });

  app.post(
    "/api/imports",
    {
      bodyLimit: maxBytes,
      schema: {
        tags,
        summary:
          "Upload a CSV or XLSX file (the body is the file itself): answers its columns, row count, a preview and a suggested mapping",
        querystring: uploadImportQuerySchema,
        response: { 201: importJobSchema, ...errors },
      },
    },
    async (request, reply) => {
      const ctx = await contextOf(request);
      if (!Buffer.isBuffer(request.body)) {
        throw new AppError(
          "unsupported_media_type",
          415,
          "Send the file itself (CSV or XLSX) as the body",
        );
      }
      const job = await service.uploadImport(ctx, request.query, request.body);
      return reply.status(201).send(job);
    },
  );

  app.get(
    "/api/imports",
    {
      schema: {
        tags,
        summary: "The department's recent imports",
        querystring: listImportsQuerySchema,
        response: { 200: importPageSchema, ...errors },
      },
    },
    async (request) => service.listImports(await contextOf(request), request.query),
  );

  app.get(
    "/api/imports/limits",
    {
      schema: {
        tags,
        summary: "What an upload may be: size, rows, columns",
        response: { 200: importLimitsSchema, ...errors },
      },
    },
    async (request) => {
      await contextOf(request);
      return {
        maxBytes: maxBytes,
        maxRows: IMPORT_LIMITS.maxRows,
        maxColumns: IMPORT_LIMITS.maxColumns,
      };
    },
  );

  app.get(
    "/api/imports/:id",
    {
      schema: {
        tags,
        summary: "An import: status, progress, counts, a page of row errors",
        params,
        querystring: getImportQuerySchema,
        response: { 200: importJobSchema, ...errors },
      },
    },
    async (request) =>
      service.getImport(await contextOf(request), request.params.id, request.query.errorsPage),
  );

  app.get(
    "/api/imports/:id/errors.csv",
    {
      schema: {
        tags,
        summary: "The row errors as CSV (row, field, problem; never a cell's value)",
        params,
        querystring: z.object({ lang: z.enum(["he", "ar", "en"]).optional() }),
      },
    },
    async (request, reply) => {
      const ctx = await contextOf(request);
      const { csv, fileName } = await service.importErrorsCsv(
        ctx,
        request.params.id,
        localeOf(request, request.query.lang, ctx.actor.locale),
      );
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", attachment(fileName))
        .header("cache-control", "no-store")
        .send(csv);
    },
  );

  app.post(
    "/api/imports/:id/validate",
    {
      schema: {
        tags,
        summary: "Check every row with this mapping and options (runs in the background)",
        params,
        body: validateImportBodySchema,
        response: { 202: importAcceptedSchema, ...errors },
      },
    },
    async (request, reply) => {
      const accepted = await service.validateImport(
        await contextOf(request),
        request.params.id,
        request.body,
        request.log,
      );
      return reply.status(202).send(accepted);
    },
  );

  app.post(
    "/api/imports/:id/commit",
    {
      schema: {
        tags,
        summary: "Import the validated rows, all or nothing (runs in the background)",
        params,
        body: commitImportBodySchema,
        response: { 202: importAcceptedSchema, ...errors },
      },
    },
    async (request, reply) => {
      const accepted = await service.commitImport(
        await contextOf(request),
        request.params.id,
        request.body,
        request.log,
      );
      return reply.status(202).send(accepted);
    },
  );

  app.delete(
    "/api/imports/:id",
    {
      schema: {
        tags,
        summary: "Cancel an import before it is committed (its file is erased)",
        params,
        response: { 200: importJobSchema, ...errors },
      },
    },
    async (request) => service.cancelImport(await contextOf(request), request.params.id),
  );
}
