import pg from "pg";
import { Agent, request } from "node:http";
import { createECDH, randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import {
  BENCH_DEMO_PASSWORD,
  freePort,
  gitCommit,
  http,
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
import { startPushStub } from "../apps/server/src/push/testing/push-service-stub.ts";
import { ReceiptTokens } from "../apps/server/src/modules/broadcasts/broadcasts.texts.ts";

/*
 * Emergency broadcast (BUDGETS.md): the real server in production mode on PostgreSQL sends
 * an urgent emergency broadcast to N synthetic web-push subscriptions held by a local push
 * service stub (Web Push protocol: encrypted POSTs, VAPID checked, 201). Measures
 *
 *   - first message out: confirm request sent → first message accepted by the stub (≤ 5 s);
 *   - messages/s handed to the push service, first → last message (≥ 3,400/s);
 *   - end to end: confirm → broadcast done;
 *   - acknowledgements ingested per second: devices POST one receipt each to
 *     /api/broadcasts/receipts; from the first sent until all are recorded (≥ 2,000/s).
 *
 * PostgreSQL only (a country-scale emergency runs there; the synthetic rows are written
 * straight into the database, which an embedded PGlite inside the server cannot share).
 *
 *   npm run bench:broadcast -- [--subscriptions=100000] [--acks=20000] [--connections=64]
 */

const args = parseArgs();
const N = Number(args.get("subscriptions") ?? 100_000);
const ACKS = Math.min(N, Number(args.get("acks") ?? Math.min(N, 20_000)));
const CONNECTIONS = Number(args.get("connections") ?? 64);
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const TARGETS = { firstMessageMs: 5000, messagesPerSec: 3400, acksPerSec: 2000 };
const LANGS = ["he", "ar", "ru", "en", "am"];

async function reachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** Residents and their subscriptions, written in one statement each (keys from a small pool). */
async function seedSubscriptions(db: pg.Client, departmentId: string, origin: string) {
  const [{ id: communityId }] = (
    await db.query<{ id: string }>(
      `insert into communities (department_id, kind, name) values ($1, 'functional', 'bench broadcast') returning id`,
      [departmentId],
    )
  ).rows as [{ id: string }];
  const pool = Array.from({ length: 64 }, () => {
    const ecdh = createECDH("prime256v1");
    ecdh.generateKeys();
    return {
      p256dh: ecdh.getPublicKey().toString("base64url"),
      auth: randomBytes(16).toString("base64url"),
    };
  });
  await db.query(
    `insert into residents (department_id, id, first_name, last_name, languages, consents, community_ids)
     select $1, gen_random_uuid(), 'בדיקה', 'סינתטי ' || g, array[($3::text[])[1 + g % 5]],
       array['emergency_contact'], array[$2::uuid]
     from generate_series(1, $4) g`,
    [departmentId, communityId, LANGS, N],
  );
  await db.query(
    `insert into push_subscriptions (department_id, resident_id, user_id, endpoint, p256dh, auth, language)
     select r.department_id, r.id, 'bench-' || r.id, $3 || '/push/' || replace(r.id::text, '-', ''),
       ($4::text[])[1 + (row_number() over ()) % 64], ($5::text[])[1 + (row_number() over ()) % 64],
       r.languages[1]
     from residents r where r.department_id = $1 and r.community_ids @> array[$2::uuid]`,
    [departmentId, communityId, origin, pool.map((k) => k.p256dh), pool.map((k) => k.auth)],
  );
  await db.query("analyze residents; analyze push_subscriptions");
  return communityId;
}

/** Devices acknowledging: one receipt per request, CONNECTIONS at a time. */
async function sendAcks(base: string, tokens: string[]) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const url = new URL("/api/broadcasts/receipts", base);
  let next = 0;
  let non2xx = 0;
  const one = (token: string) =>
    new Promise<void>((done) => {
      const body = JSON.stringify({ receipts: [{ token }] });
      const req = request(
        url,
        {
          method: "POST",
          agent,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
          },
        },
        (res) => {
          if ((res.statusCode ?? 0) >= 300) non2xx++;
          res.resume();
          res.on("end", done);
        },
      );
      req.on("error", () => {
        non2xx++;
        done();
      });
      req.end(body);
    });
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < tokens.length) await one(tokens[next++]!);
    }),
  );
  agent.destroy();
  return { ms: Date.now() - started, non2xx };
}

async function main() {
  console.log(
    `Emergency broadcast: ${N.toLocaleString("en")} web-push subscriptions, ${ACKS.toLocaleString("en")} acknowledgements; node ${process.version}, ${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  if (!(await reachable(PG_ADMIN_URL))) {
    console.log(`  skipped: PostgreSQL is not reachable at ${PG_ADMIN_URL} (set BENCH_PG_URL)`);
    return 0;
  }
  const stub = await startPushStub({ decrypt: false });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dbName = `kaveret_bench_broadcast_${Date.now()}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${dbName}`;
  const env = productionEnv(base, port);
  const server = spawnChild("kaveret server", "apps/server/src/main.ts", {
    ...env,
    DATABASE_URL: url.toString(),
    SEED_DEMO: "true",
    SEED_DEMO_RESIDENTS: "300",
    RECEIPTS_PER_MINUTE: "100000000",
  });
  const db = new pg.Client({ connectionString: url.toString() });
  try {
    await waitFor(server, `${base}/api/health`, 5 * 60_000);
    await db.connect();
    const cookie = await signIn(base, "manager@demo.kaveret.test", BENCH_DEMO_PASSWORD);
    const me = (await http(base, "GET", "/api/me", { cookie })).json as {
      scopes: { id: string; name: string }[];
    };
    const scope = me.scopes.find((s) => s.name.includes("עין הדר"));
    if (!scope) throw new Error("no demo department");
    const departmentId = scope.id.replace(/^department:/, "");
    const headers = { cookie, "x-kaveret-scope": scope.id };

    const t = Date.now();
    const communityId = await seedSubscriptions(db, departmentId, stub.origin);
    console.log(
      `  seeded ${N.toLocaleString("en")} residents with a subscription in ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );

    // The broadcast belongs to an emergency declared over the synthetic neighbourhood (the
    // call list is not generated here: the broadcast is what is measured).
    const declared = await http(base, "POST", "/api/emergency/events", headers, {
      type: "rocket_fire",
      level: 3,
      title: "bench emergency",
      communityIds: [communityId],
      generateCalls: false,
    });
    if (declared.res.status !== 201)
      throw new Error(`declare: ${declared.res.status} ${JSON.stringify(declared.json)}`);
    const emergencyId = (declared.json as { id: string }).id;

    const text = (s: string) => ({ title: "חירום", body: `${s} {statusLink}` });
    const created = await http(base, "POST", "/api/broadcasts", headers, {
      title: "bench emergency",
      audience: { communityIds: [communityId], consents: ["emergency_contact"] },
      channels: ["web_push"],
      channelMode: "first",
      messages: {
        he: text("היכנסו למרחב המוגן"),
        ar: text("ادخلوا إلى الغرفة المحصنة"),
        ru: text("Пройдите в защищённое помещение"),
        en: text("Go to the protected room"),
        am: text("ወደ ተጠበቀው ክፍል ይግቡ"),
      },
      emergencyId,
      urgent: true,
    });
    if (created.res.status !== 201)
      throw new Error(`create: ${created.res.status} ${JSON.stringify(created.json)}`);
    const id = (created.json as { id: string }).id;

    const confirmAt = Date.now();
    const confirmed = await http(base, "POST", `/api/broadcasts/${id}/confirm`, headers);
    if (confirmed.res.status !== 200)
      throw new Error(`confirm: ${confirmed.res.status} ${JSON.stringify(confirmed.json)}`);
    const confirmMs = Date.now() - confirmAt;
    const deadline = Date.now() + Math.max(120_000, N * 5);
    let status = "";
    let progress: { sent: number; failed: number; total: number } = {
      sent: 0,
      failed: 0,
      total: 0,
    };
    while (Date.now() < deadline) {
      const b = (await http(base, "GET", `/api/broadcasts/${id}/progress`, headers)).json as {
        status: string;
        sent: number;
        failed: number;
        total: number;
      };
      status = b.status;
      progress = b;
      if (status === "done") break;
      await sleep(250);
    }
    const doneAt = Date.now();
    const s = stub.stats();
    if (status !== "done") console.log(`  not done in time: ${JSON.stringify(progress)}`);
    const firstMs = s.first === null ? null : s.first - confirmAt;
    const sendingMs = s.first !== null && s.last !== null ? s.last - s.first : 0;
    const perSec = sendingMs > 0 ? s.accepted / (sendingMs / 1000) : 0;
    console.log(
      `  ${s.accepted.toLocaleString("en")} accepted by the push service (${s.refused} refused, ${s.verifiedTokens} VAPID token(s) verified), ${progress.failed} failed`,
    );

    // Acknowledgements from devices.
    const rows = (
      await db.query<{ id: string }>(
        `select id from broadcast_deliveries where department_id = $1 and broadcast_id = $2 and status = 'sent' order by id limit $3`,
        [departmentId, id, ACKS],
      )
    ).rows;
    const tokens = new ReceiptTokens(env.AUTH_SECRET!);
    const acks = rows.map((r) =>
      tokens.sign({ departmentId, broadcastId: id, deliveryId: Number(r.id) }),
    );
    const ackStart = Date.now();
    const posted = await sendAcks(base, acks);
    let delivered = 0;
    const ackDeadline = Date.now() + 120_000;
    while (Date.now() < ackDeadline) {
      delivered = Number(
        (
          await db.query<{ n: string }>(
            `select count(*) as n from broadcast_deliveries where department_id = $1 and broadcast_id = $2 and status = 'delivered'`,
            [departmentId, id],
          )
        ).rows[0]!.n,
      );
      if (delivered >= acks.length) break;
      await sleep(50);
    }
    const ackMs = Date.now() - ackStart;
    console.log(
      `  acknowledgements: posted in ${(posted.ms / 1000).toFixed(2)} s, all recorded ${(ackMs / 1000).toFixed(2)} s after the first`,
    );
    const acksPerSec = delivered / (ackMs / 1000);
    const postedPerSec = acks.length / (posted.ms / 1000);

    const result = {
      date: new Date().toISOString(),
      commit: gitCommit(),
      machine: { cpus: cpus().length, load: loadavg() },
      subscriptions: N,
      confirmMs,
      firstMessageMs: firstMs,
      messagesPerSec: Math.round(perSec),
      endToEndPerSec: Math.round(s.accepted / ((doneAt - confirmAt) / 1000)),
      sendingSeconds: sendingMs / 1000,
      acks: {
        count: acks.length,
        recorded: delivered,
        postedPerSec: Math.round(postedPerSec),
        ingestedPerSec: Math.round(acksPerSec),
        non2xx: posted.non2xx,
      },
      status,
      serverPeakMB: server.peakMemoryMB(),
    };
    const pass = (ok: boolean) => (ok ? "PASS" : "FAIL");
    console.log(
      table([
        ["measure", "value", "target", ""],
        [
          "first message out after confirm",
          `${firstMs ?? "—"} ms`,
          `≤ ${TARGETS.firstMessageMs} ms`,
          pass(firstMs !== null && firstMs <= TARGETS.firstMessageMs),
        ],
        [
          "messages/s to the push service",
          `${result.messagesPerSec}`,
          `≥ ${TARGETS.messagesPerSec}`,
          pass(result.messagesPerSec >= TARGETS.messagesPerSec),
        ],
        ["confirm request (dry-run count, audit, job)", `${confirmMs} ms`, "—", ""],
        ["end to end (confirm → done) msg/s", `${result.endToEndPerSec}`, "—", ""],
        [
          "acknowledgements ingested/s",
          `${result.acks.ingestedPerSec}`,
          `≥ ${TARGETS.acksPerSec}`,
          pass(result.acks.ingestedPerSec >= TARGETS.acksPerSec),
        ],
        [
          "acknowledgements posted/s (HTTP)",
          `${result.acks.postedPerSec}`,
          "—",
          `${posted.non2xx} non-2xx`,
        ],
      ]),
    );
    const dir = join(root, "bench/results");
    mkdirSync(dir, { recursive: true });
    const file = join(
      dir,
      `${result.date.slice(0, 10)}-broadcast${N === 100_000 ? "" : `-${N}`}.json`,
    );
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`  wrote ${file}`);
    const ok =
      firstMs !== null &&
      firstMs <= TARGETS.firstMessageMs &&
      result.messagesPerSec >= TARGETS.messagesPerSec &&
      result.acks.ingestedPerSec >= TARGETS.acksPerSec;
    return ok ? 0 : 1;
  } finally {
    await db.end().catch(() => undefined);
    await stopChild(server);
    await stub.close();
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    await c.query(`drop database if exists ${dbName} with (force)`);
    await c.end();
  }
}

main()
  .then((code) => process.exit(code))
  .catch(async (err: unknown) => {
    console.error(err);
    await stopAll();
    process.exit(2);
  });
