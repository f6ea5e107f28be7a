import { describe, expect, it } from "vitest";
import { createCommunityBodySchema, updateCommunityBodySchema } from "@kaveret/contracts";
import { emptyValues, formFieldOf, toCreateBody, toUpdateBody } from "./community-form.ts";
import { childLevel } from "./community-labels.ts";

describe("community form", () => {
  it("builds a create body the contract accepts", () => {
    const v = {
      ...emptyValues(),
      name: "  נווה שאנן ",
      altAr: "نفيه شأنان",
      population: 1200,
      languages: ["he", "ar"],
    };
    const body = toCreateBody(v);
    expect(body).toMatchObject({
      kind: "geographic",
      level: "neighbourhood",
      name: "נווה שאנן",
      altNames: { ar: "نفيه شأنان" },
    });
    expect(createCommunityBodySchema.safeParse(body).success).toBe(true);
  });

  it("drops level and keeps criteria for a functional community", () => {
    const v = {
      ...emptyValues(),
      kind: "functional" as const,
      name: "Elderly",
      membershipCriteria: "75+",
    };
    const body = toCreateBody(v);
    expect(body.level).toBeNull();
    expect(body.membershipCriteria).toBe("75+");
    expect(createCommunityBodySchema.safeParse(body).success).toBe(true);
  });

  it("sends the version with an update and an empty population as null", () => {
    const body = toUpdateBody({ ...emptyValues(), name: "Hadar" }, 7);
    expect(body.version).toBe(7);
    expect(body.population).toBeNull();
    expect(updateCommunityBodySchema.safeParse(body).success).toBe(true);
  });

  it("maps contract paths to form fields", () => {
    expect(formFieldOf("altNames.he")).toBe("altHe");
    expect(formFieldOf("languages.2")).toBe("languages");
    expect(formFieldOf("name")).toBe("name");
  });

  it("suggests the next level down", () => {
    expect(childLevel("town")).toBe("neighbourhood");
    expect(childLevel("street_cluster")).toBe("building");
    expect(childLevel("building")).toBeNull();
  });
});
