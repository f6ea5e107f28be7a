import pg from "pg";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { SYNC_LIMITS, type SyncCommand, type SyncCommandResult } from "@kaveret/contracts";
import {
  BENCH_DEMO_PASSWORD,
  freePort,
  gitCommit,
  http,
  median,
  parseArgs,
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
 * Offline field work (BUDGETS.md "Offline and sync"): one device pushes N records made
 * offline — needs heard face to face (need.create) and door-to-door survey answers
 * (form.response), alternating — in batches of the client's size, one request at a
 * time, as the device's outbox does; then the same batches again (every command a
 * replay: the exactly-once path); then a device that had synced before pulls the new
 * changes, and a fresh device pulls everything from cursor 0, in pages of the client's
 * size. As a community worker, on the real server in production mode (authentication,
 * scope policy, validation, audit, rate limiter on), on embedded PGlite and PostgreSQL.
 *
 *   npm run bench:sync -- [--only=pglite|postgres] [--sizes=100,2000] [--runs=5]
 *                         [--batch=100] [--out=path.json]
 *
 * Prints wall time and records/s per step, the median of --runs runs (each run pushes new
 * records; the full pull grows with them, so compare its records/s). Loopback: the
 * budgets' slow-4G profile is not simulated. Exit code 1 when the bench itself failed.
 */

const args = parseArgs();
const SIZES = (args.get("sizes") ?? "100,2000").split(",").map(Number);
const RUNS = Number(args.get("runs") ?? 5);
const BATCH = Math.min(Number(args.get("batch") ?? SYNC_LIMITS.commandsPerPush), 100);
const PULL_PAGE = SYNC_LIMITS.pullPage;
const ONLY = args.get("only");
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const OUT = resolve(
  root,
  args.get("out") ?? `bench/results/${new Date().toISOString().slice(0, 10)}-sync.json`,
);
const WORKER = "worker@demo.kaveret.test";
const MANAGER = "manager@demo.kaveret.test";

if (SIZES.some((n) => !Number.isInteger(n) || n < 1) || !(RUNS >= 1) || !(BATCH >= 1)) {
  console.error("usage: --sizes=100,2000 --runs=5 --batch=100 (positive integers)");
  process.exit(2);
}

const survey = {
  schemaVersion: 1,
  settings: { title: "סקר דלת לדלת", id: "bench_d2d", defaultLanguage: "he", languages: ["he"] },
  questions: [
    {
      type: "integer",
      name: "household",
      label: { he: "נפשות" },
      required: true,
      constraint: ". > 0 and . < 20",
    },
    {
      type: "select_one",
      name: "satisfaction",
      label: { he: "שביעות רצון" },
      choiceList: "scale",
      required: true,
    },
    { type: "select_multiple", name: "needs", label: { he: "צרכים" }, choiceList: "needs" },
    { type: "text", name: "note", label: { he: "הערות" } },
  ],
  choiceLists: [
    { name: "scale", choices: ["good", "ok", "bad"].map((n) => ({ name: n, label: { he: n } })) },
    {
      name: "needs",
      choices: ["food", "housing", "loneliness", "health"].map((n) => ({
        name: n,
        label: { he: n },
      })),
    },
  ],
};

const DESCRIPTIONS = [
  "הקשישה בקומה השלישית לא יוצאת מהבית, צריכה עזרה בקניות",
  "נזילה בחדר המדרגות כבר שבועיים, הטיח נופל",
  "משפחה חדשה בבניין, שלושה ילדים, צריכים עזרה ברישום לגן",
  "الإنارة في الشارع معطلة منذ شهر والأطفال يخافون في المساء",
  "אין מעלית והשכן בכיסא גלגלים לא יכול לרדת",
];

/** The device's outbox of `n` records made offline, in device order. */
function outbox(n: number, formId: string, run: number): SyncCommand[] {
  return Array.from({ length: n }, (_, i): SyncCommand => {
    if (i % 2 === 0) {
      return {
        id: crypto.randomUUID(),
        name: "need.create",
        args: {
          id: crypto.randomUUID(),
          channel: "face_to_face",
          category: null,
          urgency: i % 10 === 0 ? "high" : "normal",
          description: `${DESCRIPTIONS[i % DESCRIPTIONS.length]} (${run}-${i})`,
          location: null,
          addressText: `רחוב ישעיהו ${1 + (i % 40)}`,
          communityId: null,
          residentId: null,
          assigneeId: null,
          language: "he",
          contactName: "",
          contactPhone: null,
          contactConsent: false,
        },
      };
    }
    return {
      id: crypto.randomUUID(),
      name: "form.response",
      args: {
        formId,
        id: crypto.randomUUID(),
        channel: "door_to_door",
        answers: {
          household: 1 + (i % 9),
          satisfaction: ["good", "ok", "bad"][i % 3],
          needs: ["food", "housing", "loneliness", "health"].filter((_, k) => (i >> k) % 2 === 1),
          note: i % 4 === 1 ? `הערה ${run}-${i}` : "",
        },
        language: "he",
        communityId: null,
        residentId: null,
      },
    };
  });
}

type Headers = Record<string, string>;
type Step = { seconds: number; records: number; perSecond: number; requests: number };
const step = (seconds: number, records: number, requests: number): Step => ({
  seconds: Math.round(seconds * 1000) / 1000,
  records,
  perSecond: Math.round(records / seconds),
  requests,
});

/** Pushes the outbox in batches, one request at a time; every command must come back ok. */
async function pushAll(base: string, h: Headers, deviceId: string, commands: SyncCommand[]) {
  const t0 = performance.now();
  let requests = 0;
  for (let i = 0; i < commands.length; i += BATCH) {
    const batch = commands.slice(i, i + BATCH);
    const { json } = await http(base, "POST", "/api/sync/push", h, { deviceId, commands: batch });
    requests += 1;
    const results = (json as { results: SyncCommandResult[] }).results;
    const bad = results.filter((r) => r.status !== "ok");
    if (results.length !== batch.length || bad.length > 0) {
      throw new Error(`push answered ${JSON.stringify(bad[0] ?? results.length).slice(0, 300)}`);
    }
  }
  return step((performance.now() - t0) / 1000, commands.length, requests);
}

/** Pulls from `cursor` until there is no more; the changes received. */
async function pullAll(base: string, h: Headers, cursor: number) {
  const t0 = performance.now();
  let requests = 0;
  let changes = 0;
  let bytes = 0;
  for (;;) {
    const res = await http(base, "GET", `/api/sync/pull?cursor=${cursor}&limit=${PULL_PAGE}`, h);
    requests += 1;
    bytes += res.bytes;
    const page = res.json as { changes: unknown[]; cursor: number; hasMore: boolean };
    changes += page.changes.length;
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  return {
    ...step((performance.now() - t0) / 1000, changes, requests),
    cursor,
    kb: Math.round(bytes / 1024),
  };
}

async function lastCursor(base: string, h: Headers): Promise<number> {
  return (await pullAll(base, h, 0)).cursor;
}

type Target = { env: Record<string, string>; cleanup: () => Promise<void> };

function preparePglite(): Target {
  const dir = mkdtempSync(join(tmpdir(), "kaveret-sync-bench-"));
  return {
    env: { DATA_DIR: dir },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function preparePostgres(): Promise<Target | string> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (err) {
    return `PostgreSQL at ${new URL(PG_ADMIN_URL).host} is unreachable (${err instanceof Error ? err.message : String(err)})`;
  }
  const name = `kaveret_bench_sync_${randomBytes(6).toString("hex")}`;
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

type Run = { push: Step; replay: Step; pullNew: Step; pullFull: Step & { kb: number } };
type SizeResult = {
  database: "pglite" | "postgres";
  records: number;
  runs: Run[];
  median: {
    pushSeconds: number;
    pushPerSecond: number;
    replayPerSecond: number;
    pullNewSeconds: number;
    pullNewPerSecond: number;
    pullFullSeconds: number;
    pullFullRecords: number;
    pullFullPerSecond: number;
  };
};

async function benchDatabase(database: "pglite" | "postgres", target: Target) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawnChild("kaveret server", "apps/server/src/main.ts", {
    ...productionEnv(base, port),
    ...target.env,
  });
  const out: SizeResult[] = [];
  try {
    await waitFor(server, `${base}/api/health`, 5 * 60_000);
    const scopeOf = async (cookie: string) => {
      const me = (await http(base, "GET", "/api/me", { cookie })).json as {
        scopes: { id: string; name: string }[];
      };
      const scope = me.scopes.find((s) => s.name.includes("עין הדר"))?.id;
      if (!scope) throw new Error("no Ein Hadar scope");
      return { cookie, "x-kaveret-scope": scope, origin: base };
    };
    const manager = await scopeOf(await signIn(base, MANAGER, BENCH_DEMO_PASSWORD));
    const form = (
      await http(base, "POST", "/api/forms", manager, { title: "bench", definition: survey })
    ).json as { id: string; version: number };
    await http(base, "PATCH", `/api/forms/${form.id}`, manager, {
      version: form.version,
      status: "open",
    });
    // The surveyor's device, and a second device of theirs that had synced before.
    const device = await scopeOf(await signIn(base, WORKER, BENCH_DEMO_PASSWORD));

    for (const size of SIZES) {
      const runs: Run[] = [];
      // One unmeasured round first (connections, caches, JIT).
      for (let r = 0; r <= RUNS; r++) {
        const commands = outbox(size, form.id, r);
        const before = await lastCursor(base, device);
        const push = await pushAll(base, device, `bench-${size}-${r}`, commands);
        const replay = await pushAll(base, device, `bench-${size}-${r}`, commands);
        const pullNew = await pullAll(base, device, before);
        const pullFull = await pullAll(base, device, 0);
        const needs = commands.filter((c) => c.name === "need.create").length;
        if (pullNew.records < needs) {
          throw new Error(`the pull after the push brought ${pullNew.records} of ${needs} needs`);
        }
        if (r === 0) continue;
        runs.push({ push, replay, pullNew, pullFull });
        console.log(
          `  ${database} ${size} records, run ${r}/${RUNS}: push ${push.seconds} s (${push.perSecond}/s), replay ${replay.perSecond}/s, new changes ${pullNew.records} in ${pullNew.seconds} s, full pull ${pullFull.records} in ${pullFull.seconds} s (${pullFull.kb} KB)`,
        );
      }
      const m = (f: (r: Run) => number) => Math.round(median(runs.map(f)) * 1000) / 1000;
      out.push({
        database,
        records: size,
        runs,
        median: {
          pushSeconds: m((r) => r.push.seconds),
          pushPerSecond: Math.round(m((r) => r.push.perSecond)),
          replayPerSecond: Math.round(m((r) => r.replay.perSecond)),
          pullNewSeconds: m((r) => r.pullNew.seconds),
          pullNewPerSecond: Math.round(m((r) => r.pullNew.perSecond)),
          pullFullSeconds: m((r) => r.pullFull.seconds),
          pullFullRecords: Math.round(m((r) => r.pullFull.records)),
          pullFullPerSecond: Math.round(m((r) => r.pullFull.perSecond)),
        },
      });
    }
    return { results: out, serverPeakMB: server.peakMemoryMB() };
  } finally {
    await stopChild(server);
  }
}

async function main() {
  console.log(
    `Sync: pushes of ${SIZES.join(" and ")} records in batches of ${BATCH}, pulls in pages of ${PULL_PAGE}, median of ${RUNS} runs; node ${process.version}, ${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const results: SizeResult[] = [];
  const skipped: { database: string; reason: string }[] = [];
  const memory: Record<string, number> = {};
  for (const database of ["pglite", "postgres"] as const) {
    if (ONLY && ONLY !== database) continue;
    const target = database === "pglite" ? preparePglite() : await preparePostgres();
    if (typeof target === "string") {
      console.log(`  ${database}: skipped — ${target}`);
      skipped.push({ database, reason: target });
      continue;
    }
    try {
      const r = await benchDatabase(database, target);
      results.push(...r.results);
      memory[database] = r.serverPeakMB;
    } finally {
      await target.cleanup().catch((err: unknown) => console.warn(`  cleanup: ${String(err)}`));
    }
  }
  console.log(
    "\n" +
      table([
        [
          "database",
          "records",
          "push s",
          "push rec/s",
          "replay rec/s",
          "new-changes pull s",
          "full pull s",
          "full pull records",
          "full pull rec/s",
        ],
        ...results.map((r) => [
          r.database,
          String(r.records),
          String(r.median.pushSeconds),
          String(r.median.pushPerSecond),
          String(r.median.replayPerSecond),
          String(r.median.pullNewSeconds),
          String(r.median.pullFullSeconds),
          String(r.median.pullFullRecords),
          String(r.median.pullFullPerSecond),
        ]),
      ]),
  );
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(
    OUT,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        commit: gitCommit(),
        node: process.version,
        cpus: cpus().length,
        load: loadavg(),
        sizes: SIZES,
        runs: RUNS,
        batch: BATCH,
        pullPage: PULL_PAGE,
        serverPeakMB: memory,
        results,
        skipped,
      },
      null,
      2,
    ) + "\n",
  );
  console.log(`wrote ${OUT}`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
