import type { FastifyServerOptions } from "fastify";
import type { Config } from "../config/env.ts";

/**
 * pino through Fastify. No personal data in logs: query strings (search terms
 * are often names) are cut from logged URLs, and credentials and personal
 * fields are redacted wherever they appear.
 */
export function loggerOptions(config: Config): FastifyServerOptions["logger"] {
  return {
    level: config.NODE_ENV === "test" ? "silent" : config.LOG_LEVEL,
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        'res.headers["set-cookie"]',
        "*.password",
        "*.email",
        "*.phoneNumber",
        "*.otp",
        "*.token",
        "*.phone",
        "*.firstName",
        "*.lastName",
        "*.otherNames",
        "*.idNumber",
        "*.healthNotes",
        "*.flags",
        "*.birthYear",
      ],
      censor: "[redacted]",
    },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        method: req.method,
        url: req.url.split("?")[0],
        id: req.id,
      }),
    },
  };
}
