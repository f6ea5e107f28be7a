import autocannon from "autocannon";
import pg from "pg";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  freePort,
  gitCommit,
  http,
  median,
  parseArgs,
  percentile,
  productionEnv,
  root,
  signIn,
  BENCH_DEMO_PASSWORD,
  spawnChild,
  stopAll,
  stopChild,
  table,
  waitFor,
} from "./support.ts";

/*
 * Public need intake under load: residents with no account reporting needs through the
 * real server in production mode (validation, spam scoring, community by point, the
 * classifier's suggestion, the need, its history row and its audit row in one
 * transaction). Per-IP rate limiting is raised for the run (autocannon is one IP).
 *
 *   npx tsx bench/intake.bench.ts [--only=pglite|postgres] [--runs=3] [--duration=8] [--connections=10] [--out=file.json]
 *
 * Besides req/s and latency it prints the CPU time spent per report by the server process
 * (on PGlite, the database's work too) and, on PostgreSQL, by the database's backends: on a
 * machine shared with other work these move far less with the load than req/s does.
 */

const args = parseArgs();
const RUNS = Number(args.get("runs") ?? 3);
const DURATION = Number(args.get("duration") ?? 8);
const CONNECTIONS = Number(args.get("connections") ?? 10);
const ONLY = args.get("only");
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

type Run = {
  reqPerSec: number;
  /** CPU the server process spent per report (ms; on PGlite the database's work too). */
  serverCpuMs: number;
  /** CPU PostgreSQL's backends of the server's database spent per report (ms). */
  dbCpuMs: number | null;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  s5xx: number;
};

const WORDS = [
  "אשפה ליד הגן",
  "קשישה בודדה צריכה עזרה",
  "פנס רחוב שבור",
  "لا يوجد طعام في البيت",
  "Broken sidewalk near the school",
  "Сосед шумит по ночам",
  "נזילה בחדר המדרגות",
];

/** CPU time (ms) a process has used: utime + stime of /proc/<pid>/stat (0 when unreadable). */
function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU time of the PostgreSQL backends serving `dbName` (same machine only). */
async function dbCpuMs(dbName: string): Promise<number> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ pid: number }>(
      "select pid from pg_stat_activity where datname = $1",
      [dbName],
    );
    return rows.reduce((sum, r) => sum + cpuMsOf(r.pid), 0);
  } finally {
    await admin.end();
  }
}

async function measured(
  base: string,
  departmentId: string,
  serverPid: number,
  dbName: string | null,
): Promise<Run> {
  const cpu0 = cpuMsOf(serverPid);
  const db0 = dbName ? await dbCpuMs(dbName) : 0;
  const run = await intake(base, departmentId);
  const cpu1 = cpuMsOf(serverPid);
  const db1 = dbName ? await dbCpuMs(dbName) : 0;
  const n = Math.max(1, run.total);
  return {
    ...run,
    serverCpuMs: Math.round(((cpu1 - cpu0) / n) * 100) / 100,
    dbCpuMs: dbName ? Math.round(((db1 - db0) / n) * 100) / 100 : null,
  };
}

function intake(
  base: string,
  departmentId: string,
): Promise<Omit<Run, "serverCpuMs" | "dbCpuMs"> & { total: number }> {
  let n = 0;
  const latencies: number[] = [];
  return new Promise((done, fail) => {
    const instance = autocannon(
      {
        url: base,
        connections: CONNECTIONS,
        duration: DURATION,
        requests: [
          {
            method: "POST",
            path: `/api/public/departments/${departmentId}/needs`,
            headers: { "content-type": "application/json" },
            setupRequest: (req) => {
              n += 1;
              const text = `${WORDS[n % WORDS.length]} — דיווח מספר ${n} ${Math.random().toString(36).slice(2, 8)}`;
              return {
                ...req,
                body: JSON.stringify({
                  description: text,
                  location: { lat: 32.81 + (n % 50) * 0.0002, lon: 35.11 + (n % 37) * 0.0002 },
                  language: "he",
                  startedAt: Date.now() - 30_000,
                }),
              };
            },
          },
        ],
      },
      (err: unknown, result: autocannon.Result) => {
        if (err) return fail(err instanceof Error ? err : new Error(String(err)));
        latencies.sort((a, b) => a - b);
        done({
          total: result.requests.total,
          reqPerSec: result.requests.average,
          p50: Math.round(percentile(latencies, 50) * 10) / 10,
          p95: Math.round(percentile(latencies, 95) * 10) / 10,
          p99: Math.round(percentile(latencies, 99) * 10) / 10,
          non2xx: result.non2xx,
          s5xx: result["5xx"],
        });
      },
    );
    instance.on("response", (_c, _s, _b, ms) => latencies.push(ms));
  });
}

async function benchOne(kind: "pglite" | "postgres") {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let dataDir: string | null = null;
  let dbName: string | null = null;
  const env: Record<string, string> = {
    ...productionEnv(base, port),
    SEED_DEMO: "true",
    PUBLIC_REPORTS_PER_MINUTE: "10000",
  };
  if (kind === "pglite") {
    dataDir = mkdtempSync(join(tmpdir(), "kaveret-intake-"));
    env.DATA_DIR = dataDir;
  } else {
    dbName = `kaveret_bench_intake_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${dbName}`;
    env.DATABASE_URL = url.toString();
  }
  const server = spawnChild("kaveret server", "apps/server/src/main.ts", env);
  try {
    await waitFor(server, `${base}/api/health`, 5 * 60_000);
    const cookie = await signIn(base, "manager@demo.kaveret.test", BENCH_DEMO_PASSWORD);
    const me = (await http(base, "GET", "/api/me", { cookie })).json as {
      scopes: { id: string; name: string }[];
    };
    const dept = me.scopes.find((s) => s.name.includes("עין הדר"));
    if (!dept) throw new Error("no demo department");
    const departmentId = dept.id.replace(/^department:/, "");
    await intake(base, departmentId); // warm-up
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await measured(base, departmentId, server.proc.pid ?? 0, dbName);
      runs.push(r);
      console.log(
        `  ${kind} run ${i + 1}: ${r.reqPerSec.toFixed(0)} req/s, p95 ${r.p95} ms, non-2xx ${r.non2xx}, CPU per report: server ${r.serverCpuMs} ms${r.dbCpuMs === null ? "" : `, PostgreSQL ${r.dbCpuMs} ms`}`,
      );
    }
    return {
      kind,
      runs,
      median: {
        reqPerSec: median(runs.map((r) => r.reqPerSec)),
        p50: median(runs.map((r) => r.p50)),
        p95: median(runs.map((r) => r.p95)),
        p99: median(runs.map((r) => r.p99)),
        serverCpuMs: median(runs.map((r) => r.serverCpuMs)),
        dbCpuMs: kind === "postgres" ? median(runs.map((r) => r.dbCpuMs ?? 0)) : null,
      },
      non2xx: runs.reduce((s, r) => s + r.non2xx, 0),
      s5xx: runs.reduce((s, r) => s + r.s5xx, 0),
    };
  } finally {
    await stopChild(server);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (dbName) {
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
  }
}

async function main() {
  console.log(
    `Public need intake: ${RUNS} runs × ${DURATION} s, ${CONNECTIONS} connections; node ${process.version}, ${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const kinds = (["pglite", "postgres"] as const).filter((k) => !ONLY || ONLY === k);
  const results = [];
  for (const kind of kinds) results.push(await benchOne(kind));
  console.log(
    "\n" +
      table([
        [
          "database",
          "req/s",
          "p50",
          "p95",
          "p99",
          "server CPU ms/report",
          "PG CPU ms/report",
          "non-2xx",
          "5xx",
        ],
        ...results.map((r) => [
          r.kind,
          r.median.reqPerSec.toFixed(0),
          String(r.median.p50),
          String(r.median.p95),
          String(r.median.p99),
          String(r.median.serverCpuMs),
          r.median.dbCpuMs === null ? "—" : String(r.median.dbCpuMs),
          String(r.non2xx),
          String(r.s5xx),
        ]),
      ]),
  );
  const file = args.get("out") ?? join(root, "bench/results/2026-11-25-intake.json");
  writeFileSync(
    file,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        commit: gitCommit(),
        cpus: cpus().length,
        load: loadavg(),
        runs: RUNS,
        duration: DURATION,
        connections: CONNECTIONS,
        results,
      },
      null,
      2,
    ) + "\n",
  );
  console.log(`wrote ${file}`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
