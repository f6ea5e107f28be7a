import pg from "pg";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  BENCH_DEMO_PASSWORD,
  freePort,
  gitCommit,
  http,
  median,
  parseArgs,
  percentile,
  productionEnv,
  root,
  signIn,
  spawnChild,
  stopAll,
  stopChild,
  table,
  waitFor,
} from "./support.ts";

/*
 * Surveys: 10,000 answers sent through the public link (validated by the form engine,
 * audited), then the analysis of all of them (per-question summaries and a cross-tab),
 * on the real server in production mode.
 *
 *   npx tsx bench/forms.bench.ts [--only=pglite|postgres] [--responses=10000] [--runs=7]
 */

const args = parseArgs();
const RESPONSES = Number(args.get("responses") ?? 10_000);
const RUNS = Number(args.get("runs") ?? 7);
const ONLY = args.get("only");
const CONCURRENCY = 10;
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const definition = {
  schemaVersion: 1,
  settings: { title: "סקר צרכים", id: "bench", defaultLanguage: "he", languages: ["he", "ar"] },
  questions: [
    {
      type: "integer",
      name: "household",
      label: { he: "נפשות" },
      required: true,
      constraint: ". > 0 and . < 20",
    },
    { type: "select_multiple", name: "needs", label: { he: "צרכים" }, choiceList: "needs" },
    {
      type: "select_one",
      name: "satisfaction",
      label: { he: "שביעות רצון" },
      choiceList: "scale",
      required: true,
    },
    { type: "select_one", name: "area", label: { he: "שכונה" }, choiceList: "areas" },
    { type: "text", name: "why", label: { he: "למה" }, relevant: "${satisfaction} = 'bad'" },
    { type: "date", name: "moved_in", label: { he: "מתי עברתם" } },
    { type: "geopoint", name: "place", label: { he: "מיקום" } },
  ],
  choiceLists: [
    {
      name: "needs",
      choices: ["food", "housing", "loneliness", "health", "work"].map((n) => ({
        name: n,
        label: { he: n },
      })),
    },
    { name: "scale", choices: ["good", "ok", "bad"].map((n) => ({ name: n, label: { he: n } })) },
    {
      name: "areas",
      choices: ["a", "b", "c", "d", "e", "f"].map((n) => ({ name: n, label: { he: n } })),
    },
  ],
};

function answers(i: number) {
  const satisfaction = ["good", "ok", "bad"][i % 3]!;
  return {
    household: 1 + (i % 7),
    needs: ["food", "housing", "loneliness", "health", "work"].filter((_, k) => (i >> k) % 2 === 1),
    satisfaction,
    area: ["a", "b", "c", "d", "e", "f"][i % 6],
    ...(satisfaction === "bad" ? { why: `תשובה ${i}` } : {}),
    moved_in: `20${10 + (i % 15)}-0${1 + (i % 9)}-1${i % 10}`,
    place: { latitude: 32.8 + (i % 100) * 0.0001, longitude: 35.1 + (i % 77) * 0.0001 },
  };
}

async function benchOne(kind: "pglite" | "postgres") {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    ...productionEnv(base, port),
    PUBLIC_REPORTS_PER_MINUTE: "10000",
  };
  let dataDir: string | null = null;
  let dbName: string | null = null;
  if (kind === "pglite") {
    dataDir = mkdtempSync(join(tmpdir(), "kaveret-forms-"));
    env.DATA_DIR = dataDir;
  } else {
    dbName = `kaveret_bench_forms_${Date.now()}`;
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
    const scope = me.scopes.find((s) => s.name.includes("עין הדר"))!.id;
    const h = { cookie, "x-kaveret-scope": scope, origin: base };
    const form = (await http(base, "POST", "/api/forms", h, { title: "bench", definition }))
      .json as { id: string; version: number };
    await http(base, "PATCH", `/api/forms/${form.id}`, h, {
      version: form.version,
      status: "open",
    });

    // Answers through the public link, CONCURRENCY at a time.
    const started = Date.now();
    const latencies: number[] = [];
    let next = 0;
    let failed = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (;;) {
          const i = next++;
          if (i >= RESPONSES) return;
          const t0 = performance.now();
          const res = await fetch(`${base}/api/public/forms/${form.id}/responses`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ id: crypto.randomUUID(), answers: answers(i), language: "he" }),
          });
          await res.arrayBuffer();
          if (res.status !== 201) failed += 1;
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const submit = {
      perSecond: Math.round(RESPONSES / seconds),
      p50: Math.round(percentile(latencies, 50) * 10) / 10,
      p95: Math.round(percentile(latencies, 95) * 10) / 10,
      failed,
    };
    console.log(
      `  ${kind}: ${RESPONSES} answers in ${seconds.toFixed(1)} s (${submit.perSecond}/s), p95 ${submit.p95} ms, failed ${failed}`,
    );

    const timings: Record<string, number[]> = { analysis: [], cross: [], csv: [] };
    const paths: [string, string][] = [
      ["analysis", `/api/forms/${form.id}/analysis`],
      ["cross", `/api/forms/${form.id}/analysis?crossBy=area`],
      ["csv", `/api/forms/${form.id}/responses/export?format=csv`],
    ];
    for (let r = 0; r < RUNS + 1; r++) {
      for (const [name, path] of paths) {
        const t0 = performance.now();
        const { json, bytes } = await http(base, "GET", path, h).catch(async () => ({
          json: null,
          bytes: 0,
        }));
        const ms = performance.now() - t0;
        if (r > 0) timings[name]!.push(ms); // the first round warms up
        if (name === "analysis" && r === 0) {
          const total = (json as { total?: number } | null)?.total;
          if (total !== RESPONSES)
            throw new Error(`analysis counted ${total}, expected ${RESPONSES}`);
        }
        void bytes;
      }
    }
    const result = Object.fromEntries(
      Object.entries(timings).map(([k, v]) => [k, Math.round(median(v))]),
    ) as Record<string, number>;
    console.log(
      `  ${kind}: analysis ${result.analysis} ms, with cross-tab ${result.cross} ms, CSV export ${result.csv} ms (medians of ${RUNS})`,
    );
    return { kind, submit, medianMs: result };
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
    `Surveys: ${RESPONSES} answers, analysis ×${RUNS}; node ${process.version}, ${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const results = [];
  for (const kind of (["pglite", "postgres"] as const).filter((k) => !ONLY || ONLY === k)) {
    results.push(await benchOne(kind));
  }
  console.log(
    "\n" +
      table([
        ["database", "answers/s", "answer p95 ms", "analysis ms", "cross-tab ms", "CSV ms"],
        ...results.map((r) => [
          r.kind,
          String(r.submit.perSecond),
          String(r.submit.p95),
          String(r.medianMs.analysis),
          String(r.medianMs.cross),
          String(r.medianMs.csv),
        ]),
      ]),
  );
  const file = join(root, "bench/results/2026-11-25-forms.json");
  writeFileSync(
    file,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        commit: gitCommit(),
        load: loadavg(),
        responses: RESPONSES,
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
