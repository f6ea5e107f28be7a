import type { z } from "zod";

/** Codes of the channel layer; the same strings are in NEED_ERROR_CODES (packages/contracts needs.ts). */
export type ChannelErrorCode =
  "channel.bad_signature" | "channel.malformed_payload" | "channel.not_configured";

/**
 * An inbound webhook we refuse. It carries the HTTP status the route should
 * answer with; the route turns it into an AppError (same code) so the one
 * error handler shapes the body. Details name fields, never their values:
 * a webhook body is a resident's message.
 */
export class ChannelError extends Error {
  constructor(
    public readonly code: ChannelErrorCode,
    public readonly status: number,
    message: string,
    public readonly details?: { issues: { path: string; code: string; message: string }[] },
  ) {
    super(message);
    this.name = "ChannelError";
  }

  /** Read by Fastify's error handling, so an unmapped ChannelError is still a 4xx, never a 500. */
  get statusCode(): number {
    return this.status;
  }
}

export const badSignature = (message = "The webhook signature is missing or wrong") =>
  new ChannelError("channel.bad_signature", 403, message);

export const malformedPayload = (message: string, error?: z.ZodError) =>
  new ChannelError(
    "channel.malformed_payload",
    400,
    message,
    error
      ? {
          issues: error.issues.slice(0, 20).map((i) => ({
            path: i.path.map(String).join("."),
            code: i.code,
            message: i.message,
          })),
        }
      : undefined,
  );
