import type { FastifyInstance } from "fastify";

/** Routes of this module (being built). */
export async function importsRoutes(_fastify: FastifyInstance) {}
