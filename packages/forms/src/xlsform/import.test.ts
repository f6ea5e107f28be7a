import { describe, expect, it } from "vitest";
import { checkForm } from "../check.ts";
import {
  formDefinitionSchema,
  walkNodes,
  type Field,
  type FormDefinition,
  type FormNode,
  type Group,
  type Repeat,
} from "../model.ts";
import { importXlsform, XLSFORM_LIMITS } from "./import.ts";
import { parseLanguage } from "./languages.ts";
import { XlsformError } from "./report.ts";
import { brief, fixture, FIXTURES, workbook } from "./test-workbook.ts";

const load = (name: string) => importXlsform(fixture(name), { fileName: name });

function node(form: FormDefinition, name: string): FormNode {
  let hit: FormNode | undefined;
  walkNodes(form.questions, (n) => {
    if (n.name === name) hit ??= n;
  });
  if (!hit) throw new Error(`no node ${name}`);
  return hit;
}
const q = (form: FormDefinition, name: string) => node(form, name) as Field;
const tree = (nodes: FormNode[]): unknown[] =>
  nodes.map((n) =>
    n.type === "group" || n.type === "repeat"
      ? { [`${n.type}:${n.name}`]: tree(n.children) }
      : `${n.type}:${n.name}`,
  );
const list = (form: FormDefinition, name: string) => form.choiceLists.find((l) => l.name === name);

describe("every fixture", () => {
  it.each(FIXTURES)("%s loads into a valid form with no errors left in it", async (name) => {
    const { form } = await load(name);
    expect(formDefinitionSchema.safeParse(form).success).toBe(true);
    expect(checkForm(form).filter((p) => p.level === "error")).toEqual([]);
  });
});

describe("text_and_integer.xlsx", () => {
  it("loads two questions, English, nothing to report", async () => {
    const { form, report } = await load("text_and_integer.xlsx");
    expect(report).toEqual([]);
    expect(form.settings).toEqual({
      title: "text_and_integer",
      id: "text_and_integer",
      defaultLanguage: "en",
      languages: ["en"],
      languageNames: { en: "english" },
    });
    expect(form.questions).toEqual([
      { type: "text", name: "your_name", label: { en: "What is your name?" } },
      { type: "integer", name: "your_age", label: { en: "How many years old are you?" } },
    ]);
    expect(form.choiceLists).toEqual([]);
  });
});

describe("yes_or_no_question.xlsx", () => {
  it("reads the old 'select one from' spelling", async () => {
    const { form, report } = await load("yes_or_no_question.xlsx");
    expect(report).toEqual([]);
    expect(form.questions).toEqual([
      {
        type: "select_one",
        name: "good_day",
        label: { en: "have you had a good day today?" },
        choiceList: "yes_or_no",
      },
    ]);
    expect(form.choiceLists).toEqual([
      {
        name: "yes_or_no",
        choices: [
          { name: "yes", label: { en: "yes" } },
          { name: "no", label: { en: "no" } },
        ],
      },
    ]);
  });
});

describe("group.xlsx", () => {
  it("nests a group and turns 'phone number' into text with a digits-only constraint", async () => {
    const { form, report } = await load("group.xlsx");
    expect(report).toEqual([]);
    expect(tree(form.questions)).toEqual([
      "text:family_name",
      { "group:father": ["text:phone_number", "integer:age"] },
    ]);
    expect((node(form, "father") as Group).label).toEqual({ en: "Father" });
    expect(q(form, "phone_number").constraint).toBe("regex(., '^\\d*$')");
    expect(form.settings.languageNames).toEqual({ en: "English" });
  });
});

describe("specify_other.xlsx", () => {
  it("adds the 'other' choice and a text question shown when it is picked", async () => {
    const { form, report } = await load("specify_other.xlsx");
    expect(report).toEqual([]);
    expect(form.questions).toEqual([
      { type: "select_one", name: "sex", label: { en: "What sex are you?" }, choiceList: "sexes" },
      {
        type: "text",
        name: "sex_other",
        label: { en: "Specify other." },
        relevant: "selected(${sex}, 'other')",
      },
    ]);
    expect(list(form, "sexes")!.choices.map((c) => c.name)).toEqual(["male", "female", "other"]);
  });
});

describe("loop.xlsx", () => {
  it("writes the loop out as one group per choice, with %(label)s filled in, and says so", async () => {
    const { form, report } = await load("loop.xlsx");
    expect(report.map(brief)).toEqual(["survey:3 warning loop_expanded loop_toilet_types"]);
    expect(q(form, "available_toilet_types").type).toBe("select_multiple");
    const loop = node(form, "loop_toilet_types") as Group;
    expect(loop.children.map((g) => g.name)).toEqual([
      "loop_toilet_types_pit_latrine_with_slab",
      "loop_toilet_types_open_pit_latrine",
      "loop_toilet_types_bucket_system",
      "loop_toilet_types_other",
    ]);
    expect(q(form, "number_bucket_system")).toEqual({
      type: "integer",
      name: "number_bucket_system",
      label: { en: "How many Bucket system are on the premises?" },
    });
  });
});

describe("choice_filter_test.xlsx", () => {
  it("keeps the filters, the filter column and the duplicate names the settings allow", async () => {
    const { form, report } = await load("choice_filter_test.xlsx");
    expect(report).toEqual([]);
    expect(form.settings).toEqual({
      title: "cascading selects",
      id: "cascading_selects1",
      defaultLanguage: "default",
      languages: ["default"],
      allowChoiceDuplicates: true,
    });
    expect(q(form, "county")).toEqual({
      type: "select_one",
      name: "county",
      label: { default: "county" },
      choiceList: "counties",
      choiceFilter: "${state}=cf",
    });
    expect(q(form, "city").choiceFilter).toBe("${county}=cf");
    expect(list(form, "counties")!.choices).toEqual([
      { name: "king", label: { default: "King" }, extra: { cf: "washington" } },
      { name: "pierce", label: { default: "Pierce" }, extra: { cf: "washington" } },
      { name: "king", label: { default: "King" }, extra: { cf: "texas" } },
      { name: "cameron", label: { default: "Cameron" }, extra: { cf: "texas" } },
    ]);
    expect(list(form, "cities")!.choices).toHaveLength(8);
  });
});

describe("UCL_Biomass_Plot_Form.xlsx (a real field form)", () => {
  it("loads the structure, Swahili and English, and reports what it cannot run, row by row", async () => {
    const { form, report } = await load("UCL_Biomass_Plot_Form.xlsx");
    expect(form.settings).toMatchObject({
      defaultLanguage: "sw",
      languages: ["sw", "en"],
      languageNames: { sw: "Swahili", en: "English" },
      // The version cell is =NOW(): its saved result is used.
      version: "2022-04-11T16:26:28.971Z",
    });
    expect(report.map(brief)).toEqual([
      "survey:16 error unsupported_type region_id",
      "survey:17 error unsupported_type district_id",
      "survey:18 error unsupported_type village",
      "survey:20 error unsupported_type plot_id",
      "survey:33 warning reference_to_dropped plot_id1",
      "survey:35 error unsupported_type latin_name_id",
      "survey:36 warning reference_to_dropped latin_name_other",
      "survey:57 error unsupported_type stump_latin_name_id",
      "survey:58 warning reference_to_dropped stump_latin_name_other",
      "survey:73 error unsupported_type latin_name_id_sp1",
      "survey:74 warning reference_to_dropped latin_name_other_sp1",
      "survey:81 error unsupported_type latin_name_id_sp2",
      "survey:82 warning reference_to_dropped latin_name_other_sp2",
      "survey:91 warning unsupported_metadata deviceid",
    ]);
    expect(report[0]).toEqual({
      sheet: "survey",
      row: 16,
      name: "region_id",
      type: "select_one_from_file UCL_regions.csv",
      level: "error",
      code: "unsupported_type",
      params: { type: "select_one_from_file" },
      message:
        'The question type "select_one_from_file" is not supported; this question was not loaded',
    });
    expect(report[4]!.params).toEqual({ reference: "plot_id", property: "calculation" });

    const shape = tree(form.questions);
    expect(shape.slice(0, 3)).toEqual([
      { "group:intro": ["note:note2", "note:note1"] },
      {
        "group:info": [
          "select_one:leader_name",
          "text:leader_name_other",
          "text:leader_number",
          "start:start",
          "end:end",
        ],
      },
      {
        "group:location": [
          "select_one:plant_phase",
          "integer:canopy_cover",
          "geopoint:center_point",
          "image:center_image",
          "select_one:monumented",
          "integer:slope",
          "calculate:slope_radius",
          "calculate:slope_radius_inner",
          "note:note3",
        ],
      },
    ]);
    const trees = node(form, "trees") as Repeat;
    expect(trees.relevant).toBe("${any_trees} = 'yes'"); // typographic quotes straightened
    const stems = node(form, "stems") as Repeat;
    expect(stems.repeatCount).toBe("${stem_count}");
    expect(stems.label).toEqual({
      sw: "Tawi wa Mti na tag numba ${tag}",
      en: "Stems of tree with tag number ${tag}",
    });
    expect(q(form, "cbh")).toMatchObject({
      required: true,
      constraint: ". >=  ${size_constraint}",
      constraintMessage: {
        en: "Minimum circumference for this part of the plot is ${size_constraint} cm.",
      },
    });
    expect(q(form, "stem_height").required).toBe("${health_id}='dead'");
    expect(q(form, "tree_photo").parameters).toEqual({ "max-pixels": "3840" });
    expect(q(form, "slope_radius").calculation).toBe(
      "round(15 div (sqrt(cos(atan(${slope} div 100)))),2)",
    );
    expect(q(form, "leader_name")).toMatchObject({
      label: { sw: "Jina Lako", en: "Your Name" },
      hint: { sw: "Chagua moja", en: "Choose One" },
    });
    // A hyperlink cell is read as its text.
    expect(q(form, "note1").label).toEqual({ sw: "theron@reterra.ltd", en: "theron@reterra.ltd" });
    // Numeric choice names stay text; the "name " header (trailing space) is found.
    expect(list(form, "plant_phase")!.choices[0]).toEqual({
      name: "2022",
      label: { sw: "2022", en: "2022" },
    });
    expect(form.choiceLists.map((l) => l.name)).toEqual([
      "yes_no",
      "health_id",
      "plot",
      "plant_phase",
      "decay_class",
      "disturbance",
      "enumerator",
    ]);
  });
});

describe("xlsform_spec_test.xlsx (the XLSForm specification test)", () => {
  it("loads what it supports and names everything else, row by row", async () => {
    const { form, report } = await load("xlsform_spec_test.xlsx");
    expect(report.map(brief)).toEqual([
      "-:- warning unsupported_sheet -",
      "settings:2 warning unsupported_setting -",
      "settings:2 warning unsupported_setting -",
      "settings:2 warning unsupported_setting -",
      "settings:2 warning formula_without_value -",
      "settings:2 warning unsupported_setting -",
      "choices:4 warning unsupported_column a",
      "choices:5 warning unsupported_column b",
      "survey:4 warning unsupported_column my_name",
      "survey:9 warning unsupported_column text_image_audio_video_test",
      "survey:9 warning unsupported_column text_image_audio_video_test",
      "survey:9 warning unsupported_column text_image_audio_video_test",
      "survey:9 warning unsupported_column text_image_audio_video_test",
      "survey:9 warning unsupported_column text_image_audio_video_test",
      "survey:9 warning unsupported_column text_image_audio_video_test",
      "survey:10 warning unsupported_column display_image_test",
      "survey:30 error unsupported_type acknowledge_test",
      "survey:32 error unsupported_type time_test",
      "survey:33 error unsupported_type datetime_test",
      "survey:35 error unsupported_type barcode_test",
      "survey:37 error unsupported_type audio_test",
      "survey:38 error unsupported_type video_test",
      "survey:48 warning unsupported_metadata deviceid",
      "survey:49 warning reference_to_dropped deviceid_test_output",
      "survey:50 warning unsupported_metadata uri_deviceid",
      "survey:51 warning reference_to_dropped uri_deviceid_test_output",
      "survey:52 warning unsupported_metadata phonenumber",
      "survey:53 warning reference_to_dropped phonenumber_test_output",
      "survey:57 warning unsupported_column launch",
      "survey:57 warning unsupported_column launch",
      "survey:57 warning external_app launch",
    ]);
    expect(
      report.filter((r) => r.code === "unsupported_setting").map((r) => r.params.setting),
    ).toEqual(["public_key", "submission_url", "add_none_option", "clean_text_values"]);
    expect(report.filter((r) => r.row === 9).map((r) => r.params.column)).toEqual([
      "image",
      "audio",
      "image::english",
      "media::audio::chinese",
      "media::video",
      "autoplay",
    ]);
    expect(report.find((r) => r.code === "unsupported_sheet")!.params).toEqual({
      sheet: "columns",
    });

    expect(form.settings).toMatchObject({
      title: "Spec test",
      id: "Spec test",
      languages: ["en", "default", "zh"],
      languageNames: { en: "english", zh: "chinese" },
      instanceName: "${my_name}",
    });
    const everything = node(form, "everything") as Group;
    expect(everything.relevant).toBe("not(selected(${skip_to_end}, 'yes'))");
    const repeat = node(form, "repeat_test") as Repeat;
    expect(repeat.repeatCount).toBe("2");
    expect(tree(repeat.children)).toEqual([
      { "group:group_test": ["text:required_text", "select_multiple:select_multiple_test"] },
      { "group:labeled_select_group": ["select_one:label-test", "select_one:list-nolabel-test"] },
      { "group:name": ["select_one:table_list_question"] },
      "select_one:compact-test",
      "select_one:compact-2-test",
    ]);
    expect(q(form, "required_text")).toMatchObject({
      required: true,
      requiredMessage: { default: "Custom required message." },
    });
    // required written as the formula =TRUE().
    expect(q(form, "list-nolabel-test").required).toBe(true);
    expect(q(form, "select_multiple_test").required).toBeUndefined(); // "no"
    expect(q(form, "select_multiple_test")).toMatchObject({
      appearance: "minimal",
      constraint: "not(selected(., 'yes') and selected (., 'no'))",
      constraintMessage: {
        en: "Sorry ${my_name}, you can't select yes and no.",
        zh: "對不起 ${my_name}，你可以不選擇“是”和“否”。",
      },
    });
    expect(q(form, "address")).toMatchObject({
      label: { en: "Enter an address", zh: "您好" },
      hint: { zh: "ni hao" },
    });
    expect(q(form, "calculate_test").calculation).toBe("2+2");
    expect(["start", "end", "today"].map((n) => q(form, n).type)).toEqual([
      "start",
      "end",
      "today",
    ]);
    // A number as a label, a formula =FALSE() as a name.
    expect(q(form, "number_label").label).toEqual({ en: "1", zh: "-" });
    expect(q(form, "FALSE").label).toEqual({ en: "boolean name test" });
    expect(q(form, "launch").appearance).toBe("ex:org.thirdparty.app.ActivityName");
    for (const dropped of [
      "acknowledge_test",
      "time_test",
      "datetime_test",
      "barcode_test",
      "audio_test",
      "video_test",
      "deviceid",
    ]) {
      expect(() => node(form, dropped)).toThrow();
    }
  });
});

describe("malformed files", () => {
  const fails = async (data: Uint8Array) => {
    try {
      await importXlsform(data);
    } catch (e) {
      if (e instanceof XlsformError) return e.code;
      throw e;
    }
    throw new Error("imported");
  };

  it("refuses what is not an XLSForm, clearly", async () => {
    expect(await fails(new Uint8Array())).toBe("empty_file");
    expect(await fails(new TextEncoder().encode("type,name\ntext,q1\n"))).toBe("not_xlsx");
    expect(
      await fails(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])),
    ).toBe("xls_not_supported");
    expect(await fails(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]))).toBe("not_xlsx");
    expect(
      await fails(
        await workbook({
          questions: [
            ["type", "name"],
            ["text", "a"],
          ],
        }),
      ),
    ).toBe("no_survey_sheet");
    expect(
      await fails(
        await workbook({
          survey: [
            ["kind", "name"],
            ["text", "a"],
          ],
        }),
      ),
    ).toBe("no_type_column");
    expect(await fails(await workbook({ survey: [["type", "name", "label"]] }))).toBe(
      "empty_survey",
    );
    expect(await fails(await workbook({ survey: [] }))).toBe("empty_survey");
  });

  it("refuses a survey sheet longer than the limit", async () => {
    const rows = Array.from({ length: XLSFORM_LIMITS.surveyRows + 1 }, (_, i) => ["text", `q${i}`]);
    expect(await fails(await workbook({ survey: [["type", "name"], ...rows] }))).toBe(
      "too_many_rows",
    );
  });

  it("reports unbalanced groups and repeats, and still loads the questions", async () => {
    const data = await workbook({
      survey: [
        ["type", "name", "label"],
        ["end group", "", ""], // row 2: closes nothing
        ["begin repeat", "visits", "Visits"], // row 3
        ["text", "note_text", "Note"],
        ["end group", "", ""], // row 5: closes the repeat with the wrong word
        ["begin group", "tail", "Tail"], // row 6: never closed
        ["integer", "n", "N"],
      ],
    });
    const { form, report } = await importXlsform(data);
    expect(report.map(brief)).toEqual([
      "survey:2 error unmatched_end -",
      "survey:5 error mismatched_end -",
      "survey:6 error unclosed_container tail",
    ]);
    expect(report[1]!.params).toEqual({
      found: "end group",
      expected: "end repeat",
      beginRow: 3,
      beginName: "visits",
    });
    expect(tree(form.questions)).toEqual([
      { "repeat:visits": ["text:note_text"] },
      { "group:tail": ["integer:n"] },
    ]);
  });

  it("reports row by row: bad types, names, lists, expressions and columns; loads the rest", async () => {
    const data = await workbook({
      Survey: [
        [
          "Type",
          "Name",
          "Label::English (en)",
          "relevant",
          "constraint",
          "choice_filter",
          "calculation",
          "colour",
        ],
        ["text", "ok", "Fine", "", "", "", "", ""], // 2
        ["magic_type", "m", "?", "", "", "", "", ""], // 3
        ["text", "", "No name", "", "", "", "", ""], // 4
        ["text", "2bad", "Bad name", "", "", "", "", ""], // 5
        ["select_one nowhere", "s", "Lost list", "", "", "", "", ""], // 6
        ["select_one", "s2", "No list", "", "", "", "", ""], // 7
        ["integer", "p", "Pulled", "pulldata('x','y','z','w') > 1", "", "", "", ""], // 8
        ["integer", "c", "Broken", "", ". > (3", "", "", ""], // 9
        ["text", "f", "Filter on text", "", "", "${ok} = cf", "", "red"], // 10
        ["calculate", "a", "", "", "", "", "${b} + 1", ""], // 11
        ["calculate", "b", "", "", "", "", "${a} + 1", ""], // 12
        ["text", "ok", "Again", "${gone} = 1", "", "", "", ""], // 13
        ["range", "r", "Range", "", "", "", "", ""], // 14
        ["", "", "orphan label", "", "", "", "", ""], // 15
      ],
    });
    const { form, report } = await importXlsform(data, { fileName: "uploads/My form.xlsx" });
    expect(report.map(brief)).toEqual([
      "survey:3 error unknown_type m",
      "survey:4 error missing_name -",
      "survey:5 error invalid_name 2bad",
      "survey:6 error unknown_choice_list s",
      "survey:7 error missing_list_name s2",
      "survey:8 error unsupported_function p",
      "survey:9 error invalid_expression c",
      "survey:10 warning unsupported_column f",
      "survey:10 warning column_ignored f",
      "survey:11 error dependency_cycle a",
      "survey:13 warning duplicate_name ok",
      "survey:13 warning unknown_reference ok_2",
      "survey:14 error unsupported_type r",
      "survey:15 warning row_without_type -",
    ]);
    const byRow = (row: number) => report.find((r) => r.row === row)!;
    expect(byRow(8).params).toMatchObject({
      functions: "pulldata",
      column: "relevant",
      expression: "pulldata('x','y','z','w') > 1",
    });
    expect(byRow(9).params).toMatchObject({ column: "constraint", reason: "syntax_error" });
    expect(byRow(10).params).toEqual({ column: "colour" });
    expect(report.find((r) => r.code === "column_ignored")!.params).toEqual({
      column: "choice_filter",
    });
    expect(byRow(11).params).toMatchObject({ names: "a, b" });
    expect(byRow(13).params).toEqual({ name: "ok", newName: "ok_2" });
    expect(byRow(14).params).toEqual({ type: "range" });
    // What failed is left out; the question stays.
    expect(q(form, "p")).toEqual({ type: "integer", name: "p", label: { en: "Pulled" } });
    expect(q(form, "c")).toEqual({ type: "integer", name: "c", label: { en: "Broken" } });
    expect(tree(form.questions)).toEqual([
      "text:ok",
      "integer:p",
      "integer:c",
      "text:f",
      "calculate:a",
      "calculate:b",
      "text:ok_2",
    ]);
    expect(form.settings).toMatchObject({ id: "My form", title: "My form" });
  });
});

describe("columns, languages and settings", () => {
  it("maps language names and codes in headers, and puts plain columns in default_language", async () => {
    const data = await workbook({
      survey: [
        [
          "type",
          "name",
          "label",
          "label::עברית (he)",
          "label::Arabic (ar)",
          "hint::Hebrew",
          "label::русский",
          "required",
          "read_only",
        ],
        ["text", "a", "Name", "שם", "الاسم", "מלא", "Имя", "TRUE()", "no"],
        ["text", "b", "Other", "אחר", "", "", "", "yes", "${a} != ''"],
        ["text", "c", "", "", "", "", "", "${a} = 'x'", "true"],
      ],
      settings: [
        ["form_title", "form_id", "default_language", "version"],
        ["Intake", "intake_v1", "English (en)", 2026112501],
      ],
    });
    const { form, report } = await importXlsform(data);
    expect(report).toEqual([]);
    expect(form.settings).toEqual({
      title: "Intake",
      id: "intake_v1",
      version: "2026112501",
      defaultLanguage: "en",
      languages: ["en", "he", "ar", "ru"],
      languageNames: { en: "English", he: "עברית", ar: "Arabic", ru: "русский" },
    });
    expect(q(form, "a")).toEqual({
      type: "text",
      name: "a",
      label: { en: "Name", he: "שם", ar: "الاسم", ru: "Имя" },
      hint: { he: "מלא" },
      required: true,
    });
    expect(q(form, "b")).toMatchObject({ required: true, readOnly: "${a} != ''" });
    expect(q(form, "c")).toMatchObject({ required: "${a} = 'x'", readOnly: true });
  });

  it("reads sheets and headers whatever their case, old aliases, Kobo's $autoname, defaults", async () => {
    const data = await workbook({
      SURVEY: [
        [
          "TYPE",
          "$autoname",
          "name",
          "Label",
          "relevance",
          "jr:constraintMsg",
          "constraint",
          "calculate",
          "Default",
          "count",
        ],
        ["begin_repeat", "", "kids", "Kids", "", "", "", "", "", "2"],
        ["integer", "kid_age", "", "Age", "", "0-18", ". <= 18", "", "5", ""],
        ["end_repeat", "", "", "", "", "", "", "", "", ""],
        ["decimal", "", "score", "Score", "count(${kids}) > 0", "", "", "", "", ""],
        ["date", "", "due", "Due", "", "", "", "", "today()", ""],
        ["text", "", "dyn", "Dyn", "", "", "", "", "pulldata('a','b','c','d')", ""],
      ],
      Choices: [["list name", "name", "label"]],
    });
    const { form, report } = await importXlsform(data);
    expect(report.map(brief)).toEqual(["survey:7 error unsupported_function dyn"]);
    expect(form.questions).toEqual([
      {
        type: "repeat",
        name: "kids",
        label: { default: "Kids" },
        repeatCount: "2",
        children: [
          {
            type: "integer",
            name: "kid_age",
            label: { default: "Age" },
            constraint: ". <= 18",
            constraintMessage: { default: "0-18" },
            default: "5",
          },
        ],
      },
      {
        type: "decimal",
        name: "score",
        label: { default: "Score" },
        relevant: "count(${kids}) > 0",
      },
      { type: "date", name: "due", label: { default: "Due" }, default: "today()" },
      { type: "text", name: "dyn", label: { default: "Dyn" } },
    ]);
  });

  it("puts language-less columns in default_language, in column order", async () => {
    const data = await workbook({
      survey: [
        ["type", "name", "label::English (en)", "label"],
        ["text", "a", "A", "א"],
      ],
      settings: [["default_language"], ["עברית (he)"]],
    });
    const { form } = await importXlsform(data);
    expect(form.settings).toMatchObject({
      defaultLanguage: "he",
      languages: ["en", "he"],
      languageNames: { en: "English", he: "עברית" },
    });
    expect(q(form, "a").label).toEqual({ en: "A", he: "א" });
  });

  it("parses language headers", () => {
    expect(parseLanguage("English (en)")).toEqual({ code: "en", name: "English" });
    expect(parseLanguage("עברית (he)")).toEqual({ code: "he", name: "עברית" });
    expect(parseLanguage("Hebrew")).toEqual({ code: "he", name: "Hebrew" });
    expect(parseLanguage("العربية")).toEqual({ code: "ar", name: "العربية" });
    expect(parseLanguage("he")).toEqual({ code: "he" });
    expect(parseLanguage("Português (pt-BR)")).toEqual({ code: "pt-BR", name: "Português" });
    expect(parseLanguage("(am)")).toEqual({ code: "am" });
    expect(parseLanguage("Klingon")).toEqual({ code: "klingon", name: "Klingon" });
    expect(parseLanguage("Old Norse")).toEqual({ code: "old-norse", name: "Old Norse" });
    // Not Object.prototype's constructor: a code of its own.
    expect(parseLanguage("constructor")).toEqual({
      code: expect.stringMatching(/^und-/),
      name: "constructor",
    });
    expect(parseLanguage("ᏣᎳᎩ").code).toMatch(/^und-[a-z0-9]+$/);
    expect(parseLanguage("default")).toEqual({ code: "default" });
  });
});
