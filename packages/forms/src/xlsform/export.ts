import ExcelJS from "exceljs";
import {
  DEFAULT_LANGUAGE,
  isContainer,
  type FormDefinition,
  type FormNode,
  type LocalizedText,
} from "../model.ts";
import { languageLabel } from "./languages.ts";

/* ------------------------------------------------------------------ */
/* Form definition → XLSForm (.xlsx): survey, choices, settings. What  */
/* it writes imports back to the same definition (tested on every      */
/* fixture), and opens in ODK/KoboToolbox.                             */
/* ------------------------------------------------------------------ */

type Row = Record<string, string>;

const flagText = (v: boolean | string | undefined) =>
  v === true ? "yes" : typeof v === "string" ? v : "";

/** Exports a form as an XLSForm workbook. */
export async function exportXlsform(form: FormDefinition): Promise<Uint8Array> {
  const { settings } = form;
  // Columns without a language are read as the default language: "default" needs
  // its own suffix unless it is that language.
  const header = (column: string, lang: string) =>
    lang === DEFAULT_LANGUAGE
      ? settings.defaultLanguage === DEFAULT_LANGUAGE
        ? column
        : `${column}::${DEFAULT_LANGUAGE}`
      : `${column}::${languageLabel(lang, settings.languageNames)}`;

  const surveyRows: Row[] = [];
  const putText = (row: Row, column: string, text: LocalizedText | undefined) => {
    for (const [lang, value] of Object.entries(text ?? {})) row[header(column, lang)] = value;
  };
  const writeNode = (node: FormNode) => {
    const row: Row = { name: node.name };
    putText(row, "label", node.label);
    if (node.relevant) row.relevant = node.relevant;
    if (node.appearance) row.appearance = node.appearance;
    if (isContainer(node)) {
      row.type = `begin ${node.type}`;
      if (node.type === "repeat" && node.repeatCount) row.repeat_count = node.repeatCount;
      surveyRows.push(row);
      node.children.forEach(writeNode);
      surveyRows.push({ type: `end ${node.type}` });
      return;
    }
    row.type = node.choiceList ? `${node.type} ${node.choiceList}` : node.type;
    putText(row, "hint", node.hint);
    putText(row, "required_message", node.requiredMessage);
    putText(row, "constraint_message", node.constraintMessage);
    const required = flagText(node.required);
    if (required) row.required = required;
    const readOnly = flagText(node.readOnly);
    if (readOnly) row.read_only = readOnly;
    if (node.constraint) row.constraint = node.constraint;
    if (node.calculation) row.calculation = node.calculation;
    if (node.choiceFilter) row.choice_filter = node.choiceFilter;
    if (node.default !== undefined) row.default = node.default;
    if (node.parameters) {
      row.parameters = Object.entries(node.parameters)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ");
    }
    surveyRows.push(row);
  };
  form.questions.forEach(writeNode);

  // Label columns for every language, in the form's order: importing them back
  // gives the same languages in the same order.
  const translated = (column: string, always: boolean) =>
    settings.languages
      .map((lang) => header(column, lang))
      .filter((h) => always || surveyRows.some((r) => r[h] !== undefined));
  const used = (column: string) =>
    surveyRows.some((r) => r[column] !== undefined) ? [column] : [];
  const surveyColumns = [
    "type",
    "name",
    ...translated("label", true),
    ...translated("hint", false),
    ...used("required"),
    ...translated("required_message", false),
    ...used("relevant"),
    ...used("constraint"),
    ...translated("constraint_message", false),
    ...used("calculation"),
    ...used("choice_filter"),
    ...used("appearance"),
    ...used("default"),
    ...used("read_only"),
    ...used("repeat_count"),
    ...used("parameters"),
  ];

  const choiceRows: Row[] = [];
  const extraColumns: string[] = [];
  for (const list of form.choiceLists) {
    for (const choice of list.choices) {
      const row: Row = { list_name: list.name, name: choice.name };
      putText(row, "label", choice.label);
      for (const [column, value] of Object.entries(choice.extra ?? {})) {
        if (!extraColumns.includes(column)) extraColumns.push(column);
        row[column] = value;
      }
      choiceRows.push(row);
    }
  }
  const choiceColumns = ["list_name", "name", ...translated("label", true), ...extraColumns];

  const settingsRow: Row = { form_title: settings.title, form_id: settings.id };
  if (settings.version) settingsRow.version = settings.version;
  if (settings.defaultLanguage !== DEFAULT_LANGUAGE) {
    settingsRow.default_language = languageLabel(settings.defaultLanguage, settings.languageNames);
  }
  if (settings.instanceName) settingsRow.instance_name = settings.instanceName;
  if (settings.allowChoiceDuplicates) settingsRow.allow_choice_duplicates = "yes";

  const wb = new ExcelJS.Workbook();
  const sheet = (name: string, columns: string[], rows: Row[]) => {
    const ws = wb.addWorksheet(name);
    ws.addRow(columns);
    ws.getRow(1).font = { bold: true };
    // Every value is written as text: a choice named 2022 stays the string "2022".
    for (const r of rows) ws.addRow(columns.map((c) => r[c] ?? null));
    ws.views = [{ state: "frozen", ySplit: 1 }];
  };
  sheet("survey", surveyColumns, surveyRows);
  sheet("choices", choiceColumns, choiceRows);
  sheet("settings", Object.keys(settingsRow), [settingsRow]);
  const buffer = await wb.xlsx.writeBuffer();
  return new Uint8Array(buffer as unknown as ArrayBuffer);
}
