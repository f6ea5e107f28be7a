import { describe, expect, it } from "vitest";
import {
  coordinateText,
  geopointFrom,
  issuesByPath,
  newAnswerId,
  parseCoordinate,
  parseDecimal,
  parseInteger,
  pathKey,
  readAt,
  removeRepeatInstance,
  serverIssuesOf,
  setAnswerAt,
} from "./runner-answers.ts";

describe("writing answers", () => {
  const answers = { name: "Dana", trees: [{ kind: "oak" }, { kind: "pine", stems: [{ cbh: 3 }] }] };

  it("sets a top-level answer and one inside nested repeats, without changing the input", () => {
    expect(setAnswerAt(answers, ["name"], "Rina").name).toBe("Rina");
    const deep = setAnswerAt(answers, ["trees", 1, "stems", 0, "cbh"], 5);
    expect(readAt(deep, ["trees", 1, "stems", 0, "cbh"])).toBe(5);
    expect(readAt(answers, ["trees", 1, "stems", 0, "cbh"])).toBe(3);
    expect(readAt(deep, ["trees", 0, "kind"])).toBe("oak");
  });

  it("removes an answer when the value is undefined", () => {
    expect(setAnswerAt(answers, ["name"], undefined)).not.toHaveProperty("name");
  });

  it("hands back the same answers when an instance on the way is missing", () => {
    expect(setAnswerAt(answers, ["trees", 5, "kind"], "x")).toBe(answers);
    expect(setAnswerAt(answers, ["trees", 1, "stems", 4, "cbh"], 1)).toBe(answers);
  });

  it("removes one repeat instance", () => {
    const next = removeRepeatInstance(answers, ["trees"], 0);
    expect(next.trees).toEqual([{ kind: "pine", stems: [{ cbh: 3 }] }]);
    expect(removeRepeatInstance(answers, ["nothing"], 0)).toBe(answers);
  });
});

describe("reading typed numbers", () => {
  it("reads whole numbers, in Arabic-Indic digits too", () => {
    expect(parseInteger("")).toBeUndefined();
    expect(parseInteger(" 42 ")).toBe(42);
    expect(parseInteger("-3")).toBe(-3);
    expect(parseInteger("١٢")).toBe(12);
    expect(parseInteger("1.5")).toBeNull();
    expect(parseInteger("abc")).toBeNull();
    expect(parseInteger("99999999999999999999")).toBeNull();
  });

  it("reads decimals with a point or a comma", () => {
    expect(parseDecimal("2,5")).toBe(2.5);
    expect(parseDecimal(".5")).toBe(0.5);
    expect(parseDecimal("3.")).toBe(3);
    expect(parseDecimal("1e5")).toBeNull();
    expect(parseDecimal("")).toBeUndefined();
  });

  it("reads coordinates within their range and says what is missing", () => {
    expect(parseCoordinate("91", 90)).toBeNull();
    expect(parseCoordinate("179.5", 180)).toBe(179.5);
    expect(geopointFrom("31.77", "35.21")).toEqual({
      value: { latitude: 31.77, longitude: 35.21 },
      problem: null,
    });
    expect(geopointFrom("", "")).toEqual({ value: undefined, problem: null });
    expect(geopointFrom("31.7", "").problem).toBe("incomplete");
    expect(geopointFrom("100", "35").problem).toBe("latitude");
    expect(geopointFrom("31", "x").problem).toBe("longitude");
    expect(coordinateText(31.123456789)).toBe("31.123457");
    expect(coordinateText(undefined)).toBe("");
  });
});

describe("issues", () => {
  it("groups issues by question and reads the server's form.answers_invalid details", () => {
    const issues = serverIssuesOf({
      issues: [
        { path: ["trees", 0, "kind"], code: "required", message: "This question is required." },
        { path: ["age"], code: "constraint", message: "Too old" },
        { nonsense: true },
      ],
    });
    expect(issues).toHaveLength(2);
    const grouped = issuesByPath(issues);
    expect(grouped.get(pathKey(["trees", 0, "kind"]))?.[0]?.code).toBe("required");
    expect(serverIssuesOf(undefined)).toEqual([]);
    expect(serverIssuesOf({ issues: "no" })).toEqual([]);
  });
});

describe("answer ids", () => {
  it("are version-4 UUIDs (the contract's z.uuid accepts them)", () => {
    const id = newAnswerId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newAnswerId()).not.toBe(id);
  });
});
