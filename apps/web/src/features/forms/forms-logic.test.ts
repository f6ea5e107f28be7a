import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import i18next, { type TFunction } from "i18next";
import { FORM_STATUSES, RESPONSE_CHANNELS } from "@kaveret/contracts";
import {
  FORM_PROBLEM_CODES,
  FORM_SCHEMA_VERSION,
  VALIDATION_CODES,
  formDefinitionSchema,
  type FormDefinition,
} from "@kaveret/forms";
import he from "./i18n/he.json";
import en from "./i18n/en.json";
import ar from "./i18n/ar.json";
import ru from "./i18n/ru.json";
import am from "./i18n/am.json";
import { liveProblems, readDefinition } from "./form-definition.ts";
import { typeKey } from "./form-labels.ts";
import {
  answerLocale,
  languageDirection,
  languageName,
  pickFormLanguage,
} from "./form-languages.ts";
import {
  importReportText,
  problemText,
  problemsByName,
  problemsOfDetails,
} from "./form-problems.ts";
import {
  ANSWER_CHANNELS,
  FORM_LIST_STATUSES,
  parseFormSearch,
  parseFormsSearch,
} from "./forms-search.ts";
import { xlsformFileProblem } from "./import-dialog.tsx";
import { percent } from "./analysis-panel.tsx";
import { answerColumns, displayAnswer, needDescription, truncate } from "./response-text.ts";
import { BUILDER_FIELD_TYPES } from "./builder-tree.ts";
import { relabelAnalysis } from "./analysis-labels.ts";

function form(): FormDefinition {
  return formDefinitionSchema.parse({
    schemaVersion: FORM_SCHEMA_VERSION,
    settings: {
      title: "Needs survey",
      id: "needs",
      defaultLanguage: "he",
      languages: ["he", "en"],
    },
    questions: [
      { type: "start", name: "started" },
      { type: "note", name: "intro", label: { en: "Welcome" } },
      {
        type: "group",
        name: "household",
        label: { en: "Household" },
        children: [
          { type: "integer", name: "people", label: { he: "כמה אנשים", en: "How many people" } },
          { type: "select_multiple", name: "needs", choiceList: "needs", label: { en: "Needs" } },
        ],
      },
      { type: "date", name: "moved", label: { en: "Moved in" } },
      { type: "geopoint", name: "where", label: { en: "Where" } },
      {
        type: "repeat",
        name: "children",
        label: { en: "Children" },
        children: [{ type: "integer", name: "age", label: { en: "Age" } }],
      },
      { type: "calculate", name: "hidden_calc", calculation: "1 + 1" },
    ],
    choiceLists: [
      {
        name: "needs",
        choices: [
          { name: "food", label: { he: "מזון", en: "Food" } },
          { name: "rent", label: { en: "Rent" } },
        ],
      },
    ],
  });
}

const entries = (n: number) => `${n} entries`;

describe("answers in words", () => {
  it("makes a column of each question outside repeats, groups being transparent", () => {
    expect(answerColumns(form(), "en").map((c) => c.name)).toEqual([
      "people",
      "needs",
      "moved",
      "where",
      "children",
    ]);
    expect(answerColumns(form(), "he")[0]?.label).toBe("כמה אנשים");
    // A label missing in the language falls back to the default one, then to any.
    expect(answerColumns(form(), "he")[1]?.label).toBe("Needs");
  });

  it("shows choices by label, dates in Israeli order, points and repeats", () => {
    const def = form();
    const col = (name: string) => answerColumns(def, "he").find((c) => c.name === name)!.node;
    const o = { language: "he", entries };
    expect(displayAnswer(def, col("needs"), ["food", "rent"], o)).toBe("מזון, Rent");
    expect(displayAnswer(def, col("moved"), "2026-03-09", o)).toBe("09.03.2026");
    expect(displayAnswer(def, col("where"), { latitude: 31.7767, longitude: 35.2345 }, o)).toBe(
      "31.77670, 35.23450",
    );
    expect(displayAnswer(def, col("children"), [{ age: 3 }, { age: 5 }], o)).toBe("2 entries");
    expect(displayAnswer(def, col("people"), 4, o)).toBe("4");
    expect(displayAnswer(def, col("people"), undefined, o)).toBe("");
  });

  it("cuts long cells on one line", () => {
    expect(truncate("a  b\nc")).toBe("a b c");
    expect(truncate("x".repeat(100), 10)).toBe(`${"x".repeat(9)}…`);
  });

  it("starts a need's description with the answered questions", () => {
    const text = needDescription(
      form(),
      { people: 4, needs: ["food"] },
      { language: "en", entries, title: "From the survey:" },
    );
    expect(text).toBe("From the survey:\nHow many people: 4\nNeeds: Food");
    expect(
      needDescription(form(), { people: 4 }, { language: "en", entries }, 10).length,
    ).toBeLessThanOrEqual(10);
  });
});

describe("live problems", () => {
  it("reads a definition or says it cannot", () => {
    expect(readDefinition(form())).not.toBeNull();
    expect(readDefinition({ schemaVersion: 99 })).toBeNull();
  });

  it("finds checkForm's problems and the two the server adds on opening", () => {
    const def = form();
    def.questions.push({ type: "text", name: "bad", relevant: "${nowhere} = 1" });
    def.choiceLists.push({ name: "empty", choices: [] });
    def.questions.push({ type: "select_one", name: "pick", choiceList: "empty" });
    def.questions.push({ type: "integer", name: "broken", constraint: ". >" });
    const problems = liveProblems(def);
    const codes = problems.map((p) => `${p.level}:${p.code}:${p.name}`);
    expect(codes).toContain("warning:unknown_reference:bad");
    expect(codes).toContain("warning:no_choices:pick");
    expect(codes).toContain("error:invalid_expression:broken");
    // Errors come first.
    expect(problems[0]?.level).toBe("error");
    expect(problemsByName(problems).get("broken")?.[0]?.property).toBe("constraint");
  });

  it("says when the form has no questions, and names the node of a structural problem", () => {
    const empty = { ...form(), questions: [] };
    expect(liveProblems(empty).map((p) => p.code)).toEqual(["no_questions"]);
    const broken = form();
    (broken.questions[3] as { name: string }).name = "2 bad";
    const p = liveProblems(broken);
    expect(p[0]).toMatchObject({ code: "invalid_definition", name: "2 bad", property: "name" });
  });
});

describe("problem sentences", () => {
  const t = (async () => {
    const i = i18next.createInstance();
    await i.init({
      lng: "en",
      resources: { en: { translation: en } },
      interpolation: { escapeValue: false },
    });
    return i.t.bind(i) as TFunction;
  })();

  it("translates codes with their params and never prints a raw placeholder", async () => {
    const tt = await t;
    expect(
      problemText(tt, {
        level: "warning",
        code: "unknown_reference",
        message: "x",
        params: { reference: "age", property: "relevant" },
      }),
    ).toBe("“Show only when” refers to “age”, which is not a question of this form.");
    const text = importReportText(tt, {
      level: "error",
      code: "duplicate_name",
      message: "x",
      params: { name: "q" },
    });
    expect(text).not.toContain("{{");
    expect(
      importReportText(tt, {
        level: "warning",
        code: "something_new",
        message: "English fallback",
      }),
    ).toBe("English fallback");
  });

  it("reads refused problems from a form.invalid_definition error", () => {
    expect(
      problemsOfDetails({
        problems: [{ level: "error", code: "dependency_cycle", message: "m" }, 3],
      }),
    ).toHaveLength(1);
    expect(problemsOfDetails(null)).toEqual([]);
  });
});

describe("vocabularies kept in step", () => {
  type Tree = { [k: string]: string | Tree };
  const at = (tree: Tree, path: string): unknown =>
    path.split(".").reduce<unknown>((n, k) => (n as Tree | undefined)?.[k], tree);

  it("the URL's statuses and channels are the contract's", () => {
    expect([...FORM_LIST_STATUSES]).toEqual([...FORM_STATUSES]);
    expect([...ANSWER_CHANNELS]).toEqual([...RESPONSE_CHANNELS]);
  });

  it("every checkForm code, question type and answer check has a sentence", () => {
    for (const lang of [he, en, ar] as Tree[]) {
      for (const code of FORM_PROBLEM_CODES)
        expect(at(lang, `forms.problem.${code}`)).toBeTypeOf("string");
      for (const type of [...BUILDER_FIELD_TYPES, "start", "end", "today", "group", "repeat"])
        expect(at(lang, typeKey(type))).toBeTypeOf("string");
    }
    for (const lang of [he, en, ar, ru, am] as Tree[])
      for (const code of VALIDATION_CODES)
        expect(at(lang, `formRunner.issue.${code}`), code).toBeTypeOf("string");
  });

  it("every XLSForm report and refusal code has a sentence (read from the package's source, never imported)", () => {
    const source = readFileSync(
      new URL("../../../../../packages/forms/src/xlsform/report.ts", import.meta.url),
      "utf8",
    );
    const list = (name: string) => {
      const body = new RegExp(`${name} = \\[([\\s\\S]*?)\\] as const`).exec(source)?.[1] ?? "";
      return [...body.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]!);
    };
    const report = list("XLSFORM_REPORT_CODES");
    const refusals = list("XLSFORM_ERROR_CODES");
    expect(report.length).toBeGreaterThan(30);
    expect(refusals.length).toBeGreaterThan(5);
    for (const lang of [he, en, ar] as Tree[]) {
      for (const code of report)
        expect(at(lang, `forms.xlsform.${code}`), code).toBeTypeOf("string");
      for (const code of refusals)
        expect(at(lang, `forms.xlsformError.${code}`), code).toBeTypeOf("string");
    }
  });
});

describe("search params", () => {
  it("keeps only known values", () => {
    expect(parseFormsSearch({ q: "  food ", status: "open", page: "3" })).toEqual({
      q: "food",
      status: "open",
      page: 3,
    });
    expect(parseFormsSearch({ status: "deleted", page: "1" })).toEqual({});
    expect(
      parseFormSearch({
        tab: "analysis",
        channel: "paper",
        communityId: "53AFF1CB-2D14-4A23-82B0-9505521FE788",
        crossBy: "needs",
      }),
    ).toEqual({
      tab: "analysis",
      channel: "paper",
      communityId: "53aff1cb-2d14-4a23-82b0-9505521fe788",
      crossBy: "needs",
    });
    expect(parseFormSearch({ tab: "questions", channel: "fax", crossBy: "1 or 1" })).toEqual({});
  });
});

describe("languages", () => {
  it("writes Hebrew and Arabic right to left, names languages in themselves", () => {
    expect(languageDirection("he")).toBe("rtl");
    expect(languageDirection("ar-IL")).toBe("rtl");
    expect(languageDirection("am")).toBe("ltr");
    expect(languageName("ru")).toBe("Русский");
    expect(languageName("fr", { languageNames: { fr: "Français" } })).toBe("Français");
    expect(languageName("default")).toBe("default");
  });

  it("opens a form in the wanted language it has, else its default", () => {
    const s = { languages: ["he", "ar", "en"], defaultLanguage: "he" };
    expect(pickFormLanguage(s, [undefined, "en-US"])).toBe("en");
    expect(pickFormLanguage(s, ["ru", "am"])).toBe("he");
    expect(pickFormLanguage({ languages: ["en"], defaultLanguage: "xx" }, [])).toBe("en");
    expect(answerLocale("fr", "ar")).toBe("ar");
    expect(answerLocale("am", "he")).toBe("am");
  });
});

describe("small rules", () => {
  it("accepts only .xlsx files up to 5 MB for import", () => {
    expect(xlsformFileProblem({ name: "a.XLSX", size: 10 })).toBeNull();
    expect(xlsformFileProblem({ name: "a.xls", size: 10 })).toBe("type");
    expect(xlsformFileProblem({ name: "a.xlsx", size: 6 * 1024 * 1024 })).toBe("size");
  });

  it("rounds percentages and survives an empty total", () => {
    expect(percent(1, 3)).toBe(33);
    expect(percent(2, 0)).toBe(0);
  });
});

describe("analysis labels", () => {
  it("reads question and choice labels again in the reader's language", () => {
    const def = form();
    const [q] = relabelAnalysis(
      [
        {
          name: "needs",
          type: "select_multiple",
          label: "Needs",
          answered: 2,
          counts: [
            { value: "food", label: "Food", count: 2 },
            { value: "gone", label: "Gone", count: 1 },
          ],
          cross: {
            columns: [{ value: "food", label: "Food" }],
            rows: [{ value: "rent", label: "Rent", counts: [1] }],
          },
        },
      ],
      def,
      "he",
      "needs",
    );
    expect(q?.counts?.map((c) => c.label)).toEqual(["מזון", "Gone"]);
    expect(q?.cross?.columns[0]?.label).toBe("מזון");
    // No Hebrew label: the default language's (Hebrew) is missing too, so any text.
    expect(q?.cross?.rows[0]?.label).toBe("Rent");
  });
});
