import autocannon from "autocannon";
import pg from "pg";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";

/*
 * API benchmark: the real Kaveret server (a child process, exactly as
 * `npm start` runs it: authentication, scope policy, validation, audit and the
 * rate limiter all on) under autocannon load on loopback, once on embedded
 * PGlite and once on PostgreSQL, against a bare Fastify baseline running the
 * same get-by-id query on the same database. See bench/README.md.
 *
 *   npm run bench [-- --only=pglite|postgres] [--runs=3] [--duration=8] [--warmup=2]
 */

// ---------------------------------------------------------------- settings

const root = resolve(import.meta.dirname, "..");
const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k ?? "", v ?? "true"] as const;
  }),
);
const RUNS = Number(args.get("runs") ?? 3);
const DURATION = Number(args.get("duration") ?? 8);
const WARMUP = Number(args.get("warmup") ?? 2);
const CONNECTIONS = Number(args.get("connections") ?? 10);
const ONLY = args.get("only");
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DEMO_PASSWORD = "bench-password-long-enough";
const MANAGER = "manager@demo.kaveret.test";
const SEED_COMMUNITIES = 60;
const TSX_LOADER = "tsx"; // resolved from the repository root (cwd of the children)

// A hard ceiling on the whole run: the bench must never hang.
const perKind = 3 * RUNS * (DURATION + 1) + 3 * WARMUP + RUNS * (DURATION + 1) + WARMUP + 300;
const HARD_TIMEOUT_MS = (2 * perKind + 60) * 1000;

// ---------------------------------------------------------------- types

type Measured = {
  reqPerSec: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  s5xx: number;
  errors: number;
  timeouts: number;
};
type Scenario = {
  database: "pglite" | "postgres";
  name: string;
  label: string;
  runs: Measured[];
  median: Pick<Measured, "reqPerSec" | "p50" | "p99">;
  non2xx: number;
  s5xx: number;
  errors: number;
};
type Target = { database: string; what: string; target: string; actual: string; pass: boolean };
type Skipped = { database: string; reason: string };

// ---------------------------------------------------------------- child processes

type Child = { name: string; proc: ChildProcess; output: string[]; exit: Promise<number | null> };
const children = new Set<Child>();

function spawnChild(name: string, script: string, env: Record<string, string>): Child {
  // `node --import tsx` rather than the tsx CLI: no signal-relaying wrapper, so SIGINT
  // reaches the server itself and its clean shutdown decides the exit code.
  const proc = spawn(process.execPath, ["--import", TSX_LOADER, script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so a stuck one can be killed with everything it started
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  proc.stdout?.on("data", keep);
  proc.stderr?.on("data", keep);
  const exit = new Promise<number | null>((done) => proc.on("exit", (code) => done(code)));
  const child = { name, proc, output, exit };
  children.add(child);
  void exit.then(() => children.delete(child));
  return child;
}

/** SIGINT (the server's clean shutdown), then SIGKILL to the group if it does not exit in time. */
async function stopChild(child: Child, timeoutMs = 15_000): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill("SIGINT");
  const exited = await Promise.race([
    child.exit.then(() => true),
    sleep(timeoutMs).then(() => false),
  ]);
  if (!exited) {
    console.warn(`  ${child.name} did not stop within ${timeoutMs / 1000} s; killing it`);
    try {
      if (child.proc.pid) process.kill(-child.proc.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
    await Promise.race([child.exit, sleep(5_000)]);
  }
}

async function stopAll() {
  await Promise.all([...children].map((c) => stopChild(c)));
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

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

async function waitFor(child: Child, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.proc.exitCode !== null) {
      throw new Error(`${child.name} exited (${child.proc.exitCode}):\n${child.output.join("")}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(250);
  }
  throw new Error(
    `${child.name} did not answer ${url} within ${timeoutMs / 1000} s:\n${child.output.join("")}`,
  );
}

// ---------------------------------------------------------------- HTTP helpers

async function http(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
) {
  const res = await fetch(base + path, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
  return { res, json: (text ? JSON.parse(text) : null) as unknown };
}

type LoadOptions = {
  base: string;
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  duration: number;
  body?: () => string;
};

/** One autocannon run with a hard timeout of its own. */
function load(o: LoadOptions): Promise<Measured> {
  return new Promise((done, fail) => {
    let settled = false;
    const instance = autocannon(
      {
        url: o.base,
        connections: CONNECTIONS,
        duration: o.duration,
        timeout: 10,
        requests: [
          {
            method: o.method,
            path: o.path,
            headers: o.headers,
            ...(o.body
              ? {
                  setupRequest: (req) => {
                    req.body = o.body?.();
                    return req;
                  },
                }
              : {}),
          },
        ],
      },
      (err: unknown, result: autocannon.Result) => {
        clearTimeout(stopTimer);
        clearTimeout(failTimer);
        if (settled) return;
        settled = true;
        if (err) return fail(err instanceof Error ? err : new Error(String(err)));
        done({
          reqPerSec: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          total: result.requests.total,
          non2xx: result.non2xx,
          s5xx: result["5xx"],
          errors: result.errors,
          timeouts: result.timeouts,
        });
      },
    );
    const stopTimer = setTimeout(() => instance.stop(), (o.duration + 15) * 1000);
    const failTimer = setTimeout(
      () => {
        if (settled) return;
        settled = true;
        fail(new Error(`autocannon did not finish ${o.method} ${o.path}`));
      },
      (o.duration + 30) * 1000,
    );
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

async function scenario(
  database: Scenario["database"],
  name: string,
  label: string,
  o: Omit<LoadOptions, "duration">,
): Promise<Scenario> {
  process.stdout.write(`  ${label.padEnd(34)} warm-up`);
  await load({ ...o, duration: WARMUP });
  const runs: Measured[] = [];
  for (let i = 0; i < RUNS; i++) {
    const m = await load({ ...o, duration: DURATION });
    runs.push(m);
    process.stdout.write(`  ${Math.round(m.reqPerSec)}/s`);
  }
  process.stdout.write("\n");
  return {
    database,
    name,
    label,
    runs,
    median: {
      reqPerSec: median(runs.map((r) => r.reqPerSec)),
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
    },
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    s5xx: runs.reduce((n, r) => n + r.s5xx, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
  };
}

// ---------------------------------------------------------------- one database kind

type DbTarget = { env: Record<string, string>; cleanup: () => Promise<void> };

async function preparePglite(): Promise<DbTarget> {
  const dir = mkdtempSync(join(tmpdir(), "kaveret-bench-"));
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
    return `PostgreSQL at ${new URL(PG_ADMIN_URL).host} is unreachable (${err instanceof Error ? err.message : String(err)})`;
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
      const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3_000 });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

async function benchDatabase(database: Scenario["database"], target: DbTarget) {
  const results: Scenario[] = [];
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  console.log(`\n== ${database === "pglite" ? "embedded PGlite" : "PostgreSQL"} ==`);
  const started = Date.now();
  const server = spawnChild("kaveret server", "apps/server/src/main.ts", {
    ...target.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    // As production runs: no development routes, no response re-validation, actor cache on.
    NODE_ENV: "production",
    PUBLIC_URL: base,
    AUTH_SECRET: "bench-auth-secret-0123456789abcdef-0123456789",
    LOG_LEVEL: "warn",
    DEMO_PASSWORD,
    SEED_DEMO: "true",
    SERVE_WEB: "false",
    // The limiter stays on (as in production) but high enough not to refuse the load.
    RATE_LIMIT_PER_MINUTE: "100000000",
    SIGNIN_RATE_LIMIT_PER_MINUTE: "1000",
  });
  let departmentId: string;
  let communityId: string;
  try {
    await waitFor(server, `${base}/api/health`, 300_000);
    console.log(
      `  server up in ${((Date.now() - started) / 1000).toFixed(1)} s (migrated, demo seeded)`,
    );

    const signIn = await http(
      base,
      "POST",
      "/api/auth/sign-in/email",
      { origin: base },
      { email: MANAGER, password: DEMO_PASSWORD },
    );
    const cookie = signIn.res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    if (!cookie) throw new Error("sign-in returned no session cookie");
    const me = (await http(base, "GET", "/api/me", { cookie })).json as {
      scopes: { id: string; name: string; departmentId: string | null }[];
    };
    const scope = me.scopes.find((s) => s.name.includes("עין הדר"));
    if (!scope?.departmentId) throw new Error(`no Ein Hadar scope in ${JSON.stringify(me.scopes)}`);
    departmentId = scope.departmentId;
    const headers = { cookie, "x-kaveret-scope": scope.id };

    for (let i = 0; i < SEED_COMMUNITIES; i++) {
      await http(base, "POST", "/api/communities", headers, {
        kind: "functional",
        name: `קבוצת בדיקה ${String(i).padStart(3, "0")}`,
      });
    }
    const page = (await http(base, "GET", "/api/communities?pageSize=50", headers)).json as {
      items: { id: string }[];
      total: number;
    };
    if (page.items.length !== 50)
      throw new Error(`the list page has ${page.items.length} rows, not 50`);
    communityId = page.items[0]?.id ?? "";
    console.log(`  signed in as ${MANAGER}, scope "${scope.name}", ${page.total} communities`);

    results.push(
      await scenario(database, "get", "GET /api/communities/:id", {
        base,
        method: "GET",
        path: `/api/communities/${communityId}`,
        headers,
      }),
    );
    results.push(
      await scenario(database, "list", "GET /api/communities?pageSize=50", {
        base,
        method: "GET",
        path: "/api/communities?pageSize=50",
        headers,
      }),
    );
    // Diagnostics (no targets): where the time of a read goes.
    results.push(
      await scenario(database, "health", "diag: GET /api/health (no auth)", {
        base,
        method: "GET",
        path: "/api/health",
        headers: {},
      }),
    );
    results.push(
      await scenario(database, "me", "diag: GET /api/me (session+actor)", {
        base,
        method: "GET",
        path: "/api/me",
        headers,
      }),
    );
    let n = 0;
    const run = randomBytes(3).toString("hex");
    results.push(
      await scenario(database, "create", "POST /api/communities (+ audit)", {
        base,
        method: "POST",
        path: "/api/communities",
        headers: { ...headers, "content-type": "application/json" },
        body: () => JSON.stringify({ kind: "functional", name: `עומס ${run} ${n++}` }),
      }),
    );
  } finally {
    await stopChild(server);
  }
  if (server.proc.exitCode !== 0)
    console.warn(`  server exited with ${server.proc.exitCode ?? server.proc.signalCode}`);

  // The baseline opens the same database once the server has let go of it (PGlite is single-process).
  const basePort = await freePort();
  const baseline = spawnChild("baseline server", "bench/baseline-server.ts", {
    ...target.env,
    PORT: String(basePort),
  });
  try {
    await waitFor(baseline, `http://127.0.0.1:${basePort}/health`, 60_000);
    results.push(
      await scenario(database, "baseline", "baseline: bare Fastify get-by-id", {
        base: `http://127.0.0.1:${basePort}`,
        method: "GET",
        path: `/baseline/${departmentId}/${communityId}`,
        headers: {},
      }),
    );
  } finally {
    await stopChild(baseline);
  }
  return results;
}

// ---------------------------------------------------------------- targets (BUDGETS.md)

function checkTargets(all: Scenario[]): Target[] {
  const out: Target[] = [];
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const rps = (x: number) => `${Math.round(x)}/s`;
  const add = (database: string, what: string, target: string, actual: string, pass: boolean) =>
    out.push({ database, what, target, actual, pass });
  for (const db of ["postgres", "pglite"] as const) {
    const get = (name: string) => all.find((s) => s.database === db && s.name === name);
    for (const name of ["get", "list"]) {
      const s = get(name);
      if (!s) continue;
      if (db === "postgres") {
        add(db, `${s.label} p50`, "≤ 10 ms", ms(s.median.p50), s.median.p50 <= 10);
        add(db, `${s.label} p99`, "≤ 50 ms", ms(s.median.p99), s.median.p99 <= 50);
        add(
          db,
          `${s.label} throughput`,
          "≥ 1000/s",
          rps(s.median.reqPerSec),
          s.median.reqPerSec >= 1000,
        );
      } else {
        add(db, `${s.label} p99`, "≤ 100 ms", ms(s.median.p99), s.median.p99 <= 100);
        add(
          db,
          `${s.label} throughput`,
          "≥ 500/s",
          rps(s.median.reqPerSec),
          s.median.reqPerSec >= 500,
        );
      }
    }
    const w = get("create");
    if (w) {
      add(db, `${w.label} p50`, "≤ 15 ms", ms(w.median.p50), w.median.p50 <= 15);
      add(db, `${w.label} p99`, "≤ 100 ms", ms(w.median.p99), w.median.p99 <= 100);
      add(
        db,
        `${w.label} throughput`,
        "≥ 500/s",
        rps(w.median.reqPerSec),
        w.median.reqPerSec >= 500,
      );
    }
    const g = get("get");
    const b = get("baseline");
    if (g && b && b.median.reqPerSec > 0) {
      const ratio = g.median.reqPerSec / b.median.reqPerSec;
      add(
        db,
        "get-by-id vs bare Fastify baseline",
        "within 4× (≥ 0.25)",
        `${ratio.toFixed(2)} (1/${(1 / ratio).toFixed(1)})`,
        ratio >= 0.25,
      );
    }
    const mine = all.filter((s) => s.database === db);
    if (mine.length) {
      const s5xx = mine.reduce((n, s) => n + s.s5xx, 0);
      add(db, "5xx responses, all scenarios", "0", String(s5xx), s5xx === 0);
    }
  }
  return out;
}

// ---------------------------------------------------------------- output

function table(rows: string[][]): string {
  const widths =
    rows[0]?.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? "")].length))) ?? [];
  const line = (r: string[]) =>
    r.map((c, i) => c + " ".repeat((widths[i] ?? 0) - [...c].length)).join("  ");
  return [
    line(rows[0] ?? []),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.slice(1).map(line),
  ].join("\n");
}

function gitCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: root,
      stdio: ["ignore", "pipe", "ignore"],
    })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  const startedAt = new Date();
  console.log(
    `Kaveret API benchmark: ${RUNS} runs × ${DURATION} s per scenario (after ${WARMUP} s warm-up), ${CONNECTIONS} connections`,
  );
  console.log(
    `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
  if ((loadavg()[0] ?? 0) > 1) {
    console.warn(
      "warning: the machine is busy (load average above 1); results will be noisy — compare the ratios to the baseline",
    );
  }

  const all: Scenario[] = [];
  const skipped: Skipped[] = [];
  for (const database of ["pglite", "postgres"] as const) {
    if (ONLY && ONLY !== database) continue;
    const target = database === "pglite" ? await preparePglite() : await preparePostgres();
    if (typeof target === "string") {
      console.log(`\n== PostgreSQL == skipped: ${target}`);
      skipped.push({ database, reason: target });
      continue;
    }
    try {
      all.push(...(await benchDatabase(database, target)));
    } finally {
      await target
        .cleanup()
        .catch((err: unknown) => console.warn(`  cleanup failed: ${String(err)}`));
    }
  }

  console.log("\nResults (median of runs; non-2xx and 5xx summed over all runs)\n");
  const baselineOf = (db: string) =>
    all.find((s) => s.database === db && s.name === "baseline")?.median.reqPerSec;
  console.log(
    table([
      [
        "database",
        "scenario",
        "req/s",
        "p50 ms",
        "p99 ms",
        "non-2xx",
        "5xx",
        "vs baseline",
        "req/s per run",
      ],
      ...all.map((s) => {
        const b = baselineOf(s.database);
        return [
          s.database,
          s.label,
          String(Math.round(s.median.reqPerSec)),
          s.median.p50.toFixed(1),
          s.median.p99.toFixed(1),
          String(s.non2xx + s.errors),
          String(s.s5xx),
          s.name === "get" && b ? `${((s.median.reqPerSec / b) * 100).toFixed(0)}%` : "",
          s.runs.map((r) => Math.round(r.reqPerSec)).join(" / "),
        ];
      }),
    ]),
  );
  for (const s of skipped) console.log(`\n${s.database}: skipped — ${s.reason}`);

  const targets = checkTargets(all);
  console.log("\nTargets (shared/engineering/BUDGETS.md)\n");
  console.log(
    table([
      ["", "database", "what", "target", "measured"],
      ...targets.map((t) => [t.pass ? "PASS" : "FAIL", t.database, t.what, t.target, t.actual]),
    ]),
  );

  const dir = join(root, "bench/results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${startedAt.toISOString().slice(0, 10)}-api.json`);
  const report = {
    benchmark: "api",
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    commit: gitCommit(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? null,
      memoryMB: Math.round(totalmem() / 2 ** 20),
      loadAverageAtStart: loadavg(),
      node: process.version,
      platform: process.platform,
    },
    settings: {
      runs: RUNS,
      durationSeconds: DURATION,
      warmupSeconds: WARMUP,
      connections: CONNECTIONS,
      seededCommunities: SEED_COMMUNITIES,
    },
    scenarios: all,
    targets,
    skipped,
  };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${file.slice(root.length + 1)}`);
  const failed = targets.filter((t) => !t.pass).length;
  console.log(
    failed
      ? `\n${failed} of ${targets.length} targets missed`
      : `\nall ${targets.length} targets met`,
  );
  return failed ? 1 : 0;
}

const hardTimer = setTimeout(() => {
  console.error(`\nbench: hard timeout after ${HARD_TIMEOUT_MS / 1000} s; stopping`);
  void stopAll().finally(() => process.exit(2));
}, HARD_TIMEOUT_MS);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\nbench: ${signal}; stopping the servers`);
    void stopAll().finally(() => process.exit(130));
  });
}

main().then(
  async (code) => {
    clearTimeout(hardTimer);
    await stopAll();
    process.exit(code);
  },
  async (err: unknown) => {
    clearTimeout(hardTimer);
    console.error("\nbench failed:", err instanceof Error ? err.message : err);
    await stopAll();
    process.exit(2);
  },
);
