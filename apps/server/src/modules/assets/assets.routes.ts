import type { FastifyInstance } from "fastify";

/** Routes of this module (being built). */
export async function assetsRoutes(_fastify: FastifyInstance) {}
