import type { FastifyError, FastifyInstance } from "fastify";
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
} from "fastify-type-provider-zod";
import type { ErrorCode } from "@kaveret/contracts";
import { AppError } from "./errors.ts";

type Body = { error: { code: string; message: string; details?: unknown; requestId: string } };

/** Fastify's own client errors, mapped to our stable codes. */
const FASTIFY_CODES: Record<string, { code: ErrorCode; status: number; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: "payload_too_large",
    status: 413,
    message: "The request body is too large",
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: "unsupported_media_type",
    status: 415,
    message: "Send JSON (application/json)",
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: "malformed_json",
    status: 400,
    message: "The JSON body is empty",
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: "malformed_json",
    status: 400,
    message: "The body is not valid JSON",
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: "bad_request",
    status: 400,
    message: "Content-Length does not match the body",
  },
  FST_ERR_CTP_INVALID_TYPE: { code: "bad_request", status: 400, message: "Invalid Content-Type" },
  FST_ERR_INVALID_URL: { code: "bad_request", status: 400, message: "Invalid URL" },
  FST_ERR_BAD_URL: { code: "bad_request", status: 400, message: "Invalid URL" },
};

/** One handler for every error: `{ error: { code, message, details, requestId } }`, internals hidden. */
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const requestId = String(request.id);
    const send = (status: number, code: string, message: string, details?: unknown) => {
      const body: Body = {
        error: { code, message, requestId, ...(details === undefined ? {} : { details }) },
      };
      return reply.status(status).send(body);
    };

    if (err instanceof AppError) return send(err.status, err.code, err.message, err.details);

    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        path: [
          ...(err.validationContext ? [err.validationContext] : []),
          ...String(v.instancePath ?? "")
            .split("/")
            .filter(Boolean),
        ],
        code: String(
          v.params?.issue && typeof v.params.issue === "object" && "code" in v.params.issue
            ? v.params.issue.code
            : v.keyword,
        ),
        message: v.message ?? "invalid",
      }));
      return send(400, "validation_failed", "The request is not valid", { issues });
    }

    if (isResponseSerializationError(err)) {
      request.log.error(
        { err: { message: err.message, code: err.code } },
        "response did not match its schema",
      );
      return send(500, "internal_error", "Something went wrong on our side");
    }

    // Database constraint errors caused by a request (a race on a unique key, say) are conflicts, not crashes.
    const sqlState = (err as { code?: unknown }).code;
    if (sqlState === "23505") return send(409, "conflict", "This already exists");
    if (sqlState === "23503")
      return send(409, "conflict", "A related record is missing or still in use");
    if (sqlState === "40001" || sqlState === "40P01") return send(409, "conflict", "Please retry");

    const mapped = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (mapped) return send(mapped.status, mapped.code, mapped.message);
    if (err instanceof SyntaxError && (err.statusCode ?? 400) === 400) {
      return send(400, "malformed_json", "The body is not valid JSON");
    }
    if (err.statusCode === 429)
      return send(429, "rate_limited", "Too many requests; try again shortly");

    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return send(
        status,
        status === 405 ? "method_not_allowed" : status === 404 ? "not_found" : "bad_request",
        err.message,
      );
    }
    // Our bug: log what helps (never the body), show nothing internal.
    request.log.error({ err }, "unhandled error");
    return send(500, "internal_error", "Something went wrong on our side");
  });
}

/** Unknown routes: the single-page app for browser GETs outside the API (when served), JSON 404 otherwise. */
export function registerNotFoundHandler(app: FastifyInstance, serveSpa: boolean) {
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    // A missing file (a stale asset after a deploy) is a 404, not the app's HTML.
    // Built files always have an extension; /assets/<id> is also an app page (community assets).
    const isFile = /\.[a-z0-9]{1,8}$/i.test(path);
    if (
      serveSpa &&
      !isFile &&
      request.method === "GET" &&
      !path.startsWith("/api/") &&
      !path.startsWith("/docs")
    ) {
      return reply.header("cache-control", "no-cache").sendFile("index.html");
    }
    return reply.status(404).send({
      error: {
        code: "route_not_found",
        message: `No route ${request.method} ${path}`,
        requestId: String(request.id),
      },
    });
  });
}
