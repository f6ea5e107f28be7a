import { describe, expect, it } from "vitest";
import { canEditCommunities, navFor } from "./nav.ts";

const keys = (roles: Parameters<typeof navFor>[0], outbox = false) =>
  navFor(roles, { outbox }).map((i) => i.key);

describe("navigation by role", () => {
  it("gives each role its pages", () => {
    expect(keys(["manager"])).toEqual([
      "home",
      "emergency",
      "communities",
      "residents",
      "needs",
      "broadcasts",
      "forms",
      "field",
      "assets",
      "map",
      "imports",
      "team",
      "audit",
    ]);
    expect(keys(["community_worker"])).toEqual([
      "home",
      "emergency",
      "communities",
      "residents",
      "needs",
      "broadcasts",
      "forms",
      "field",
      "assets",
      "map",
      "imports",
    ]);
    expect(keys(["activist"])).toEqual(["home", "residents", "assets", "map"]);
    expect(keys(["volunteer"])).toEqual(["home", "emergency", "assets", "map"]);
    expect(keys(["social_worker"])).toEqual([
      "home",
      "emergency",
      "residents",
      "needs",
      "forms",
      "field",
      "assets",
      "map",
    ]);
    expect(keys(["ministry"])).toEqual(["home"]);
    expect(keys(["district"])).toEqual(["home"]);
    expect(keys(["resident"])).toEqual(["home"]);
  });
  it("unites several roles in a fixed order and adds the dev outbox when present", () => {
    expect(keys(["community_worker", "manager"], true)).toEqual([
      "home",
      "emergency",
      "communities",
      "residents",
      "needs",
      "broadcasts",
      "forms",
      "field",
      "assets",
      "map",
      "imports",
      "team",
      "audit",
      "outbox",
    ]);
  });
  it("lets managers and community workers edit communities", () => {
    expect(canEditCommunities(["manager"])).toBe(true);
    expect(canEditCommunities(["community_worker"])).toBe(true);
    expect(canEditCommunities(["district"])).toBe(false);
  });
});
