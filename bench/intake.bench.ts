import autocannon from "autocannon";
import pg from "pg";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
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
 *   npx tsx bench/intake.bench.ts [--only=pglite|postgres] [--runs=3] [--duration=8] [--connections=10]
 */

const args = parseArgs();
const RUNS = Number(args.get("runs") ?? 3);
const DURATION = Number(args.get("duration") ?? 8);
const CONNECTIONS = Number(args.get("connections") ?? 10);
const ONLY = args.get("only");
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

type Run = {
  reqPerSec: number;
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

function intake(base: string, departmentId: string): Promise<Run> {
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
      const r = await intake(base, departmentId);
      runs.push(r);
      console.log(
        `  ${kind} run ${i + 1}: ${r.reqPerSec.toFixed(0)} req/s, p95 ${r.p95} ms, non-2xx ${r.non2xx}`,
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
        ["database", "req/s", "p50", "p95", "p99", "non-2xx", "5xx"],
        ...results.map((r) => [
          r.kind,
          r.median.reqPerSec.toFixed(0),
          String(r.median.p50),
          String(r.median.p95),
          String(r.median.p99),
          String(r.non2xx),
          String(r.s5xx),
        ]),
      ]),
  );
  const file = join(root, "bench/results/2026-11-25-intake.json");
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
