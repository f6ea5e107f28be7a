import { ensureStatusLinks } from "./modules/emergency/emergency.service.ts";
import { startEmergencyJobs } from "./modules/emergency/emergency.jobs.ts";
import { scheduleRetention } from "./modules/retention/retention.ts";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { hashPassword } from "better-auth/crypto";
import {
  createFieldCipher,
  isDatabaseEmpty,
  migrateDatabase,
  openDatabase,
  seedDemo,
  type Database,
  type DemoLogin,
} from "@kaveret/db";
import type { Config } from "./config/env.ts";
import { buildApp, type App } from "./app.ts";
import { createAuth } from "./auth/auth.ts";
import { createTransport } from "./messaging/transport.ts";
import { ActorCache } from "./auth/actor-cache.ts";
import { createEventBus } from "./events/bus.ts";
import { startJobQueue, stopJobQueue } from "./jobs/queue.ts";
import { startBroadcasts } from "./modules/broadcasts/broadcasts.jobs.ts";
import type { StatusLinkFn } from "./modules/broadcasts/broadcasts.texts.ts";
import { vapidKeys } from "./push/vapid.ts";
import { seedDemoNeeds } from "./modules/needs/needs.demo.ts";
import { seedDemoEmergencies } from "./modules/emergency/emergency.demo.ts";

export type Started = { app: App; database: Database; demoLogins: DemoLogin[] | null };

/** Opens the database the configuration names (embedded folder, memory://, or PostgreSQL) and migrates it. */
export async function openConfiguredDatabase(config: Config): Promise<Database> {
  // DATA_DIR=memory:// keeps the embedded database in memory (tests, throwaway demos).
  const inMemory =
    config.database.kind === "pglite" && config.database.dataDir.startsWith("memory://");
  if (config.database.kind === "pglite" && !inMemory)
    mkdirSync(resolve(config.database.dataDir), { recursive: true });
  const database = await openDatabase(
    config.database.kind === "pglite"
      ? { kind: "pglite", dataDir: inMemory ? undefined : resolve(config.database.dataDir) }
      : { kind: "postgres", url: config.database.url, poolSize: config.database.poolSize },
  );
  try {
    await migrateDatabase(database);
    return database;
  } catch (err) {
    await database.close();
    throw err;
  }
}

/** Seeds the demo department when the database has none; the logins, or null when nothing was seeded. */
export async function seedDemoIfEmpty(
  database: Database,
  config: Config,
): Promise<DemoLogin[] | null> {
  if (!(await isDatabaseEmpty(database.db))) return null;
  const cipher = createFieldCipher(config.fieldKeys);
  const logins = await seedDemo(database.db, {
    passwordHash: await hashPassword(config.demoPassword),
    cipher,
    residents: config.SEED_DEMO_RESIDENTS,
  });
  // The needs queue (and its classifier) of the demo town; fewer with the tests' smaller town.
  await seedDemoNeeds(database.db, cipher, {
    count: config.SEED_DEMO_RESIDENTS >= 1000 ? 240 : 80,
  });
  // What emergency mode looks like afterwards: a closed storm and a closed drill (none open).
  if (config.SEED_DEMO_EMERGENCIES) await seedDemoEmergencies(database.db, cipher, config);
  return logins;
}

/** Opens and migrates the database, seeds the demo department when empty, builds the app. */
export async function createServer(
  config: Config,
  options: {
    logger?: boolean;
    /** Fills {statusLink} in broadcast texts per recipient (the resident status page). */
    statusLink?: StatusLinkFn;
  } = {},
): Promise<Started> {
  const database = await openConfiguredDatabase(config);
  // What was started so far, stopped in reverse if a later step fails.
  const started: (() => Promise<void>)[] = [];
  try {
    const demoLogins = config.SEED_DEMO ? await seedDemoIfEmpty(database, config) : null;
    // The embedded database has no autovacuum: refresh planner statistics at each start.
    if (database.kind === "pglite") await database.query("analyze");
    const transport = createTransport(config, database.db);
    const auth = createAuth(config, database.db, transport);
    const actorCache = new ActorCache(config.ACTOR_CACHE_MS);
    const cipher = createFieldCipher(config.fieldKeys);
    const events = createEventBus(database);
    started.push(() => events.close());
    // Errors of the queue's own maintenance are logged once the app (and its logger) exist.
    const queueErrors: { log: (err: unknown, where: string) => void } = { log: () => undefined };
    const jobs = await startJobQueue(database, (err) => queueErrors.log(err, "jobs"));
    started.push(() => stopJobQueue(jobs));
    const broadcasts = await startBroadcasts({
      db: database.db,
      events,
      jobs,
      transport,
      cipher,
      authSecret: config.authSecret,
      publicUrl: config.publicUrl,
      retrySeconds: config.BROADCAST_RETRY_SECONDS,
      vapid: vapidKeys({
        authSecret: config.authSecret,
        publicKey: config.VAPID_PUBLIC_KEY,
        privateKey: config.VAPID_PRIVATE_KEY,
        subject: config.VAPID_SUBJECT,
      }),
      // Default: each resident's own "I'm OK / I need help" page of the broadcast's emergency.
      statusLink:
        options.statusLink ??
        (async (recipients) => {
          const first = recipients[0];
          if (!first?.emergencyId) return recipients.map(() => null);
          const links = await ensureStatusLinks(database.db, cipher, config.publicUrl, {
            departmentId: first.departmentId,
            emergencyId: first.emergencyId,
            residentIds: recipients.flatMap((r) => (r.residentId ? [r.residentId] : [])),
          });
          return recipients.map((r) => (r.residentId ? (links.get(r.residentId) ?? null) : null));
        }),
      pushWorkers: config.PUSH_WORKERS || undefined,
      prewarmPush: config.NODE_ENV === "production",
      onError: (err, where) => queueErrors.log(err, where),
    });
    started.push(() => broadcasts.close());
    await scheduleRetention(
      jobs,
      database.db,
      {
        needContactDays: config.RETENTION_NEED_CONTACT_DAYS,
        deliveryDays: config.RETENTION_DELIVERY_DAYS,
        syncCommandDays: config.RETENTION_SYNC_COMMAND_DAYS,
      },
      (err, where) => queueErrors.log(err, where),
    );
    await startEmergencyJobs({
      db: database.db,
      jobs,
      cipher,
      transport,
      publicUrl: config.publicUrl,
      onError: (err, where) => queueErrors.log(err, where),
    });
    const app = await buildApp(
      { config, database, auth, transport, actorCache, cipher, events, jobs, broadcasts },
      options,
    );
    queueErrors.log = (err, where) =>
      app.log.error({ where, err: err instanceof Error ? err.message : String(err) }, "background");
    app.addHook("onClose", async () => {
      await broadcasts.close();
      await stopJobQueue(jobs);
      await events.close();
      await database.close();
    });
    return { app, database, demoLogins };
  } catch (err) {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
    await database.close();
    throw err;
  }
}
