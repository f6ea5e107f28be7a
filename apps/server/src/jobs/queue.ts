import { sql } from "drizzle-orm";
import {
  PgBoss,
  fromDrizzle,
  fromPglite,
  type DrizzleTransactionLike,
  type Db as IDatabase,
} from "pg-boss";
import type { Database, DbOrTx } from "@kaveret/db";

export type JobQueue = PgBoss;

/**
 * The job queue: pg-boss 12 on the app's own database (its tables in the `pgboss` schema).
 * On PostgreSQL it keeps a small pool of its own; on the embedded PGlite it runs through
 * pg-boss's PGlite adapter (multi-statement DDL through `exec`, one result per statement)
 * on the same single connection. LISTEN/NOTIFY wakes workers when a job is sent, so they
 * need not poll often. Every app instance works the queues: jobs spread across them.
 */
export async function startJobQueue(
  database: Database,
  onError: (err: Error) => void,
): Promise<JobQueue> {
  const boss =
    database.kind === "pglite"
      ? new PgBoss({
          db: fromPglite({
            query: async (text, params) => ({ rows: await database.query(text, params) }),
            exec: database.exec!,
            listen: database.listen!,
          }),
          backend: "pglite",
          useListenNotify: true,
        })
      : new PgBoss({
          connectionString: database.url!,
          max: 4,
          application_name: "kaveret-jobs",
          useListenNotify: true,
        });
  boss.on("error", onError);
  await boss.start();
  return boss;
}

/** Stops taking jobs, lets running ones finish for a while, and closes. */
export async function stopJobQueue(boss: JobQueue): Promise<void> {
  await boss.stop({ graceful: true, timeout: 5000 });
}

/** pg-boss statements inside one of our drizzle transactions: the job exists only if it commits. */
export function inTransaction(tx: DbOrTx): IDatabase {
  return fromDrizzle(tx as unknown as DrizzleTransactionLike, sql);
}
