import Fastify from "fastify";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";

/*
 * The baseline for the API benchmark: a bare Fastify handler running the same
 * get-by-id query as Kaveret, with no authentication, policy, validation or
 * audit. Started as a child process by bench/api.bench.ts on the same
 * database (PostgreSQL via DATABASE_URL, or the PGlite directory in DATA_DIR).
 *
 *   GET /baseline/:departmentId/:id  →  the row as JSON
 */

const port = Number(process.env.PORT ?? 0);
const sql = "select * from communities where department_id = $1 and id = $2";

type Query = (params: unknown[]) => Promise<Record<string, unknown>[]>;

async function open(): Promise<{ query: Query; close: () => Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const pool = new pg.Pool({
      connectionString: process.env.DATABASE_URL,
      max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    });
    pool.on("error", () => undefined);
    return {
      query: async (params) => (await pool.query(sql, params)).rows,
      close: () => pool.end(),
    };
  }
  if (!process.env.DATA_DIR) throw new Error("set DATABASE_URL or DATA_DIR");
  const client = await PGlite.create({ dataDir: process.env.DATA_DIR });
  return {
    query: async (params) => (await client.query<Record<string, unknown>>(sql, params)).rows,
    close: () => client.close(),
  };
}

const db = await open();
const app = Fastify({ logger: false });
app.get<{ Params: { departmentId: string; id: string } }>(
  "/baseline/:departmentId/:id",
  async (request, reply) => {
    const rows = await db.query([request.params.departmentId, request.params.id]);
    if (rows.length === 0) return reply.status(404).send({ error: "not found" });
    return rows[0];
  },
);
app.get("/health", async () => ({ status: "ok" }));

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  setTimeout(() => process.exit(1), 5_000).unref();
  void app
    .close()
    .then(() => db.close())
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

await app.listen({ port, host: "127.0.0.1" });
