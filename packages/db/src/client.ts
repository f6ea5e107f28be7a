import { PGlite } from "@electric-sql/pglite";
import { btree_gin } from "@electric-sql/pglite/contrib/btree_gin";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { fileURLToPath } from "node:url";
import pg from "pg";
import * as schema from "./schema.ts";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** What a transaction callback receives; repositories accept either. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export type DatabaseOptions =
  | { kind: "pglite"; dataDir?: string | undefined }
  | { kind: "postgres"; url: string; poolSize?: number | undefined };

export type Database = {
  db: Db;
  kind: "pglite" | "postgres";
  /** The connection string (PostgreSQL only). */
  url?: string;
  /** Runs a query outside drizzle (health checks, LISTEN/NOTIFY, maintenance). */
  query: <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;
  /**
   * PGlite only: LISTEN on a channel inside the process (PostgreSQL listens on a dedicated
   * connection of its own, see the server's events/bus.ts). Resolves to the UNLISTEN.
   */
  listen?: (channel: string, handler: (payload: string) => void) => Promise<() => Promise<void>>;
  /** PGlite only: runs several statements at once, one result per statement (pg-boss). */
  exec?: (text: string) => Promise<{ rows: Record<string, unknown>[] }[]>;
  close: () => Promise<void>;
};

export const migrationsFolder = fileURLToPath(new URL("../migrations", import.meta.url));

/** Opens the embedded PGlite database (a directory, or memory when none) or a PostgreSQL pool. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.kind === "pglite") {
    // The extensions the migrations create (trigram search) must be loaded into the WASM build.
    const extensions = { pg_trgm, btree_gin };
    const client = await PGlite.create(
      options.dataDir ? { dataDir: options.dataDir, extensions } : { extensions },
    );
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    return {
      db,
      kind: "pglite",
      query: async (text, params) => (await client.query(text, params)).rows as never,
      listen: (channel, handler) => client.listen(channel, handler),
      exec: async (text) => (await client.exec(text)).map((r) => ({ rows: r.rows as never })),
      close: () => client.close(),
    };
  }
  // JIT compilation costs far more than it saves on our short OLTP queries (at a million
  // residents, cost estimates cross its thresholds and a list spent ~1 s compiling).
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    options: "-c jit=off",
  });
  // An idle client losing its connection must not crash the process.
  pool.on("error", () => undefined);
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    url: options.url,
    query: async (text, params) => (await pool.query(text, params)).rows,
    close: () => pool.end(),
  };
}

/** Applies the committed migrations (the same files on PGlite and PostgreSQL). */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === "pglite") {
    await migratePglite(database.db as never, { migrationsFolder });
    return;
  }
  // Several app instances may start at once: one migrates, the others wait for it.
  const lockClient = new pg.Client({ connectionString: database.url });
  await lockClient.connect();
  try {
    await lockClient.query("select pg_advisory_lock(7428190311)");
    await migratePg(database.db as never, { migrationsFolder });
  } finally {
    await lockClient.query("select pg_advisory_unlock(7428190311)").catch(() => undefined);
    await lockClient.end();
  }
}
