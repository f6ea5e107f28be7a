import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  consentEventSchema,
  consentHistorySchema,
  consentInputSchema,
  createResidentBodySchema,
  errorBodySchema,
  householdSchema,
  listResidentsQuerySchema,
  residentDetailSchema,
  residentHistorySchema,
  residentPageSchema,
  residentSchema,
  residentVersionBodySchema,
  revealBodySchema,
  revealResponseSchema,
  updateHouseholdBodySchema,
  updateResidentBodySchema,
} from "@kaveret/contracts";
import { contextOf } from "../../lib/context.ts";
import * as service from "./residents.service.ts";

const params = z.object({ id: z.uuid() });
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};
const tags = ["residents"];

export async function residentsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    "/api/residents",
    {
      schema: {
        tags,
        summary:
          "Find residents: names in any script (partial, typo-tolerant), phone or e-mail; filters; at the caller's access level",
        querystring: listResidentsQuerySchema,
        response: { 200: residentPageSchema, ...errors },
      },
    },
    async (request) => service.listResidents(await contextOf(request), request.query),
  );

  app.get(
    "/api/residents/:id",
    {
      schema: {
        tags,
        summary:
          "One resident: the full record, or name and contact only (activists); 409 resident.merged names the survivor",
        params,
        response: { 200: residentDetailSchema, ...errors },
      },
    },
    async (request) => service.getResident(await contextOf(request), request.params.id),
  );

  app.post(
    "/api/residents",
    {
      schema: {
        tags,
        summary: "Add a resident (home community found from the point when not given)",
        body: createResidentBodySchema,
        response: { 201: residentSchema, ...errors },
      },
    },
    async (request, reply) => {
      const created = await service.createResident(await contextOf(request), request.body);
      return reply.status(201).send(created);
    },
  );

  app.patch(
    "/api/residents/:id",
    {
      schema: {
        tags,
        summary: "Edit a resident (send the version you edited; omitted fields stay as they are)",
        params,
        body: updateResidentBodySchema,
        response: { 200: residentSchema, ...errors },
      },
    },
    async (request) =>
      service.updateResident(await contextOf(request), request.params.id, request.body),
  );

  app.post(
    "/api/residents/:id/archive",
    {
      schema: {
        tags,
        summary: "Archive a resident (left out of lists and searches)",
        params,
        body: residentVersionBodySchema,
        response: { 200: residentSchema, ...errors },
      },
    },
    async (request) =>
      service.setResidentArchived(
        await contextOf(request),
        request.params.id,
        request.body.version,
        true,
      ),
  );

  app.post(
    "/api/residents/:id/restore",
    {
      schema: {
        tags,
        summary: "Restore an archived resident",
        params,
        body: residentVersionBodySchema,
        response: { 200: residentSchema, ...errors },
      },
    },
    async (request) =>
      service.setResidentArchived(
        await contextOf(request),
        request.params.id,
        request.body.version,
        false,
      ),
  );

  app.get(
    "/api/residents/:id/consents",
    {
      schema: {
        tags,
        summary: "Consent history: every grant and withdrawal, how and by whom it was recorded",
        params,
        response: { 200: consentHistorySchema, ...errors },
      },
    },
    async (request) => service.listConsentHistory(await contextOf(request), request.params.id),
  );

  app.post(
    "/api/residents/:id/consents",
    {
      schema: {
        tags,
        summary: "Record a consent or its withdrawal (effective at once)",
        params,
        body: consentInputSchema,
        response: { 201: consentEventSchema, ...errors },
      },
    },
    async (request, reply) => {
      const event = await service.recordConsent(
        await contextOf(request),
        request.params.id,
        request.body,
      );
      return reply.status(201).send(event);
    },
  );

  app.post(
    "/api/residents/:id/reveal",
    {
      schema: {
        tags,
        summary: "Show health notes / ID number (full access only; the purpose is audited)",
        params,
        body: revealBodySchema,
        response: { 200: revealResponseSchema, ...errors },
      },
    },
    async (request) =>
      service.revealResident(await contextOf(request), request.params.id, request.body),
  );

  app.get(
    "/api/residents/:id/history",
    {
      schema: {
        tags,
        summary: "What happened to the record (and to records merged into it)",
        params,
        response: { 200: residentHistorySchema, ...errors },
      },
    },
    async (request) => service.residentHistory(await contextOf(request), request.params.id),
  );

  app.get(
    "/api/households/:id",
    {
      schema: {
        tags,
        summary: "A household and the members the caller may see",
        params,
        response: { 200: householdSchema, ...errors },
      },
    },
    async (request) => service.getHousehold(await contextOf(request), request.params.id),
  );

  app.patch(
    "/api/households/:id",
    {
      schema: {
        tags,
        summary: "Rename a household (send the version you edited)",
        params,
        body: updateHouseholdBodySchema,
        response: { 200: householdSchema, ...errors },
      },
    },
    async (request) =>
      service.updateHousehold(await contextOf(request), request.params.id, request.body),
  );
}
