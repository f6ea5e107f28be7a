import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ROLES, type Role } from "@kaveret/contracts";
import type { Actor } from "../../policy/actor.ts";
import { callAccess, can, helpRequestAccess } from "../../policy/policy.ts";
import { compareRisk, riskOf } from "./risk.ts";
import { canTake, splitCalls, type SplitCall } from "./split.ts";
import { matchOffers } from "./matching.ts";
import { nextCallState } from "./emergency.service.ts";

/* The pure rules of emergency mode: policy, risk order, split, matching, retries. */

const actor = (roles: Role[], o: Partial<Actor> = {}): Actor => ({
  userId: "me",
  name: "n",
  email: "e",
  kind: "staff",
  locale: "he",
  twoFactorEnabled: false,
  scopes: [],
  scope: { id: "s", kind: "department", departmentId: "d", districtId: null, name: "", roles },
  roles,
  departmentId: "d",
  districtId: null,
  communityIds: ["A"],
  twoFactorRequired: false,
  ...o,
});

describe("emergency policy", () => {
  const roleSets = fc.subarray([...ROLES] as Role[], { minLength: 1 });
  const callTarget = fc.record({
    departmentId: fc.constantFrom("d", "other"),
    communityChains: fc.constantFrom<string[][]>([["A", "T"]], [["B", "T"]], []),
    assigneeId: fc.constantFrom("me", "someone", null),
    escalatedTo: fc.constantFrom("me", "someone", null),
    status: fc.constantFrom("pending", "retry", "escalated", "done"),
    emergencyActive: fc.boolean(),
  });

  it("never opens a call of another department, and a volunteer only their own open assignment", () => {
    fc.assert(
      fc.property(roleSets, callTarget, (roles, t) => {
        const a = actor(roles);
        const access = callAccess(a, t);
        if (t.departmentId !== "d") expect(access).toBeNull();
        const staff = roles.some((r) =>
          ["manager", "community_worker", "social_worker"].includes(r),
        );
        if (!staff) {
          const own =
            roles.includes("volunteer") &&
            t.departmentId === "d" &&
            t.emergencyActive &&
            t.assigneeId === "me" &&
            (t.status === "pending" || t.status === "retry");
          expect(access).toBe(own ? "assignment" : null);
        }
      }),
    );
  });

  it("declaring and managing are a manager's; activists, trainers, partners and residents get nothing but the mode", () => {
    fc.assert(
      fc.property(roleSets, (roles) => {
        const a = actor(roles);
        expect(can(a, { type: "emergency.declare", departmentId: "d" })).toBe(
          roles.includes("manager"),
        );
        expect(can(a, { type: "emergency.manage", departmentId: "d" })).toBe(
          roles.includes("manager"),
        );
        expect(can(a, { type: "emergency.manage", departmentId: "other" })).toBe(false);
        const outsiders = roles.every((r) =>
          ["activist", "trainer", "partner", "resident", "ministry", "district"].includes(r),
        );
        if (outsiders) {
          for (const type of [
            "emergency.board",
            "emergency.call",
            "emergency.help",
            "emergency.volunteer",
          ] as const) {
            expect(can(a, { type, departmentId: "d" })).toBe(false);
          }
        }
        expect(can(actor(roles, { twoFactorRequired: true }), { type: "emergency.mode" })).toBe(
          false,
        );
      }),
    );
  });

  it("a volunteer sees someone else's help request in outline at most, their own claim in full", () => {
    const v = actor(["volunteer"]);
    const t = { departmentId: "d", chain: ["A"], createdBy: "staff" };
    expect(helpRequestAccess(v, { ...t, claimedBy: null })).toBe("outline");
    expect(helpRequestAccess(v, { ...t, claimedBy: "someone" })).toBe("outline");
    expect(helpRequestAccess(v, { ...t, claimedBy: "me" })).toBe("full");
    expect(helpRequestAccess(actor(["activist"]), { ...t, claimedBy: null })).toBeNull();
    expect(helpRequestAccess(v, { ...t, departmentId: "other", claimedBy: "me" })).toBeNull();
  });
});

describe("risk rule", () => {
  const Y = 2026;
  it("scores the documented reasons, with the alone-and-frail bonus", () => {
    expect(riskOf({ flags: ["lives_alone", "age_75_plus"], birthYear: null, year: Y })).toEqual({
      score: 30 + 20 + 20,
      reasons: ["lives_alone", "age_75_plus"],
    });
    expect(riskOf({ flags: [], birthYear: Y - 90, year: Y })).toEqual({
      score: 30,
      reasons: ["age_85_plus"],
    });
    expect(riskOf({ flags: ["lives_alone"], birthYear: Y - 40, year: Y }).score).toBe(30);
    expect(riskOf({ flags: [], birthYear: Y - 40, year: Y }).reasons).toEqual([]);
  });

  it("orders by score, then older first, then name — a total, stable order", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.uuid(),
            score: fc.integer({ min: 0, max: 200 }),
            birthYear: fc.option(fc.integer({ min: 1920, max: 2000 }), { nil: null }),
            lastName: fc.constantFrom("כהן", "לוי", "Abu", ""),
            firstName: fc.constantFrom("א", "ב"),
          }),
          { maxLength: 30 },
        ),
        (rows) => {
          const sorted = [...rows].sort(compareRisk);
          for (let i = 1; i < sorted.length; i++) {
            expect(sorted[i - 1]!.score).toBeGreaterThanOrEqual(sorted[i]!.score);
          }
          expect(
            [...rows]
              .reverse()
              .sort(compareRisk)
              .map((r) => r.id),
          ).toEqual(sorted.map((r) => r.id));
        },
      ),
    );
  });
});

describe("split", () => {
  const call = (id: string, o: Partial<SplitCall> = {}): SplitCall => ({
    id,
    rank: Number(id.replace(/\D/g, "")) || 1,
    streetId: "s1",
    houseNumber: "1",
    languages: ["he"],
    consented: true,
    ...o,
  });

  it("every call goes to someone who may take it, or is reported unassigned", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            street: fc.constantFrom("s1", "s2", null),
            house: fc.constantFrom("1", "2"),
            lang: fc.constantFrom("he", "ar", "am"),
            consented: fc.boolean(),
          }),
          { maxLength: 40 },
        ),
        fc.array(
          fc.record({
            langs: fc.subarray(["he", "ar", "ru"], { minLength: 1 }),
            staff: fc.boolean(),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        (rows, people) => {
          const calls = rows.map((r, i) =>
            call(`c${i + 1}`, {
              rank: i + 1,
              streetId: r.street,
              houseNumber: r.house,
              languages: [r.lang],
              consented: r.consented,
            }),
          );
          const callers = people.map((p, i) => ({
            userId: `u${i}`,
            languages: p.langs,
            staff: p.staff,
          }));
          const result = splitCalls(calls, callers);
          expect(result.assignments.size + result.unassigned.length).toBe(calls.length);
          for (const c of calls) {
            const who = result.assignments.get(c.id);
            if (who)
              expect(
                canTake(
                  callers.find((x) => x.userId === who)!,
                  c,
                ),
              ).toBe(true);
            else expect(callers.some((x) => canTake(x, c))).toBe(false);
          }
        },
      ),
    );
  });

  it("keeps a building with one caller and streets together while loads allow", () => {
    const calls = [
      call("c1", { streetId: "s1", houseNumber: "1" }),
      call("c2", { streetId: "s2", houseNumber: "9" }),
      call("c3", { streetId: "s1", houseNumber: "1" }),
      call("c4", { streetId: "s2", houseNumber: "9" }),
      call("c5", { streetId: "s1", houseNumber: "3" }),
      call("c6", { streetId: "s2", houseNumber: "11" }),
    ];
    const r = splitCalls(calls, [
      { userId: "a", languages: ["he"], staff: true },
      { userId: "b", languages: ["he"], staff: false },
    ]);
    const of = (id: string) => r.assignments.get(id);
    expect(of("c1")).toBe(of("c3"));
    expect(of("c2")).toBe(of("c4"));
    expect(of("c1")).toBe(of("c5"));
    expect(of("c2")).toBe(of("c6"));
    expect(of("c1")).not.toBe(of("c2"));
    expect(r.perCaller.get("a")!.calls).toBe(3);
  });
});

describe("matching and retries", () => {
  const offer = (id: string, o: Record<string, unknown> = {}) => ({
    id,
    active: true,
    categories: ["food"],
    languages: ["he"],
    skills: [] as string[],
    lat: 32.8,
    lon: 35.1,
    radiusKm: 5,
    hasVehicle: false,
    activeClaims: 0,
    ...o,
  });
  const request = { category: "food", lat: 32.81, lon: 35.1, languages: ["ar"], skills: ["רכב"] };

  it("needs the category and the radius; prefers language, skills, nearness, free hands", () => {
    const ranked = matchOffers(request, [
      offer("far", { radiusKm: 0.5 }),
      offer("wrong", { categories: ["medicine"] }),
      offer("he"),
      offer("ar", { languages: ["ar"] }),
      offer("ar-car", { languages: ["ar"], skills: ["רכב"] }),
      offer("ar-busy", { languages: ["ar"], skills: ["רכב"], activeClaims: 3 }),
    ]);
    expect(ranked.map((m) => m.offer.id)).toEqual(["ar-car", "ar-busy", "ar", "he"]);
  });

  it("retries after 30 and 60 minutes, escalates on the third miss; a reached call stays reached", () => {
    const at = new Date("2026-01-01T10:00:00Z");
    const s1 = nextCallState({ status: "pending", attempts: 0 }, "not_reached", at);
    expect(s1).toMatchObject({ status: "retry", attempts: 1 });
    expect(s1.nextAttemptAt!.getTime() - at.getTime()).toBe(30 * 60_000);
    const s2 = nextCallState({ status: "retry", attempts: 1 }, "not_reached", at);
    expect(s2.nextAttemptAt!.getTime() - at.getTime()).toBe(60 * 60_000);
    expect(nextCallState({ status: "retry", attempts: 2 }, "not_reached", at)).toMatchObject({
      status: "escalated",
      escalate: true,
    });
    expect(nextCallState({ status: "done", attempts: 0 }, "not_reached", at)).toMatchObject({
      status: "done",
      outcome: null,
    });
  });
});
