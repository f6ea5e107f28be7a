import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { eq, sql } from "drizzle-orm";
import { schema } from "@kaveret/db";
import { AppError } from "../lib/errors.ts";
import { recordAudit } from "../modules/audit/audit.service.ts";
import { hasAnyActiveRole } from "../modules/users/users.repository.ts";

const SIGN_IN_PATHS = new Set([
  "/api/auth/sign-in/email",
  "/api/auth/sign-in/email-otp",
  "/api/auth/email-otp/send-verification-otp",
  "/api/auth/phone-number/send-otp",
  "/api/auth/phone-number/verify",
  "/api/auth/two-factor/verify-totp",
  "/api/auth/two-factor/verify-backup-code",
]);

/** Public sign-up and password flows we do not offer (staff come by invitation). */
const BLOCKED_PATHS = new Set(["/api/auth/sign-up/email"]);

function toWebRequest(request: FastifyRequest): Request {
  const url = new URL(request.url, `${request.protocol}://${request.host}`);
  const headers = new Headers();
  for (const [key, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  const hasBody =
    request.method !== "GET" && request.method !== "HEAD" && request.body !== undefined;
  return new Request(url, {
    method: request.method,
    headers,
    ...(hasBody ? { body: JSON.stringify(request.body) } : {}),
  });
}

async function sendWebResponse(reply: FastifyReply, response: Response) {
  reply.status(response.status);
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie" && key !== "content-length") reply.header(key, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) reply.header("set-cookie", cookies);
  const text = await response.text();
  return reply.send(text.length ? text : null);
}

/** better-auth's errors become ours, so clients see one error shape. */
function translateAuthError(status: number, text: string): AppError | null {
  if (status < 400) return null;
  let code = "";
  let message = "";
  try {
    const body = JSON.parse(text) as { code?: string; message?: string };
    code = body.code ?? "";
    message = body.message ?? "";
  } catch {
    // not JSON: keep the generic mapping below
  }
  if (status === 401)
    return new AppError("unauthenticated", 401, message || "Wrong e-mail or password", {
      authCode: code,
    });
  if (status === 403)
    return new AppError("forbidden", 403, message || "Not allowed", { authCode: code });
  if (status === 404)
    return new AppError("not_found", 404, message || "Not found", { authCode: code });
  if (status === 429)
    return new AppError("rate_limited", 429, "Too many attempts; try again shortly");
  if (status >= 500) return null;
  return new AppError("bad_request", 400, message || "The request is not valid", {
    authCode: code,
  });
}

/**
 * Mounts better-auth on /api/auth/* (authentication only; authorization is
 * ours) and adds what it lacks: account lockout after repeated failures and a
 * tight per-IP rate limit on every sign-in step.
 */
export async function authRoutes(app: FastifyInstance) {
  const { auth, config, database } = app.deps;
  const db = database.db;

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split("?")[0] ?? "";
    if (BLOCKED_PATHS.has(path))
      throw new AppError("forbidden", 403, "Accounts are created by invitation");

    const isPasswordSignIn = path === "/api/auth/sign-in/email" && request.method === "POST";
    const email =
      isPasswordSignIn &&
      request.body &&
      typeof request.body === "object" &&
      "email" in request.body
        ? String((request.body as { email: unknown }).email)
            .toLowerCase()
            .slice(0, 254)
        : null;

    let account: { id: string; active: boolean; lockedUntil: Date | null } | undefined;
    if (email) {
      [account] = await db
        .select({
          id: schema.user.id,
          active: schema.user.active,
          lockedUntil: schema.user.lockedUntil,
        })
        .from(schema.user)
        .where(eq(schema.user.email, email))
        .limit(1);
      if (account?.lockedUntil && account.lockedUntil > new Date()) {
        throw new AppError(
          "account_locked",
          423,
          "Too many failed sign-ins; the account is locked for a while",
          {
            lockedUntil: account.lockedUntil.toISOString(),
          },
        );
      }
      if (account && (!account.active || !(await hasAnyActiveRole(db, account.id)))) {
        throw new AppError("account_inactive", 403, "This account is deactivated");
      }
    }

    const response = await auth.handler(toWebRequest(request));
    // Sign-in steps, sign-out and second-factor changes alter who is behind a session.
    if (request.method === "POST") app.deps.actorCache.clear();

    if (email && account) {
      if (response.status === 401) {
        const [row] = await db
          .update(schema.user)
          .set({ failedSignIns: sql`${schema.user.failedSignIns} + 1` })
          .where(eq(schema.user.id, account.id))
          .returning({ failed: schema.user.failedSignIns });
        if (row && row.failed >= config.LOCKOUT_THRESHOLD) {
          const until = new Date(Date.now() + config.LOCKOUT_MINUTES * 60_000);
          await db.transaction(async (tx) => {
            await tx
              .update(schema.user)
              .set({ failedSignIns: 0, lockedUntil: until })
              .where(eq(schema.user.id, account.id));
            await recordAudit(tx, {
              departmentId: null,
              actorUserId: account.id,
              actorRole: null,
              requestId: String(request.id),
              action: "auth.locked",
              entityType: "user",
              entityId: account.id,
              details: { minutes: config.LOCKOUT_MINUTES },
            });
          });
        }
      } else if (response.status === 200) {
        await db
          .update(schema.user)
          .set({ failedSignIns: 0, lockedUntil: null })
          .where(eq(schema.user.id, account.id));
      }
    }

    if (response.status >= 400) {
      const text = await response.clone().text();
      const err = translateAuthError(response.status, text);
      if (err) throw err;
    }
    return sendWebResponse(reply, response);
  };

  app.route({
    method: ["GET", "POST"],
    url: "/api/auth/*",
    schema: { hide: true },
    config: {
      rateLimit: {
        max: (request: FastifyRequest) =>
          SIGN_IN_PATHS.has(request.url.split("?")[0] ?? "")
            ? config.SIGNIN_RATE_LIMIT_PER_MINUTE
            : config.RATE_LIMIT_PER_MINUTE,
        timeWindow: "1 minute",
        keyGenerator: (request: FastifyRequest) => `${request.ip}:${request.url.split("?")[0]}`,
      },
    },
    handler,
  });
}
