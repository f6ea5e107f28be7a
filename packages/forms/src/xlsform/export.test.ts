import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { formDefinitionSchema, FORM_SCHEMA_VERSION, type FormDefinition } from "../model.ts";
import { exportXlsform } from "./export.ts";
import { importXlsform } from "./import.ts";
import { fixture, FIXTURES } from "./test-workbook.ts";

async function sheets(data: Uint8Array): Promise<Record<string, string[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(data) as unknown as ArrayBuffer);
  const out: Record<string, string[][]> = {};
  for (const ws of wb.worksheets) {
    const rows: string[][] = [];
    ws.eachRow((row) =>
      rows.push(
        (row.values as unknown[])
          .slice(1)
          .map((v) => (v === null || v === undefined ? "" : String(v))),
      ),
    );
    out[ws.name] = rows;
  }
  return out;
}

describe("round trip: import → export → import gives the same form", () => {
  it.each(FIXTURES)("%s", async (name) => {
    const { form } = await importXlsform(fixture(name), { fileName: name });
    const again = await importXlsform(await exportXlsform(form), { fileName: "elsewhere.xlsx" });
    expect(again.form).toEqual(form);
    // Nothing new to report: what was reported the first time was left out.
    expect(again.report.filter((r) => r.level === "error")).toEqual([]);
  });
});

describe("the exported workbook", () => {
  it("writes label::<Language> (<code>) columns, the choices and the settings", async () => {
    const { form } = await importXlsform(fixture("UCL_Biomass_Plot_Form.xlsx"), {
      fileName: "UCL_Biomass_Plot_Form.xlsx",
    });
    const out = await sheets(await exportXlsform(form));
    expect(Object.keys(out)).toEqual(["survey", "choices", "settings"]);
    expect(out.survey![0]).toEqual([
      "type",
      "name",
      "label::Swahili (sw)",
      "label::English (en)",
      "hint::Swahili (sw)",
      "hint::English (en)",
      "required",
      "relevant",
      "constraint",
      "constraint_message::Swahili (sw)",
      "constraint_message::English (en)",
      "calculation",
      "appearance",
      "repeat_count",
      "parameters",
    ]);
    expect(out.survey![1]!.slice(0, 4)).toEqual([
      "begin group",
      "intro",
      "Introduction",
      "Introduction",
    ]);
    expect(
      out
        .survey!.map((r) => r[0] ?? "")
        .filter((t) => t.startsWith("begin") || t.startsWith("end ")),
    ).toEqual([
      "begin group",
      "end group",
      "begin group",
      "end group",
      "begin group",
      "end group",
      "begin repeat",
      "begin repeat",
      "end repeat",
      "end repeat",
      "begin repeat",
      "end repeat",
      "begin repeat",
      "end repeat",
      "begin repeat",
      "end repeat",
    ]);
    expect(out.choices![0]).toEqual([
      "list_name",
      "name",
      "label::Swahili (sw)",
      "label::English (en)",
    ]);
    expect(out.choices![1]).toEqual(["yes_no", "yes", "Ndiyo", "Yes"]);
    expect(out.settings).toEqual([
      ["form_title", "form_id", "version", "default_language"],
      [
        "UCL_Biomass_Plot_Form",
        "UCL_Biomass_Plot_Form",
        "2022-04-11T16:26:28.971Z",
        "Swahili (sw)",
      ],
    ]);
  });

  it("exports a form made in Kaveret (Hebrew first, Arabic, English) and reads it back", async () => {
    const form: FormDefinition = formDefinitionSchema.parse({
      schemaVersion: FORM_SCHEMA_VERSION,
      settings: {
        title: "סקר צרכים",
        id: "needs_survey",
        version: "3",
        defaultLanguage: "he",
        languages: ["he", "ar", "en"],
        languageNames: { he: "עברית", ar: "العربية", en: "English" },
        instanceName: "concat(${street}, ' ', ${house})",
      },
      questions: [
        { type: "start", name: "started" },
        {
          type: "text",
          name: "street",
          label: { he: "רחוב", ar: "شارع", en: "Street" },
          required: true,
        },
        {
          type: "integer",
          name: "house",
          label: { he: "מספר בית" },
          constraint: ". > 0",
          readOnly: "${street} = ''",
        },
        {
          type: "select_multiple",
          name: "needs",
          label: { he: "צרכים" },
          choiceList: "needs",
          choiceFilter: "urgent = 'yes' or ${street} != ''",
          appearance: "minimal",
        },
        {
          type: "repeat",
          name: "people",
          label: { he: "בני בית" },
          repeatCount: "${house}",
          relevant: "count-selected(${needs}) > 0",
          children: [
            {
              type: "group",
              name: "person",
              appearance: "field-list",
              children: [
                {
                  type: "date",
                  name: "born",
                  label: { he: "תאריך לידה" },
                  default: "2000-01-01",
                  requiredMessage: { he: "חובה", en: "Required" },
                  required: "${house} > 1",
                },
                {
                  type: "geopoint",
                  name: "where",
                  parameters: { "capture-accuracy": "10", "warning-accuracy": "20" },
                },
                { type: "image", name: "photo", hint: { ar: "صورة" } },
              ],
            },
          ],
        },
        { type: "note", name: "thanks", label: { he: "תודה ${street}", en: "Thanks" } },
      ],
      choiceLists: [
        {
          name: "needs",
          choices: [
            {
              name: "food",
              label: { he: "מזון", ar: "طعام", en: "Food" },
              extra: { urgent: "yes" },
            },
            { name: "housing", label: { he: "דיור" } },
          ],
        },
      ],
    });
    const data = await exportXlsform(form);
    const out = await sheets(data);
    expect(out.survey![0]!.slice(0, 5)).toEqual([
      "type",
      "name",
      "label::עברית (he)",
      "label::العربية (ar)",
      "label::English (en)",
    ]);
    expect(out.choices![0]).toEqual([
      "list_name",
      "name",
      "label::עברית (he)",
      "label::العربية (ar)",
      "label::English (en)",
      "urgent",
    ]);
    const { form: back, report } = await importXlsform(data);
    expect(report).toEqual([]);
    expect(back).toEqual(form);
    // And once more: exporting what was imported writes the same workbook content.
    expect(await sheets(await exportXlsform(back))).toEqual(out);
  });

  it("keeps the order of the languages when the default is not the first", async () => {
    const form: FormDefinition = formDefinitionSchema.parse({
      schemaVersion: FORM_SCHEMA_VERSION,
      settings: {
        title: "Order",
        id: "order",
        defaultLanguage: "he",
        languages: ["en", "ar", "he"],
        languageNames: { he: "עברית" },
      },
      questions: [{ type: "text", name: "t", label: { he: "טקסט", en: "Text" } }],
      choiceLists: [],
    });
    const data = await exportXlsform(form);
    expect((await sheets(data)).settings).toEqual([
      ["form_title", "form_id", "default_language"],
      ["Order", "order", "עברית (he)"],
    ]);
    expect((await importXlsform(data)).form).toEqual(form);
  });

  it("keeps the language-less texts of a form whose default language is another", async () => {
    const form: FormDefinition = formDefinitionSchema.parse({
      schemaVersion: FORM_SCHEMA_VERSION,
      settings: {
        title: "Mixed",
        id: "mixed",
        defaultLanguage: "en",
        languages: ["en", "default"],
      },
      questions: [{ type: "text", name: "t", label: { en: "Text", default: "Plain" } }],
      choiceLists: [],
    });
    const data = await exportXlsform(form);
    expect((await sheets(data)).survey![0]).toEqual([
      "type",
      "name",
      "label::en",
      "label::default",
    ]);
    expect((await importXlsform(data)).form).toEqual(form);
  });
});
