import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  checkDuplicatesBodySchema,
  duplicateCandidatesSchema,
  duplicateDismissalSchema,
  duplicatePairPageSchema,
  errorBodySchema,
  listDuplicatePairsQuerySchema,
  mergeBodySchema,
  mergePreviewSchema,
  mergeResultSchema,
  residentMergeListSchema,
} from "@kaveret/contracts";
import { contextOf } from "../../lib/context.ts";
import * as service from "./duplicates.service.ts";

const params = z.object({ id: z.uuid() });
const pairParams = z.object({ id: z.uuid(), otherId: z.uuid() });
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};
const tags = ["residents"];

/** Duplicate detection and merging of resident records. */
export async function duplicatesRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post(
    "/api/residents/check-duplicates",
    {
      schema: {
        tags,
        summary: "Before saving: residents (you see in full) who may be this person",
        body: checkDuplicatesBodySchema,
        response: { 200: duplicateCandidatesSchema, ...errors },
      },
    },
    async (request) => service.checkDuplicates(await contextOf(request), request.body),
  );

  app.get(
    "/api/residents/duplicates",
    {
      schema: {
        tags,
        summary: "Likely duplicate pairs in the department, best first",
        querystring: listDuplicatePairsQuerySchema,
        response: { 200: duplicatePairPageSchema, ...errors },
      },
    },
    async (request) => service.listDuplicatePairs(await contextOf(request), request.query),
  );

  app.get(
    "/api/residents/:id/duplicates",
    {
      schema: {
        tags,
        summary: "Likely duplicates of one resident",
        params,
        response: { 200: duplicateCandidatesSchema, ...errors },
      },
    },
    async (request) => service.residentDuplicates(await contextOf(request), request.params.id),
  );

  app.get(
    "/api/residents/:id/merge/:otherId",
    {
      schema: {
        tags,
        summary: "Both records of a merge, side by side (sensitive values only as present)",
        params: pairParams,
        response: { 200: mergePreviewSchema, ...errors },
      },
    },
    async (request) =>
      service.mergePreview(await contextOf(request), request.params.id, request.params.otherId),
  );

  app.post(
    "/api/residents/:id/merge",
    {
      schema: {
        tags,
        summary: "Merge another record into this one (send both versions)",
        params,
        body: mergeBodySchema,
        response: { 200: mergeResultSchema, ...errors },
      },
    },
    async (request) =>
      service.mergeResidents(await contextOf(request), request.params.id, request.body),
  );

  app.get(
    "/api/residents/:id/merges",
    {
      schema: {
        tags,
        summary: "Records merged into this one",
        params,
        response: { 200: residentMergeListSchema, ...errors },
      },
    },
    async (request) => service.listMerges(await contextOf(request), request.params.id),
  );

  app.post(
    "/api/residents/:id/not-duplicate/:otherId",
    {
      schema: {
        tags,
        summary: "Not the same person: the pair is no longer proposed as a duplicate",
        params: pairParams,
        response: { 200: duplicateDismissalSchema, ...errors },
      },
    },
    async (request) =>
      service.setNotDuplicate(
        await contextOf(request),
        request.params.id,
        request.params.otherId,
        true,
      ),
  );

  app.delete(
    "/api/residents/:id/not-duplicate/:otherId",
    {
      schema: {
        tags,
        summary: 'Undo "not the same person": the pair is proposed again',
        params: pairParams,
        response: { 200: duplicateDismissalSchema, ...errors },
      },
    },
    async (request) =>
      service.setNotDuplicate(
        await contextOf(request),
        request.params.id,
        request.params.otherId,
        false,
      ),
  );
}
