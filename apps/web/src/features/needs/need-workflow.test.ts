import { describe, expect, it } from "vitest";
import { NEED_STATUSES, NEED_TRANSITIONS, bulkNeedsBodySchema } from "@kaveret/contracts";
import { mergePair } from "./need-merge.ts";
import {
  UNASSIGN,
  bulkBody,
  bulkStatusOptions,
  canMove,
  confidencePercent,
  highlightDrivers,
  needsReason,
  nextStatuses,
  offersSuggestion,
  transitionProblem,
  urgencyRank,
} from "./need-workflow.ts";

const A = "6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5";
const B = "7a2b3c4d-5e6f-4a7b-9c8d-9eafb0c1d2e3";

describe("status workflow", () => {
  it("offers exactly the contract's moves", () => {
    for (const s of NEED_STATUSES) expect(nextStatuses(s)).toEqual(NEED_TRANSITIONS[s]);
    expect(canMove("new", "triaged")).toBe(true);
    expect(canMove("closed", "resolved")).toBe(false);
    expect(canMove("resolved", "closed")).toBe(false);
  });

  it("asks why only when closing or referring", () => {
    expect(NEED_STATUSES.filter(needsReason)).toEqual(["referred", "closed"]);
    expect(transitionProblem("new", "closed", "  ")).toBe("needs.triage.reasonRequired");
    expect(transitionProblem("new", "closed", "duplicate of a phone report")).toBeNull();
    expect(transitionProblem("in_progress", "resolved", "")).toBeNull();
    expect(transitionProblem("closed", "resolved", "x")).toBe("needs.triage.notAllowed");
  });

  it("offers in bulk every status some chosen need may move to, in workflow order", () => {
    expect(bulkStatusOptions(["closed"])).toEqual(["triaged"]);
    expect(bulkStatusOptions(["resolved", "closed"])).toEqual(["triaged", "in_progress"]);
    expect(bulkStatusOptions([])).toEqual([]);
  });

  it("ranks urgency from low to critical", () => {
    expect(urgencyRank("low")).toBeLessThan(urgencyRank("normal"));
    expect(urgencyRank("high")).toBeLessThan(urgencyRank("critical"));
  });
});

describe("bulk changes", () => {
  it("builds bodies the server's schema accepts", () => {
    const ids = [A, B];
    for (const [action, value, reason] of [
      ["assign", "user-1", ""],
      ["assign", UNASSIGN, ""],
      ["status", "closed", "handled by the municipal call centre"],
      ["status", "in_progress", ""],
      ["urgency", "critical", ""],
      ["category", "food", ""],
    ] as const) {
      const body = bulkBody(action, ids, value, reason);
      expect(body, `${action}=${value}`).not.toBeNull();
      expect(bulkNeedsBodySchema.safeParse(body).success, `${action}=${value}`).toBe(true);
    }
    expect(bulkBody("assign", ids, UNASSIGN, "")).toEqual({ ids, assigneeId: null });
  });

  it("holds back an incomplete change (no value, no reason for closing)", () => {
    expect(bulkBody("urgency", [A], "", "")).toBeNull();
    expect(bulkBody("status", [A], "referred", "   ")).toBeNull();
    expect(bulkBody("status", [], "triaged", "")).toBeNull();
  });
});

describe("model suggestions", () => {
  it("offers a suggestion only when it differs from what is set", () => {
    expect(offersSuggestion(null, "food")).toBe(true);
    expect(offersSuggestion("food", "food")).toBe(false);
    expect(offersSuggestion("food", null)).toBe(false);
  });

  it("shows confidence as a whole percentage", () => {
    expect(confidencePercent(0.834)).toBe(83);
    expect(confidencePercent(1.2)).toBe(100);
    expect(confidencePercent(null)).toBeNull();
  });

  it("marks every occurrence of the driving words, longest first, any case", () => {
    const parts = highlightDrivers("No food at home. Food bank closed; FOOD needed", [
      "food",
      "food bank",
    ]);
    expect(parts.filter((p) => p.hit).map((p) => p.text)).toEqual(["food", "Food bank", "FOOD"]);
    expect(parts.map((p) => p.text).join("")).toBe(
      "No food at home. Food bank closed; FOOD needed",
    );
  });

  it("marks Hebrew and Arabic words and is safe with regex characters", () => {
    const he = highlightDrivers("אין אוכל במקרר (דחוף)", ["אוכל", "(דחוף)"]);
    expect(he.filter((p) => p.hit).map((p) => p.text)).toEqual(["אוכל", "(דחוף)"]);
    const ar = highlightDrivers("لا يوجد طعام", ["طعام"]);
    expect(ar).toEqual([
      { text: "لا يوجد ", hit: false },
      { text: "طعام", hit: true },
    ]);
    expect(highlightDrivers("text", [])).toEqual([{ text: "text", hit: false }]);
    expect(highlightDrivers("", ["x"])).toEqual([]);
  });
});

describe("merge", () => {
  it("keeps the chosen need and folds the other into it", () => {
    const here = { id: A, reference: "N-1" };
    const there = { id: B, reference: "N-2" };
    expect(mergePair("this", here, there)).toEqual({ survivor: here, duplicate: there });
    expect(mergePair("other", here, there)).toEqual({ survivor: there, duplicate: here });
  });
});
