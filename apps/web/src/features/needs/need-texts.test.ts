import { beforeAll, describe, expect, it } from "vitest";
import i18next, { type TFunction } from "i18next";
import type { NeedEvent } from "@kaveret/contracts";
import enMain from "../../i18n/en.json";
import { mergeBundles } from "../../i18n/merge.ts";
import enNeeds from "./i18n/en.json";
import { eventSentence, splitEvents } from "./need-events.ts";
import { activeCategories, categoryName, distanceLabel, excerpt } from "./need-labels.ts";

let t: TFunction;
beforeAll(async () => {
  const i18n = i18next.createInstance();
  await i18n.init({
    lng: "en",
    resources: { en: { translation: mergeBundles(enMain, [enNeeds]) } },
    interpolation: { escapeValue: false },
  });
  t = i18n.t;
});

const labels = (he: string, en = "") => ({ he, ar: "", en, ru: "", am: "" });
const cats = [
  {
    code: "food",
    labels: labels("מזון", "Food and groceries"),
    active: true,
    builtIn: true,
    sortOrder: 20,
    openCount: 3,
  },
  {
    code: "digital",
    labels: labels("אוריינות דיגיטלית"),
    active: true,
    builtIn: false,
    sortOrder: 10,
    openCount: 0,
  },
  { code: "old", labels: labels("ישן"), active: false, builtIn: false, sortOrder: 5, openCount: 0 },
];

describe("category names", () => {
  it("prefers the department's label in the reader's language", () => {
    expect(categoryName(t, "food", cats, "en")).toBe("Food and groceries");
  });
  it("falls back to the built-in name, then the Hebrew label, then the code", () => {
    expect(categoryName(t, "housing", cats, "en")).toBe("Housing");
    expect(categoryName(t, "digital", cats, "en")).toBe("אוריינות דיגיטלית");
    expect(categoryName(t, "unknown_code", undefined, "en")).toBe("unknown_code");
    expect(categoryName(t, null, cats, "en")).toBe("Not categorized");
  });
  it("lists active categories in the department's order", () => {
    expect(activeCategories(cats).map((c) => c.code)).toEqual(["digital", "food"]);
  });
});

describe("short texts", () => {
  it("cuts long descriptions at a word, with an ellipsis", () => {
    expect(excerpt("short  text\nhere")).toBe("short text here");
    const cut = excerpt("word ".repeat(60), 40);
    expect(cut.endsWith("…")).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(41);
    expect(cut).not.toMatch(/wor…$/);
  });
  it("says distances as people do", () => {
    expect(distanceLabel(t, 83.4)).toBe("83 m away");
    expect(distanceLabel(t, 1234)).toBe("1.2 km away");
    expect(distanceLabel(t, null)).toBeNull();
  });
});

const ev = (p: Partial<NeedEvent> & Pick<NeedEvent, "kind" | "at">): NeedEvent => ({
  id: crypto.randomUUID(),
  actor: null,
  from: null,
  to: null,
  fromName: null,
  toName: null,
  text: null,
  ...p,
});

describe("history", () => {
  const nameOf = (c: string | null) => categoryName(t, c, cats, "en");
  const names = { category: nameOf };
  /** The sentence without its bidi isolates (checked on their own below). */
  const sentence = (e: NeedEvent) => eventSentence(t, e, names).replace(/[\u2068\u2069]/g, "");
  it("translates statuses, urgencies and categories in the sentence", () => {
    expect(sentence(ev({ kind: "status", at: "1", from: "new", to: "in_progress" }))).toBe(
      "Status: New → In progress",
    );
    expect(sentence(ev({ kind: "urgency", at: "1", from: "normal", to: "critical" }))).toBe(
      "Urgency: Normal → Critical",
    );
    expect(sentence(ev({ kind: "category", at: "1", from: null, to: "food" }))).toBe(
      "Category: none → Food and groceries",
    );
    expect(sentence(ev({ kind: "assigned", at: "1", to: "u1", toName: "Dana" }))).toBe(
      "Assigned to Dana",
    );
    expect(sentence(ev({ kind: "assigned", at: "1", from: "u1" }))).toBe(
      "The assignment was removed",
    );
    expect(sentence(ev({ kind: "merged_from", at: "1", from: "N-7" }))).toBe(
      "Need N-7 was merged into this one",
    );
  });

  it("says which channel a need came in by", () => {
    expect(sentence(ev({ kind: "created", at: "1", to: "widget" }))).toBe(
      "Received (Municipal site widget)",
    );
    expect(sentence(ev({ kind: "created", at: "1" }))).toBe("The need was received");
  });

  it("names people, communities and residents as the server named them, never showing a raw id", () => {
    const id = "0b7f3c2e-5d1a-4c1e-9a55-2f1f7d9e8a10";
    expect(sentence(ev({ kind: "assigned", at: "1", to: "u9" }))).toBe("Assigned to someone");
    expect(
      sentence(ev({ kind: "community", at: "1", from: null, to: id, toName: "Neve Shalom" })),
    ).toBe("Community: none → Neve Shalom");
    expect(sentence(ev({ kind: "community", at: "1", from: id, to: "x" }))).toBe(
      "Community: another community → another community",
    );
    // A resident's name only when the server gave it (the reader may see them).
    expect(sentence(ev({ kind: "resident", at: "1", to: id, toName: "Naomi Barak" }))).toBe(
      "Linked to Naomi Barak",
    );
    expect(sentence(ev({ kind: "resident", at: "1", to: id }))).toBe("Linked to a resident");
    expect(sentence(ev({ kind: "resident", at: "1", from: id, fromName: "Naomi Barak" }))).toBe(
      "The link to Naomi Barak was removed",
    );
    for (const kind of ["assigned", "community", "resident"] as const) {
      expect(sentence(ev({ kind, at: "1", from: id, to: id }))).not.toContain(id);
    }
  });

  it("isolates names, so a Hebrew name keeps its place in an English sentence", () => {
    const e = ev({
      kind: "community",
      at: "1",
      from: "a",
      to: "b",
      fromName: "אל-נור",
      toName: "נווה שלום",
    });
    expect(eventSentence(t, e, names)).toBe(
      "Community: \u2068אל-נור\u2069 → \u2068נווה שלום\u2069",
    );
  });

  it("says which detail was edited", () => {
    expect(sentence(ev({ kind: "edited", at: "1", to: "location" }))).toBe(
      "The location was changed",
    );
    expect(sentence(ev({ kind: "edited", at: "1", to: "not_spam" }))).toBe("Released: not spam");
    expect(sentence(ev({ kind: "edited", at: "1", to: "something_new" }))).toBe(
      "Details were edited",
    );
  });

  it("threads comments oldest first and lists the rest newest first", () => {
    const events = [
      ev({ kind: "created", at: "2026-01-01T08:00:00Z" }),
      ev({ kind: "comment", at: "2026-01-01T10:00:00Z", text: "second" }),
      ev({ kind: "comment", at: "2026-01-01T09:00:00Z", text: "first" }),
      ev({ kind: "status", at: "2026-01-02T08:00:00Z", from: "new", to: "triaged" }),
    ];
    const { comments, history } = splitEvents(events);
    expect(comments.map((c) => c.text)).toEqual(["first", "second"]);
    expect(history.map((h) => h.kind)).toEqual(["status", "created"]);
  });
});
