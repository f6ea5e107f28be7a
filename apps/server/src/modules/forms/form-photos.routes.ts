import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import {
  FORM_PHOTO_LIMITS,
  errorBodySchema,
  formPhotoParamsSchema,
  formPhotoQuerySchema,
  formPhotoReceiptSchema,
} from "@kaveret/contracts";
import { contextOf } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { scopeFromQuery } from "../../lib/sse.ts";
import * as service from "./form-photos.service.ts";

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  413: errorBodySchema,
  415: errorBodySchema,
  429: errorBodySchema,
};
const IMAGE_TYPES = [...FORM_PHOTO_LIMITS.types];
const BODY_LIMIT = FORM_PHOTO_LIMITS.bytes + 1024;

/** Whether an If-None-Match header names this etag (a list, or *). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(",")
    .map((t) => t.trim().replace(/^W\//, ""))
    .some((t) => t === etag || t === "*");
}

/** Too large is said before the body is read, with the photo's own code. */
async function refuseLarge(request: FastifyRequest) {
  const length = Number(request.headers["content-length"] ?? 0);
  if (length > FORM_PHOTO_LIMITS.bytes) {
    throw new AppError("form.photo_too_large", 413, "A photo may be at most 5 MB", {
      maxBytes: FORM_PHOTO_LIMITS.bytes,
    });
  }
}

function imageBody(body: unknown): Buffer {
  if (!Buffer.isBuffer(body)) {
    throw new AppError("form.photo_type", 415, "Send the image itself as the body");
  }
  return body;
}

/**
 * Photos of form answers (registered by formsRoutes, whose plugin holds the image body
 * parser): uploaded by staff and by the public link before the answer naming them, read
 * by those who may read the answers.
 */
export async function formPhotoRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.addContentTypeParser(
    IMAGE_TYPES,
    { parseAs: "buffer", bodyLimit: BODY_LIMIT },
    (_r, b, done) => done(null, b),
  );

  app.put(
    "/api/forms/:id/photos/:photoId",
    {
      bodyLimit: BODY_LIMIT,
      onRequest: refuseLarge,
      schema: {
        tags: ["forms"],
        summary:
          "Upload a photo for an answer to come (the body is the image: JPEG, PNG or WebP, ≤ 5 MB; metadata removed; the id is made on the device, a retry is the same photo)",
        params: formPhotoParamsSchema,
        response: { 200: formPhotoReceiptSchema, ...errors },
      },
    },
    async (request) =>
      service.uploadPhoto(
        await contextOf(request),
        request.params.id,
        request.params.photoId,
        imageBody(request.body),
      ),
  );

  app.get(
    "/api/forms/:id/photos/:photoId",
    {
      schema: {
        tags: ["forms"],
        summary:
          "A photo of an answer, or (`size=thumb`) a JPEG of at most 320 px on its longest side, for those who may read the form's answers; `scope` stands in for the scope header in links; answers 304 to a matching If-None-Match once access is checked",
        params: formPhotoParamsSchema,
        querystring: formPhotoQuerySchema,
      },
    },
    async (request, reply) => {
      scopeFromQuery(request);
      const file = await service.readPhoto(
        await contextOf(request),
        request.params.id,
        request.params.photoId,
        { thumb: request.query.size === "thumb" },
      );
      // Private (never in a shared cache), kept an hour, then asked again with the tag: an
      // unchanged photo is a 304, given only after the access check above. Vary: Cookie keeps
      // one person's cached photo from answering another session in the same browser.
      reply
        .header("cache-control", "private, max-age=3600")
        .header("vary", "Cookie")
        .header("etag", file.etag);
      if (matches(request.headers["if-none-match"], file.etag)) return reply.code(304).send();
      return reply
        .header("content-type", file.contentType)
        .header("content-disposition", "inline")
        .send(await file.data());
    },
  );

  app.put(
    "/api/public/forms/:id/photos/:photoId",
    {
      bodyLimit: BODY_LIMIT,
      onRequest: refuseLarge,
      // As many as the photos of the public need reports a person may send (3 per report).
      config: {
        rateLimit: {
          max: fastify.deps.config.PUBLIC_REPORTS_PER_MINUTE * 3,
          timeWindow: "1 minute",
        },
      },
      schema: {
        tags: ["public"],
        summary:
          "Upload a photo for an answer to an open survey, before sending the answer (no account; same limits)",
        params: formPhotoParamsSchema,
        response: { 200: formPhotoReceiptSchema, ...errors },
      },
    },
    async (request) =>
      service.uploadPublicPhoto(
        fastify.deps.database.db,
        fastify.deps.cipher,
        request.params.id,
        request.params.photoId,
        imageBody(request.body),
      ),
  );
}
