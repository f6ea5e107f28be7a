import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ROLES, type Role } from "@kaveret/contracts";
import type { Actor } from "./actor.ts";
import { can, communityVisibility, type Action } from "./policy.ts";

const uuid = fc.uuid({ version: 4 });
const actorArb = fc
  .record({
    roles: fc.subarray([...ROLES] as Role[], { minLength: 1 }),
    departmentId: uuid,
    communityIds: fc.array(uuid, { maxLength: 4 }),
    twoFactorRequired: fc.boolean(),
    kind: fc.constantFrom("department" as const, "district" as const, "ministry" as const),
  })
  .map(({ roles, departmentId, communityIds, twoFactorRequired, kind }): Actor => ({
    userId: "u",
    name: "n",
    email: "e",
    kind: "staff",
    locale: "he",
    twoFactorEnabled: false,
    scopes: [],
    scope: {
      id: "s",
      kind,
      departmentId: kind === "department" ? departmentId : null,
      districtId: null,
      name: "",
      roles,
    },
    roles,
    departmentId: kind === "department" ? departmentId : null,
    districtId: null,
    communityIds,
    twoFactorRequired,
  }));

const actionArb = (departmentId: fc.Arbitrary<string>) =>
  fc.oneof(
    fc.record({
      type: fc.constantFrom(
        "community.read" as const,
        "community.update" as const,
        "community.archive" as const,
        "community.create" as const,
      ),
      target: fc.record({ departmentId, chain: fc.array(uuid, { maxLength: 4 }) }),
    }),
    fc.record({
      type: fc.constantFrom(
        "user.manage" as const,
        "invitation.manage" as const,
        "audit.read" as const,
        "form.assign" as const,
      ),
      departmentId,
    }),
  ) as fc.Arbitrary<Action>;

describe("policy", () => {
  it("never allows anything in a department other than the active one", () => {
    fc.assert(
      fc.property(actorArb, actionArb(uuid), (actor, action) => {
        const target =
          "target" in action
            ? action.target.departmentId
            : "departmentId" in action
              ? action.departmentId
              : null;
        fc.pre(target !== actor.departmentId);
        expect(can(actor, action)).toBe(false);
      }),
    );
  });

  it("allows nothing while a mandatory second factor is missing", () => {
    fc.assert(
      fc.property(actorArb, fc.string(), (actor, _) => {
        const a = { ...actor, twoFactorRequired: true };
        expect(can(a, { type: "home.read" })).toBe(false);
        expect(can(a, { type: "community.list" })).toBe(false);
        expect(communityVisibility(a).kind).toBe("none");
      }),
    );
  });

  it("gives oversight and field roles no access to community records", () => {
    fc.assert(
      fc.property(actorArb, actionArb(fc.constant("d")), (actor, action) => {
        const only = actor.roles.filter((r) =>
          [
            "ministry",
            "district",
            "trainer",
            "activist",
            "volunteer",
            "resident",
            "partner",
          ].includes(r),
        );
        fc.pre(only.length === actor.roles.length);
        expect(can({ ...actor, departmentId: "d" }, action)).toBe(false);
      }),
    );
  });

  it("lets a community worker act only inside assigned subtrees", () => {
    fc.assert(
      fc.property(actorArb, fc.array(uuid, { maxLength: 4 }), (actor, chain) => {
        const worker: Actor = {
          ...actor,
          roles: ["community_worker"],
          twoFactorRequired: false,
          scope: { ...actor.scope!, kind: "department", departmentId: actor.departmentId ?? "d" },
          departmentId: actor.departmentId ?? "d",
        };
        const inside = chain.some((id) => worker.communityIds.includes(id));
        expect(
          can(worker, {
            type: "community.read",
            target: { departmentId: worker.departmentId!, chain },
          }),
        ).toBe(inside);
        expect(
          can(worker, {
            type: "community.update",
            target: { departmentId: worker.departmentId!, chain },
          }),
        ).toBe(inside);
      }),
    );
  });
});

describe("policy: broadcasts", () => {
  const worker = (communityIds: string[]): Actor => ({
    userId: "w",
    name: "n",
    email: "e",
    kind: "staff",
    locale: "he",
    twoFactorEnabled: false,
    scopes: [],
    scope: {
      id: "s",
      kind: "department",
      departmentId: "d",
      districtId: null,
      name: "",
      roles: ["community_worker"],
    },
    roles: ["community_worker"],
    departmentId: "d",
    districtId: null,
    communityIds,
    twoFactorRequired: false,
  });

  it("a community worker writes only broadcasts whose every community is in their reach", () => {
    fc.assert(
      fc.property(
        fc.array(uuid, { maxLength: 3 }),
        fc.array(fc.array(uuid, { minLength: 1, maxLength: 3 }), { maxLength: 3 }),
        (assigned, chains) => {
          const actor = worker(assigned);
          const target = { departmentId: "d", communityChains: chains, createdBy: "w" };
          const within =
            chains.length > 0 && chains.every((c) => c.some((id) => assigned.includes(id)));
          expect(can(actor, { type: "broadcast.write", target })).toBe(within);
          // Someone else's broadcast is never theirs to change, but they read it when it is within.
          expect(
            can(actor, { type: "broadcast.write", target: { ...target, createdBy: "x" } }),
          ).toBe(false);
          expect(
            can(actor, { type: "broadcast.read", target: { ...target, createdBy: "x" } }),
          ).toBe(within);
        },
      ),
    );
  });

  it("the manager broadcasts department-wide; other roles and departments never", () => {
    fc.assert(
      fc.property(
        actorArb,
        fc.array(fc.array(uuid, { minLength: 1 }), { maxLength: 2 }),
        (a, chains) => {
          const target = {
            departmentId: a.departmentId ?? "other",
            communityChains: chains,
            createdBy: null,
          };
          const allowed = can(a, { type: "broadcast.write", target });
          if (a.twoFactorRequired || a.scope?.kind !== "department") expect(allowed).toBe(false);
          else if (a.roles.includes("manager")) expect(allowed).toBe(true);
          else if (!a.roles.includes("community_worker")) expect(allowed).toBe(false);
          expect(
            can(a, { type: "broadcast.write", target: { ...target, departmentId: "elsewhere" } }),
          ).toBe(false);
        },
      ),
    );
  });
});
