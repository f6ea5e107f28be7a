import type { FastifyReply, FastifyRequest } from "fastify";
import { SCOPE_HEADER } from "./context.ts";
import type { Unsubscribe } from "../events/bus.ts";

/**
 * EventSource cannot send headers: a stream's `?scope=` stands in for the scope header
 * (the header wins when both are there). Call before `contextOf(request)`.
 */
export function scopeFromQuery(request: FastifyRequest<{ Querystring: { scope?: string } }>) {
  if (request.query.scope && !request.headers[SCOPE_HEADER]) {
    request.headers[SCOPE_HEADER] = request.query.scope;
  }
}

/** Sends one Server-Sent Event (name and JSON data) on an open stream. */
export type SendEvent = (name: string, data: unknown) => void;

/**
 * Serves a Server-Sent Events stream of event-bus events: `subscribe` listens (filtering
 * for the reader) and calls `send`; ": connected" is written only once this instance
 * listens, so nothing published after it is missed; a ping every 25 s keeps proxies from
 * closing it; the subscription ends with the connection.
 */
export async function serveEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  subscribe: (send: SendEvent) => Unsubscribe,
): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  let open = false;
  let closed = false;
  const timer: { ping?: NodeJS.Timeout } = {};
  const off = subscribe((name, data) => {
    if (open) res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  });
  request.raw.on("close", () => {
    closed = true;
    clearInterval(timer.ping);
    off();
  });
  await off.ready.catch(() => undefined);
  if (closed) return;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  res.write(`retry: 3000\n: connected\n\n`);
  open = true;
  timer.ping = setInterval(() => res.write(": ping\n\n"), 25_000);
}
