import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import {
  BENCH_DEMO_PASSWORD,
  freePort,
  gitCommit,
  http,
  load,
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
  type Measured,
} from "./support.ts";
import {
  departmentName,
  preparePglite,
  preparePostgres,
  type Kind,
  type Target,
} from "./residents-dataset.ts";

/*
 * Residents at scale: the real server in production mode (authentication,
 * scope policy, validation, audit all on) on a department of 1,000,000
 * residents on PostgreSQL (200,000 on embedded PGlite by default), generated
 * once by `npm run seed -- --residents N` and reused by later runs. Measures
 * resident search and filtered lists, community overviews and map points of a
 * 100k town; p50/p95/p99 from every latency, median of the runs.
 * See bench/README.md.
 *
 *   npm run bench:residents [-- --only=postgres|pglite] [--residents=1000000]
 *     [--pglite-residents=200000] [--runs=3] [--duration=10] [--warmup=3]
 *     [--connections=4] [--fresh] [--prepare-only]
 */

const args = parseArgs();
const RUNS = Number(args.get("runs") ?? 3);
const DURATION = Number(args.get("duration") ?? 10);
const WARMUP = Number(args.get("warmup") ?? 3);
const CONNECTIONS = Number(args.get("connections") ?? 4);
const ONLY = args.get("only");
const FRESH = args.has("fresh");
/** Make (or check) the data sets, then stop without benchmarking. */
const PREPARE_ONLY = args.has("prepare-only");
const SIZES = {
  postgres: Number(args.get("residents") ?? 1_000_000),
  pglite: Number(args.get("pglite-residents") ?? 200_000),
};
const MANAGER = "manager@demo.kaveret.test";
const WORKER = "worker@demo.kaveret.test";
const HARD_TIMEOUT_MS = 4 * 60 * 60 * 1000;

type Scenario = {
  database: Kind;
  name: string;
  label: string;
  group: "search" | "list" | "overview" | "map";
  runs: Measured[];
  median: { reqPerSec: number; p50: number; p95: number; p99: number; meanBytes: number };
  non2xx: number;
  s5xx: number;
  note?: string;
};

// ---------------------------------------------------------------- one database

type Community = { id: string; name: string; level: string | null; kind: string };
type ResidentItem = {
  firstName: string;
  lastName: string;
  otherNames?: string;
  phone: string | null;
};

const bboxOf = (geometry: { coordinates: unknown }): [number, number, number, number] => {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let no = -Infinity;
  const walk = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === "number" && typeof c[1] === "number") {
      w = Math.min(w, c[0]);
      e = Math.max(e, c[0]);
      s = Math.min(s, c[1]);
      no = Math.max(no, c[1]);
      return;
    }
    for (const x of c) walk(x);
  };
  walk(geometry.coordinates);
  return [w, s, e, no];
};

/** Search terms people type, taken from real records of the data set. */
function searchTerms(items: ResidentItem[]): { label: string; q: string }[] {
  const hebrew = /^[\u0590-\u05ff' ]+$/;
  const arabic = /[\u0600-\u06ff]/;
  const he = items.filter((r) => hebrew.test(r.firstName) && hebrew.test(r.lastName));
  const ar = items.filter((r) => arabic.test(r.firstName));
  const ru = items.filter((r) => /[\u0400-\u04ff]/.test(r.otherNames ?? ""));
  const latin = items.filter((r) => /[A-Za-z]{3,} [A-Za-z]{3,}$/.test(r.otherNames ?? ""));
  const terms: { label: string; q: string }[] = [];
  const add = (label: string, q: string | null | undefined) => {
    if (q && q.trim().length >= 2) terms.push({ label, q: q.trim() });
  };
  add("Hebrew full name", he[0] && `${he[0].firstName} ${he[0].lastName}`);
  add("Hebrew family name", he[1]?.lastName);
  add("Hebrew prefix", he[2]?.lastName.slice(0, 3));
  const typo = he[3];
  if (typo && typo.lastName.length > 3) {
    const l = [...typo.lastName];
    l.splice(2, 1);
    add("Hebrew with a typo", `${typo.firstName} ${l.join("")}`);
  }
  add("Arabic", ar[0] && `${ar[0].firstName} ${ar[0].lastName}`);
  add("Arabic family name", ar[1]?.lastName);
  add("Latin", latin[0]?.otherNames?.split(" ").slice(-2).join(" "));
  add("Latin family name", latin[1]?.otherNames?.split(" ").slice(-1)[0]);
  add("Cyrillic", ru[0]?.otherNames?.split(" ").slice(0, 2).join(" "));
  const phone = items.find((r) => r.phone?.startsWith("+9725"))?.phone;
  add("phone", phone && `0${phone.slice(4, 6)}-${phone.slice(6)}`);
  return terms;
}

async function benchDatabase(
  kind: Kind,
  target: Target,
): Promise<{ scenarios: Scenario[]; info: Record<string, unknown> }> {
  const scenarios: Scenario[] = [];
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = Date.now();
  const server = spawnChild("kaveret server", "apps/server/src/main.ts", {
    ...productionEnv(base, port),
    ...target.env,
    SEED_DEMO: "true",
  });
  const info: Record<string, unknown> = {};
  try {
    await waitFor(server, `${base}/api/health`, 30 * 60_000);
    info.serverStartSeconds = Math.round((Date.now() - started) / 100) / 10;
    console.log(`  server up in ${info.serverStartSeconds} s (production mode)`);

    const scopeHeaders = async (email: string) => {
      const cookie = await signIn(base, email, BENCH_DEMO_PASSWORD);
      const me = (await http(base, "GET", "/api/me", { cookie })).json as {
        scopes: { id: string; name: string }[];
      };
      const scope = me.scopes.find((s) => s.name === departmentName(target.prepared.residents));
      if (!scope) throw new Error(`${email} has no scope in the benchmark department`);
      return { cookie, "x-kaveret-scope": scope.id };
    };
    const headers = await scopeHeaders(MANAGER);
    const list = async (query: string) =>
      (
        (await http(base, "GET", `/api/communities?${query}`, headers)).json as {
          items: Community[];
        }
      ).items;
    const town = (await list("level=town&pageSize=100"))[0];
    if (!town) throw new Error("no town in the benchmark department");
    const neighbourhood = (await list(`parentId=${town.id}&pageSize=100`))[0]!;
    const functional = (await list("kind=functional&pageSize=100"))[0]!;
    const geometryOf = async (id: string) =>
      (
        (await http(base, "GET", `/api/communities/${id}`, headers)).json as {
          boundary: { coordinates: unknown };
        }
      ).boundary;
    const townBox = bboxOf(await geometryOf(town.id));
    const nBox = bboxOf(await geometryOf(neighbourhood.id));
    const sample =
      // Newest first: a mix of every origin (a page sorted by name would be one script only).
      (
        await http(
          base,
          "GET",
          `/api/residents?communityId=${town.id}&sort=created&pageSize=100`,
          headers,
        )
      ).json as { items: ResidentItem[]; total: number };
    // The list counts up to a cap ("10,000 or more"); the town's own figure says how many.
    info.town = { name: town.name, listTotal: sample.total };
    console.log(
      `  town "${town.name}" (${town.id}); its list counts ${sample.total.toLocaleString("en-US")}${sample.total >= 10_000 ? " (capped)" : ""}`,
    );
    const terms = searchTerms(sample.items);
    info.searchTerms = terms.map((t) => t.label);

    const run = async (
      name: string,
      label: string,
      group: Scenario["group"],
      paths: string[],
      h: Record<string, string> = headers,
      note?: string,
    ) => {
      // One request first: a broken scenario fails loudly instead of measuring errors.
      const first = await http(base, "GET", paths[0]!, h);
      process.stdout.write(`  ${label.padEnd(46)} warm-up`);
      await load({ base, paths, headers: h, duration: WARMUP, connections: CONNECTIONS });
      const runs: Measured[] = [];
      for (let i = 0; i < RUNS; i++) {
        const m = await load({
          base,
          paths,
          headers: h,
          duration: DURATION,
          connections: CONNECTIONS,
        });
        runs.push(m);
        process.stdout.write(`  p95 ${m.p95} ms`);
      }
      process.stdout.write("\n");
      scenarios.push({
        database: kind,
        name,
        label,
        group,
        runs,
        median: {
          reqPerSec: median(runs.map((r) => r.reqPerSec)),
          p50: median(runs.map((r) => r.p50)),
          p95: median(runs.map((r) => r.p95)),
          p99: median(runs.map((r) => r.p99)),
          meanBytes: median(runs.map((r) => r.meanBytes)) || first.bytes,
        },
        non2xx: runs.reduce((s, r) => s + r.non2xx + r.errors + r.timeouts, 0),
        s5xx: runs.reduce((s, r) => s + r.s5xx, 0),
        ...(note ? { note } : {}),
      });
      return first;
    };

    // Search: a mix of scripts, partial names, a typo and a phone number, over the whole department.
    const searchPaths = terms.map((t) => `/api/residents?q=${encodeURIComponent(t.q)}&pageSize=25`);
    await run("search", `search mix (${terms.length} kinds), manager`, "search", searchPaths);
    // Filtered lists (drill-down).
    await run("list-flags", "list: 75+ living alone in a town", "list", [
      `/api/residents?flags=lives_alone,age_75_plus&communityId=${town.id}&pageSize=25`,
    ]);
    await run("list-neighbourhood", "list: a neighbourhood by name", "list", [
      `/api/residents?communityId=${neighbourhood.id}&pageSize=25`,
    ]);
    await run("list-consent-language", "list: emergency contact + Russian, town", "list", [
      `/api/residents?consent=emergency_contact&language=ru&communityId=${town.id}&pageSize=25`,
    ]);
    await run("list-department", "list: whole department, page 1", "list", [
      `/api/residents?pageSize=25`,
    ]);
    const worker = await scopeHeaders(WORKER);
    await run(
      "worker-search",
      "community worker: own list + search",
      "search",
      [`/api/residents?pageSize=25`, ...searchPaths.slice(0, 4)],
      worker,
      "scoped to two neighbourhoods",
    );
    // Community figures.
    await run("overview-town", "overview: town (100k)", "overview", [
      `/api/communities/${town.id}/overview`,
    ]);
    await run("overview-neighbourhood", "overview: neighbourhood", "overview", [
      `/api/communities/${neighbourhood.id}/overview`,
    ]);
    await run("overview-functional", "overview: functional community", "overview", [
      `/api/communities/${functional.id}/overview`,
    ]);
    // Map points of the town at several zooms.
    const [w, s, e, n] = townBox;
    const midLon = (nBox[0] + nBox[2]) / 2;
    const midLat = (nBox[1] + nBox[3]) / 2;
    const mapCases: [string, number, number[]][] = [
      ["map-town", 13, [w, s, e, n]],
      ["map-neighbourhood", 15, nBox],
      ["map-street", 17, [midLon - 0.002, midLat - 0.0015, midLon + 0.002, midLat + 0.0015]],
    ];
    for (const [name, zoom, box] of mapCases) {
      const path = `/api/map/residents?bbox=${box.map((x) => x.toFixed(5)).join(",")}&zoom=${zoom}`;
      const probe = (await http(base, "GET", path, headers)).json as {
        mode: string;
        total: number;
        clusters: unknown[];
        points: unknown[];
      };
      await run(
        name,
        `map: ${name.slice(4)} (zoom ${zoom})`,
        "map",
        [path],
        headers,
        `${probe.mode}: ${probe.total} residents in view, ${probe.clusters.length || probe.points.length} ${probe.mode}`,
      );
    }
  } finally {
    await stopChild(server);
  }
  return { scenarios, info };
}

// ---------------------------------------------------------------- targets and output

type TargetRow = { database: string; what: string; target: string; actual: string; pass: boolean };

function checkTargets(all: Scenario[]): TargetRow[] {
  const out: TargetRow[] = [];
  for (const s of all) {
    const limit = s.group === "overview" ? 300 : s.group === "map" ? 300 : 200;
    const what =
      s.group === "overview"
        ? "dashboard figures p95"
        : s.group === "map"
          ? "map p95 (no budget of its own; the dashboard's)"
          : "drill-down list p95";
    out.push({
      database: s.database,
      what: `${s.label}: ${what}`,
      target: `≤ ${limit} ms`,
      actual: `${s.median.p95} ms`,
      pass: s.median.p95 <= limit,
    });
  }
  for (const db of ["postgres", "pglite"]) {
    const mine = all.filter((s) => s.database === db);
    if (!mine.length) continue;
    const s5xx = mine.reduce((n, s) => n + s.s5xx, 0);
    out.push({
      database: db,
      what: "5xx responses, all scenarios",
      target: "0",
      actual: String(s5xx),
      pass: s5xx === 0,
    });
  }
  return out;
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const loadAverageAtStart = loadavg();
  console.log(
    `Kaveret residents benchmark: ${RUNS} runs × ${DURATION} s per scenario (after ${WARMUP} s warm-up), ${CONNECTIONS} connections`,
  );
  console.log(
    `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
  if ((loadavg()[0] ?? 0) > 1)
    console.warn("warning: the machine is busy (load average above 1); results will be noisy");

  const all: Scenario[] = [];
  const databases: Record<string, unknown> = {};
  const skipped: { database: string; reason: string }[] = [];
  for (const kind of ["postgres", "pglite"] as const) {
    if (ONLY && ONLY !== kind) continue;
    console.log(
      `\n== ${kind === "pglite" ? "embedded PGlite" : "PostgreSQL"}, ${SIZES[kind].toLocaleString("en-US")} residents ==`,
    );
    const target =
      kind === "pglite"
        ? await preparePglite(SIZES[kind], FRESH)
        : await preparePostgres(SIZES[kind], FRESH);
    if (typeof target === "string") {
      console.log(`  skipped: ${target}`);
      skipped.push({ database: kind, reason: target });
      continue;
    }
    if (PREPARE_ONLY) {
      databases[kind] = { ...target.prepared, sizeMB: await target.sizeMB() };
      console.log(`  ${JSON.stringify(databases[kind])}`);
      continue;
    }
    const { scenarios, info } = await benchDatabase(kind, target);
    all.push(...scenarios);
    databases[kind] = { ...target.prepared, sizeMB: await target.sizeMB(), ...info };
  }

  console.log(
    "\nResults (median of runs; latencies in ms; non-2xx and 5xx summed over all runs)\n",
  );
  console.log(
    table([
      [
        "database",
        "scenario",
        "req/s",
        "p50",
        "p95",
        "p99",
        "bytes",
        "non-2xx",
        "5xx",
        "p95 per run",
      ],
      ...all.map((s) => [
        s.database,
        s.label,
        String(Math.round(s.median.reqPerSec)),
        String(s.median.p50),
        String(s.median.p95),
        String(s.median.p99),
        String(s.median.meanBytes),
        String(s.non2xx),
        String(s.s5xx),
        s.runs.map((r) => r.p95).join(" / "),
      ]),
    ]),
  );
  for (const s of all.filter((x) => x.note)) console.log(`  ${s.database} ${s.label}: ${s.note}`);
  for (const [db, d] of Object.entries(databases)) console.log(`\n${db}: ${JSON.stringify(d)}`);
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
  if (PREPARE_ONLY) return 0;
  // One file a day; a run of one database (--only) keeps the other's last results.
  const file = join(dir, `${startedAt.toISOString().slice(0, 10)}-residents.json`);
  let byDatabase: Record<string, unknown> = {};
  try {
    byDatabase =
      (JSON.parse(readFileSync(file, "utf8")) as { byDatabase?: Record<string, unknown> })
        .byDatabase ?? {};
  } catch {
    /* no file yet, or an older shape */
  }
  for (const kind of ["postgres", "pglite"] as const) {
    if (!databases[kind]) continue;
    byDatabase[kind] = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      commit: gitCommit(),
      loadAverageAtStart,
      settings: {
        runs: RUNS,
        durationSeconds: DURATION,
        warmupSeconds: WARMUP,
        connections: CONNECTIONS,
      },
      dataset: databases[kind],
      scenarios: all.filter((x) => x.database === kind),
      targets: targets.filter((t) => t.database === kind),
    };
  }
  const report = {
    benchmark: "residents",
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? null,
      memoryMB: Math.round(totalmem() / 2 ** 20),
      node: process.version,
      platform: process.platform,
    },
    byDatabase,
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
