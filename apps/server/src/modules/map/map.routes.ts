import type { FastifyInstance } from "fastify";

/** Routes of this module (being built). */
export async function mapRoutes(_fastify: FastifyInstance) {}
