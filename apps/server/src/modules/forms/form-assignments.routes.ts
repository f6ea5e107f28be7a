import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  assignmentOptionsSchema,
  createAssignmentBodySchema,
  errorBodySchema,
  formAssignmentListSchema,
  formAssignmentSchema,
} from "@kaveret/contracts";
import { contextOf } from "../../lib/context.ts";
import * as service from "./form-assignments.service.ts";

const params = z.object({ id: z.uuid() });
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};
const tags = ["forms"];

/** Door-to-door assignments of a form (registered by formsRoutes). */
export async function formAssignmentRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    "/api/forms/:id/assignments",
    {
      schema: {
        tags,
        summary: "Door-to-door assignments of the form (streets and buildings given to surveyors)",
        params,
        response: { 200: formAssignmentListSchema, ...errors },
      },
    },
    async (request) => service.listAssignments(await contextOf(request), request.params.id),
  );
  app.get(
    "/api/forms/:id/assignments/options",
    {
      schema: {
        tags,
        summary: "Who may be given the form and what may be walked (streets, clusters, buildings)",
        params,
        response: { 200: assignmentOptionsSchema, ...errors },
      },
    },
    async (request) => service.assignmentOptions(await contextOf(request), request.params.id),
  );
  app.post(
    "/api/forms/:id/assignments",
    {
      schema: {
        tags,
        summary: "Give a street, a street cluster or a building of the form to a surveyor",
        params,
        body: createAssignmentBodySchema,
        response: { 201: formAssignmentSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.createAssignment(await contextOf(request), request.params.id, request.body),
        ),
  );
  app.delete(
    "/api/forms/:id/assignments/:assignmentId",
    {
      schema: {
        tags,
        summary: "Take an assignment back (answers taken on it stay in the dataset)",
        params: params.extend({ assignmentId: z.uuid() }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await service.deleteAssignment(
        await contextOf(request),
        request.params.id,
        request.params.assignmentId,
      );
      return reply.status(204).send(null);
    },
  );
}
