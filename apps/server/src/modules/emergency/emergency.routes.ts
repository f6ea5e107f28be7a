import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  assignCallsBodySchema,
  assignCallsResultSchema,
  callOutcomeBodySchema,
  callPageSchema,
  callSchema,
  cancelHelpRequestBodySchema,
  claimHelpRequestBodySchema,
  closeEmergencyBodySchema,
  completeHelpRequestBodySchema,
  createHelpRequestBodySchema,
  createShiftLogEntryBodySchema,
  createVolunteerOfferBodySchema,
  declareEmergencyBodySchema,
  declareEmergencyResultSchema,
  emergencyBoardSchema,
  emergencyListSchema,
  emergencyModeResponseSchema,
  emergencySchema,
  emergencySummarySchema,
  errorBodySchema,
  generateCallsResultSchema,
  helpMatchListSchema,
  helpRequestPageSchema,
  helpRequestSchema,
  listCallsQuerySchema,
  listHelpRequestsQuerySchema,
  reassignCallBodySchema,
  releaseHelpRequestBodySchema,
  residentEmergencyHistorySchema,
  reviewBodySchema,
  reviewResponseSchema,
  shelterListSchema,
  shelterOccupancyBodySchema,
  shelterSchema,
  shiftLogEntrySchema,
  shiftLogSchema,
  statusLinkSchema,
  updateEmergencyBodySchema,
  volunteerOfferListSchema,
  volunteerOfferSchema,
} from "@kaveret/contracts";
import { scopeFromQuery, serveEvents } from "../../lib/sse.ts";
import { contextOf } from "../../lib/context.ts";
import { authorize, can } from "../../policy/policy.ts";
import { declareEmergency } from "../../commands/emergency-activate.ts";
import { closeEmergency } from "../../commands/emergency-close.ts";
import { attachment } from "../imports/table-writer.ts";
import * as service from "./emergency.service.ts";
import { subscribeEmergency } from "./emergency.live.ts";
import { renderSummaryPage, SUMMARY_LOCALES } from "./summary-page.ts";

const params = z.object({ id: z.uuid() });
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};
const tags = ["emergency"];

/** Emergency mode for staff and volunteers (the residents' status page is in status.routes.ts). */
export async function emergencyRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  /* The mode, declaring, closing. */

  app.get(
    "/api/emergency/mode",
    {
      schema: {
        tags,
        summary: "Routine, emergency or drill: what every screen shows (any department role)",
        response: { 200: emergencyModeResponseSchema, ...errors },
      },
    },
    async (request) => service.getMode(await contextOf(request)),
  );

  app.get(
    "/api/emergency/events",
    {
      schema: {
        tags,
        summary: "The department's emergencies and drills, newest first",
        response: { 200: emergencyListSchema, ...errors },
      },
    },
    async (request) => service.listEmergencies(await contextOf(request)),
  );

  app.post(
    "/api/emergency/events",
    {
      schema: {
        tags,
        summary:
          "Declare an emergency or a drill in one step: scope, mode, the ranked call list, status-page links (none sent in a drill)",
        body: declareEmergencyBodySchema,
        response: { 201: declareEmergencyResultSchema, ...errors },
      },
    },
    async (request, reply) => {
      const result = await declareEmergency(await contextOf(request), request.body);
      return reply.status(201).send(result);
    },
  );

  app.get(
    "/api/emergency/events/:id",
    {
      schema: {
        tags,
        summary: "One emergency with its figures",
        params,
        response: { 200: emergencySchema, ...errors },
      },
    },
    async (request) => service.getEmergency(await contextOf(request), request.params.id),
  );

  app.patch(
    "/api/emergency/events/:id",
    {
      schema: {
        tags,
        summary: "Change the level, title, note or communities of an open emergency (manager)",
        params,
        body: updateEmergencyBodySchema,
        response: { 200: emergencySchema, ...errors },
      },
    },
    async (request) =>
      service.updateEmergency(await contextOf(request), request.params.id, request.body),
  );

  app.post(
    "/api/emergency/events/:id/close",
    {
      schema: {
        tags,
        summary:
          "Back to routine: open help requests become needs, communities return to routine, the summary is kept",
        params,
        body: closeEmergencyBodySchema,
        response: { 200: emergencySummarySchema, ...errors },
      },
    },
    async (request) => closeEmergency(await contextOf(request), request.params.id, request.body),
  );

  /* Call list. */

  app.post(
    "/api/emergency/events/:id/calls/generate",
    {
      schema: {
        tags,
        summary: "Add residents who now qualify (flags, consents, scope) and re-rank the list",
        params,
        response: { 200: generateCallsResultSchema, ...errors },
      },
    },
    async (request) => service.generateCalls(await contextOf(request), request.params.id),
  );

  app.post(
    "/api/emergency/events/:id/calls/assign",
    {
      schema: {
        tags,
        summary:
          "Split the open calls among workers and volunteers by street, building and language",
        params,
        body: assignCallsBodySchema,
        response: { 200: assignCallsResultSchema, ...errors },
      },
    },
    async (request) =>
      service.assignCallers(await contextOf(request), request.params.id, request.body),
  );

  app.get(
    "/api/emergency/events/:id/calls",
    {
      schema: {
        tags,
        summary:
          "The call list in risk order, as the reader may see it (a volunteer: their own open assignments)",
        params,
        querystring: listCallsQuerySchema,
        response: { 200: callPageSchema, ...errors },
      },
    },
    async (request) =>
      service.listCalls(await contextOf(request), request.params.id, request.query),
  );

  app.get(
    "/api/emergency/calls/:id",
    {
      schema: { tags, summary: "One call", params, response: { 200: callSchema, ...errors } },
    },
    async (request) => service.getCall(await contextOf(request), request.params.id),
  );

  app.post(
    "/api/emergency/calls/:id/outcome",
    {
      schema: {
        tags,
        summary:
          "Record a call attempt: reached OK, reached and needs help (opens a help request), or not reached (retry, then escalation)",
        params,
        body: callOutcomeBodySchema,
        response: { 200: callSchema, ...errors },
      },
    },
    async (request) =>
      service.recordOutcome(await contextOf(request), request.params.id, request.body),
  );

  app.post(
    "/api/emergency/calls/:id/assign",
    {
      schema: {
        tags,
        summary: "Give one call to another caller (or back to the pool) (manager)",
        params,
        body: reassignCallBodySchema,
        response: { 200: callSchema, ...errors },
      },
    },
    async (request) =>
      service.reassignCall(await contextOf(request), request.params.id, request.body.assigneeId),
  );

  app.post(
    "/api/emergency/calls/:id/status-link",
    {
      schema: {
        tags,
        summary: "The resident's own status-page link, to read out or send by hand (staff)",
        params,
        response: { 200: statusLinkSchema, ...errors },
      },
    },
    async (request) => service.callStatusLink(await contextOf(request), request.params.id),
  );

  /* Help requests and offers. */

  app.post(
    "/api/emergency/events/:id/help-requests",
    {
      schema: {
        tags,
        summary: "Open a help request (staff)",
        params,
        body: createHelpRequestBodySchema,
        response: { 201: helpRequestSchema, ...errors },
      },
    },
    async (request, reply) => {
      const result = await service.createHelpRequest(
        await contextOf(request),
        request.params.id,
        request.body,
      );
      return reply.status(201).send(result);
    },
  );

  app.get(
    "/api/emergency/events/:id/help-requests",
    {
      schema: {
        tags,
        summary:
          "Help requests: staff see those in their reach; a volunteer sees theirs and, in outline, the open ones their offer covers",
        params,
        querystring: listHelpRequestsQuerySchema,
        response: { 200: helpRequestPageSchema, ...errors },
      },
    },
    async (request) =>
      service.listHelpRequests(await contextOf(request), request.params.id, request.query),
  );

  app.get(
    "/api/emergency/help-requests/:id",
    {
      schema: {
        tags,
        summary: "One help request",
        params,
        response: { 200: helpRequestSchema, ...errors },
      },
    },
    async (request) => service.getHelpRequest(await contextOf(request), request.params.id),
  );

  app.get(
    "/api/emergency/help-requests/:id/matches",
    {
      schema: {
        tags,
        summary: "Volunteer offers ranked for this request (category, distance, language, skills)",
        params,
        response: { 200: helpMatchListSchema, ...errors },
      },
    },
    async (request) => service.helpMatches(await contextOf(request), request.params.id),
  );

  const moves = [
    [
      "claim",
      claimHelpRequestBodySchema,
      "Take the request (a volunteer) or give it to someone (staff)",
    ],
    ["release", releaseHelpRequestBodySchema, "Give the request back to the open pool"],
    ["complete", completeHelpRequestBodySchema, "Mark the request done"],
    ["cancel", cancelHelpRequestBodySchema, "Cancel the request (staff)"],
  ] as const;
  for (const [move, body, summary] of moves) {
    app.post(
      `/api/emergency/help-requests/:id/${move}`,
      { schema: { tags, summary, params, body, response: { 200: helpRequestSchema, ...errors } } },
      async (request) =>
        service.moveHelp(
          await contextOf(request),
          request.params.id,
          move,
          request.body as Parameters<typeof service.moveHelp>[3],
        ),
    );
  }

  app.post(
    "/api/emergency/events/:id/offers",
    {
      schema: {
        tags,
        summary:
          "Offer help (a volunteer, or staff for a volunteer); one offer per volunteer, updated in place",
        params,
        body: createVolunteerOfferBodySchema,
        response: { 200: volunteerOfferSchema, ...errors },
      },
    },
    async (request) =>
      service.upsertOffer(await contextOf(request), request.params.id, request.body),
  );

  app.get(
    "/api/emergency/events/:id/offers",
    {
      schema: {
        tags,
        summary: "Volunteer offers (staff: all; a volunteer: their own)",
        params,
        response: { 200: volunteerOfferListSchema, ...errors },
      },
    },
    async (request) => service.listOffers(await contextOf(request), request.params.id),
  );

  app.post(
    "/api/emergency/offers/:id/withdraw",
    {
      schema: {
        tags,
        summary: "Withdraw an offer",
        params,
        response: { 200: volunteerOfferSchema, ...errors },
      },
    },
    async (request) => service.withdrawOffer(await contextOf(request), request.params.id),
  );

  /* Shelters. */

  app.get(
    "/api/emergency/events/:id/shelters",
    {
      schema: {
        tags,
        summary: "Shelters and distribution points in scope, with live occupancy",
        params,
        response: { 200: shelterListSchema, ...errors },
      },
    },
    async (request) => service.listShelters(await contextOf(request), request.params.id),
  );

  app.put(
    "/api/emergency/events/:id/shelters/:assetId/occupancy",
    {
      schema: {
        tags,
        summary: "Update a shelter's or distribution point's occupancy (pushed to the board live)",
        params: z.object({ id: z.uuid(), assetId: z.uuid() }),
        body: shelterOccupancyBodySchema,
        response: { 200: shelterSchema, ...errors },
      },
    },
    async (request) =>
      service.setShelterOccupancy(
        await contextOf(request),
        request.params.id,
        request.params.assetId,
        request.body,
      ),
  );

  /* Situation board, live events, shift log. */

  app.get(
    "/api/emergency/events/:id/board",
    {
      schema: {
        tags,
        summary:
          "The situation board: reached / not reached / needs help, requests, shelters, map points",
        params,
        response: { 200: emergencyBoardSchema, ...errors },
      },
    },
    async (request) => service.board(await contextOf(request), request.params.id),
  );

  app.get(
    "/api/emergency/events/:id/stream",
    {
      schema: {
        tags,
        summary:
          "Live changes (Server-Sent Events, event name `emergency`; ids only); `?scope=` stands in for the scope header",
        params,
        querystring: z.object({ scope: z.string().max(100).optional() }),
      },
    },
    async (request, reply) => {
      scopeFromQuery(request);
      const ctx = await contextOf(request);
      const departmentId = ctx.actor.departmentId ?? "";
      if (
        !can(ctx.actor, { type: "emergency.board", departmentId }) &&
        !can(ctx.actor, { type: "emergency.call", departmentId })
      ) {
        authorize(ctx.actor, { type: "emergency.board", departmentId });
      }
      const { row } = await service.loadEmergency(ctx, request.params.id);
      return serveEvents(request, reply, (send) =>
        subscribeEmergency(ctx.events, departmentId, (event) => {
          if (event.emergencyId === row.id) send("emergency", event);
        }),
      );
    },
  );

  app.get(
    "/api/emergency/stream",
    {
      schema: {
        tags,
        summary:
          "Live mode changes for every screen's banner (SSE, event `emergency`: declared, updated, closed; board and call roles get every event); `?scope=` stands in for the scope header",
        querystring: z.object({ scope: z.string().max(100).optional() }),
      },
    },
    async (request, reply) => {
      scopeFromQuery(request);
      const ctx = await contextOf(request);
      authorize(ctx.actor, { type: "emergency.mode" });
      const departmentId = ctx.actor.departmentId ?? "";
      const everything =
        can(ctx.actor, { type: "emergency.board", departmentId }) ||
        can(ctx.actor, { type: "emergency.call", departmentId });
      return serveEvents(request, reply, (send) =>
        subscribeEmergency(ctx.events, departmentId, (event) => {
          if (!everything && !["declared", "updated", "closed"].includes(event.type)) return;
          send("emergency", event);
        }),
      );
    },
  );

  app.get(
    "/api/emergency/events/:id/log",
    {
      schema: {
        tags,
        summary: "The shift log, newest first",
        params,
        response: { 200: shiftLogSchema, ...errors },
      },
    },
    async (request) => service.listLog(await contextOf(request), request.params.id),
  );

  app.post(
    "/api/emergency/events/:id/log",
    {
      schema: {
        tags,
        summary: "Append to the shift log",
        params,
        body: createShiftLogEntryBodySchema,
        response: { 201: shiftLogEntrySchema, ...errors },
      },
    },
    async (request, reply) => {
      const entry = await service.addLog(await contextOf(request), request.params.id, request.body);
      return reply.status(201).send(entry);
    },
  );

  /* Back to routine: summary, export, review; a resident's history. */

  app.get(
    "/api/emergency/events/:id/summary",
    {
      schema: {
        tags,
        summary: "The summary (live while open; as closed afterwards)",
        params,
        response: { 200: emergencySummarySchema, ...errors },
      },
    },
    async (request) => service.summary(await contextOf(request), request.params.id),
  );

  app.get(
    "/api/emergency/events/:id/summary.html",
    {
      schema: {
        tags,
        summary: "The summary as a printable page (he, ar, en)",
        params,
        querystring: z.object({ lang: z.enum(SUMMARY_LOCALES).default("he") }),
      },
    },
    async (request, reply) => {
      const s = await service.summary(await contextOf(request), request.params.id);
      return reply
        .type("text/html; charset=utf-8")
        .header("cache-control", "no-store")
        .send(renderSummaryPage(s, request.query.lang));
    },
  );

  app.get(
    "/api/emergency/events/:id/summary.csv",
    {
      schema: {
        tags,
        summary: "The call list with outcomes as CSV (manager; an audited export)",
        params,
      },
    },
    async (request, reply) => {
      const csv = await service.summaryCsv(await contextOf(request), request.params.id);
      return reply
        .type("text/csv; charset=utf-8")
        .header("cache-control", "no-store")
        .header("content-disposition", attachment(`emergency-${request.params.id}.csv`))
        .send(csv);
    },
  );

  app.get(
    "/api/emergency/events/:id/review",
    {
      schema: {
        tags,
        summary: "The after-action review (null until written)",
        params,
        response: { 200: reviewResponseSchema, ...errors },
      },
    },
    async (request) => service.getReview(await contextOf(request), request.params.id),
  );

  app.put(
    "/api/emergency/events/:id/review",
    {
      schema: {
        tags,
        summary: "Write or update the after-action review (manager; send `version` to update)",
        params,
        body: reviewBodySchema,
        response: { 200: reviewResponseSchema, ...errors },
      },
    },
    async (request) =>
      service.saveReview(await contextOf(request), request.params.id, request.body),
  );

  app.get(
    "/api/emergency/residents/:residentId/history",
    {
      schema: {
        tags,
        summary:
          "A resident's emergency calls, own answers and help requests (whoever may see the resident in full)",
        params: z.object({ residentId: z.uuid() }),
        response: { 200: residentEmergencyHistorySchema, ...errors },
      },
    },
    async (request) => service.residentHistory(await contextOf(request), request.params.residentId),
  );
}
