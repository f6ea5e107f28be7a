import { describe, expect, it } from "vitest";
import { exportResidentsQuerySchema } from "@kaveret/contracts";
import { exportHref } from "../residents/residents-query.ts";
import { fileNameOf } from "../../api/download.ts";
import { parseNewImportSearch } from "./import-search.ts";

describe("imports (web)", () => {
  it("reads the entity of /imports/new and drops anything else", () => {
    expect(parseNewImportSearch({ entity: "assets" })).toEqual({ entity: "assets" });
    expect(parseNewImportSearch({ entity: "users" })).toEqual({ entity: undefined });
    expect(parseNewImportSearch({})).toEqual({ entity: undefined });
  });

  it("takes the server's file name, the UTF-8 form first", () => {
    expect(
      fileNameOf(
        `attachment; filename="_____.csv"; filename*=UTF-8''${encodeURIComponent("תושבים.csv")}`,
        "x.csv",
      ),
    ).toBe("תושבים.csv");
    expect(fileNameOf('attachment; filename="residents-2026-11-25.xlsx"', "x")).toBe(
      "residents-2026-11-25.xlsx",
    );
    expect(fileNameOf(null, "fallback.csv")).toBe("fallback.csv");
  });

  it("the residents list's export address is one the export endpoint accepts", () => {
    const href = exportHref({ q: "כהן", flags: "lives_alone", sort: "updated" }, "xlsx");
    const url = new URL(href, "http://localhost");
    const parsed = exportResidentsQuerySchema.safeParse(Object.fromEntries(url.searchParams));
    expect(parsed.success).toBe(true);
    expect(parsed.data).toMatchObject({ format: "xlsx", q: "כהן", flags: ["lives_alone"] });
  });
});
