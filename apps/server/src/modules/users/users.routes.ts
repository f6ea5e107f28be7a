import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  acceptInvitationBodySchema,
  createInvitationBodySchema,
  errorBodySchema,
  invitationListSchema,
  invitationPreviewSchema,
  invitationSchema,
  listUsersQuerySchema,
  staffUserSchema,
  updateUserRolesBodySchema,
  userPageSchema,
} from "@kaveret/contracts";
import { contextOf } from "../../lib/context.ts";
import * as service from "./users.service.ts";

const userParams = z.object({ id: z.string().min(1).max(64) });
const idParams = z.object({ id: z.uuid() });
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};

export async function usersRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ["team"];

  app.get(
    "/api/users",
    {
      schema: {
        tags,
        summary: "The department's team (managers)",
        querystring: listUsersQuerySchema,
        response: { 200: userPageSchema, ...errors },
      },
    },
    async (request) => service.listUsers(await contextOf(request), request.query),
  );
  app.put(
    "/api/users/:id/roles",
    {
      schema: {
        tags,
        summary: "Set a person's roles and communities in the department",
        params: userParams,
        body: updateUserRolesBodySchema,
        response: { 200: staffUserSchema, ...errors },
      },
    },
    async (request) =>
      service.updateUserRoles(await contextOf(request), request.params.id, request.body),
  );
  app.post(
    "/api/users/:id/deactivate",
    {
      schema: {
        tags,
        summary: "Deactivate a person in the department",
        params: userParams,
        response: { 200: staffUserSchema, ...errors },
      },
    },
    async (request) => service.setUserActive(await contextOf(request), request.params.id, false),
  );
  app.post(
    "/api/users/:id/reactivate",
    {
      schema: {
        tags,
        summary: "Reactivate a person in the department",
        params: userParams,
        response: { 200: staffUserSchema, ...errors },
      },
    },
    async (request) => service.setUserActive(await contextOf(request), request.params.id, true),
  );

  app.get(
    "/api/invitations",
    {
      schema: {
        tags,
        summary: "Pending invitations",
        response: { 200: invitationListSchema, ...errors },
      },
    },
    async (request) => service.listInvitations(await contextOf(request)),
  );
  app.post(
    "/api/invitations",
    {
      schema: {
        tags,
        summary: "Invite a person to the team by e-mail",
        body: createInvitationBodySchema,
        response: { 201: invitationSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.createInvitation(await contextOf(request), request.body)),
  );
  app.post(
    "/api/invitations/:id/revoke",
    {
      schema: {
        tags,
        summary: "Revoke a pending invitation",
        params: idParams,
        response: { 200: invitationSchema, ...errors },
      },
    },
    async (request) => service.revokeInvitation(await contextOf(request), request.params.id),
  );

  // Public: reached from the link in the invitation e-mail.
  app.get(
    "/api/invitations/preview",
    {
      schema: {
        tags,
        summary: "What an invitation link offers (public)",
        querystring: z.object({ token: z.string().min(20).max(200) }),
        response: { 200: invitationPreviewSchema, ...errors, 410: errorBodySchema },
      },
      config: {
        rateLimit: {
          max: fastify.deps.config.SIGNIN_RATE_LIMIT_PER_MINUTE,
          timeWindow: "1 minute",
        },
      },
    },
    async (request) => service.previewInvitation(fastify.deps.database.db, request.query.token),
  );
  app.post(
    "/api/invitations/accept",
    {
      schema: {
        tags,
        summary: "Accept an invitation and set a password (public)",
        body: acceptInvitationBodySchema,
        response: { 201: z.object({ email: z.string() }), ...errors, 410: errorBodySchema },
      },
      config: {
        rateLimit: {
          max: fastify.deps.config.SIGNIN_RATE_LIMIT_PER_MINUTE,
          timeWindow: "1 minute",
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.acceptInvitation(
            fastify.deps.database.db,
            request.body,
            String(request.id),
          ),
        ),
  );
}
