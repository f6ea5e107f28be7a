import pg from "pg";
import { resolve } from "node:path";
import type * as Harness from "../apps/server/src/test/harness.ts";
import type * as Fixtures from "../apps/server/src/modules/residents/residents.fixtures.ts";

/*
 * Database round trips per public need report and per sync `need.create` command: every
 * query a pg client sends is counted (on PostgreSQL: set DATABASE_URL, as for the tests),
 * through the test harness's real app. Prints the average per report / command and the
 * statements of one of them.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/round-trips.ts [tree]
 *
 * `tree` is the checkout whose server is measured (default: this one), e.g. a worktree
 * at main for a baseline.
 */

type Query = (...args: unknown[]) => unknown;

if (!process.env.DATABASE_URL) {
  console.error("set DATABASE_URL (PostgreSQL): the count is of pg client queries");
  process.exit(2);
}
const tree = resolve(process.argv[2] ?? ".");
const { startTestServer } = (await import(
  `${tree}/apps/server/src/test/harness.ts`
)) as typeof Harness;
const { buildWorld, POINTS } = (await import(
  `${tree}/apps/server/src/modules/residents/residents.fixtures.ts`
)) as typeof Fixtures;

let count = 0;
const statements: string[] = [];
const proto = pg.Client.prototype as unknown as { query: Query };
const original = proto.query;
proto.query = function (this: unknown, ...args: unknown[]) {
  count++;
  const q = args[0] as string | { text?: string };
  const text = typeof q === "string" ? q : (q.text ?? "?");
  statements.push(text.replace(/\s+/g, " ").trim().slice(0, 100));
  return original.apply(this, args);
};
const reset = () => {
  count = 0;
  statements.length = 0;
};

const N = 20;
const t = await startTestServer({ PUBLIC_REPORTS_PER_MINUTE: "1000" });
try {
  const w = await buildWorld(t);
  const report = (i: number) =>
    t.app.inject({
      method: "POST",
      url: `/api/public/departments/${w.departmentId}/needs`,
      payload: {
        description: `פנס רחוב שבור מספר ${i} ${Math.random()}`,
        location: POINTS.a,
        language: "he",
        startedAt: Date.now() - 30_000,
      },
    });
  await report(0); // caches warm (boundaries, classifier model)
  reset();
  for (let i = 1; i <= N; i++) {
    const res = await report(i);
    if (res.statusCode !== 201) throw new Error(`report: ${res.statusCode} ${res.body}`);
  }
  const perReport = count / N;
  console.log(`public report: ${perReport.toFixed(1)} round trips each`);
  console.log(
    statements
      .slice(0, Math.ceil(perReport))
      .map((s) => `   ${s}`)
      .join("\n"),
  );

  const create = (i: number) => ({
    id: crypto.randomUUID(),
    name: "need.create",
    args: {
      id: crypto.randomUUID(),
      channel: "face_to_face",
      category: null,
      urgency: "normal",
      description: `דיווח מהשטח ${i}`,
      location: POINTS.a,
      addressText: "",
      communityId: null,
      residentId: null,
      assigneeId: null,
      language: "he",
      contactName: "",
      contactPhone: null,
      contactConsent: false,
    },
  });
  const push = (commands: unknown[]) =>
    w.api.manager.post("/api/sync/push", { deviceId: "tablet-0001", commands });
  await push([create(0)]);
  reset();
  const res = await push(Array.from({ length: N }, (_, i) => create(i)));
  if (res.statusCode !== 200) throw new Error(`push: ${res.statusCode} ${res.body}`);
  const perCommand = count / N;
  console.log(
    `sync need.create: ${perCommand.toFixed(1)} round trips each (one push of ${N}; its session and stored-results lookup included)`,
  );
  console.log(
    statements
      .slice(0, Math.ceil(perCommand) + 2)
      .map((s) => `   ${s}`)
      .join("\n"),
  );
} finally {
  await t.close();
}
process.exit(0);
