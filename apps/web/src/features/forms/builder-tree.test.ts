import { describe, expect, it } from "vitest";
import {
  FORM_SCHEMA_VERSION,
  checkForm,
  formDefinitionSchema,
  type FormDefinition,
} from "@kaveret/forms";
import {
  addChoice,
  addLanguage,
  addNode,
  changeType,
  choiceNameProblem,
  duplicateNode,
  listUsage,
  moveChoice,
  moveNode,
  movesOf,
  nameProblem,
  nextChoiceName,
  nodeAt,
  outline,
  pathsByName,
  removeLanguage,
  removeNode,
  renameNode,
  setLocalized,
  setQuestionList,
  slugifyName,
  uniqueName,
  updateNode,
} from "./builder-tree.ts";

function form(): FormDefinition {
  return formDefinitionSchema.parse({
    schemaVersion: FORM_SCHEMA_VERSION,
    settings: {
      title: "Survey",
      id: "survey",
      defaultLanguage: "he",
      languages: ["he", "en"],
      instanceName: "concat(${name}, '-', ${age})",
    },
    questions: [
      { type: "text", name: "name", label: { he: "שם", en: "Name" } },
      { type: "integer", name: "age", label: { he: "גיל", en: "Age" } },
      {
        type: "group",
        name: "home",
        label: { en: "Home" },
        relevant: "${age} >= 18",
        children: [
          { type: "select_one", name: "tenure", choiceList: "tenure", label: { en: "Own?" } },
          {
            type: "text",
            name: "landlord",
            relevant: "${tenure} = 'rent'",
            hint: { en: "Hello ${name}" },
          },
        ],
      },
    ],
    choiceLists: [
      {
        name: "tenure",
        choices: [
          { name: "own", label: { he: "בעלות", en: "Own" } },
          { name: "rent", label: { he: "שכירות", en: "Rent" } },
        ],
      },
    ],
  });
}

const names = (def: FormDefinition) => outline(def).map((r) => r.node.name);

describe("finding and changing nodes", () => {
  it("finds a node by its index path and lists the tree in document order", () => {
    const def = form();
    expect(nodeAt(def, [2, 1])?.name).toBe("landlord");
    expect(nodeAt(def, [5])).toBeUndefined();
    expect(names(def)).toEqual(["name", "age", "home", "tenure", "landlord"]);
    expect(outline(def).find((r) => r.node.name === "landlord")?.depth).toBe(1);
    expect(pathsByName(def).get("tenure")).toEqual([2, 0]);
  });

  it("changes one node and leaves the input untouched", () => {
    const def = form();
    const next = updateNode(def, [2, 0], (n) => ({ ...n, label: { en: "Tenure" } }));
    expect(nodeAt(next, [2, 0])?.label).toEqual({ en: "Tenure" });
    expect(nodeAt(def, [2, 0])?.label).toEqual({ en: "Own?" });
  });
});

describe("adding and removing", () => {
  it("adds numbered questions at the end of a container, a select with its own list", () => {
    let def = form();
    const a = addNode(def, [], "text");
    expect(a.name).toBe("question_1");
    expect(a.path).toEqual([3]);
    def = a.def;
    const b = addNode(def, [2], "select_multiple");
    expect(b.path).toEqual([2, 2]);
    expect(b.name).toBe("question_2");
    const select = nodeAt(b.def, b.path);
    expect(select?.type).toBe("select_multiple");
    const list = b.def.choiceLists.find((l) => l.name === "question_2");
    expect(list?.choices.map((c) => c.name)).toEqual(["1", "2"]);
    expect(checkForm(b.def).filter((p) => p.level === "error")).toEqual([]);
  });

  it("adds empty groups and repeats", () => {
    const r = addNode(form(), [], "repeat");
    expect(nodeAt(r.def, r.path)).toEqual({ type: "repeat", name: "repeat_1", children: [] });
  });

  it("removes a subtree and the choice lists only it used", () => {
    const def = removeNode(form(), [2]);
    expect(names(def)).toEqual(["name", "age"]);
    expect(def.choiceLists).toEqual([]);
  });

  it("keeps a list another select still uses", () => {
    let def = form();
    def = updateNode(def, [1], () => ({ type: "select_one", name: "age", choiceList: "tenure" }));
    def = removeNode(def, [2, 0]);
    expect(def.choiceLists.map((l) => l.name)).toEqual(["tenure"]);
    expect(listUsage(def, "tenure")).toBe(1);
  });
});

describe("moving", () => {
  it("moves up and down among siblings and says which moves are possible", () => {
    const def = form();
    expect(movesOf(def, [0])).toEqual({ up: false, down: true, into: false, out: false });
    expect(movesOf(def, [2, 0])).toEqual({ up: false, down: true, into: false, out: true });
    const down = moveNode(def, [0], "down");
    expect(down?.path).toEqual([1]);
    expect(names(down!.def).slice(0, 2)).toEqual(["age", "name"]);
    expect(moveNode(def, [0], "up")).toBeNull();
  });

  it("moves into the group above (at its end) and back out after it", () => {
    let def = form();
    def = addNode(def, [], "date").def; // question_1 after the group
    const into = moveNode(def, [3], "into");
    expect(into?.path).toEqual([2, 2]);
    expect(names(into!.def)).toEqual(["name", "age", "home", "tenure", "landlord", "question_1"]);
    const out = moveNode(into!.def, into!.path, "out");
    expect(out?.path).toEqual([3]);
    expect(out!.def).toEqual(def);
  });
});

describe("names", () => {
  it("makes names from labels in any script, without marks", () => {
    expect(slugifyName("How old are you?")).toBe("how_old_are_you");
    expect(slugifyName("שָׁלוֹם עולם")).toBe("שלום_עולם");
    expect(slugifyName("العُمر")).toBe("العمر");
    expect(slugifyName("Café 2")).toBe("cafe_2");
    expect(slugifyName("3 children")).toBe("q_3_children");
    expect(slugifyName("?!")).toBe("");
    const long = slugifyName("a very long label that keeps going and going and going");
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long.endsWith("_")).toBe(false);
  });

  it("keeps names unique and says what is wrong with a typed name", () => {
    const taken = new Set(["age", "age_2"]);
    expect(uniqueName("age", taken)).toBe("age_3");
    expect(uniqueName("name", taken)).toBe("name");
    expect(nameProblem("", taken, null)).toBe("empty");
    expect(nameProblem("2nd", taken, null)).toBe("pattern");
    expect(nameProblem("has space", taken, null)).toBe("pattern");
    expect(nameProblem("age", taken, null)).toBe("taken");
    expect(nameProblem("age", taken, "age")).toBeNull();
    expect(nameProblem("גיל", taken, null)).toBeNull();
  });

  it("follows a rename into expressions, texts and the instance name", () => {
    const def = renameNode(form(), [0], "full_name");
    expect(nodeAt(def, [0])?.name).toBe("full_name");
    expect(nodeAt(def, [2, 1])).toMatchObject({ hint: { en: "Hello ${full_name}" } });
    expect(def.settings.instanceName).toBe("concat(${full_name}, '-', ${age})");
    const again = renameNode(def, [1], "years");
    expect(nodeAt(again, [2])?.relevant).toBe("${years} >= 18");
    expect(checkForm(again).filter((p) => p.code === "unknown_reference")).toEqual([]);
  });

  it("duplicates with fresh names, references inside the copy following", () => {
    const r = duplicateNode(form(), [2]);
    expect(r?.path).toEqual([3]);
    const copy = nodeAt(r!.def, [3]);
    expect(copy?.name).toBe("home_2");
    expect(nodeAt(r!.def, [3, 1])?.relevant).toBe("${tenure_2} = 'rent'");
    // Outside the copy, references still point at the original.
    expect(nodeAt(r!.def, [3])?.relevant).toBe("${age} >= 18");
    expect(checkForm(r!.def).filter((p) => p.code === "duplicate_name")).toEqual([]);
  });
});

describe("types and choices", () => {
  it("gives a select its own list and takes it away again", () => {
    let def = changeType(form(), [0], "select_one");
    const list = nodeAt(def, [0]);
    expect(list && "choiceList" in list ? list.choiceList : null).toBe("name");
    expect(def.choiceLists.map((l) => l.name)).toEqual(["tenure", "name"]);
    def = changeType(def, [0], "text");
    expect(nodeAt(def, [0])).toEqual({
      type: "text",
      name: "name",
      label: { he: "שם", en: "Name" },
    });
    expect(def.choiceLists.map((l) => l.name)).toEqual(["tenure"]);
  });

  it("drops what a note or a calculation cannot have", () => {
    let def = updateNode(form(), [1], (n) => ({ ...n, required: true, constraint: ". > 0" }));
    def = changeType(def, [1], "note");
    expect(nodeAt(def, [1])).toEqual({
      type: "note",
      name: "age",
      label: { he: "גיל", en: "Age" },
    });
  });

  it("numbers new choices after the largest and checks choice names", () => {
    expect(nextChoiceName([{ name: "1" }, { name: "7" }, { name: "x" }])).toBe("8");
    expect(nextChoiceName([])).toBe("1");
    const def = addChoice(form(), "tenure");
    expect(def.choiceLists[0]!.choices.map((c) => c.name)).toEqual(["own", "rent", "1"]);
    const moved = moveChoice(def, "tenure", 2, "up");
    expect(moved.choiceLists[0]!.choices.map((c) => c.name)).toEqual(["own", "1", "rent"]);
    const choices = def.choiceLists[0]!.choices;
    expect(choiceNameProblem("a b", choices, 2)).toBe("spaces");
    expect(choiceNameProblem("own", choices, 2)).toBe("taken");
    expect(choiceNameProblem("own", choices, 0)).toBeNull();
  });

  it("switches a select to a new list of its own and prunes the old one", () => {
    const def = setQuestionList(form(), [2, 0], "");
    expect(def.choiceLists.map((l) => l.name)).toEqual(["tenure_2"]);
  });
});

describe("languages and texts", () => {
  it("sets and clears one language of a text", () => {
    expect(setLocalized({ he: "א" }, "en", "A")).toEqual({ he: "א", en: "A" });
    expect(setLocalized({ he: "א" }, "he", "")).toBeUndefined();
  });

  it("adds a language once, removes it with its texts, and moves the default on", () => {
    let def = addLanguage(form(), "ar");
    expect(addLanguage(def, "ar").settings.languages).toEqual(["he", "en", "ar"]);
    def = removeLanguage(def, "he");
    expect(def.settings.languages).toEqual(["en", "ar"]);
    expect(def.settings.defaultLanguage).toBe("en");
    expect(nodeAt(def, [0])?.label).toEqual({ en: "Name" });
    expect(def.choiceLists[0]!.choices[0]!.label).toEqual({ en: "Own" });
    expect(removeLanguage(removeLanguage(def, "en"), "ar").settings.languages).toEqual(["ar"]);
    expect(checkForm(def).filter((p) => p.code === "unknown_language")).toEqual([]);
  });
});
