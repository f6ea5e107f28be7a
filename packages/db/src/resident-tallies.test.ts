import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "./client.ts";
import {
  checkResidentTallies,
  foldResidentTallies,
  recountResidentTallies,
} from "./resident-tallies.ts";
import { openTestDatabase } from "./test-database.ts";

/*
 * The tallies the triggers keep must always equal a count made from the residents:
 * random sequences of the writes the app makes (creates, edits of every counted field,
 * memberships, archive, merge, delete, bulk imports, a community moved, folds) are
 * followed by a check against a fresh count, and by a recount that must change nothing.
 */

let database: Database & { drop: () => Promise<void> };
let departmentId = "";
let otherDepartmentId = "";
/** town ⊃ hood A ⊃ building; town ⊃ hood B; a functional community. */
const tree: Record<"town" | "a" | "b" | "building" | "functional", string> = {
  town: "",
  a: "",
  b: "",
  building: "",
  functional: "",
};
const households: string[] = [];

const q = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  database.query<T>(text, params);

beforeAll(async () => {
  database = await openTestDatabase();
  const [district] = await q<{ id: string }>(
    `insert into districts (name) values ('d') returning id`,
  );
  const [authority] = await q<{ id: string }>(
    `insert into local_authorities (district_id, name) values ($1, 'a') returning id`,
    [district!.id],
  );
  const made = await q<{ id: string }>(
    `insert into departments (local_authority_id, name) values ($1, 'dep'), ($1, 'other') returning id`,
    [authority!.id],
  );
  departmentId = made[0]!.id;
  otherDepartmentId = made[1]!.id;
  const community = async (name: string, kind: string, parentId: string | null) =>
    (
      await q<{ id: string }>(
        `insert into communities (department_id, kind, parent_id, name) values ($1, $2, $3, $4) returning id`,
        [departmentId, kind, parentId, name],
      )
    )[0]!.id;
  tree.town = await community("town", "geographic", null);
  tree.a = await community("a", "geographic", tree.town);
  tree.b = await community("b", "geographic", tree.town);
  tree.building = await community("building", "geographic", tree.a);
  tree.functional = await community("functional", "functional", null);
  for (let i = 0; i < 4; i++) {
    households.push(
      (
        await q<{ id: string }>(
          `insert into households (department_id, label) values ($1, $2) returning id`,
          [departmentId, `h${i}`],
        )
      )[0]!.id,
    );
  }
});
afterAll(async () => {
  await database.drop();
});

const COMMUNITIES = ["town", "a", "b", "building", "functional"] as const;
const CONSENTS = ["listed_to_activists", "emergency_contact"];
const FLAGS = ["tok-alone", "tok-75", "tok-wheelchair"];

const attrs = fc.record({
  // A few fixed spots so residents share map cells; sometimes no position.
  spot: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
  consents: fc.subarray(CONSENTS),
  flags: fc.subarray(FLAGS),
  household: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
});
type Attrs = { spot: number | null; consents: string[]; flags: string[]; household: number | null };

const position = (spot: number | null) =>
  spot === null ? [null, null] : [32.8 + spot * 0.0009, 35.1 + (spot % 3) * 0.0031];

async function insertResidents(dept: string, list: { a: Attrs; member: string[] }[]) {
  if (list.length === 0) return;
  // One statement for all of them, as an import or the generator writes.
  const values = list.map((_, i) => {
    const p = i * 6;
    return `($1::uuid, 'n', 'r', $${p + 2}::float8, $${p + 3}::float8, $${p + 4}::text[], $${p + 5}::text[], $${p + 6}::uuid, $${p + 7}::uuid[])`;
  });
  const params: unknown[] = [dept];
  for (const { a, member } of list) {
    const [lat, lon] = position(a.spot);
    params.push(
      lat,
      lon,
      a.consents,
      a.flags,
      a.household === null ? null : households[a.household],
      member.map((m) => tree[m as keyof typeof tree]),
    );
  }
  const ids = await q<{ id: string; member: string[] }>(
    `with v(department_id, first_name, last_name, lat, lon, consents, flag_tokens, household_id, member) as (
       values ${values.join(", ")}
     ), ins as (
       insert into residents (department_id, first_name, last_name, lat, lon, consents, flag_tokens, household_id)
       select department_id, first_name, last_name, lat, lon, consents, flag_tokens, household_id from v
       returning id
     ) select id from ins`,
    params,
  );
  // Memberships in one statement too (the trigger fills community_ids).
  const rows = ids.flatMap((r, i) =>
    list[i]!.member.map((m) => [r.id, tree[m as keyof typeof tree]]),
  );
  if (rows.length) {
    await q(
      `insert into resident_communities (department_id, resident_id, community_id)
       select $1, r, c from unnest($2::uuid[], $3::uuid[]) as x(r, c) on conflict do nothing`,
      [dept, rows.map((r) => r[0]), rows.map((r) => r[1])],
    );
  }
}

const live = async () =>
  (
    await q<{ id: string }>(
      `select id from residents where department_id = $1 and merged_into_id is null and archived_at is null order by id`,
      [departmentId],
    )
  ).map((r) => r.id);
const anyResident = async () =>
  (
    await q<{ id: string }>(`select id from residents where department_id = $1 order by id`, [
      departmentId,
    ])
  ).map((r) => r.id);

const member = fc.subarray([...COMMUNITIES], { maxLength: 2 });
type Op =
  | { kind: "create"; list: { a: Attrs; member: string[] }[] }
  | { kind: "edit"; pick: number; a: Attrs }
  | { kind: "join"; pick: number; community: string }
  | { kind: "leave"; pick: number }
  | { kind: "archive"; pick: number; back: boolean }
  | { kind: "merge"; pick: number; into: number }
  | { kind: "delete"; pick: number }
  | { kind: "move"; under: "a" | "town" }
  | { kind: "fold" };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("create" as const),
    list: fc.array(fc.record({ a: attrs, member }), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant("edit" as const), pick: fc.nat(), a: attrs }),
  fc.record({
    kind: fc.constant("join" as const),
    pick: fc.nat(),
    community: fc.constantFrom(...COMMUNITIES),
  }),
  fc.record({ kind: fc.constant("leave" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("archive" as const), pick: fc.nat(), back: fc.boolean() }),
  fc.record({ kind: fc.constant("merge" as const), pick: fc.nat(), into: fc.nat() }),
  fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant("move" as const),
    under: fc.constantFrom("a" as const, "town" as const),
  }),
  fc.record({ kind: fc.constant("fold" as const) }),
);

async function apply(o: Op) {
  const ids = await live();
  const pick = (n: number) => ids[n % Math.max(ids.length, 1)];
  switch (o.kind) {
    case "create":
      return insertResidents(departmentId, o.list);
    case "edit": {
      const id = pick(o.pick);
      if (!id) return;
      const [lat, lon] = position(o.a.spot);
      await q(
        `update residents set lat = $3, lon = $4, consents = $5, flag_tokens = $6, household_id = $7, first_name = 'edited'
         where department_id = $1 and id = $2`,
        [
          departmentId,
          id,
          lat,
          lon,
          o.a.consents,
          o.a.flags,
          o.a.household === null ? null : households[o.a.household],
        ],
      );
      return;
    }
    case "join": {
      const id = pick(o.pick);
      if (!id) return;
      await q(
        `insert into resident_communities (department_id, resident_id, community_id) values ($1, $2, $3) on conflict do nothing`,
        [departmentId, id, tree[o.community as keyof typeof tree]],
      );
      return;
    }
    case "leave": {
      const id = pick(o.pick);
      if (!id) return;
      await q(
        `delete from resident_communities where department_id = $1 and resident_id = $2
           and community_id = (select community_id from resident_communities where department_id = $1 and resident_id = $2 limit 1)`,
        [departmentId, id],
      );
      return;
    }
    case "archive": {
      const all = await anyResident();
      const id = all[o.pick % Math.max(all.length, 1)];
      if (!id) return;
      await q(
        `update residents set archived_at = ${o.back ? "null" : "now()"} where department_id = $1 and id = $2`,
        [departmentId, id],
      );
      return;
    }
    case "merge": {
      const from = pick(o.pick);
      const into = pick(o.into);
      if (!from || !into || from === into) return;
      // As duplicates.merge does: the survivor takes the other's memberships, the other is marked merged.
      await database.db.transaction(async (tx) => {
        await tx.execute(
          sqlOf(`insert into resident_communities (department_id, resident_id, community_id)
            select department_id, '${into}', community_id from resident_communities
            where department_id = '${departmentId}' and resident_id = '${from}' on conflict do nothing`),
        );
        await tx.execute(
          sqlOf(
            `update residents set merged_into_id = '${into}' where department_id = '${departmentId}' and id = '${from}'`,
          ),
        );
      });
      return;
    }
    case "delete": {
      const all = await anyResident();
      const id = all[o.pick % Math.max(all.length, 1)];
      if (!id) return;
      await q(`delete from resident_communities where department_id = $1 and resident_id = $2`, [
        departmentId,
        id,
      ]);
      await q(`delete from residents where department_id = $1 and id = $2`, [departmentId, id]);
      return;
    }
    case "move":
      await q(`update communities set parent_id = $3 where department_id = $1 and id = $2`, [
        departmentId,
        tree.b,
        tree[o.under],
      ]);
      return;
    case "fold":
      await foldResidentTallies(database.db, departmentId);
      return;
  }
}

const sqlOf = (text: string) => sql.raw(text);

const totals = () =>
  q<{ community_id: string; metric: string; n: number }>(
    `select community_id, metric, sum(n)::int as n from (
       select community_id, metric, n from resident_counts where department_id = $1
       union all select community_id, metric, n from resident_count_deltas where department_id = $1
     ) t group by 1, 2 having sum(n) <> 0 order by 1, 2`,
    [departmentId],
  );

describe("resident tallies", () => {
  it("equal a fresh count after any mix of writes, and a recount changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        for (const o of ops) await apply(o);
        expect(await checkResidentTallies(database, departmentId)).toEqual([]);
      }),
      { numRuns: 30 },
    );
    // The random writes may have left no one live (all deleted, archived or merged): one
    // known resident gives the recount something to compare.
    await insertResidents(departmentId, [
      { a: { spot: 2, consents: [CONSENTS[0]!], flags: [FLAGS[0]!], household: 1 }, member: ["a"] },
    ]);
    const before = await totals();
    expect(before.length).toBeGreaterThan(0);
    await recountResidentTallies(database, departmentId);
    expect(await totals()).toEqual(before);
    expect(await checkResidentTallies(database, departmentId)).toEqual([]);
  });

  it("counts what it should: members of a community and of everything inside it, live only", async () => {
    const [lat, lon] = position(1);
    // Another department's residents never count here.
    await insertResidents(otherDepartmentId, [
      { a: { spot: 1, consents: [], flags: [], household: null }, member: [] },
    ]);
    const t0 = await totals();
    const town = (m: string) =>
      t0.find((r) => r.community_id === tree.town && r.metric === m)?.n ?? 0;
    const before = { residents: town("residents"), located: town("with_location") };
    const [r] = await q<{ id: string }>(
      `insert into residents (department_id, first_name, last_name, lat, lon) values ($1, 'x', 'y', $2, $3) returning id`,
      [departmentId, lat, lon],
    );
    await q(
      `insert into resident_communities (department_id, resident_id, community_id) values ($1, $2, $3)`,
      [departmentId, r!.id, tree.building],
    );
    const t1 = await totals();
    const town1 = (m: string) =>
      t1.find((x) => x.community_id === tree.town && x.metric === m)?.n ?? 0;
    // A member of the building counts in the building, its neighbourhood and the town.
    expect(town1("residents")).toBe(before.residents + 1);
    expect(town1("with_location")).toBe(before.located + 1);
    await q(`update residents set archived_at = now() where department_id = $1 and id = $2`, [
      departmentId,
      r!.id,
    ]);
    const t2 = await totals();
    expect(t2.find((x) => x.community_id === tree.town && x.metric === "residents")?.n ?? 0).toBe(
      before.residents,
    );
    // The map cells of the whole department are kept under the department's own id.
    const cells = await q<{ n: number }>(
      `select coalesce(sum(n), 0)::int as n from (
         select n from resident_map_cells where department_id = $1 and community_id = $1
         union all select n from resident_map_cell_deltas where department_id = $1 and community_id = $1) c`,
      [departmentId],
    );
    const located = await q<{ n: number }>(
      `select count(*)::int as n from residents where department_id = $1 and merged_into_id is null
         and archived_at is null and lat is not null`,
      [departmentId],
    );
    expect(cells[0]!.n).toBe(located[0]!.n);
  });

  it("stays exact with writers, folds and a recount running at once (on PostgreSQL, truly at once)", async () => {
    const ops = fc
      .sample(fc.array(op, { minLength: 60, maxLength: 60 }), { numRuns: 1, seed: 7 })[0]!
      // Moving a community rewrites all its members at once: not a per-resident write.
      .filter((o) => o.kind !== "move");
    // Four lanes in parallel (the pool's connections), a recount in the middle. Two lanes may
    // deadlock on the same residents (a merge each way): one is rolled back, which must leave
    // the tallies exact too.
    const lanes = [0, 1, 2, 3].map((lane) => ops.filter((_, i) => i % 4 === lane));
    await Promise.all([
      ...lanes.map(async (lane) => {
        for (const o of lane) {
          await apply(o).catch((err: { code?: string; cause?: { code?: string } }) => {
            if ((err.code ?? err.cause?.code) !== "40P01") throw err;
          });
        }
      }),
      (async () => {
        await foldResidentTallies(database.db, departmentId);
        await recountResidentTallies(database, departmentId);
        await foldResidentTallies(database.db, departmentId);
      })(),
    ]);
    expect(await checkResidentTallies(database, departmentId)).toEqual([]);
  });

  it("a recount corrects tallies that went wrong, and only those", async () => {
    expect(await checkResidentTallies(database, departmentId)).toEqual([]);
    const [before] = await recountResidentTallies(database, departmentId);
    expect(before!.corrected).toBe(0);
    // Damage: a count off by five, a household's members lost, a map cell gone.
    await q(
      `update resident_counts set n = n + 5 where department_id = $1 and community_id = $2 and metric = 'residents'`,
      [departmentId, tree.town],
    );
    await q(
      `delete from resident_household_members where ctid in (select ctid from resident_household_members where department_id = $1 and n > 0 limit 1)`,
      [departmentId],
    );
    await q(
      `delete from resident_map_cells where ctid in (select ctid from resident_map_cells where department_id = $1 and n > 0 limit 1)`,
      [departmentId],
    );
    const found = await checkResidentTallies(database, departmentId);
    expect(found.map((d) => d.table).sort()).toEqual([
      "resident_counts",
      "resident_household_members",
      "resident_map_cells",
    ]);
    const [fixed] = await recountResidentTallies(database, departmentId);
    expect(fixed!.corrected).toBe(3);
    expect(await checkResidentTallies(database, departmentId)).toEqual([]);
  });

  it("folds pending deltas into the totals without changing any sum", async () => {
    await insertResidents(departmentId, [
      { a: { spot: 2, consents: [], flags: ["tok-75"], household: 1 }, member: ["a"] },
    ]);
    const before = await totals();
    const pending = await q<{ n: number }>(`select count(*)::int as n from resident_count_deltas`);
    expect(pending[0]!.n).toBeGreaterThan(0);
    expect(await foldResidentTallies(database.db, departmentId)).toBeGreaterThan(0);
    const after = await q<{ n: number }>(
      `select count(*)::int as n from resident_count_deltas where department_id = $1`,
      [departmentId],
    );
    expect(after[0]!.n).toBe(0);
    expect(await totals()).toEqual(before);
  });
});
