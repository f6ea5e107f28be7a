import { describe, expect, it } from "vitest";
import { nameIn } from "@kaveret/contracts";
import { namesBody, namesProblems, namesValues, problemsFrom } from "./department-names-form.ts";

const saved = { ar: "قسم الخدمات الاجتماعية", en: "Social Services" };

describe("the department's names card", () => {
  it("starts from the saved names, empty where there is none", () => {
    expect(namesValues(saved)).toEqual({ ar: saved.ar, en: saved.en, ru: "", am: "" });
    expect(namesValues(undefined)).toEqual({ ar: "", en: "", ru: "", am: "" });
  });

  it("sends only the names that changed, trimmed; an emptied name clears it", () => {
    const values = { ar: saved.ar, en: "", ru: "  Отдел  ", am: "" };
    expect(namesBody(values, saved)).toEqual({ altNames: { en: "", ru: "Отдел" } });
    expect(namesBody({ ...namesValues(saved), ar: ` ${saved.ar} ` }, saved)).toBeNull();
  });

  it("finds names too long or with control characters, after trimming", () => {
    const ok = { ar: "", en: `  ${"x".repeat(200)}  `, ru: "", am: "" };
    expect(namesProblems(ok)).toEqual({});
    expect(
      namesProblems({ ar: "ق".repeat(201), en: "a\u202eb", ru: "line\nbreak", am: "ok" }),
    ).toEqual({
      ar: "departmentNames.errors.tooLong",
      en: "departmentNames.errors.characters",
      ru: "departmentNames.errors.characters",
    });
  });

  it("reads the server's field paths (body.altNames.<language>)", () => {
    expect(
      problemsFrom([
        { path: ["body", "altNames", "am"], code: "too_big" },
        { path: ["body", "altNames"], code: "unrecognized_keys" },
      ]),
    ).toEqual({ am: "departmentNames.errors.tooLong" });
  });

  it("public pages pick the name in their language, else the Hebrew one", () => {
    const dept = { name: "המחלקה", names: { ar: "القسم", ru: "  " } };
    expect(nameIn(dept, "ar")).toBe("القسم");
    expect(nameIn(dept, "ru")).toBe("המחלקה");
    expect(nameIn(dept, "am")).toBe("המחלקה");
    expect(nameIn({ name: "המחלקה" }, "en")).toBe("המחלקה");
  });
});
