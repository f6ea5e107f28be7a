import type { FastifyInstance, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { HELP_CATEGORIES, type HelpCategory } from "@kaveret/contracts";
import * as service from "./emergency.service.ts";
import {
  departmentNameIn,
  isStatusLocale,
  renderStatusMessage,
  renderStatusPage,
  statusLocaleFor,
  type StatusLocale,
} from "./status-page.ts";

const tags = ["public"];
const params = z.object({ token: z.string().max(200) });

function html(reply: FastifyReply, status: number, body: string, locale: StatusLocale) {
  return (
    reply
      .status(status)
      .type("text/html; charset=utf-8")
      // The link is the resident's key: never cached, never sent on as a referrer.
      .header("cache-control", "no-store")
      .header("referrer-policy", "no-referrer")
      .header("content-language", locale)
      .send(body)
  );
}

/**
 * The residents' "I'm OK / I need help" page, reached from the link in their message:
 * GET shows it (no JavaScript, ≤ 50 KB), POST (a plain form) records the answer and
 * updates the call list at once, then redirects back (so a reload sends nothing twice).
 */
export async function emergencyStatusRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // The page's form posts urlencoded; this parser lives only inside this plugin.
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit: 4096 },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  app.get(
    "/ok/:token",
    {
      schema: {
        tags,
        summary: "A resident's own status page (server-rendered HTML, five languages)",
        params,
        querystring: z.object({
          lang: z.string().max(5).optional(),
          answered: z.enum(["ok", "help"]).optional(),
        }),
      },
    },
    async (request, reply) => {
      const state = await service.findStatusLink(
        request.server.deps.database.db,
        request.params.token,
      );
      const asked = request.query.lang;
      if (!state)
        return html(
          reply,
          404,
          renderStatusMessage(statusLocaleFor([], asked), "not_found"),
          statusLocaleFor([], asked),
        );
      const locale = statusLocaleFor(state.languages, asked);
      if (state.emergency.status !== "active") {
        return html(reply, 410, renderStatusMessage(locale, "closed"), locale);
      }
      return html(
        reply,
        200,
        renderStatusPage({
          locale,
          token: request.params.token,
          department: departmentNameIn(locale, {
            name: state.departmentName,
            altNames: state.departmentAltNames,
          }),
          departmentId: state.link.departmentId,
          drill: state.emergency.drill,
          answered: request.query.answered ?? null,
        }),
        locale,
      );
    },
  );

  app.post(
    "/ok/:token",
    {
      config: { rateLimit: { max: 30, timeWindow: "1 minute" } },
      schema: {
        tags,
        summary:
          "A resident's answer from the status page (form-encoded: answer, category, note, lang)",
        params,
        body: z.object({
          answer: z.enum(["ok", "help"]),
          category: z.string().max(40).optional(),
          note: z.string().max(500).optional(),
          lang: z.string().max(5).optional(),
        }),
      },
    },
    async (request, reply) => {
      const { db } = request.server.deps.database;
      const state = await service.findStatusLink(db, request.params.token);
      const asked = request.body.lang;
      if (!state)
        return html(
          reply,
          404,
          renderStatusMessage(statusLocaleFor([], asked), "not_found"),
          statusLocaleFor([], asked),
        );
      const locale = statusLocaleFor(state.languages, asked);
      if (state.emergency.status !== "active") {
        return html(reply, 410, renderStatusMessage(locale, "closed"), locale);
      }
      const category = (HELP_CATEGORIES as readonly string[]).includes(request.body.category ?? "")
        ? (request.body.category as HelpCategory)
        : undefined;
      const note = request.body.note?.trim() || undefined;
      await service.answerStatus(
        {
          db,
          cipher: request.server.deps.cipher,
          requestId: String(request.id),
          events: request.server.deps.events,
        },
        state,
        {
          answer: request.body.answer,
          category,
          note,
          lang: isStatusLocale(asked) ? asked : locale,
        },
      );
      return reply
        .status(303)
        .header("cache-control", "no-store")
        .header("referrer-policy", "no-referrer")
        .redirect(
          `/ok/${encodeURIComponent(request.params.token)}?lang=${locale}&answered=${request.body.answer}`,
          303,
        );
    },
  );
}
