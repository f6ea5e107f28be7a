import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { emailOTP, phoneNumber, twoFactor } from "better-auth/plugins";
import { and, eq } from "drizzle-orm";
import { schema, type Db } from "@kaveret/db";
import type { Config } from "../config/env.ts";
import type { MessageTransport } from "../messaging/transport.ts";
import { renderMessage } from "../messaging/templates.ts";

/** Israeli mobile numbers in E.164 (+9725XXXXXXXX), or any E.164 number. */
const E164 = /^\+[1-9]\d{7,14}$/;

async function residentLocale(db: Db, where: "email" | "phone", value: string) {
  const column = where === "email" ? schema.user.email : schema.user.phoneNumber;
  const [row] = await db
    .select({ locale: schema.user.locale })
    .from(schema.user)
    .where(and(eq(column, value), eq(schema.user.kind, "resident"), eq(schema.user.active, true)))
    .limit(1);
  return row?.locale;
}

export function createAuth(config: Config, db: Db, transport: MessageTransport) {
  const origins = new Set([config.publicUrl]);
  if (config.NODE_ENV !== "production") {
    for (const host of ["localhost", "127.0.0.1"]) {
      origins.add(`http://${host}:${config.PORT}`);
      origins.add(`http://${host}:5173`);
    }
  }
  return betterAuth({
    appName: "Kaveret",
    baseURL: config.publicUrl,
    basePath: "/api/auth",
    secret: config.authSecret,
    trustedOrigins: [...origins],
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: {
        user: schema.user,
        session: schema.session,
        account: schema.account,
        verification: schema.verification,
        twoFactor: schema.twoFactor,
      },
    }),
    emailAndPassword: {
      enabled: true,
      // Staff accounts come from invitations only.
      disableSignUp: true,
      // NIST 800-63B: long passphrases allowed, no composition rules, no forced rotation.
      minPasswordLength: 10,
      maxPasswordLength: 256,
    },
    session: {
      expiresIn: 60 * 60 * 12,
      updateAge: 60 * 60,
      // API requests read the signed session cookie themselves (auth/session-token.ts)
      // and load session, user and roles in one query; this cache only serves get-session.
      cookieCache: { enabled: true, maxAge: 60 },
    },
    // Our own per-IP limiter and account lockout guard sign-in (see auth.routes.ts).
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    // Its own warnings ("Invalid password") carry no personal data; silent in tests.
    logger: {
      level: "warn",
      disabled: config.NODE_ENV === "test" || config.LOG_LEVEL === "silent",
    },
    advanced: {
      database: { generateId: () => crypto.randomUUID() },
    },
    plugins: [
      twoFactor({ issuer: "Kaveret" }),
      emailOTP({
        disableSignUp: true,
        otpLength: 6,
        expiresIn: 600,
        allowedAttempts: 5,
        async sendVerificationOTP({ email, otp }) {
          // Codes go only to active residents; staff sign in with a password (and TOTP).
          const locale = await residentLocale(db, "email", email);
          if (!locale) return;
          await transport.send({
            channel: "email",
            to: email,
            ...renderMessage("otp", locale, { otp }),
          });
        },
      }),
      phoneNumber({
        otpLength: 6,
        expiresIn: 600,
        allowedAttempts: 5,
        phoneNumberValidator: (value) => E164.test(value),
        async sendOTP({ phoneNumber: to, code }) {
          const locale = await residentLocale(db, "phone", to);
          if (!locale) return;
          await transport.send({
            channel: "sms",
            to,
            body: renderMessage("otp", locale, { otp: code }).body,
          });
        },
      }),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;
