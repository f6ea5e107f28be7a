import type { FastifyInstance } from "fastify";

/** Routes of this module (being built). */
export async function savedFiltersRoutes(_fastify: FastifyInstance) {}
