import { z } from "zod";
import { developmentFieldKeys, FieldCryptoError, parseFieldKeys, type FieldKey } from "@kaveret/db";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** Every setting Kaveret reads from the environment. The README lists them all. */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  /** Public URL used in links sent by e-mail/SMS (invitations). */
  PUBLIC_URL: z.url().optional(),
  /** PostgreSQL connection string; when unset, the embedded PGlite database in DATA_DIR is used. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().min(1).default("./data"),
  /** Secret for signing sessions; at least 32 characters. Required in production. */
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** Password of every demo account; printed at start when defaulted. */
  DEMO_PASSWORD: z.string().min(10, "must be at least 10 characters").optional(),
  /** Seed the demo department when the database is empty. */
  SEED_DEMO: bool.default(true),
  /** Residents on record in the demo town (the test harness seeds fewer, to start fast). */
  SEED_DEMO_RESIDENTS: z.coerce.number().int().min(0).max(20_000).default(2000),
  /** The demo's emergency history (a closed storm and a closed drill); the test harness leaves it out. */
  SEED_DEMO_EMERGENCIES: bool.default(true),
  /** local: e-mail goes to the outbox table (and the /dev/outbox page); smtp: to SMTP_URL. */
  EMAIL_TRANSPORT: z.enum(["local", "smtp"]).default("local"),
  /** smtp://user:password@host:587 or smtps://…:465 */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must start with smtp:// or smtps://")
    .optional(),
  EMAIL_FROM: z.string().min(3).default("Kaveret <no-reply@kaveret.local>"),
  /** local: SMS go to the outbox table; twilio: through a Twilio-compatible Messages API. */
  SMS_TRANSPORT: z.enum(["local", "twilio"]).default("local"),
  TWILIO_ACCOUNT_SID: z.string().min(1).optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  /** Sender number (E.164) or alphanumeric sender id. */
  TWILIO_FROM: z.string().min(1).optional(),
  TWILIO_API_URL: z.url().default("https://api.twilio.com"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Serve the built web app (from WEB_DIST) on the same port as the API. */
  SERVE_WEB: bool.default(true),
  WEB_DIST: z.string().min(1).default("apps/web/dist"),
  /** Requests per minute per IP on the API (sign-in has its own tighter limit). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  /** Attempts per minute per IP on each sign-in step (password, code, TOTP). */
  SIGNIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** Failed sign-ins before an account is locked, and for how long. */
  LOCKOUT_THRESHOLD: z.coerce.number().int().min(3).max(100).default(10),
  LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  /** How long an instance reuses a session's roles (ms); 0 disables. Changes made on this instance apply at once. */
  ACTOR_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  /**
   * Keys for sensitive resident fields: "id:base64(32 bytes)", comma separated, the
   * first is used for new values (older ones still decrypt). Required in production.
   */
  DATA_ENCRYPTION_KEYS: z.string().min(10).optional(),
  /** Key of the blind indexes (filters on encrypted flags, ID-number matching): base64, ≥ 32 bytes. */
  DATA_INDEX_KEY: z.string().min(40).optional(),
  /** Base-map tile URL template ({z}/{x}/{y}); unset: our own GeoJSON on a plain background. */
  MAP_TILE_URL: z.url().optional(),
  MAP_TILE_ATTRIBUTION: z.string().max(300).optional(),
  /** Largest import file, in megabytes. */
  IMPORT_MAX_MB: z.coerce.number().int().min(1).max(500).default(50),
  /** Trust X-Forwarded-* from a reverse proxy. */
  TRUST_PROXY: bool.default(false),
  /** Public reports (page and widget) per minute per IP. */
  PUBLIC_REPORTS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Optional: an OpenAI-compatible endpoint (…/v1) for a second category opinion; unset: the department's own classifier only. */
  NEEDS_LLM_URL: z.url().optional(),
  NEEDS_LLM_API_KEY: z.string().min(1).optional(),
  NEEDS_LLM_MODEL: z.string().min(1).default("gpt-4o-mini"),
  /** Twilio webhook signatures are checked with TWILIO_AUTH_TOKEN. WhatsApp Cloud API: */
  WHATSAPP_APP_SECRET: z.string().min(8).optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().min(8).optional(),
  WHATSAPP_ACCESS_TOKEN: z.string().min(8).optional(),
  WHATSAPP_API_URL: z.url().default("https://graph.facebook.com"),
  /** Web Push (VAPID) keys, base64url; unset: derived from AUTH_SECRET (same on every instance). */
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[\w-]{80,100}$/, "base64url P-256 public key")
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[\w-]{40,50}$/, "base64url P-256 private key")
    .optional(),
  /** Contact for push services (mailto: or https:). */
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)/, "must start with mailto: or https://")
    .default("mailto:admin@kaveret.local"),
  /** Worker threads encrypting and sending web push (0: one per core, at most 4). */
  PUSH_WORKERS: z.coerce.number().int().min(0).max(16).default(0),
  /** Seconds before a broadcast's refused-for-now sends are tried again (then 3× that). */
  BROADCAST_RETRY_SECONDS: z.coerce.number().int().min(0).max(3600).default(20),
  /** Area-alert subscriptions and unsubscriptions (no account) per minute per IP. */
  PUBLIC_ALERTS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  /**
   * Push services an area subscription (no account) may name, as host suffixes: the server
   * POSTs to the endpoint, so an anonymous one may not point anywhere else. Outside
   * production, http://localhost and 127.0.0.1 are accepted too (the local push stub).
   */
  AREA_ALERT_PUSH_HOSTS: z
    .string()
    .default(
      "fcm.googleapis.com,updates.push.services.mozilla.com,push.services.mozilla.com,notify.windows.com,push.apple.com",
    ),
  /** Delivery receipts per minute per IP (devices behind one carrier NAT share an address). */
  RECEIPTS_PER_MINUTE: z.coerce.number().int().min(1).default(30_000),
  /** Retention (days): a finished need's reporter contact, a finished broadcast's
   * per-recipient rows, the replay guard of synced commands (see modules/retention). */
  RETENTION_NEED_CONTACT_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  RETENTION_DELIVERY_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  RETENTION_SYNC_COMMAND_DAYS: z.coerce.number().int().min(7).max(3650).default(90),
  WHATSAPP_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/)
    .default("v21.0"),
});

export type Env = z.infer<typeof envSchema>;

export type Config = Env & {
  fieldKeys: { keys: FieldKey[]; indexKey: Buffer };
  database:
    { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string; poolSize: number };
  authSecret: string;
  demoPassword: string;
  demoPasswordDefaulted: boolean;
  publicUrl: string;
};

export const DEFAULT_DEMO_PASSWORD = "kaveret-demo-2026";
const DEV_AUTH_SECRET = "kaveret-development-secret-do-not-use-in-production";

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Validates the environment; throws ConfigError naming each wrong variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset", as in most .env files.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join(".") || "(env)"}: ${i.message}`),
    );
  }
  const env = parsed.data;
  const problems: string[] = [];
  if (env.NODE_ENV === "production" && !env.AUTH_SECRET)
    problems.push("AUTH_SECRET: required when NODE_ENV=production");
  if (env.EMAIL_TRANSPORT === "smtp" && !env.SMTP_URL)
    problems.push("SMTP_URL: required when EMAIL_TRANSPORT=smtp");
  if (env.SMS_TRANSPORT === "twilio") {
    for (const key of ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"] as const) {
      if (!env[key]) problems.push(`${key}: required when SMS_TRANSPORT=twilio`);
    }
  }
  let fieldKeys = developmentFieldKeys();
  if (env.DATA_ENCRYPTION_KEYS || env.DATA_INDEX_KEY) {
    if (!env.DATA_ENCRYPTION_KEYS)
      problems.push("DATA_ENCRYPTION_KEYS: required with DATA_INDEX_KEY");
    else if (!env.DATA_INDEX_KEY)
      problems.push("DATA_INDEX_KEY: required with DATA_ENCRYPTION_KEYS");
    else {
      try {
        fieldKeys = parseFieldKeys(env.DATA_ENCRYPTION_KEYS, env.DATA_INDEX_KEY);
      } catch (err) {
        if (!(err instanceof FieldCryptoError)) throw err;
        problems.push(`DATA_ENCRYPTION_KEYS / DATA_INDEX_KEY: ${err.message}`);
      }
    }
  } else if (env.NODE_ENV === "production") {
    problems.push("DATA_ENCRYPTION_KEYS and DATA_INDEX_KEY: required when NODE_ENV=production");
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    fieldKeys,
    ...env,
    database: env.DATABASE_URL
      ? { kind: "postgres", url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE }
      : { kind: "pglite", dataDir: env.DATA_DIR },
    authSecret: env.AUTH_SECRET ?? DEV_AUTH_SECRET,
    demoPassword: env.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD,
    demoPasswordDefaulted: !env.DEMO_PASSWORD,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ""),
  };
}
