import type { FastifyRequest } from "fastify";
import type { Config } from "../config/env.ts";
import type { Database, Db, FieldCipher } from "@kaveret/db";
import type { Auth } from "../auth/auth.ts";
import type { MessageTransport } from "../messaging/transport.ts";
import type { EventBus } from "../events/bus.ts";
import type { JobQueue } from "../jobs/queue.ts";
import type { BroadcastRuntime } from "../modules/broadcasts/broadcasts.jobs.ts";
import type { Actor } from "../policy/actor.ts";
import { loadActor } from "../auth/actor.service.ts";
import { readSessionToken } from "../auth/session-token.ts";
import type { ActorCache } from "../auth/actor-cache.ts";
import { AppError, unauthenticated } from "./errors.ts";

/** What the app is built from; created once in main.ts (or by a test). */
export type AppDeps = {
  config: Config;
  database: Database;
  auth: Auth;
  transport: MessageTransport;
  actorCache: ActorCache;
  cipher: FieldCipher;
  /** Cross-instance events (LISTEN/NOTIFY). */
  events: EventBus;
  /** The job queue (pg-boss on the same database). */
  jobs: JobQueue;
  /** Broadcast fan-out workers, push keys, receipt tokens and buffer. */
  broadcasts: BroadcastRuntime;
};

/** What a service needs to act for one request. */
export type RequestContext = {
  db: Db;
  actor: Actor;
  requestId: string;
  config: Config;
  transport: MessageTransport;
  actorCache: ActorCache;
  /** Encrypts and decrypts sensitive fields; makes blind-index tokens. */
  cipher: FieldCipher;
  events: EventBus;
  /** The job queue (work queued inside a transaction runs only if it commits). */
  jobs: JobQueue;
};

declare module "fastify" {
  interface FastifyInstance {
    deps: AppDeps;
  }
  interface FastifyRequest {
    actorPromise?: Promise<Actor | null>;
  }
}

export const SCOPE_HEADER = "x-kaveret-scope";

async function resolveActor(request: FastifyRequest): Promise<Actor | null> {
  const { config, database, actorCache } = request.server.deps;
  const token = readSessionToken(request.headers.cookie, config.authSecret);
  if (!token) return null;
  const requested = request.headers[SCOPE_HEADER];
  const scope = typeof requested === "string" ? requested : undefined;
  const key = `${token} ${scope ?? ""}`;
  const cached = actorCache.get(key);
  if (cached !== undefined) return cached;
  const actor = await loadActor(database.db, token, scope);
  actorCache.set(key, actor);
  return actor;
}

/** The signed-in actor, or 401. Unless told otherwise, a pending mandatory TOTP enrolment is 403. */
export async function requireActor(
  request: FastifyRequest,
  options: { allowPendingTwoFactor?: boolean } = {},
): Promise<Actor> {
  request.actorPromise ??= resolveActor(request);
  const actor = await request.actorPromise;
  if (!actor) throw unauthenticated();
  if (actor.twoFactorRequired && !options.allowPendingTwoFactor) {
    throw new AppError("two_factor_required", 403, "Enrol a second factor (TOTP) first");
  }
  return actor;
}

/** The actor plus what services need. */
export async function contextOf(request: FastifyRequest): Promise<RequestContext> {
  const actor = await requireActor(request);
  const { config, database, transport, actorCache, cipher, events, jobs } = request.server.deps;
  return {
    db: database.db,
    actor,
    requestId: String(request.id),
    config,
    transport,
    actorCache,
    cipher,
    events,
    jobs,
  };
}

/** The actor's department, or 403 when the request runs outside one (district, ministry). */
export function departmentOf(ctx: RequestContext): string {
  if (!ctx.actor.departmentId) throw new AppError("forbidden", 403, "Choose a department first");
  return ctx.actor.departmentId;
}
