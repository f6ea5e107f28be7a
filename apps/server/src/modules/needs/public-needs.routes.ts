import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import multipart from "@fastify/multipart";
import { z } from "zod";
import {
  NEED_LIMITS,
  errorBodySchema,
  publicNeedBodySchema,
  publicNeedCategoriesSchema,
  publicNeedReceiptSchema,
  publicMapSchema,
  WIDGET_HEIGHT_MESSAGE,
  type PublicNeedBody,
} from "@kaveret/contracts";
import { AppError } from "../../lib/errors.ts";
import * as service from "./needs.service.ts";
import * as mapService from "../map/map.service.ts";

const params = z.object({ departmentId: z.uuid() });
const errors = {
  400: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  413: errorBodySchema,
  415: errorBodySchema,
  429: errorBodySchema,
};
const tags = ["public"];
const MAX_PHOTOS = 3;

/** The report as sent: JSON, or multipart with a `report` JSON field and `photos` files. */
async function readReport(request: FastifyRequest): Promise<{ body: unknown; photos: Buffer[] }> {
  if (!request.isMultipart()) return { body: request.body, photos: [] };
  let body: unknown = undefined;
  const photos: Buffer[] = [];
  try {
    for await (const part of request.parts({
      limits: {
        fileSize: NEED_LIMITS.attachmentBytes,
        files: MAX_PHOTOS,
        fields: 5,
        fieldSize: 16_384,
        parts: MAX_PHOTOS + 5,
      },
    })) {
      if (part.type === "file") {
        if (part.fieldname !== "photos") {
          await part.toBuffer().catch(() => undefined);
          continue;
        }
        photos.push(await part.toBuffer());
      } else if (part.fieldname === "report") {
        try {
          body = JSON.parse(String(part.value));
        } catch {
          throw new AppError("malformed_json", 400, "The report field is not valid JSON");
        }
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string }).code ?? "";
    if (code === "FST_REQ_FILE_TOO_LARGE") {
      throw new AppError("need.attachment_too_large", 413, "A photo may be at most 5 MB", {
        maxBytes: NEED_LIMITS.attachmentBytes,
      });
    }
    if (code === "FST_FILES_LIMIT" || code === "FST_PARTS_LIMIT") {
      throw new AppError("need.attachments_full", 400, "At most 3 photos per report");
    }
    throw new AppError("bad_request", 400, "The form could not be read");
  }
  if (body === undefined) {
    throw new AppError("validation_failed", 400, "The report field is missing", {
      issues: [{ path: ["report"], message: "required" }],
    });
  }
  return { body, photos };
}

function parseReport(body: unknown): PublicNeedBody {
  const parsed = publicNeedBodySchema.safeParse(body);
  if (!parsed.success) {
    throw new AppError("validation_failed", 400, "Some fields are not valid", {
      issues: parsed.error.issues.map((i) => ({ path: i.path, message: i.message })),
    });
  }
  return parsed.data;
}

/**
 * Residents with no account: the categories and the report of a need (the public page
 * and the embeddable widget), rate-limited per IP; the widget's loader script.
 */
export async function publicNeedsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { config } = fastify.deps;
  await app.register(multipart, {
    limits: { fileSize: NEED_LIMITS.attachmentBytes, files: MAX_PHOTOS },
  });

  app.get(
    "/api/public/departments/:departmentId/need-categories",
    {
      schema: {
        tags,
        summary: "The categories a resident chooses from when reporting a need (no account)",
        params,
        response: { 200: publicNeedCategoriesSchema, ...errors },
      },
    },
    async (request) =>
      service.publicCategories(fastify.deps.database.db, request.params.departmentId),
  );

  app.get(
    "/api/public/departments/:departmentId/map",
    {
      schema: {
        tags,
        summary:
          "The report page's base map (no account): tile settings, the town's and neighbourhoods' shapes, streets",
        params,
        response: { 200: publicMapSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { db } = fastify.deps.database;
      // Only where the department takes reports online (404 / 403 need.intake_closed otherwise).
      await service.publicDepartment(db, request.params.departmentId);
      // Shapes change rarely; browsers and the widget's site may keep them for a while.
      reply.header("cache-control", "public, max-age=300");
      return mapService.publicMap(db, config, request.params.departmentId);
    },
  );

  app.post(
    "/api/public/departments/:departmentId/needs",
    {
      bodyLimit: MAX_PHOTOS * (NEED_LIMITS.attachmentBytes + 4096) + 65_536,
      config: {
        rateLimit: { max: config.PUBLIC_REPORTS_PER_MINUTE, timeWindow: "1 minute" },
      },
      schema: {
        tags,
        summary:
          "Report a need without an account: JSON, or multipart/form-data with a `report` JSON field and up to 3 `photos`",
        params,
        querystring: z.object({ via: z.enum(["web", "widget"]).default("web") }),
        response: { 201: publicNeedReceiptSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { body, photos } = await readReport(request);
      const report = parseReport(body);
      const { database, cipher, events } = fastify.deps;
      const receipt = await service.createPublicNeed(
        { db: database.db, cipher, config, events },
        request.params.departmentId,
        report,
        photos,
        request.query.via,
      );
      return reply
        .status(201)
        .send({ reference: receipt.reference, receivedAt: receipt.receivedAt });
    },
  );

  // The widget: a script tag that opens the report page in an iframe on the municipality's site.
  app.get("/widget/needs.js", { schema: { hide: true } }, async (_request, reply) => {
    return reply
      .header("content-type", "application/javascript; charset=utf-8")
      .header("cache-control", "public, max-age=3600")
      .header("cross-origin-resource-policy", "cross-origin")
      .send(widgetScript(config.publicUrl));
  });
}

/** What the report page posts to the page embedding it (public-report/embed-height.ts). */
export const HEIGHT_MESSAGE = WIDGET_HEIGHT_MESSAGE;
/** Bounds of the iframe's height, whatever a message says (px). */
export const WIDGET_MIN_HEIGHT = 240;
export const WIDGET_MAX_HEIGHT = 4000;

/**
 * The loader: finds its own script tag, reads data-department / data-lang, adds an iframe
 * with the report page, and fits the iframe to the page's height as the page reports it —
 * messages from its own iframe and our origin only, the height kept within bounds. The
 * page (which CSP lets only the department's listed sites frame) posts only to them.
 */
export function widgetScript(base: string): string {
  const origin = new URL(base).origin;
  return `(function () {
  var s = document.currentScript;
  if (!s) return;
  var dep = s.getAttribute("data-department");
  var lang = s.getAttribute("data-lang") || "he";
  if (!/^[0-9a-f-]{36}$/i.test(dep || "")) return;
  var origin = ${JSON.stringify(origin)};
  var labels = { he: "דיווח על צורך", ar: "الإبلاغ عن حاجة", en: "Report a need", ru: "Сообщить о проблеме", am: "ፍላጎት ያሳውቁ" };
  var frame = document.createElement("iframe");
  frame.src = ${JSON.stringify(base)} + "/embed/report/" + dep + "?lang=" + encodeURIComponent(lang) +
    "&parent=" + encodeURIComponent(window.location.origin);
  frame.title = labels[lang] || labels.he;
  frame.loading = "lazy";
  frame.style.cssText = "width:100%;max-width:480px;height:640px;border:1px solid #ccc;border-radius:8px;";
  window.addEventListener("message", function (e) {
    if (e.origin !== origin || e.source !== frame.contentWindow) return;
    var d = e.data;
    if (!d || d.type !== ${JSON.stringify(HEIGHT_MESSAGE)} || typeof d.height !== "number" || !isFinite(d.height)) return;
    var h = Math.min(Math.max(Math.ceil(d.height), ${WIDGET_MIN_HEIGHT}), ${WIDGET_MAX_HEIGHT});
    frame.style.height = h + "px";
  });
  s.parentNode.insertBefore(frame, s.nextSibling);
})();
`;
}

const embedPath = /^\/embed\/report\/([0-9a-f-]{36})(?:[/?#]|$)/i;

/**
 * The embed page may be framed only by the sites its department allows (CSP
 * frame-ancestors); every other page keeps helmet's 'self'.
 */
export function registerEmbedHeaders(app: FastifyInstance) {
  const cache = new Map<string, { origins: string[]; at: number }>();
  app.addHook("onSend", async (request, reply) => {
    const match = embedPath.exec(request.url);
    if (!match) return;
    const departmentId = match[1]!.toLowerCase();
    let entry = cache.get(departmentId);
    if (!entry || Date.now() - entry.at > 60_000) {
      const origins = await service
        .widgetOrigins(app.deps.database.db, departmentId)
        .catch(() => [] as string[]);
      entry = { origins, at: Date.now() };
      cache.set(departmentId, entry);
    }
    const csp = reply.getHeader("content-security-policy");
    if (typeof csp === "string") {
      const ancestors = ["'self'", ...entry.origins].join(" ");
      reply.header(
        "content-security-policy",
        csp.replace(/frame-ancestors [^;]*/, `frame-ancestors ${ancestors}`),
      );
    }
    reply.removeHeader("x-frame-options");
  });
}
