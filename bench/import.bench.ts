import pg from "pg";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { withIsraeliIdCheckDigit } from "@kaveret/contracts";

/*
 * Import benchmark: the real server in a child process (as `npm start` runs it,
 * NODE_ENV=production), a generated CSV of 100,000 residents uploaded through the
 * API, validated and committed, once on embedded PGlite and once on PostgreSQL.
 * Prints the time of each phase, the server's peak memory (VmHWM of its process)
 * and how long a concurrent request waited while the import ran.
 *
 *   npx tsx bench/import.bench.ts [--rows=100000] [--only=pglite|postgres] [--save]
 */

const root = resolve(import.meta.dirname, "..");
const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k ?? "", v ?? "true"] as const;
  }),
);
const ROWS = Number(args.get("rows") ?? 100_000);
const ONLY = args.get("only");
const SAVE = args.get("save") === "true";
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DEMO_PASSWORD = "bench-password-long-enough";
const MANAGER = "manager@demo.kaveret.test";
const HARD_TIMEOUT_MS = 45 * 60 * 1000;

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

// ---------------------------------------------------------------- the server

type Child = { proc: ChildProcess; output: string[]; exit: Promise<number | null> };
const children = new Set<Child>();

function spawnServer(env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ["--import", "tsx", "apps/server/src/main.ts"], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  proc.stdout?.on("data", keep);
  proc.stderr?.on("data", keep);
  const exit = new Promise<number | null>((done) => proc.on("exit", (code) => done(code)));
  const child = { proc, output, exit };
  children.add(child);
  void exit.then(() => children.delete(child));
  return child;
}

async function stopServer(child: Child) {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill("SIGINT");
  const exited = await Promise.race([child.exit.then(() => true), sleep(15_000).then(() => false)]);
  if (!exited && child.proc.pid) {
    try {
      process.kill(-child.proc.pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
}

/** Resident and peak memory of a process, from /proc (Linux), in MB. */
function memoryOf(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
  } catch {
    return null;
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => done(port));
    });
  });
}

// ---------------------------------------------------------------- the file

/** A CSV of `rows` residents in the Ein Hadar streets, as a municipality's export might look. */
function residentsCsv(rows: number, streets: string[]): Buffer {
  const first = ["דנה", "יוסי", "מרים", "אחמד", "سلمى", "אולגה", "טגיסט", "נועה", "עומר", "רים"];
  const last = ["כהן", "לוי", "מזרחי", "חורי", "ابو ريا", "פטרוב", "מלסה", "ביטון", "חדאד", "גבאי"];
  const languages = ["עברית", "ערבית", "רוסית", "עברית, אמהרית", "English"];
  const flags = ["", "", "", "גר לבד", "מחלה כרונית", "ניצול שואה", "ללא סמארטפון"];
  const consents = ["", "גלוי לפעילים", "קשר בחירום", "גלוי לפעילים, קשר בחירום"];
  const lines = ["שם פרטי,שם משפחה,ת\"ז,טלפון,רחוב,מס' בית,שנת לידה,שפות,סימוני פגיעות,הסכמות"];
  for (let i = 0; i < rows; i++) {
    // A range the demo seed does not use, so no row is a duplicate of a demo resident.
    const id = withIsraeliIdCheckDigit(String(60_000_000 + i));
    const phone = `05${(i % 8) + 2}-${String(1_000_000 + i).slice(-7)}`;
    lines.push(
      [
        first[i % first.length],
        `${last[(i * 7) % last.length]} ${i}`,
        id,
        phone,
        streets[i % streets.length],
        String((i % 120) + 1),
        String(1930 + (i % 90)),
        `"${languages[i % languages.length]}"`,
        flags[i % flags.length],
        `"${consents[i % consents.length]}"`,
      ].join(","),
    );
  }
  return Buffer.from(`\ufeff${lines.join("\n")}\n`, "utf8");
}

// ---------------------------------------------------------------- one database

type DbTarget = { env: Record<string, string>; cleanup: () => Promise<void> };

async function preparePglite(): Promise<DbTarget> {
  const dir = mkdtempSync(join(tmpdir(), "kaveret-import-bench-"));
  return {
    env: { DATA_DIR: join(dir, "data") },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function preparePostgres(): Promise<DbTarget | string> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (err) {
    return `PostgreSQL unreachable (${err instanceof Error ? err.message : String(err)})`;
  }
  const name = `kaveret_bench_${randomBytes(6).toString("hex")}`;
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    cleanup: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

type JobState = {
  status: string;
  processedRows: number;
  validRows: number;
  errorRows: number;
  result: { created?: number };
  failure: string | null;
};

type Result = {
  database: string;
  rows: number;
  fileMB: number;
  seconds: { upload: number; validate: number; commit: number; total: number };
  rowsPerSecond: { validate: number; commit: number };
  memoryMB: { beforeImport: number; peakDuringImport: number; processPeak: number };
  /** The slowest concurrent GET /api/imports/:id (the progress poll) in each phase. */
  slowestPollMs: { validate: number; commit: number };
  created: number;
};

async function benchDatabase(database: "pglite" | "postgres", target: DbTarget): Promise<Result> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  console.log(`\n== ${database === "pglite" ? "embedded PGlite" : "PostgreSQL"} ==`);
  const server = spawnServer({
    ...target.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    NODE_ENV: "production",
    PUBLIC_URL: base,
    AUTH_SECRET: "bench-auth-secret-0123456789abcdef-0123456789",
    DATA_ENCRYPTION_KEYS: `bench:${Buffer.alloc(32, 7).toString("base64")}`,
    DATA_INDEX_KEY: Buffer.alloc(32, 9).toString("base64"),
    LOG_LEVEL: "warn",
    DEMO_PASSWORD,
    SEED_DEMO: "true",
    SERVE_WEB: "false",
    IMPORT_MAX_MB: "100",
    RATE_LIMIT_PER_MINUTE: "100000000",
  });
  try {
    for (let i = 0; ; i++) {
      if (server.proc.exitCode !== null)
        throw new Error(`server exited:\n${server.output.join("")}`);
      try {
        if ((await fetch(`${base}/api/health`)).ok) break;
      } catch {
        /* not yet */
      }
      if (i > 1200) throw new Error(`server did not start:\n${server.output.join("")}`);
      await sleep(250);
    }
    const signIn = await fetch(`${base}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify({ email: MANAGER, password: DEMO_PASSWORD }),
    });
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const me = (await (await fetch(`${base}/api/me`, { headers: { cookie } })).json()) as {
      scopes: { id: string; name: string }[];
    };
    const scope = me.scopes.find((s) => s.name.includes("עין הדר"))!;
    const headers = { cookie, "x-kaveret-scope": scope.id };
    // node:http rather than fetch: a poll may wait minutes while PGlite commits (fetch gives up at 300 s).
    const get = <T>(path: string): Promise<T> =>
      new Promise((done, fail) => {
        const req = httpRequest(base + path, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            if ((res.statusCode ?? 0) >= 400)
              fail(new Error(`GET ${path}: ${res.statusCode} ${text}`));
            else done(JSON.parse(text) as T);
          });
        });
        req.on("error", fail);
        req.end();
      });
    const post = async <T>(path: string, body: unknown, type = "application/json"): Promise<T> => {
      const res = await fetch(base + path, {
        method: "POST",
        headers: { ...headers, "content-type": type },
        body: body instanceof Buffer ? new Uint8Array(body) : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };

    const towns = await get<{ items: { id: string }[] }>("/api/communities?level=town");
    const townId = towns.items[0]!.id;
    const streets = await get<{ items: { name: string }[] }>(
      `/api/streets?townId=${townId}&limit=2000`,
    );
    const file = residentsCsv(
      ROWS,
      streets.items.map((s) => s.name),
    );
    const fileMB = file.length / 1024 / 1024;
    const pid = server.proc.pid!;
    const before = memoryOf(pid);
    console.log(
      `  server up; ${ROWS} rows, ${fileMB.toFixed(1)} MB CSV; server RSS before import ${before?.rss.toFixed(0)} MB`,
    );

    // The largest resident memory while the import runs (sampled), beside the process's all-time peak.
    let importPeak = before?.rss ?? 0;
    const sampler = setInterval(() => {
      const m = memoryOf(pid);
      if (m) importPeak = Math.max(importPeak, m.rss);
    }, 200);
    const t0 = performance.now();
    const job = await post<{
      id: string;
      totalRows: number;
      suggestedMapping: Record<string, string>;
    }>(`/api/imports?entity=residents&fileName=bench.csv`, file, "text/csv");
    const t1 = performance.now();
    if (job.totalRows !== ROWS) throw new Error(`uploaded ${job.totalRows} rows, not ${ROWS}`);
    console.log(`  upload    ${((t1 - t0) / 1000).toFixed(1)} s`);

    /** A poll again when its connection was reset while the server was busy (it is, on PGlite, during the commit). */
    const retrying = async <T>(call: () => Promise<T>): Promise<T> => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await call();
        } catch (err) {
          if (attempt >= 5 || !/ECONNRESET|socket hang up/.test(String(err))) throw err;
          await sleep(1000);
        }
      }
    };
    /** Polls as the web app does (every 700 ms); the slowest answer is how long a user waited. */
    const waitPhase = async (label: string) => {
      let slowest = 0;
      for (;;) {
        await sleep(700);
        const p0 = performance.now();
        const j = await retrying(() => get<JobState>(`/api/imports/${job.id}`));
        slowest = Math.max(slowest, performance.now() - p0);
        if (j.status !== "validating" && j.status !== "importing") {
          if (j.status === "failed") throw new Error(`${label} failed: ${j.failure}`);
          return { job: j, slowest };
        }
      }
    };

    await post(`/api/imports/${job.id}/validate`, {
      mapping: job.suggestedMapping,
      options: { townId },
    });
    const validated = await waitPhase("validation");
    const t2 = performance.now();
    if (validated.job.validRows !== ROWS) {
      throw new Error(
        `validated ${validated.job.validRows} rows, ${validated.job.errorRows} with errors`,
      );
    }
    console.log(
      `  validate  ${((t2 - t1) / 1000).toFixed(1)} s (slowest poll ${validated.slowest.toFixed(0)} ms)`,
    );

    await post(`/api/imports/${job.id}/commit`, {});
    const committed = await waitPhase("commit");
    const t3 = performance.now();
    console.log(
      `  commit    ${((t3 - t2) / 1000).toFixed(1)} s (slowest poll ${committed.slowest.toFixed(0)} ms)`,
    );
    clearInterval(sampler);
    const after = memoryOf(pid);
    console.log(
      `  memory    peak during the import ${importPeak.toFixed(0)} MB (before ${before?.rss.toFixed(0)} MB, process peak ${after?.peak.toFixed(0)} MB)`,
    );
    return {
      database,
      rows: ROWS,
      fileMB: Number(fileMB.toFixed(1)),
      seconds: {
        upload: Number(((t1 - t0) / 1000).toFixed(1)),
        validate: Number(((t2 - t1) / 1000).toFixed(1)),
        commit: Number(((t3 - t2) / 1000).toFixed(1)),
        total: Number(((t3 - t0) / 1000).toFixed(1)),
      },
      rowsPerSecond: {
        validate: Math.round(ROWS / ((t2 - t1) / 1000)),
        commit: Math.round(ROWS / ((t3 - t2) / 1000)),
      },
      memoryMB: {
        beforeImport: Math.round(before?.rss ?? 0),
        peakDuringImport: Math.round(importPeak),
        processPeak: Math.round(after?.peak ?? 0),
      },
      slowestPollMs: {
        validate: Math.round(validated.slowest),
        commit: Math.round(committed.slowest),
      },
      created: committed.job.result.created ?? 0,
    };
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    console.error(
      `  failed: ${err instanceof Error ? err.message : String(err)}${cause ? ` (${String(cause)})` : ""}`,
    );
    console.error(
      `  server exit code: ${server.proc.exitCode}; its last output:\n${server.output.slice(-20).join("")}`,
    );
    throw err;
  } finally {
    await stopServer(server);
  }
}

// ---------------------------------------------------------------- main

async function main() {
  const hard = setTimeout(() => {
    console.error("the import bench took too long; stopping");
    for (const c of children) if (c.proc.pid) process.kill(-c.proc.pid, "SIGKILL");
    process.exit(2);
  }, HARD_TIMEOUT_MS);
  console.log(
    `import bench: ${ROWS} residents; ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GB, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const results: Result[] = [];
  for (const database of ["pglite", "postgres"] as const) {
    if (ONLY && ONLY !== database) continue;
    const target = database === "pglite" ? await preparePglite() : await preparePostgres();
    if (typeof target === "string") {
      console.log(`\n== PostgreSQL: skipped (${target}) ==`);
      continue;
    }
    try {
      results.push(await benchDatabase(database, target));
    } finally {
      await target.cleanup();
    }
  }
  console.log(`\n${JSON.stringify(results, null, 2)}`);
  if (SAVE) {
    mkdirSync(join(root, "bench/results"), { recursive: true });
    const file = join(root, `bench/results/${new Date().toISOString().slice(0, 10)}-import.json`);
    writeFileSync(
      file,
      JSON.stringify({ at: new Date().toISOString(), load: loadavg(), results }, null, 2),
    );
    console.log(`written to ${file}`);
  }
  clearTimeout(hard);
}

main().catch(async (err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  for (const c of children) await stopServer(c);
  process.exit(2);
});
