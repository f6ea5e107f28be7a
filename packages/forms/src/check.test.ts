import { describe, expect, it } from "vitest";
import { checkForm } from "./check.ts";
import {
  formDefinitionSchema,
  FORM_SCHEMA_VERSION,
  type FormDefinition,
  type FormNode,
} from "./model.ts";

const makeForm = (questions: FormNode[], extra: Partial<FormDefinition> = {}): FormDefinition => ({
  schemaVersion: FORM_SCHEMA_VERSION,
  settings: { title: "T", id: "t", defaultLanguage: "he", languages: ["he"] },
  questions,
  choiceLists: [{ name: "yn", choices: [{ name: "y", label: { he: "כן" } }] }],
  ...extra,
});

const codes = (form: FormDefinition) =>
  checkForm(form).map((p) => `${p.level} ${p.code} ${p.name ?? "-"}`);

describe("checkForm", () => {
  it("finds nothing wrong with a sound form", () => {
    const form = makeForm([
      { type: "select_one", name: "a", choiceList: "yn", label: { he: "א" } },
      { type: "text", name: "b", relevant: "${a} = 'y'", label: { he: "ב ${a}" } },
      {
        type: "group",
        name: "g",
        children: [{ type: "calculate", name: "c", calculation: "concat(${b}, '!')" }],
      },
    ]);
    expect(checkForm(form)).toEqual([]);
  });

  it("reports every whole-form problem with its question", () => {
    const form = makeForm(
      [
        { type: "text", name: "dup" },
        { type: "integer", name: "dup" },
        { type: "text", name: "bad", relevant: "pulldata('a', 'b', 'c', 'd')", constraint: ". >" },
        {
          type: "text",
          name: "lost",
          relevant: "${nobody} = 1",
          hint: { he: "${ghost}", fr: "x" },
        },
        { type: "select_one", name: "s1" },
        { type: "select_multiple", name: "s2", choiceList: "nolist" },
        { type: "calculate", name: "empty_calc" },
        { type: "group", name: "hollow", children: [] },
        { type: "calculate", name: "x", calculation: "${y}" },
        { type: "calculate", name: "y", calculation: "${x}" },
      ],
      {
        settings: {
          title: "T",
          id: "t",
          defaultLanguage: "ar",
          languages: ["he"],
          instanceName: "concat(${missing}, 'x')",
        },
      },
    );
    expect(formDefinitionSchema.safeParse(form).success).toBe(true);
    expect(codes(form)).toEqual([
      "error duplicate_name dup",
      "error unsupported_function bad",
      "error invalid_expression bad",
      "warning unknown_reference lost",
      "warning unknown_reference lost",
      "error missing_choice_list s1",
      "error unknown_choice_list s2",
      "warning missing_calculation empty_calc",
      "warning empty_container hollow",
      "warning unknown_language -",
      "error unknown_language -",
      "warning unknown_reference -",
      "error dependency_cycle x",
    ]);
    const problems = checkForm(form);
    expect(problems[1]!.params).toMatchObject({ functions: "pulldata", property: "relevant" });
    expect(problems[3]!.params).toEqual({ reference: "nobody", property: "relevant" });
    expect(problems[4]!.params).toEqual({ reference: "ghost", property: "hint" });
    expect(problems[9]!.params).toEqual({ language: "fr" });
    expect(problems[12]!.params).toEqual({ names: "x, y" });
  });

  it("only allows bare names (choice columns) in choice filters", () => {
    const ok = makeForm([
      { type: "select_one", name: "s", choiceList: "yn", choiceFilter: "cf = 'x'" },
    ]);
    expect(checkForm(ok)).toEqual([]);
    const bad = makeForm([{ type: "text", name: "t", relevant: "cf = 'x'" }]);
    expect(codes(bad)).toEqual(["error unsupported_syntax t"]);
  });
});
