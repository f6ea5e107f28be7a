import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { hashPassword } from "better-auth/crypto";
import { client, schema, signIn, startTestServer, type TestServer } from "../test/harness.ts";

/**
 * Property: across random departments, community trees and role assignments,
 * no role reads or writes outside its scope — through the real HTTP API, so
 * the policy module and the SQL scoping of lists are checked together.
 */

const PASSWORD = "scoping-test-password";
let t: TestServer;
let passwordHash: string;
let localAuthorityId: string;
let world = 0;

beforeAll(async () => {
  t = await startTestServer();
  passwordHash = await hashPassword(PASSWORD);
  const [la] = await t.database.db.select().from(schema.localAuthorities).limit(1);
  localAuthorityId = la!.id;
});
afterAll(async () => t.close());

const ROLE_CHOICES = [
  "manager",
  "community_worker",
  "social_worker",
  "trainer",
  "activist",
  "volunteer",
  "partner",
  "resident",
] as const;

const worldArb = fc.record({
  // Parent pointers: community i's parent is one of 0..i-1 or none.
  trees: fc.tuple(
    fc.array(fc.option(fc.nat(), { nil: null }), { minLength: 1, maxLength: 7 }),
    fc.array(fc.option(fc.nat(), { nil: null }), { minLength: 1, maxLength: 5 }),
  ),
  users: fc.array(
    fc.record({
      department: fc.integer({ min: 0, max: 1 }),
      roles: fc.subarray([...ROLE_CHOICES], { minLength: 1, maxLength: 2 }),
      assigned: fc.array(fc.nat(), { maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  createUnder: fc.nat(),
});

describe("scoping (property)", () => {
  it("no role reads or writes outside its scope, across departments", async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (w) => {
        world++;
        const db = t.database.db;
        // Two fresh departments with their trees.
        const depts: { id: string; communities: { id: string; parent: number | null }[] }[] = [];
        for (const [d, tree] of w.trees.entries()) {
          const [dept] = await db
            .insert(schema.departments)
            .values({ localAuthorityId, name: `world ${world} dept ${d}` })
            .returning();
          const communities: { id: string; parent: number | null }[] = [];
          for (const [i, p] of tree.entries()) {
            const parent = p === null || i === 0 ? null : p % i;
            const [row] = await db
              .insert(schema.communities)
              .values({
                departmentId: dept!.id,
                kind: "functional",
                name: `w${world}-d${d}-c${i}`,
                parentId: parent === null ? null : communities[parent]!.id,
              })
              .returning();
            communities.push({ id: row!.id, parent });
          }
          depts.push({ id: dept!.id, communities });
        }
        const subtreeOf = (d: number, roots: number[]) => {
          const cs = depts[d]!.communities;
          const inside = new Set<number>();
          for (let i = 0; i < cs.length; i++) {
            for (let j: number | null = i; j !== null; j = cs[j]!.parent) {
              if (roots.includes(j)) inside.add(i);
            }
          }
          return inside;
        };

        for (const [u, spec] of w.users.entries()) {
          const d = spec.department;
          const dept = depts[d]!;
          const assigned = [...new Set(spec.assigned.map((a) => a % dept.communities.length))];
          const userId = crypto.randomUUID();
          const email = `w${world}u${u}@example.org`;
          await db.insert(schema.user).values({ id: userId, name: email, email, kind: "staff" });
          await db.insert(schema.account).values({
            id: crypto.randomUUID(),
            accountId: userId,
            providerId: "credential",
            userId,
            password: passwordHash,
          });
          for (const role of spec.roles)
            await db.insert(schema.roleAssignments).values({ userId, role, departmentId: dept.id });
          for (const a of assigned)
            await db
              .insert(schema.communityAssignments)
              .values({ departmentId: dept.id, userId, communityId: dept.communities[a]!.id });

          const other = depts[1 - d]!;
          // Even naming the other department's scope in the header must not reach it.
          const api = client(t.app, await signIn(t.app, email, PASSWORD), `department:${other.id}`);
          const readsAll = spec.roles.some((r) => r === "manager" || r === "social_worker");
          const isWorker = spec.roles.includes("community_worker");
          const expected = readsAll
            ? new Set(dept.communities.map((_, i) => i))
            : isWorker
              ? subtreeOf(d, assigned)
              : new Set<number>();
          const mayList = readsAll || isWorker;

          const list = await api.get("/api/communities?pageSize=100&archived=all");
          if (!mayList) {
            expect(list.statusCode).toBe(403);
          } else {
            const got = new Set(
              (list.json() as { items: { id: string }[] }).items.map((c) => c.id),
            );
            expect(got).toEqual(new Set([...expected].map((i) => dept.communities[i]!.id)));
          }
          for (const [i, c] of dept.communities.entries()) {
            const res = await api.get(`/api/communities/${c.id}`);
            expect(res.statusCode).toBe(!mayList ? 403 : expected.has(i) ? 200 : 403);
          }
          for (const c of other.communities) {
            const res = await api.get(`/api/communities/${c.id}`);
            expect([403, 404]).toContain(res.statusCode);
          }
          // Writes: create under a parent of one's own department and of the other one.
          const parentIndex = w.createUnder % dept.communities.length;
          const mayCreate =
            spec.roles.includes("manager") || (isWorker && subtreeOf(d, assigned).has(parentIndex));
          const created = await api.post("/api/communities", {
            kind: "functional",
            name: `new by ${email}`,
            parentId: dept.communities[parentIndex]!.id,
          });
          expect(created.statusCode).toBe(mayCreate ? 201 : 403);
          // Later users of this world see it too.
          if (created.statusCode === 201)
            dept.communities.push({ id: created.json().id, parent: parentIndex });
          const foreign = await api.post("/api/communities", {
            kind: "functional",
            name: `foreign by ${email}`,
            parentId: other.communities[0]!.id,
          });
          expect(foreign.statusCode).toBeGreaterThanOrEqual(400);
          expect(foreign.statusCode).toBeLessThan(500);
          const patchOther = await api.patch(`/api/communities/${other.communities[0]!.id}`, {
            version: 1,
            name: "hijacked",
          });
          expect([403, 404]).toContain(patchOther.statusCode);
        }
      }),
      { numRuns: 12 },
    );
    // Nothing was written into a department by someone outside it.
    const hijacked = await t.database.query<{ n: number }>(
      "select count(*)::int as n from communities where name = 'hijacked' or name like 'foreign by %'",
    );
    expect(hijacked[0]!.n).toBe(0);
  }, 240_000);
});
