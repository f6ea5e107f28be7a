import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
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
  sleep,
  spawnChild,
  stopAll,
  stopChild,
  table,
  waitFor,
} from "./support.ts";
import {
  departmentName,
  preparePglite,
  preparePostgres,
  type Kind,
  type Target,
} from "./residents-dataset.ts";

/*
 * Declaring an emergency over a whole town (issue 5): one request writes the event,
 * switches the communities' mode and draws and ranks the call list in one transaction.
 * The real server in production mode on the scale data set of bench:residents (a town
 * of 100,000 residents: `npm run seed -- --residents N`, reused between runs), as the
 * demo manager of the bench department. For each run: POST declare → 201 (wall time),
 * call rows, status-page SMS queued, the server's resident memory before and its largest
 * sample during the request (every 25 ms; PGlite runs inside the server, so there it
 * includes the database), the situation board's first load, then close (POST …/close)
 * and its time. Then the same as a
 * drill. Median of the runs.
 *
 *   npm run bench:declare -- [--only=postgres|pglite] [--residents=100000]
 *     [--pglite-residents=50000] [--runs=3] [--fresh]
 */

const args = parseArgs();
const RUNS = Number(args.get("runs") ?? 3);
const ONLY = args.get("only");
const FRESH = args.has("fresh");
const SIZES = {
  postgres: Number(args.get("residents") ?? 100_000),
  pglite: Number(args.get("pglite-residents") ?? 50_000),
};
const MANAGER = "manager@demo.kaveret.test";
/** A request may take this long before the bench gives up on it. */
const LONG = 15 * 60_000;

type Run = {
  declareMs: number;
  calls: number;
  linksQueued: number;
  rssBeforeMB: number;
  rssPeakMB: number;
  boardMs: number;
  closeMs: number;
};

type Result = {
  database: Kind;
  residents: number;
  townPopulation: number | null;
  drill: boolean;
  runs: Run[];
  median: Omit<Run, "rssBeforeMB"> & { rssGrowthMB: number };
};

function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function benchDatabase(kind: Kind, target: Target): Promise<Result[]> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawnChild("kaveret server", "apps/server/src/main.ts", {
    ...productionEnv(base, port),
    ...target.env,
    SEED_DEMO: "true",
  });
  try {
    await waitFor(server, `${base}/api/health`, 30 * 60_000);
    const pid = server.proc.pid!;
    const cookie = await signIn(base, MANAGER, BENCH_DEMO_PASSWORD);
    const me = (await http(base, "GET", "/api/me", { cookie })).json as {
      scopes: { id: string; name: string }[];
    };
    const scope = me.scopes.find((s) => s.name === departmentName(target.prepared.residents));
    if (!scope) throw new Error(`${MANAGER} has no scope in the benchmark department`);
    const headers = { cookie, "x-kaveret-scope": scope.id };
    const towns = (await http(base, "GET", "/api/communities?level=town&pageSize=100", headers))
      .json as { items: { id: string; name: string; population: number | null }[] };
    const town = towns.items[0];
    if (!town) throw new Error("no town in the benchmark department");

    // A run that died before closing left its emergency open: close it first.
    const closeOpen = async () => {
      const mode = (await http(base, "GET", "/api/emergency/mode", headers)).json as {
        emergency: { id: string } | null;
      };
      if (!mode.emergency) return 0;
      const e = (await http(base, "GET", `/api/emergency/events/${mode.emergency.id}`, headers))
        .json as { version: number };
      const t0 = performance.now();
      await http(
        base,
        "POST",
        `/api/emergency/events/${mode.emergency.id}/close`,
        headers,
        {
          version: e.version,
          note: "bench",
        },
        LONG,
      );
      return performance.now() - t0;
    };
    await closeOpen();

    const results: Result[] = [];
    for (const drill of [false, true]) {
      const runs: Run[] = [];
      for (let i = 1; i <= RUNS; i++) {
        await sleep(1000);
        const rssBeforeMB = rssOf(pid);
        let rssPeakMB = rssBeforeMB;
        const sampler = setInterval(() => {
          rssPeakMB = Math.max(rssPeakMB, rssOf(pid));
        }, 25);
        const t0 = performance.now();
        const declared = (
          await http(
            base,
            "POST",
            "/api/emergency/events",
            headers,
            {
              type: "storm",
              level: 3,
              title: `bench ${drill ? "drill" : "emergency"} ${i}`,
              communityIds: [town.id],
              drill,
            },
            LONG,
          )
        ).json as { id: string; callsAdded: number; linksSent: number; status: string };
        const declareMs = performance.now() - t0;
        clearInterval(sampler);
        rssPeakMB = Math.max(rssPeakMB, rssOf(pid));
        // What the manager opens next: the situation board of the new list.
        const t1 = performance.now();
        await http(
          base,
          "GET",
          `/api/emergency/events/${declared.id}/board`,
          headers,
          undefined,
          LONG,
        );
        const boardMs = performance.now() - t1;
        const closeMs = await closeOpen();
        const run: Run = {
          declareMs,
          calls: declared.callsAdded,
          linksQueued: declared.linksSent,
          rssBeforeMB,
          rssPeakMB,
          boardMs,
          closeMs,
        };
        runs.push(run);
        console.log(
          `  ${kind} ${drill ? "drill" : "emergency"} run ${i}: declare ${(declareMs / 1000).toFixed(2)} s, ${run.calls.toLocaleString("en-US")} calls, ${run.linksQueued.toLocaleString("en-US")} links queued, RSS ${rssBeforeMB.toFixed(0)} → ${rssPeakMB.toFixed(0)} MB; board ${(boardMs / 1000).toFixed(2)} s; close ${(closeMs / 1000).toFixed(2)} s`,
        );
      }
      const m = (f: (r: Run) => number) => median(runs.map(f));
      results.push({
        database: kind,
        residents: target.prepared.residents,
        townPopulation: town.population,
        drill,
        runs,
        median: {
          declareMs: m((r) => r.declareMs),
          calls: m((r) => r.calls),
          linksQueued: m((r) => r.linksQueued),
          rssPeakMB: m((r) => r.rssPeakMB),
          rssGrowthMB: m((r) => r.rssPeakMB - r.rssBeforeMB),
          boardMs: m((r) => r.boardMs),
          closeMs: m((r) => r.closeMs),
        },
      });
    }
    return results;
  } finally {
    await stopChild(server);
  }
}

async function main() {
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(" ");
  const loadBefore = load();
  console.log(
    `Declare over a town: ${RUNS} runs each; node ${process.version}, ${cpus().length} CPUs, load ${loadBefore}`,
  );
  const results: Result[] = [];
  const skipped: string[] = [];
  for (const kind of ["postgres", "pglite"] as const) {
    if (ONLY && ONLY !== kind) continue;
    console.log(`\n${kind}: ${SIZES[kind].toLocaleString("en-US")} residents`);
    const target =
      kind === "pglite"
        ? await preparePglite(SIZES[kind], FRESH)
        : await preparePostgres(SIZES[kind], FRESH);
    if (typeof target === "string") {
      console.log(`  skipped: ${target}`);
      skipped.push(`${kind}: ${target}`);
      continue;
    }
    results.push(...(await benchDatabase(kind, target)));
  }
  const s = (ms: number) => (ms / 1000).toFixed(2);
  console.log(
    "\n" +
      table([
        [
          "database",
          "residents",
          "kind",
          "declare s (median)",
          "runs s",
          "calls",
          "links queued",
          "RSS peak MB",
          "RSS growth MB",
          "board s",
          "close s",
        ],
        ...results.map((r) => [
          r.database,
          r.residents.toLocaleString("en-US"),
          r.drill ? "drill" : "emergency",
          s(r.median.declareMs),
          r.runs.map((x) => s(x.declareMs)).join(" / "),
          r.median.calls.toLocaleString("en-US"),
          r.median.linksQueued.toLocaleString("en-US"),
          r.median.rssPeakMB.toFixed(0),
          r.median.rssGrowthMB.toFixed(0),
          s(r.median.boardMs),
          s(r.median.closeMs),
        ]),
      ]),
  );
  const loadAfter = load();
  console.log(`  load average: before ${loadBefore}, after ${loadAfter}`);
  const dir = join(root, "bench/results");
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${new Date().toISOString().slice(0, 10)}-declare.json`);
  writeFileSync(
    out,
    JSON.stringify(
      {
        commit: gitCommit(),
        at: new Date().toISOString(),
        load: { before: loadBefore, after: loadAfter },
        results,
        skipped,
      },
      null,
      2,
    ) + "\n",
  );
  console.log(`  wrote ${out}`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 2;
  })
  .finally(() => stopAll());
