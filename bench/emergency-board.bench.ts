import pg from "pg";
import { request } from "node:http";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import {
  BENCH_DEMO_PASSWORD,
  freePort,
  gitCommit,
  http,
  parseArgs,
  percentile,
  productionEnv,
  root,
  signIn,
  sleep,
  spawnChild,
  stopAll,
  table,
  waitFor,
  type Child,
} from "./support.ts";

/*
 * Event-to-board latency (issue 5): call outcomes recorded through the API, one after
 * another, while a situation board's live stream (SSE) is open; for each, the time from
 * sending the outcome to the board receiving its `call_updated` event.
 *
 * - PostgreSQL, two app instances on one database: outcomes go to instance A, the board
 *   listens on instance B (events cross through LISTEN/NOTIFY) — the production shape.
 * - PGlite, one instance (the embedded mode has one process).
 *
 *   npm run bench:board -- [--outcomes=200] [--only=pglite|postgres]
 */

const args = parseArgs();
const OUTCOMES = Number(args.get("outcomes") ?? 200);
const ONLY = args.get("only");
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

type Instance = { base: string; child: Child; headers: Record<string, string> };

async function startInstance(env: Record<string, string>, name: string): Promise<Instance> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawnChild(name, "apps/server/src/main.ts", {
    ...productionEnv(base, port),
    SEED_DEMO: "true",
    SEED_DEMO_RESIDENTS: "2000",
    ...env,
  });
  await waitFor(child, `${base}/api/health`, 5 * 60_000);
  const cookie = await signIn(base, "manager@demo.kaveret.test", BENCH_DEMO_PASSWORD);
  const me = (await http(base, "GET", "/api/me", { cookie })).json as {
    scopes: { id: string; name: string }[];
  };
  const scope = me.scopes.find((s) => s.name.includes("עין הדר"));
  if (!scope) throw new Error("no demo department");
  return { base, child, headers: { cookie, "x-kaveret-scope": scope.id } };
}

/** Opens the board's stream; calls `onEvent(id, at)` for each call event. */
function openBoard(
  board: Instance,
  emergencyId: string,
  onEvent: (id: string, at: number) => void,
): Promise<() => void> {
  return new Promise((ready, fail) => {
    const url = new URL(`${board.base}/api/emergency/events/${emergencyId}/stream`);
    const req = request(url, { headers: board.headers }, (res) => {
      if (res.statusCode !== 200) return fail(new Error(`stream: ${res.statusCode}`));
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        if (buffer.includes(": connected")) ready(() => req.destroy());
        let i: number;
        while ((i = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!data) continue;
          const event = JSON.parse(data) as { type: string; id: string | null };
          if (event.type === "call_updated" && event.id) onEvent(event.id, at);
        }
      });
    });
    req.on("error", fail);
    req.end();
  });
}

async function measure(writer: Instance, board: Instance, label: string) {
  const communities = (
    await http(writer.base, "GET", "/api/communities?parentId=root&pageSize=50", writer.headers)
  ).json as { items: { id: string; kind: string }[] };
  const town = communities.items.find((c) => c.kind === "geographic") ?? communities.items[0];
  if (!town) throw new Error("no community");
  const declared = (
    await http(writer.base, "POST", "/api/emergency/events", writer.headers, {
      type: "rocket_fire",
      level: 3,
      title: `bench ${label}`,
      communityIds: [town.id],
    })
  ).json as { id: string; callsAdded: number };
  const calls = (
    await http(
      writer.base,
      "GET",
      `/api/emergency/events/${declared.id}/calls?pageSize=100&page=1`,
      writer.headers,
    )
  ).json as { items: { id: string }[]; total: number };
  const ids = calls.items.map((c) => c.id);
  for (let page = 2; ids.length < Math.min(OUTCOMES, calls.total); page++) {
    const more = (
      await http(
        writer.base,
        "GET",
        `/api/emergency/events/${declared.id}/calls?pageSize=100&page=${page}`,
        writer.headers,
      )
    ).json as { items: { id: string }[] };
    if (more.items.length === 0) break;
    ids.push(...more.items.map((c) => c.id));
  }
  const take = ids.slice(0, OUTCOMES);
  const sent = new Map<string, number>();
  const received = new Map<string, number>();
  const close = await openBoard(board, declared.id, (id, at) => {
    if (sent.has(id) && !received.has(id)) received.set(id, at);
  });
  await sleep(200);
  const answered: number[] = [];
  for (const id of take) {
    const t0 = performance.now();
    sent.set(id, t0);
    await http(writer.base, "POST", `/api/emergency/calls/${id}/outcome`, writer.headers, {
      outcome: "reached_ok",
    });
    answered.push(performance.now() - t0);
  }
  const deadline = Date.now() + 10_000;
  while (received.size < take.length && Date.now() < deadline) await sleep(50);
  close();
  const latencies = take
    .filter((id) => received.has(id))
    .map((id) => received.get(id)! - sent.get(id)!)
    .sort((a, b) => a - b);
  answered.sort((a, b) => a - b);
  return {
    scenario: label,
    outcomes: take.length,
    received: latencies.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: latencies[latencies.length - 1] ?? NaN,
    requestP50: percentile(answered, 50),
  };
}

async function main() {
  console.log(
    `Event-to-board latency: ${OUTCOMES} call outcomes; node ${process.version}, ${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const results: Awaited<ReturnType<typeof measure>>[] = [];
  if (ONLY !== "postgres") {
    const one = await startInstance({ DATA_DIR: "memory://", DATABASE_URL: "" }, "pglite");
    results.push(await measure(one, one, "pglite, one instance"));
    await stopAll();
  }
  if (ONLY !== "pglite") {
    const dbName = `kaveret_bench_board_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    try {
      await admin.connect();
      await admin.query(`create database ${dbName}`);
      const url = new URL(PG_ADMIN_URL);
      url.pathname = `/${dbName}`;
      const a = await startInstance({ DATABASE_URL: url.toString() }, "instance A");
      const b = await startInstance({ DATABASE_URL: url.toString() }, "instance B");
      results.push(await measure(a, b, "postgres, outcome on A, board on B"));
      await stopAll();
      await admin.query(`drop database if exists ${dbName} with (force)`);
    } catch (err) {
      console.log(`  postgres skipped: ${(err as Error).message}`);
    } finally {
      await admin.end().catch(() => undefined);
    }
  }
  const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "—");
  console.log(
    table([
      ["scenario", "outcomes", "received", "p50 ms", "p95 ms", "max ms", "request p50 ms"],
      ...results.map((r) => [
        r.scenario,
        String(r.outcomes),
        String(r.received),
        fmt(r.p50),
        fmt(r.p95),
        fmt(r.max),
        fmt(r.requestP50),
      ]),
    ]),
  );
  const dir = join(root, "bench/results");
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${new Date().toISOString().slice(0, 10)}-board.json`);
  writeFileSync(
    out,
    JSON.stringify({ commit: gitCommit(), at: new Date().toISOString(), results }, null, 2) + "\n",
  );
  console.log(`  wrote ${out}`);
}

main()
  .catch(async (err: unknown) => {
    console.error(err);
    process.exitCode = 2;
  })
  .finally(() => stopAll());
