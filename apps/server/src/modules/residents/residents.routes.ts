import type { FastifyInstance } from "fastify";

/** Routes of this module (being built). */
export async function residentsRoutes(_fastify: FastifyInstance) {}
