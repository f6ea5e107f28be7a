import pg from "pg";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { directoryMB, productionEnv, spawnChild, waitExit } from "./support.ts";

/*
 * The scale data sets the benchmarks share: a department of N residents made once by
 * `npm run seed -- --residents N` (PostgreSQL database kaveret_bench_residents_<N>, or a
 * PGlite folder under $BENCH_DATA_DIR) and reused by later runs. bench:residents and
 * bench:declare read the same ones.
 */

export const PG_ADMIN_URL =
  process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
/** Prepared databases live here between runs (PGlite folders, notes on how each was made). */
export const DATA_ROOT = process.env.BENCH_DATA_DIR ?? join(tmpdir(), "kaveret-bench");

export type Kind = "postgres" | "pglite";
export const departmentName = (n: number) => `מחלקת מדידה — ${n.toLocaleString("en-US")} תושבים`;

export type Prepared = {
  residents: number;
  reused: boolean;
  /** How the data set was generated (this run, or the run that made it). */
  generation: {
    wallSeconds: number;
    residentsSeconds: number | null;
    residentsPerSecond: number | null;
    peakMemoryMB: number;
    at: string;
  } | null;
};

// ---------------------------------------------------------------- data sets

export type Target = {
  env: Record<string, string>;
  sizeMB: () => Promise<number | null>;
  prepared: Prepared;
};

function notesFile(kind: Kind, n: number) {
  return join(DATA_ROOT, `${kind}-${n}.json`);
}

async function generate(
  kind: Kind,
  n: number,
  env: Record<string, string>,
): Promise<Prepared["generation"]> {
  console.log(
    `  generating ${n.toLocaleString("en-US")} residents (npm run seed -- --residents ${n}) …`,
  );
  const started = Date.now();
  const seed = spawnChild(
    "seed",
    "apps/server/src/seed-cli.ts",
    { ...productionEnv("http://127.0.0.1", 0), ...env },
    ["--residents", String(n), "--department-name", departmentName(n)],
    { echo: true },
  );
  const code = await waitExit(seed, 3 * 60 * 60 * 1000);
  if (code !== 0) throw new Error(`the seed CLI failed (${code}):\n${seed.output.join("")}`);
  const out = seed.output.join("");
  const m = /residents ([\d.]+) s \(([\d,]+) residents\/s\)/.exec(out);
  const generation = {
    wallSeconds: Math.round((Date.now() - started) / 100) / 10,
    residentsSeconds: m ? Number(m[1]) : null,
    residentsPerSecond: m ? Number(m[2]!.replace(/,/g, "")) : null,
    peakMemoryMB: seed.peakMemoryMB(),
    at: new Date().toISOString(),
  };
  writeFileSync(notesFile(kind, n), `${JSON.stringify(generation, null, 2)}\n`);
  return generation;
}

function readNotes(kind: Kind, n: number): Prepared["generation"] {
  try {
    return JSON.parse(readFileSync(notesFile(kind, n), "utf8")) as Prepared["generation"];
  } catch {
    return null;
  }
}

/** The PostgreSQL data set of n residents (made when missing, or when `fresh`); a string says why not. */
export async function preparePostgres(n: number, fresh = false): Promise<Target | string> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (err) {
    return `PostgreSQL at ${new URL(PG_ADMIN_URL).host} is unreachable (${err instanceof Error ? err.message : String(err)})`;
  }
  const name = `kaveret_bench_residents_${n}`;
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const env = { DATABASE_URL: url.toString(), DATABASE_POOL_SIZE: "10" };
  let reused = false;
  try {
    const exists = (await admin.query("select 1 from pg_database where datname = $1", [name]))
      .rowCount;
    if (exists && !fresh) {
      const c = new pg.Client({ connectionString: url.toString() });
      await c.connect();
      try {
        const r = await c.query<{ n: number }>(
          `select count(*)::int n from residents r join departments d on d.id = r.department_id where d.name = $1`,
          [departmentName(n)],
        );
        reused = (r.rows[0]?.n ?? 0) >= n;
      } catch {
        reused = false;
      } finally {
        await c.end();
      }
    }
    if (!reused) {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`create database ${name}`);
    }
  } finally {
    await admin.end();
  }
  mkdirSync(DATA_ROOT, { recursive: true });
  const generation = reused ? readNotes("postgres", n) : await generate("postgres", n, env);
  if (reused) console.log(`  reusing database ${name} (--fresh to make it again)`);
  return {
    env,
    prepared: { residents: n, reused, generation },
    sizeMB: async () => {
      const c = new pg.Client({ connectionString: url.toString() });
      await c.connect();
      try {
        const r = await c.query<{ mb: number }>(
          "select round(pg_database_size(current_database()) / 1048576.0)::int mb",
        );
        return r.rows[0]?.mb ?? null;
      } finally {
        await c.end();
      }
    },
  };
}

/** The PGlite data set of n residents (made when missing, or when `fresh`). */
export async function preparePglite(n: number, fresh = false): Promise<Target> {
  mkdirSync(DATA_ROOT, { recursive: true });
  const dir = join(DATA_ROOT, `pglite-${n}`);
  const env = { DATA_DIR: dir };
  const reused = !fresh && existsSync(dir) && readNotes("pglite", n) !== null;
  if (!reused) rmSync(dir, { recursive: true, force: true });
  const generation = reused ? readNotes("pglite", n) : await generate("pglite", n, env);
  if (reused) console.log(`  reusing ${dir} (--fresh to make it again)`);
  return {
    env,
    prepared: { residents: n, reused, generation },
    sizeMB: async () => directoryMB(dir),
  };
}
