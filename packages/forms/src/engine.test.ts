import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { checkForm } from "./check.ts";
import { compileForm } from "./compile.ts";
import {
  addRepeatInstance,
  createAnswers,
  evaluateForm,
  finishAnswers,
  prepareSubmission,
  validateSubmission,
  type FieldState,
  type NodeState,
  type RepeatState,
} from "./engine.ts";
import {
  formDefinitionSchema,
  FORM_SCHEMA_VERSION,
  type ChoiceList,
  type FormDefinition,
  type FormNode,
} from "./model.ts";
import { importXlsform } from "./xlsform/import.ts";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "xlsform", "fixtures");
const NOW = new Date(2026, 10, 25, 9, 30, 0);

function makeForm(questions: FormNode[], choiceLists: ChoiceList[] = []): FormDefinition {
  return formDefinitionSchema.parse({
    schemaVersion: FORM_SCHEMA_VERSION,
    settings: { title: "Test", id: "test", defaultLanguage: "he", languages: ["he", "en"] },
    questions,
    choiceLists,
  });
}

const yesNo: ChoiceList = {
  name: "yes_no",
  choices: [
    { name: "yes", label: { he: "כן", en: "Yes" } },
    { name: "no", label: { he: "לא", en: "No" } },
  ],
};

/** Finds a node's state by path (e.g. ["visits", 1, "note"]). */
function stateAt(nodes: NodeState[], path: (string | number)[]): NodeState {
  const key = JSON.stringify(path);
  const search = (list: NodeState[]): NodeState | undefined => {
    for (const n of list) {
      if (JSON.stringify(n.path) === key) return n;
      const found =
        n.kind === "group"
          ? search(n.children)
          : n.kind === "repeat"
            ? search(n.instances.flatMap((i) => i.children))
            : undefined;
      if (found) return found;
    }
    return undefined;
  };
  const hit = search(nodes);
  if (!hit) throw new Error(`no state at ${key}`);
  return hit;
}
const field = (nodes: NodeState[], path: (string | number)[]) => stateAt(nodes, path) as FieldState;

describe("skip logic", () => {
  const form = makeForm(
    [
      {
        type: "select_one",
        name: "has_children",
        choiceList: "yes_no",
        label: { he: "ילדים?", en: "Children?" },
      },
      { type: "integer", name: "children", relevant: "${has_children} = 'yes'" },
      {
        type: "group",
        name: "school",
        relevant: "${children} > 0",
        children: [
          { type: "text", name: "school_name" },
          { type: "text", name: "school_bus", relevant: "${school_name} != ''" },
        ],
      },
    ],
    [yesNo],
  );

  it("shows a question only when its condition holds", () => {
    expect(field(evaluateForm(form, {}).nodes, ["children"]).relevant).toBe(false);
    expect(field(evaluateForm(form, { has_children: "yes" }).nodes, ["children"]).relevant).toBe(
      true,
    );
  });

  it("inherits a group's relevance and clears answers that are no longer relevant", () => {
    const answers = { has_children: "yes", children: 2, school_name: "Alon", school_bus: "7" };
    const on = evaluateForm(form, answers);
    expect(field(on.nodes, ["school_bus"]).relevant).toBe(true);
    expect(on.answers).toEqual(answers);

    const off = evaluateForm(form, { ...answers, has_children: "no" });
    expect(field(off.nodes, ["children"]).relevant).toBe(false);
    expect(stateAt(off.nodes, ["school"]).relevant).toBe(false);
    // The chain clears: children → the group → both questions inside it.
    expect(off.answers).toEqual({ has_children: "no" });
  });

  it("does not modify the answers it is given", () => {
    const answers = { has_children: "no", children: 2 };
    evaluateForm(form, answers);
    expect(answers).toEqual({ has_children: "no", children: 2 });
  });
});

describe("required", () => {
  const form = makeForm([
    {
      type: "text",
      name: "name",
      required: true,
      requiredMessage: { he: "חובה למלא שם", en: "Name, please" },
      label: { he: "שם", en: "Name" },
    },
    { type: "integer", name: "age", required: true },
    { type: "text", name: "guardian", required: "${age} < 18" },
    { type: "text", name: "hidden_one", required: true, relevant: "false()" },
  ]);

  it("reports missing answers with the form's message in the chosen language", () => {
    const issues = evaluateForm(form, {}, { language: "en" }).issues;
    expect(issues).toContainEqual({
      path: ["name"],
      code: "required",
      message: "Name, please",
      fromForm: true,
    });
    expect(issues).toContainEqual({
      path: ["age"],
      code: "required",
      message: "This question is required.",
      fromForm: false,
    });
    expect(evaluateForm(form, {}, { language: "he" }).issues[0]!.message).toBe("חובה למלא שם");
    // A language the form lacks falls back to its default language.
    expect(evaluateForm(form, {}, { language: "ar" }).issues[0]!.message).toBe("חובה למלא שם");
  });

  it("evaluates required expressions and ignores questions that are not relevant", () => {
    const adult = evaluateForm(form, { name: "Dana", age: 40 });
    expect(adult.valid).toBe(true);
    const minor = evaluateForm(form, { name: "Dana", age: 12 });
    expect(minor.issues.map((i) => i.path)).toEqual([["guardian"]]);
    expect(field(minor.nodes, ["guardian"]).required).toBe(true);
    expect(field(minor.nodes, ["hidden_one"]).required).toBe(false);
  });

  it("treats an empty selection as unanswered", () => {
    const f = makeForm(
      [{ type: "select_multiple", name: "pick", choiceList: "yes_no", required: true }],
      [yesNo],
    );
    expect(evaluateForm(f, { pick: [] }).issues.map((i) => i.code)).toEqual(["required"]);
    expect(evaluateForm(f, { pick: ["yes"] }).valid).toBe(true);
  });
});

describe("constraints", () => {
  const form = makeForm([
    { type: "text", name: "name" },
    {
      type: "integer",
      name: "age",
      constraint: ". >= 0 and . <= 120",
      constraintMessage: { en: "${name}, an age is between 0 and 120", he: "גיל בין 0 ל-120" },
    },
    { type: "date", name: "visit", constraint: ". <= today()" },
    { type: "text", name: "phone", constraint: "regex(., '^0\\d{8,9}$')" },
  ]);

  it("checks the answer through . and interpolates the message", () => {
    const state = evaluateForm(form, { name: "Dana", age: 130 }, { language: "en", now: NOW });
    expect(state.issues).toEqual([
      {
        path: ["age"],
        code: "constraint",
        message: "Dana, an age is between 0 and 120",
        fromForm: true,
      },
    ]);
    expect(evaluateForm(form, { age: 120 }).valid).toBe(true);
  });

  it("skips empty answers (a constraint never makes a question required)", () => {
    expect(evaluateForm(form, {}).valid).toBe(true);
  });

  it("compares dates and matches patterns", () => {
    const bad = evaluateForm(form, { visit: "2026-12-01", phone: "12345" }, { now: NOW });
    expect(bad.issues.map((i) => i.path[0])).toEqual(["visit", "phone"]);
    const good = evaluateForm(form, { visit: "2026-11-25", phone: "0501234567" }, { now: NOW });
    expect(good.valid).toBe(true);
  });
});

describe("calculations", () => {
  // Written in the opposite order of their dependencies: the engine orders them.
  const form = makeForm([
    {
      type: "calculate",
      name: "label_text",
      calculation: "concat(${first}, ' ', ${last}, ' (', ${total}, ')')",
    },
    { type: "calculate", name: "total", calculation: "${doubled} + ${extra}" },
    { type: "calculate", name: "doubled", calculation: "${base} * 2" },
    { type: "integer", name: "base" },
    { type: "decimal", name: "extra", default: "0.5" },
    { type: "text", name: "first" },
    { type: "text", name: "last" },
    { type: "integer", name: "rounded", calculation: "${total} div 2" },
    { type: "note", name: "summary", label: { en: "Total: ${total}" } },
  ]);

  it("computes a chain in dependency order", () => {
    const state = evaluateForm(
      form,
      { base: 4, extra: 0.5, first: "Dana", last: "Levi" },
      { language: "en" },
    );
    expect(state.answers).toMatchObject({
      doubled: 8,
      total: 8.5,
      label_text: "Dana Levi (8.5)",
      rounded: 4,
    });
    expect(field(state.nodes, ["summary"]).label).toBe("Total: 8.5");
    expect(field(state.nodes, ["rounded"]).readOnly).toBe(true);
    expect(field(state.nodes, ["doubled"]).hidden).toBe(true);
  });

  it("leaves a calculation empty when its inputs are (NaN is not stored)", () => {
    const state = evaluateForm(form, {});
    expect(state.answers).not.toHaveProperty("total");
    expect(state.answers.label_text).toBe("  ()");
  });

  it("orders dependencies first", () => {
    const names = compileForm(form).order.map((n) => n.name);
    expect(names.indexOf("doubled")).toBeLessThan(names.indexOf("total"));
    expect(names.indexOf("total")).toBeLessThan(names.indexOf("label_text"));
  });

  it("detects cycles, reports them and still terminates", () => {
    const cyclic = makeForm([
      { type: "calculate", name: "a", calculation: "${b} + 1" },
      { type: "calculate", name: "b", calculation: "${a} + 1" },
      { type: "integer", name: "c", relevant: "${c} > 0" },
    ]);
    expect(compileForm(cyclic).cycles).toEqual([["a", "b"], ["c"]]);
    expect(
      checkForm(cyclic)
        .filter((p) => p.code === "dependency_cycle")
        .map((p) => p.params.names),
    ).toEqual(["a, b", "c"]);
    expect(() => evaluateForm(cyclic, { c: 1 })).not.toThrow();
  });

  it("keeps a once() value", () => {
    const f = makeForm([
      { type: "integer", name: "n" },
      { type: "calculate", name: "first_n", calculation: "once(${n})" },
    ]);
    const first = evaluateForm(f, { n: 1 }).answers;
    expect(first.first_n).toBe("1");
    expect(evaluateForm(f, { ...first, n: 2 }).answers.first_n).toBe("1");
  });

  it("names choices with jr:choice-name in the chosen language", () => {
    const f = makeForm(
      [
        { type: "select_one", name: "ok", choiceList: "yes_no" },
        { type: "note", name: "echo", label: { en: "You said ${ok_label}" } },
        { type: "calculate", name: "ok_label", calculation: "jr:choice-name(${ok}, '${ok}')" },
      ],
      [yesNo],
    );
    expect(field(evaluateForm(f, { ok: "no" }, { language: "en" }).nodes, ["echo"]).label).toBe(
      "You said No",
    );
    expect(evaluateForm(f, { ok: "no" }, { language: "he" }).answers.ok_label).toBe("לא");
  });
});

describe("repeats", () => {
  const form = makeForm([
    { type: "text", name: "family" },
    {
      type: "repeat",
      name: "members",
      label: { en: "Members of ${family}" },
      children: [
        { type: "text", name: "member_name" },
        { type: "integer", name: "age" },
        { type: "calculate", name: "number", calculation: "position(..)" },
        { type: "note", name: "who", label: { en: "#${number}: ${member_name} (${family})" } },
        { type: "text", name: "school", relevant: "${age} < 18" },
      ],
    },
    { type: "calculate", name: "count", calculation: "count(${members})" },
    { type: "calculate", name: "total_age", calculation: "sum(${age})" },
    {
      type: "calculate",
      name: "second",
      calculation: "indexed-repeat(${member_name}, ${members}, 2)",
    },
  ]);
  const answers = {
    family: "Levi",
    members: [
      { member_name: "Dana", age: 40, school: "ignored" },
      { member_name: "Noa", age: 12, school: "Alon" },
    ],
  };

  it("evaluates references inside an instance against that instance", () => {
    const state = evaluateForm(form, answers, { language: "en" });
    expect(field(state.nodes, ["members", 1, "who"]).label).toBe("#2: Noa (Levi)");
    expect(field(state.nodes, ["members", 0, "school"]).relevant).toBe(false);
    expect(field(state.nodes, ["members", 1, "school"]).relevant).toBe(true);
    expect(state.answers.members).toEqual([
      { member_name: "Dana", age: 40, number: 1 },
      { member_name: "Noa", age: 12, school: "Alon", number: 2 },
    ]);
    const repeat = stateAt(state.nodes, ["members"]) as RepeatState;
    expect(repeat.label).toBe("Members of Levi");
    expect(repeat.instances.map((i) => i.path)).toEqual([
      ["members", 0],
      ["members", 1],
    ]);
  });

  it("aggregates over every instance from outside", () => {
    const state = evaluateForm(form, answers);
    expect(state.answers).toMatchObject({ count: 2, total_age: 52, second: "Noa" });
    expect(evaluateForm(form, { family: "x" }).answers).toMatchObject({ count: 0, total_age: 0 });
  });

  it("fixes the number of instances with repeat_count, with defaults in new ones", () => {
    const f = makeForm([
      { type: "integer", name: "rooms" },
      {
        type: "repeat",
        name: "room",
        repeatCount: "${rooms}",
        children: [
          { type: "integer", name: "beds", default: "1" },
          { type: "calculate", name: "room_no", calculation: "position(..)" },
        ],
      },
    ]);
    const three = evaluateForm(f, { rooms: 3, room: [{ beds: 4 }] });
    expect(three.answers.room).toEqual([
      { beds: 4, room_no: 1 },
      { beds: 1, room_no: 2 },
      { beds: 1, room_no: 3 },
    ]);
    expect((stateAt(three.nodes, ["room"]) as RepeatState).fixedCount).toBe(true);
    expect(evaluateForm(f, { ...three.answers, rooms: 1 }).answers.room).toEqual([
      { beds: 4, room_no: 1 },
    ]);
    expect(evaluateForm(f, { rooms: 0 }).answers).toEqual({ rooms: 0 });
  });

  it("adds an instance with its defaults", () => {
    const f = makeForm([
      {
        type: "repeat",
        name: "visits",
        children: [{ type: "date", name: "on", default: "today()" }],
      },
    ]);
    const once = addRepeatInstance(f, {}, ["visits"], { now: NOW });
    const twice = addRepeatInstance(f, once, ["visits"], { now: NOW });
    expect(twice).toEqual({ visits: [{ on: "2026-11-25" }, { on: "2026-11-25" }] });
    expect(once).toEqual({ visits: [{ on: "2026-11-25" }] });
    expect(() => addRepeatInstance(f, {}, ["nope"])).toThrow();
  });
});

describe("defaults and metadata", () => {
  const form = makeForm(
    [
      { type: "start", name: "started" },
      { type: "end", name: "ended" },
      { type: "today", name: "day" },
      { type: "text", name: "town", default: "Haifa" },
      { type: "select_multiple", name: "langs", choiceList: "l", default: "he ar" },
      { type: "date", name: "due", default: "date(today() + 7)" },
      { type: "integer", name: "n", default: "3" },
    ],
    [{ name: "l", choices: [{ name: "he" }, { name: "ar" }] }],
  );

  it("creates answers with defaults, start and today; end is stamped on finishing", () => {
    const answers = createAnswers(form, { now: NOW });
    expect(answers).toMatchObject({
      day: "2026-11-25",
      town: "Haifa",
      langs: ["he", "ar"],
      due: "2026-12-02",
      n: 3,
    });
    expect(answers.started).toMatch(/^2026-11-25T09:30:00\.000[+-]\d\d:\d\d$/);
    expect(answers).not.toHaveProperty("ended");
    const done = finishAnswers(form, answers, { now: new Date(2026, 10, 25, 10, 0, 0) });
    expect(done.ended).toMatch(/^2026-11-25T10:00:00\.000/);
    expect(validateSubmission(form, done, "en")).toEqual([]);
  });
});

describe("choice filters (choice_filter_test.xlsx)", () => {
  let form: FormDefinition;
  beforeAll(async () => {
    form = (await importXlsform(readFileSync(join(FIXTURES, "choice_filter_test.xlsx")))).form;
  });

  const names = (state: ReturnType<typeof evaluateForm>, q: string) =>
    field(state.nodes, [q]).choices?.map((c) => c.name);

  it("offers only the choices whose column matches the earlier answer", () => {
    expect(names(evaluateForm(form, {}), "state")).toEqual(["texas", "washington"]);
    expect(names(evaluateForm(form, {}), "county")).toEqual([]);
    const texas = evaluateForm(form, { state: "texas" });
    expect(names(texas, "county")).toEqual(["king", "cameron"]);
    const king = evaluateForm(form, { state: "washington", county: "king" });
    expect(names(king, "county")).toEqual(["king", "pierce"]);
    expect(names(king, "city")).toEqual(["dumont", "finney", "seattle", "redmond"]);
    expect(field(king.nodes, ["city"]).choices![0]).toEqual({ name: "dumont", label: "Dumont" });
  });

  it("refuses a choice the filter does not offer", () => {
    const issues = validateSubmission(form, { state: "texas", county: "pierce" });
    expect(issues).toEqual([
      expect.objectContaining({
        path: ["county"],
        code: "invalid_choice",
        params: { value: "pierce" },
      }),
    ]);
    expect(
      validateSubmission(form, { state: "texas", county: "cameron", city: "harlingen" }),
    ).toEqual([]);
  });
});

describe("a real field form (UCL_Biomass_Plot_Form.xlsx)", () => {
  let form: FormDefinition;
  beforeAll(async () => {
    form = (await importXlsform(readFileSync(join(FIXTURES, "UCL_Biomass_Plot_Form.xlsx")))).form;
  });
  const base = {
    leader_name: "Andrea",
    leader_number: "0501234567",
    plant_phase: "2023",
    canopy_cover: 40,
    center_point: { latitude: -6.1, longitude: 35.7 },
    monumented: "yes",
    slope: 20,
    any_trees: "yes",
    stumps_in_plot: "no",
    regen_in_subplot1: "no",
    regen_in_subplot2: "no",
    disturbance: ["burning", "grazing"],
  };

  it("computes the slope-corrected radii and shows them in the note", () => {
    const state = evaluateForm(form, base, { language: "en" });
    expect(state.answers).toMatchObject({ slope_radius: 15.15, slope_radius_inner: 5.05 });
    expect(field(state.nodes, ["note3"]).label).toBe(
      "The corrected full plot radius is 15.15 m. The corrected inner plot radius is 5.05 m.",
    );
    expect(field(evaluateForm(form, base, { language: "sw" }).nodes, ["note3"]).label).toMatch(
      /^Radius ya kupima/,
    );
  });

  it("runs nested repeats: stems per tree from stem_count, constraints from the tree's calculation", () => {
    const answers = {
      ...base,
      trees: [
        {
          tag: 7,
          tree_bearing: 90,
          tree_distance: 12.5,
          stem_count: 2,
          stems: [{ cbh: 250, health_id: "alive" }],
        },
        { tag: 8, tree_bearing: 10, tree_distance: 2, stem_count: 1 },
      ],
    };
    const state = evaluateForm(form, answers, { language: "en" });
    const trees = state.answers.trees as { size_constraint: number; stems: { tag_1: string }[] }[];
    expect(trees.map((t) => t.stems.length)).toEqual([2, 1]);
    expect(trees.map((t) => t.size_constraint)).toEqual([15, 6]);
    expect(trees[1]!.stems[0]!.tag_1).toBe("8");
    expect((stateAt(state.nodes, ["trees", 0, "stems"]) as RepeatState).label).toBe(
      "Stems of tree with tag number 7",
    );
    // The big stem needs its photo; the second stem of tree 7 is unanswered.
    expect(state.issues.map((i) => `${i.path.join(".")}:${i.code}`)).toEqual([
      "trees.0.stems.0.tree_photo:required",
      "trees.0.stems.1.cbh:required",
      "trees.0.stems.1.health_id:required",
      "trees.1.stems.0.cbh:required",
      "trees.1.stems.0.health_id:required",
    ]);
    const small = evaluateForm(
      form,
      { ...answers, trees: [{ ...answers.trees[0]!, stems: [{ cbh: 10 }, { cbh: 20 }] }] },
      { language: "en" },
    );
    expect(small.issues).toContainEqual({
      path: ["trees", 0, "stems", 0, "cbh"],
      code: "constraint",
      message: "Minimum circumference for this part of the plot is 15 cm.",
      fromForm: true,
    });
  });

  it("accepts the 'other' name only with the other choice (smart quotes in the sheet)", () => {
    expect(
      field(evaluateForm(form, { leader_name: "other" }).nodes, ["leader_name_other"]).relevant,
    ).toBe(true);
    expect(
      field(evaluateForm(form, { leader_name: "Aloyce" }).nodes, ["leader_name_other"]).relevant,
    ).toBe(false);
  });

  it("validates the phone pattern", () => {
    const issues = validateSubmission(form, { ...base, leader_number: "call me" }, "en");
    expect(issues).toContainEqual({
      path: ["leader_number"],
      code: "constraint",
      message: "10 digit phone number",
      fromForm: true,
    });
  });
});

describe("validateSubmission", () => {
  const form = makeForm(
    [
      { type: "text", name: "name", required: true },
      { type: "integer", name: "age" },
      { type: "decimal", name: "income" },
      { type: "select_one", name: "ok", choiceList: "yes_no" },
      { type: "select_multiple", name: "many", choiceList: "yes_no" },
      { type: "date", name: "born" },
      { type: "geopoint", name: "where" },
      { type: "image", name: "photo" },
      { type: "note", name: "hello", label: { en: "Hello" } },
      { type: "calculate", name: "double_age", calculation: "${age} * 2" },
      { type: "text", name: "why", relevant: "${ok} = 'no'" },
      {
        type: "repeat",
        name: "kids",
        children: [
          { type: "text", name: "kid", required: true },
          { type: "repeat", name: "toys", children: [{ type: "text", name: "toy" }] },
        ],
      },
      {
        type: "repeat",
        name: "fixed",
        repeatCount: "2",
        children: [{ type: "text", name: "slot" }],
      },
    ],
    [yesNo],
  );

  const valid = {
    name: "Dana",
    age: 30,
    income: 1234.5,
    ok: "yes",
    many: ["yes", "no"],
    born: "1996-02-29",
    where: { latitude: 32.8, longitude: 35, accuracy: 5 },
    photo: "0b7f5c2e-8a41-4f7e-9d3a-5e2b1c4d6f80",
    kids: [{ kid: "Noa", toys: [{ toy: "ball" }] }],
    fixed: [{ slot: "a" }, {}],
  };

  it("accepts a valid submission and returns what to store", () => {
    const { answers, issues } = prepareSubmission(
      form,
      { ...valid, why: "not relevant", hello: "x" },
      "en",
    );
    expect(issues).toEqual([]);
    expect(answers).toEqual({ ...valid, double_age: 60 });
  });

  it.each([
    [{ age: 1.5 }, ["age"], "integer"],
    [{ age: "30" }, ["age"], "integer"],
    [{ income: Number.NaN }, ["income"], "decimal"],
    [{ ok: true }, ["ok"], "select_one"],
    [{ many: "yes no" }, ["many"], "select_multiple"],
    [{ many: ["yes", "yes"] }, ["many"], "select_multiple"],
    [{ born: "1995-02-29" }, ["born"], "date"],
    [{ born: "29/02/1996" }, ["born"], "date"],
    [{ where: { latitude: 91, longitude: 0 } }, ["where"], "geopoint"],
    [{ where: "32.8 35" }, ["where"], "geopoint"],
    [{ photo: 7 }, ["photo"], "image"],
    // A photo answer is the uploaded photo's id, never a file name.
    [{ photo: "IMG_0042.jpg" }, ["photo"], "image"],
    [{ kids: { kid: "x" } }, ["kids"], "repeat"],
    [{ kids: [{ kid: "x", toys: [1] }] }, ["kids", 0, "toys"], "repeat"],
  ])("refuses a wrongly typed answer %j", (patch, path, expected) => {
    const issues = validateSubmission(form, { ...valid, ...patch });
    expect(issues).toEqual([
      expect.objectContaining({ path, code: "invalid_type", params: { expected } }),
    ]);
  });

  it("does not also call a wrongly typed required answer missing", () => {
    expect(validateSubmission(form, { ...valid, name: 5 }).map((i) => i.code)).toEqual([
      "invalid_type",
    ]);
  });

  it("refuses unknown names and choices outside the list", () => {
    const issues = validateSubmission(form, {
      ...valid,
      ok: "maybe",
      many: ["yes", "perhaps"],
      nickname: "D",
      kids: [{ kid: "Noa", shoe: 30 }],
    });
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      [["kids", 0, "shoe"], "unknown_field"],
      [["nickname"], "unknown_field"],
      [["ok"], "invalid_choice"],
      [["many"], "invalid_choice"],
    ]);
  });

  it("reports required answers inside repeats with their path", () => {
    const issues = validateSubmission(form, { ...valid, kids: [{ kid: "Noa" }, {}] });
    expect(issues).toEqual([
      {
        path: ["kids", 1, "kid"],
        code: "required",
        message: "This question is required.",
        fromForm: false,
      },
    ]);
  });

  it("reports more repeated entries than repeat_count allows (they would be lost)", () => {
    const issues = validateSubmission(form, {
      ...valid,
      fixed: [{ slot: "a" }, {}, { slot: "c" }],
    });
    expect(issues).toEqual([
      expect.objectContaining({
        path: ["fixed"],
        code: "repeat_count_mismatch",
        params: { submitted: 3, expected: 2 },
      }),
    ]);
    // Fewer is completed with empty entries: nothing is lost.
    const { answers, issues: none } = prepareSubmission(form, { ...valid, fixed: [{ slot: "a" }] });
    expect(none).toEqual([]);
    expect(answers.fixed).toEqual([{ slot: "a" }, {}]);
  });

  it("recomputes calculations rather than trusting the client", () => {
    const { answers } = prepareSubmission(form, { ...valid, double_age: 1 });
    expect(answers.double_age).toBe(60);
  });

  it("treats a non-object submission as empty", () => {
    expect(validateSubmission(form, [] as unknown as Record<string, unknown>)).toEqual([
      expect.objectContaining({ path: ["name"], code: "required" }),
    ]);
  });

  it("reports an expression that fails at run time (an invalid regex)", () => {
    const f = makeForm([{ type: "text", name: "t", constraint: "regex(., '(')" }]);
    expect(validateSubmission(f, { t: "x" })).toEqual([
      expect.objectContaining({
        path: ["t"],
        code: "expression_error",
        params: { property: "constraint", error: "invalid_regex" },
      }),
    ]);
  });
});
