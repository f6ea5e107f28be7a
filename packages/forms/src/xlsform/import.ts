import ExcelJS from "exceljs";
import { checkForm, expressionProblem, type FormProblem } from "../check.ts";
import { isDynamicDefault } from "../compile.ts";
import { ExpressionError, parseExpression } from "../expr/index.ts";
import { localize } from "../localize.ts";
import {
  DEFAULT_LANGUAGE,
  FORM_LIMITS,
  FORM_SCHEMA_VERSION,
  formDefinitionSchema,
  isContainer,
  NAME_PATTERN,
  walkNodes,
  type Choice,
  type ChoiceList,
  type Field,
  type FormDefinition,
  type FormNode,
  type FormSettings,
  type Group,
  type LocalizedText,
  type Repeat,
} from "../model.ts";
import { parseChoicesHeader, parseSurveyHeader, TRANSLATABLE, type ColumnMeta } from "./columns.ts";
import { parseLanguage } from "./languages.ts";
import {
  XlsformError,
  type XlsformReportCode,
  type XlsformReportEntry,
  type XlsformSheet,
} from "./report.ts";
import { readSheet, type Sheet, type SheetRow } from "./sheets.ts";
import { parseType } from "./types.ts";

/* ------------------------------------------------------------------ */
/* XLSForm (.xlsx) → form definition + a report, row by row, of what   */
/* was not loaded (error) or loaded differently (warning). Only a file */
/* that is not an XLSForm at all throws (XlsformError).               */
/* ------------------------------------------------------------------ */

export interface XlsformImportOptions {
  /** The uploaded file's name: the form's id and title when its settings give none. */
  fileName?: string;
}

export interface XlsformImportResult {
  form: FormDefinition;
  report: XlsformReportEntry[];
}

export const XLSFORM_LIMITS = {
  surveyRows: 5_000,
  choiceRows: 100_000,
} as const;

const KNOWN_SHEETS = new Set(["survey", "choices", "settings"]);
/** Sheets other tools add that carry nothing for the form itself. */
const SILENT_SHEETS = new Set(["external_choices_readme", "instructions", "readme", "notes"]);
const SUPPORTED_SETTINGS = new Set([
  "form_title",
  "form_id",
  "version",
  "default_language",
  "instance_name",
  "allow_choice_duplicates",
]);
const SETTING_ALIASES: Record<string, string> = {
  "set form title": "form_title",
  title: "form_title",
  "set form id": "form_id",
  id_string: "form_id",
};

const YES = new Set(["yes", "true", "true()", "1"]);
const NO = new Set(["no", "false", "false()", "0"]);

/** pyxform replaces typographic quotes in expressions (Excel and Word type them). */
const straightQuotes = (s: string) => s.replace(/[‘’‚‛′]/g, "'").replace(/[“”„‟″]/g, '"');

type Kind = "group" | "repeat" | "select";
/** Survey columns each kind of row uses (name and type aside). */
const ALLOWED: Record<Kind, ReadonlySet<string>> = {
  group: new Set(["label", "relevant", "appearance"]),
  repeat: new Set(["label", "relevant", "appearance", "repeat_count"]),
  select: new Set([
    "label",
    "hint",
    "required",
    "required_message",
    "relevant",
    "constraint",
    "constraint_message",
    "calculation",
    "choice_filter",
    "appearance",
    "default",
    "read_only",
    "parameters",
  ]),
};

const FIELD_COLUMNS: ReadonlySet<string> = new Set(
  [...ALLOWED.select].filter((c) => c !== "choice_filter"),
);

interface RowData {
  values: Map<string, string>;
  texts: Map<string, LocalizedText>;
  /** Headers of columns we do not load that have a value in this row. */
  unsupported: string[];
  hasValues: boolean;
  name: string | null;
}

interface Frame {
  kind: "group" | "repeat" | "loop";
  row: number;
  typeText: string;
  node: Group | Repeat;
  /** begin loop over <list> */
  list?: string;
}

const own = <T>(record: Record<string, T>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

class Importer {
  readonly report: XlsformReportEntry[] = [];
  readonly languages: string[] = [];
  readonly languageNames: Record<string, string> = {};
  /** The language of columns written without one: default_language, else "default". */
  plainLanguage: string = DEFAULT_LANGUAGE;
  readonly lists = new Map<string, ChoiceList>();
  /** Row of each loaded node (problems found after loading are reported on it). */
  readonly rowOf = new Map<FormNode, { row: number; type: string }>();
  /** Names of questions that were not loaded: references to them are reported as such. */
  readonly dropped = new Set<string>();
  settings: Record<string, string> = {};
  /** How default_language names the language, used when no column names it. */
  defaultLanguageName: string | undefined;
  settingsRow: number | null = null;

  /** Reports on a place of the workbook: this.at("survey", 12, "age").error(code, params, message). */
  at(
    sheet: XlsformSheet | null,
    row: number | null = null,
    name: string | null = null,
    type: string | null = null,
  ) {
    const entry =
      (level: "error" | "warning") =>
      (code: XlsformReportCode, params: Record<string, string | number>, message: string) => {
        this.report.push({ sheet, row, name, type, level, code, params, message });
      };
    return { error: entry("error"), warning: entry("warning") };
  }

  language(raw: string | null): string {
    if (raw === null || raw === "") return this.registerLanguage(this.plainLanguage);
    const parsed = parseLanguage(raw);
    if (parsed.name && parsed.code !== DEFAULT_LANGUAGE && !(parsed.code in this.languageNames)) {
      this.languageNames[parsed.code] = parsed.name;
    }
    return this.registerLanguage(parsed.code);
  }

  registerLanguage(code: string): string {
    if (!this.languages.includes(code)) this.languages.push(code);
    return code;
  }

  // ------------------------------------------------------------ settings

  readSettings(sheet: Sheet | undefined): void {
    if (!sheet) return;
    const first = sheet.rows[0];
    if (!first) return;
    this.settingsRow = first.row;
    sheet.headers.forEach((header, i) => {
      const lower = header.trim().toLowerCase();
      if (lower === "") return;
      const key = own(SETTING_ALIASES, lower) ?? lower;
      const cell = first.cells[i];
      const value = cell?.text ?? "";
      if (cell?.formulaWithoutValue) {
        this.at("settings", first.row).warning(
          "formula_without_value",
          { column: header },
          `The setting ${header} is a formula without a saved value; it was ignored`,
        );
        return;
      }
      if (value === "") return;
      if (!SUPPORTED_SETTINGS.has(key)) {
        this.at("settings", first.row).warning(
          "unsupported_setting",
          { setting: header },
          `The setting ${header} is not supported and was ignored`,
        );
        return;
      }
      this.settings[key] = value;
    });
    const lang = this.settings.default_language;
    if (lang) {
      // Not registered here: languages follow the order of the columns.
      const parsed = parseLanguage(lang);
      this.plainLanguage = parsed.code;
      if (parsed.name && parsed.code !== DEFAULT_LANGUAGE) this.defaultLanguageName = parsed.name;
    }
  }

  // ------------------------------------------------------------ choices

  readChoices(sheet: Sheet | undefined): void {
    if (!sheet) return;
    const columns = sheet.headers.map(parseChoicesHeader);
    const listCol = columns.findIndex((c) => c.key === "list_name");
    const nameCol = columns.findIndex((c) => c.key === "name");
    for (const meta of columns) if (meta.key === "label") this.language(meta.language);
    const allowDuplicates = YES.has((this.settings.allow_choice_duplicates ?? "").toLowerCase());
    const seen = new Map<string, Set<string>>();
    const truncated = new Set<string>();
    for (const r of sheet.rows) {
      const text = (i: number) => (i >= 0 ? (r.cells[i]?.text ?? "") : "");
      const listName = text(listCol);
      const name = text(nameCol);
      if (!listName) {
        if (r.cells.some((c) => c.text !== "")) {
          this.at("choices", r.row, name || null).warning(
            "choice_missing_list",
            {},
            "This choice has no list_name and was ignored",
          );
        }
        continue;
      }
      if (!NAME_PATTERN.test(listName) || listName.length > FORM_LIMITS.name) {
        this.at("choices", r.row, name || null).error(
          "invalid_list_name",
          { list: listName },
          `"${listName}" is not a valid list name; the choice was ignored`,
        );
        continue;
      }
      if (!name) {
        this.at("choices", r.row).error(
          "choice_missing_name",
          { list: listName },
          `A choice of the list ${listName} has no name and was ignored`,
        );
        continue;
      }
      let list = this.lists.get(listName);
      if (!list) {
        list = { name: listName, choices: [] };
        this.lists.set(listName, list);
        seen.set(listName, new Set());
      }
      if (list.choices.length >= FORM_LIMITS.choices) {
        if (!truncated.has(listName)) {
          truncated.add(listName);
          this.at("choices", r.row, name).error(
            "too_many_choices",
            { list: listName, max: FORM_LIMITS.choices },
            `The list ${listName} has more than ${FORM_LIMITS.choices} choices; the rest were ignored`,
          );
        }
        continue;
      }
      const names = seen.get(listName)!;
      if (names.has(name) && !allowDuplicates) {
        this.at("choices", r.row, name).warning(
          "duplicate_choice",
          { list: listName, name },
          `The list ${listName} has the choice ${name} twice`,
        );
      }
      names.add(name);
      const choice: Choice = { name: name.slice(0, FORM_LIMITS.name) };
      const label: LocalizedText = {};
      const extra: Record<string, string> = {};
      columns.forEach((meta, i) => {
        const cell = r.cells[i];
        const value = cell?.text ?? "";
        if (i === listCol || i === nameCol || meta.internal || meta.header === "") return;
        if (cell?.formulaWithoutValue) {
          this.at("choices", r.row, name).warning(
            "formula_without_value",
            { column: meta.header },
            `${meta.header} is a formula without a saved value; it was ignored`,
          );
          return;
        }
        if (value === "") return;
        if (meta.key === "label") {
          label[this.language(meta.language)] = this.clip(
            "choices",
            r.row,
            name,
            meta.header,
            value,
          );
        } else if (meta.translatable) {
          this.at("choices", r.row, name).warning(
            "unsupported_column",
            { column: meta.header },
            `Media (${meta.header}) are not supported; the choice is shown with its label`,
          );
        } else extra[meta.header] = this.clip("choices", r.row, name, meta.header, value);
      });
      if (Object.keys(label).length > 0) choice.label = label;
      if (Object.keys(extra).length > 0) choice.extra = extra;
      list.choices.push(choice);
    }
  }

  private clip(
    sheet: XlsformSheet,
    row: number,
    name: string | null,
    column: string,
    value: string,
  ): string {
    if (value.length <= FORM_LIMITS.text) return value;
    this.at(sheet, row, name).warning(
      "text_too_long",
      { column, max: FORM_LIMITS.text },
      `${column} is longer than ${FORM_LIMITS.text} characters and was cut`,
    );
    return value.slice(0, FORM_LIMITS.text);
  }

  // ------------------------------------------------------------ survey

  /** Languages in the survey's header order first, so an export keeps the author's order. */
  surveyLanguages(sheet: Sheet): void {
    const columns = sheet.headers.map(parseSurveyHeader);
    if (!columns.some((c) => c.key === "type")) {
      throw new XlsformError("no_type_column", "The survey sheet has no type column");
    }
    for (const c of columns) if (TRANSLATABLE.has(c.key)) this.language(c.language);
  }

  readSurvey(sheet: Sheet): FormNode[] {
    const columns = sheet.headers.map(parseSurveyHeader);
    const typeCol = columns.findIndex((c) => c.key === "type");

    const root: FormNode[] = [];
    const stack: Frame[] = [];
    const target = () => (stack.length > 0 ? stack[stack.length - 1]!.node.children : root);

    for (const r of sheet.rows) {
      const typeText = r.cells[typeCol]?.text ?? "";
      const row = this.rowValues(r, columns, typeText);
      if (typeText === "") {
        if (row.hasValues) {
          this.at("survey", r.row, row.name).warning(
            "row_without_type",
            {},
            "This row has no type and was ignored",
          );
        }
        continue;
      }
      const parsed = parseType(typeText);
      switch (parsed.kind) {
        case "end": {
          const frame = stack.pop();
          if (!frame) {
            this.at("survey", r.row, row.name, typeText).error(
              "unmatched_end",
              { found: typeText },
              `"${typeText}" closes nothing: no group or repeat is open here`,
            );
            continue;
          }
          if (frame.kind !== parsed.container) {
            this.at("survey", r.row, row.name, typeText).error(
              "mismatched_end",
              {
                found: typeText,
                expected: `end ${frame.kind}`,
                beginRow: frame.row,
                beginName: frame.node.name,
              },
              `"${typeText}" closes the ${frame.kind} "${frame.node.name}" (row ${frame.row}), which needs "end ${frame.kind}"`,
            );
          }
          this.close(frame, target());
          continue;
        }
        case "begin":
        case "begin_loop": {
          const kind = parsed.kind === "begin_loop" ? "loop" : parsed.container;
          const name = this.containerName(row.name, r.row, typeText, kind);
          const node = this.buildContainer(
            r.row,
            typeText,
            kind === "repeat" ? "repeat" : "group",
            name,
            row,
          );
          stack.push({
            kind,
            row: r.row,
            typeText,
            node,
            ...(parsed.kind === "begin_loop" ? { list: parsed.list } : {}),
          });
          continue;
        }
        case "unsupported":
          this.drop(row.name, r.row, typeText).error(
            "unsupported_type",
            { type: parsed.type },
            `The question type "${parsed.type}" is not supported; this question was not loaded`,
          );
          continue;
        case "metadata":
          this.drop(row.name, r.row, typeText).warning(
            "unsupported_metadata",
            { type: parsed.type },
            `The device property "${parsed.type}" is not collected; this row was skipped`,
          );
          continue;
        case "unknown":
          this.drop(row.name, r.row, typeText).error(
            "unknown_type",
            { type: parsed.type },
            `"${parsed.type}" is not a question type; this row was not loaded`,
          );
          continue;
        case "select_without_list":
          this.drop(row.name, r.row, typeText).error(
            "missing_list_name",
            {},
            `"${typeText}" needs the name of a choice list; this question was not loaded`,
          );
          continue;
        case "field": {
          const field = this.buildField(r.row, typeText, parsed, row);
          if (!field) continue;
          target().push(field);
          if (parsed.orOther) target().push(this.orOther(field, r.row, typeText));
          continue;
        }
      }
    }
    while (stack.length > 0) {
      const frame = stack.pop()!;
      this.at("survey", frame.row, frame.node.name, frame.typeText).error(
        "unclosed_container",
        { kind: frame.kind },
        `The ${frame.kind} "${frame.node.name}" is never closed (no "end ${frame.kind}"); it was closed at the end of the sheet`,
      );
      this.close(frame, target());
    }
    return root;
  }

  private rowValues(r: SheetRow, columns: ColumnMeta[], typeText: string): RowData {
    const values = new Map<string, string>();
    const texts = new Map<string, LocalizedText>();
    const unsupported: string[] = [];
    let hasValues = false;
    columns.forEach((meta, i) => {
      const cell = r.cells[i];
      if (!cell) return;
      if (cell.formulaWithoutValue && !meta.internal) {
        this.at("survey", r.row, null, typeText || null).warning(
          "formula_without_value",
          { column: meta.header },
          `${meta.header} is a formula without a saved value; it was ignored`,
        );
        return;
      }
      if (cell.text === "") return;
      hasValues = true;
      if (meta.internal) {
        // Kobo writes $autoname when the author left the name empty.
        if (meta.key === "$autoname") values.set("$autoname", cell.text);
        return;
      }
      if (meta.key === "type") return;
      if (meta.translatable) {
        if (!TRANSLATABLE.has(meta.key)) {
          unsupported.push(meta.header);
          return;
        }
        const lang = this.language(meta.language);
        const text = texts.get(meta.key) ?? {};
        if (text[lang] === undefined) text[lang] = cell.text;
        texts.set(meta.key, text);
        return;
      }
      if (!meta.known) {
        unsupported.push(meta.header);
        return;
      }
      if (!values.has(meta.key)) values.set(meta.key, cell.text);
    });
    const name = values.get("name") ?? values.get("$autoname") ?? null;
    return { values, texts, unsupported, hasValues, name };
  }

  /** Reports on a row whose question is not loaded (references to it are then reported as such). */
  private drop(name: string | null, row: number, type: string) {
    if (name) this.dropped.add(name);
    return this.at("survey", row, name, type);
  }

  private containerName(name: string | null, row: number, type: string, kind: string): string {
    if (name && NAME_PATTERN.test(name) && name.length <= FORM_LIMITS.name) return name;
    const generated = `${kind}_row${row}`;
    this.at("survey", row, name, type).warning(
      name ? "invalid_name" : "missing_name",
      { name: name ?? "", newName: generated },
      name
        ? `"${name}" is not a valid name; the ${kind} was named ${generated}`
        : `This ${kind} has no name; it was named ${generated}`,
    );
    return generated;
  }

  /** Common to every row: unsupported columns, columns the kind does not use. */
  private columnsOf(
    row: number,
    type: string,
    name: string,
    allowed: ReadonlySet<string>,
    data: RowData,
  ) {
    for (const header of data.unsupported) {
      const media = /^(media|image|audio|video|big-image)/i.test(header);
      this.at("survey", row, name, type).warning(
        "unsupported_column",
        { column: header },
        media
          ? `Media (${header}) are not supported; the question is shown without them`
          : `The column ${header} is not supported and was ignored`,
      );
    }
    for (const key of [...data.values.keys(), ...data.texts.keys()]) {
      if (key === "name" || key === "$autoname" || allowed.has(key)) continue;
      this.at("survey", row, name, type).warning(
        "column_ignored",
        { column: key },
        `${key} does not apply to "${type}" and was ignored`,
      );
    }
  }

  private text(
    row: number,
    name: string,
    column: string,
    text: LocalizedText | undefined,
  ): LocalizedText | undefined {
    if (!text) return undefined;
    const out: LocalizedText = {};
    for (const [lang, value] of Object.entries(text))
      out[lang] = this.clip("survey", row, name, column, value);
    return out;
  }

  /** Parses an expression cell; a failure is reported and the property left out. */
  private expression(
    row: number,
    name: string,
    type: string,
    column: string,
    raw: string | undefined,
    allowFields = false,
  ) {
    if (raw === undefined || raw === "") return undefined;
    const source = straightQuotes(raw);
    if (source.length > FORM_LIMITS.expression) {
      this.at("survey", row, name, type).error(
        "invalid_expression",
        { column, reason: "too_long" },
        `${column} is longer than ${FORM_LIMITS.expression} characters and was ignored`,
      );
      return undefined;
    }
    try {
      parseExpression(source, { allowFields });
      return source;
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      this.addProblem("survey", row, type, expressionProblem(name, column, source, e), column);
      return undefined;
    }
  }

  private flag(
    row: number,
    name: string,
    type: string,
    column: string,
    raw: string | undefined,
  ): boolean | string | undefined {
    if (raw === undefined) return undefined;
    const lower = raw.trim().toLowerCase();
    if (YES.has(lower)) return true;
    if (NO.has(lower) || lower === "") return undefined;
    return this.expression(row, name, type, column, raw);
  }

  private buildContainer(
    row: number,
    type: string,
    kind: "group" | "repeat",
    name: string,
    data: RowData,
  ): Group | Repeat {
    this.columnsOf(row, type, name, ALLOWED[kind], data);
    const base = {
      name,
      ...(data.texts.get("label")
        ? { label: this.text(row, name, "label", data.texts.get("label")) }
        : {}),
      ...this.optional(
        "relevant",
        this.expression(row, name, type, "relevant", data.values.get("relevant")),
      ),
      ...this.optional(
        "appearance",
        this.appearance(row, name, type, data.values.get("appearance")),
      ),
    };
    if (kind === "group") {
      const node: Group = { type: "group", ...base, children: [] };
      this.rowOf.set(node, { row, type });
      return node;
    }
    const node: Repeat = {
      type: "repeat",
      ...base,
      ...this.optional(
        "repeatCount",
        this.expression(row, name, type, "repeat_count", data.values.get("repeat_count")),
      ),
      children: [],
    };
    this.rowOf.set(node, { row, type });
    return node;
  }

  private optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
    return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
  }

  private appearance(
    row: number,
    name: string,
    type: string,
    raw: string | undefined,
  ): string | undefined {
    if (!raw) return undefined;
    if (/(^|\s)ex:/.test(raw)) {
      this.at("survey", row, name, type).warning(
        "external_app",
        { appearance: raw },
        `Launching another app (${raw}) is not supported; the question is asked directly`,
      );
    }
    if (raw.length > FORM_LIMITS.appearance) {
      this.at("survey", row, name, type).warning(
        "column_ignored",
        { column: "appearance" },
        `The appearance is too long and was ignored`,
      );
      return undefined;
    }
    return raw;
  }

  private parameters(
    row: number,
    name: string,
    type: string,
    raw: string | undefined,
  ): Record<string, string> | undefined {
    if (!raw) return undefined;
    const out: Record<string, string> = {};
    const bad: string[] = [];
    for (const part of raw.split(/[\s,;]+/).filter(Boolean)) {
      const m = /^([^=]{1,60})=(.{0,200})$/.exec(part);
      if (m) out[m[1]!.trim()] = m[2]!.trim();
      else bad.push(part);
    }
    if (bad.length > 0) {
      this.at("survey", row, name, type).warning(
        "invalid_parameters",
        { parameters: bad.join(" ") },
        `These parameters could not be read and were ignored: ${bad.join(" ")}`,
      );
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private buildField(
    row: number,
    type: string,
    parsed: Extract<ReturnType<typeof parseType>, { kind: "field" }>,
    data: RowData,
  ): Field | null {
    const name = data.name;
    if (!name) {
      this.at("survey", row, null, type).error(
        "missing_name",
        {},
        "This question has no name and was not loaded",
      );
      return null;
    }
    if (!NAME_PATTERN.test(name) || name.length > FORM_LIMITS.name) {
      this.drop(name, row, type).error(
        "invalid_name",
        { name },
        `"${name}" is not a valid name (letters, digits, _ - . ; not starting with a digit); the question was not loaded`,
      );
      return null;
    }
    if (parsed.list !== undefined && !this.lists.has(parsed.list)) {
      this.drop(name, row, type).error(
        "unknown_choice_list",
        { list: parsed.list },
        `The choice list "${parsed.list}" is not in the choices sheet; the question was not loaded`,
      );
      return null;
    }
    this.columnsOf(
      row,
      type,
      name,
      parsed.list !== undefined ? ALLOWED.select : FIELD_COLUMNS,
      data,
    );
    const v = (key: string) => data.values.get(key);
    const t = (key: string, column: string) => this.text(row, name, column, data.texts.get(key));
    const rawDefault = v("default");
    const field: Field = {
      type: parsed.type,
      name,
      ...this.optional("label", t("label", "label")),
      ...this.optional("hint", t("hint", "hint")),
      ...this.optional("required", this.flag(row, name, type, "required", v("required"))),
      ...this.optional("requiredMessage", t("required_message", "required_message")),
      ...this.optional("relevant", this.expression(row, name, type, "relevant", v("relevant"))),
      ...this.optional(
        "constraint",
        this.constraint(row, name, type, parsed.constraint, v("constraint")),
      ),
      ...this.optional("constraintMessage", t("constraint_message", "constraint_message")),
      ...this.optional(
        "calculation",
        this.expression(row, name, type, "calculation", v("calculation")),
      ),
      ...this.optional("readOnly", this.flag(row, name, type, "read_only", v("read_only"))),
      ...this.optional(
        "default",
        rawDefault !== undefined && isDynamicDefault(rawDefault)
          ? this.expression(row, name, type, "default", rawDefault)
          : rawDefault?.slice(0, FORM_LIMITS.text),
      ),
      ...this.optional("appearance", this.appearance(row, name, type, v("appearance"))),
      ...this.optional("choiceList", parsed.list),
      ...this.optional(
        "choiceFilter",
        parsed.list !== undefined
          ? this.expression(row, name, type, "choice_filter", v("choice_filter"), true)
          : undefined,
      ),
      ...this.optional("parameters", this.parameters(row, name, type, v("parameters"))),
    };
    this.rowOf.set(field, { row, type });
    return field;
  }

  private constraint(
    row: number,
    name: string,
    type: string,
    implied: string | undefined,
    raw: string | undefined,
  ) {
    const own = this.expression(row, name, type, "constraint", raw);
    if (!implied) return own;
    return own ? `(${implied}) and (${own})` : implied;
  }

  /** `select_one list or_other`: an "other" choice and a text question shown when it is picked (as pyxform does). */
  private orOther(select: Field, row: number, type: string): Field {
    const list = this.lists.get(select.choiceList!)!;
    const languages = this.languages.length > 0 ? this.languages : [this.plainLanguage];
    const all = (text: string): LocalizedText =>
      Object.fromEntries(languages.map((l) => [l, text]));
    if (!list.choices.some((c) => c.name === "other"))
      list.choices.push({ name: "other", label: all("Other") });
    const other: Field = {
      type: "text",
      name: `${select.name}_other`,
      label: all("Specify other."),
      relevant: `selected(\${${select.name}}, 'other')`,
    };
    this.rowOf.set(other, { row, type });
    return other;
  }

  private close(frame: Frame, into: FormNode[]): void {
    if (frame.kind !== "loop") {
      into.push(frame.node);
      return;
    }
    const list = frame.list ? this.lists.get(frame.list) : undefined;
    const info = this.rowOf.get(frame.node)!;
    if (!list) {
      this.dropped.add(frame.node.name);
      walkNodes(frame.node.children, (n) => this.dropped.add(n.name));
      this.at("survey", frame.row, frame.node.name, frame.typeText).error(
        "unknown_choice_list",
        { list: frame.list ?? "" },
        `The choice list "${frame.list ?? ""}" of this loop is not in the choices sheet; the loop was not loaded`,
      );
      return;
    }
    this.at("survey", frame.row, frame.node.name, frame.typeText).warning(
      "loop_expanded",
      { list: list.name, count: list.choices.length },
      `The loop over ${list.name} was written out as ${list.choices.length} groups, one per choice`,
    );
    const group = frame.node as Group;
    const inner = new Set<string>();
    walkNodes(group.children, (n) => inner.add(n.name));
    const expanded: Group = {
      ...group,
      children: list.choices.map((choice): Group => {
        const suffix = choice.name.replace(/[^\p{L}\p{N}_.-]/gu, "_");
        const rename = (n: string) => (inner.has(n) ? `${n}_${suffix}` : n);
        const labelOf = (lang: string) =>
          localize(choice.label, lang, { defaultLanguage: this.plainLanguage }) || choice.name;
        const copy = <T extends FormNode>(node: T): T => {
          const out = structuredClone(node);
          const source = this.rowOf.get(node);
          out.name = rename(node.name);
          relabel(out, choice.name, labelOf);
          renameReferences(out, rename);
          if (isContainer(out) && isContainer(node)) out.children = node.children.map(copy);
          if (source) this.rowOf.set(out, source);
          return out;
        };
        const child: Group = {
          type: "group",
          name: `${group.name}_${suffix}`,
          children: group.children.map(copy),
        };
        if (choice.label) child.label = { ...choice.label };
        this.rowOf.set(child, info);
        return child;
      }),
    };
    this.rowOf.set(expanded, info);
    into.push(expanded);
  }

  // ------------------------------------------------------------ after loading

  /** Same name twice: the later one is renamed (answers are keyed by name). */
  dedupe(questions: FormNode[]): void {
    const all = new Set<string>();
    walkNodes(questions, (n) => all.add(n.name));
    const seen = new Set<string>();
    walkNodes(questions, (n) => {
      if (!seen.has(n.name)) {
        seen.add(n.name);
        return;
      }
      let i = 2;
      while (all.has(`${n.name}_${i}`)) i++;
      const newName = `${n.name}_${i}`;
      const info = this.rowOf.get(n);
      this.at("survey", info?.row ?? null, n.name, info?.type ?? null).warning(
        "duplicate_name",
        { name: n.name, newName },
        `Another question is already named "${n.name}"; this one was renamed ${newName}`,
      );
      n.name = newName;
      all.add(newName);
      seen.add(newName);
    });
  }

  addProblem(
    sheet: XlsformSheet | null,
    row: number | null,
    type: string | null,
    p: FormProblem,
    column?: string,
  ): void {
    let code: XlsformReportCode =
      p.code === "dependency_cycle" ? "dependency_cycle" : (p.code as XlsformReportCode);
    let message = p.message;
    const params = { ...p.params, ...(column ? { column } : {}) };
    if (p.code === "unknown_reference" && this.dropped.has(String(p.params.reference))) {
      code = "reference_to_dropped";
      message = `${p.property ?? "This question"} refers to \${${p.params.reference}}, which was not loaded`;
    }
    this.at(sheet, row, p.name, type)[p.level](code, params, message);
  }

  settingsOf(fileName: string | undefined): FormSettings {
    const base = (fileName ?? "")
      .replace(/^.*[\\/]/, "")
      .replace(/\.[^.]*$/, "")
      .trim();
    const id = (this.settings.form_id || base || "form").slice(0, FORM_LIMITS.name);
    const title = (this.settings.form_title || this.settings.form_id || base || "Form").slice(
      0,
      300,
    );
    if (this.settings.default_language || this.languages.length === 0) {
      this.registerLanguage(this.plainLanguage);
    }
    if (this.defaultLanguageName && !(this.plainLanguage in this.languageNames)) {
      this.languageNames[this.plainLanguage] = this.defaultLanguageName;
    }
    const defaultLanguage = this.settings.default_language
      ? this.plainLanguage
      : this.languages.includes(DEFAULT_LANGUAGE)
        ? DEFAULT_LANGUAGE
        : this.languages[0]!;
    const settings: FormSettings = { title, id, defaultLanguage, languages: [...this.languages] };
    if (this.settings.version) settings.version = this.settings.version.slice(0, 100);
    if (Object.keys(this.languageNames).length > 0)
      settings.languageNames = { ...this.languageNames };
    if (this.settings.instance_name) {
      const source = straightQuotes(this.settings.instance_name);
      try {
        parseExpression(source);
        settings.instanceName = source;
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        this.addProblem(
          "settings",
          this.settingsRow,
          null,
          expressionProblem(null, "instance_name", source, e),
        );
      }
    }
    if (YES.has((this.settings.allow_choice_duplicates ?? "").toLowerCase()))
      settings.allowChoiceDuplicates = true;
    return settings;
  }
}

/** Replaces %(label)s and %(name)s of a loop body (pyxform's loop templates). */
function relabel(node: FormNode, choiceName: string, labelOf: (lang: string) => string): void {
  const fill = (text: LocalizedText | undefined) => {
    if (!text) return;
    for (const lang of Object.keys(text)) {
      text[lang] = text[lang]!.replaceAll("%(label)s", labelOf(lang)).replaceAll(
        "%(name)s",
        choiceName,
      );
    }
  };
  fill(node.label);
  if (!isContainer(node)) {
    fill(node.hint);
    fill(node.constraintMessage);
    fill(node.requiredMessage);
  }
}

function renameReferences(node: FormNode, rename: (name: string) => string): void {
  const swap = (s: string | undefined) =>
    s?.replace(/\$\{\s*([^}\s]+)\s*\}/g, (_all, n: string) => `\${${rename(n)}}`);
  if (node.relevant) node.relevant = swap(node.relevant);
  if (node.type === "repeat" && node.repeatCount) node.repeatCount = swap(node.repeatCount);
  if (isContainer(node)) return;
  for (const key of ["constraint", "calculation", "choiceFilter", "default"] as const) {
    if (node[key]) node[key] = swap(node[key]);
  }
  if (typeof node.required === "string") node.required = swap(node.required);
  if (typeof node.readOnly === "string") node.readOnly = swap(node.readOnly);
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

async function loadWorkbook(data: Uint8Array): Promise<ExcelJS.Workbook> {
  if (data.byteLength === 0) throw new XlsformError("empty_file", "The file is empty");
  if (startsWith(data, OLE_MAGIC)) {
    throw new XlsformError(
      "xls_not_supported",
      "Old Excel files (.xls) are not supported: save the form as .xlsx",
    );
  }
  if (!startsWith(data, ZIP_MAGIC))
    throw new XlsformError("not_xlsx", "The file is not an Excel workbook (.xlsx)");
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(
      Buffer.from(data.buffer, data.byteOffset, data.byteLength) as unknown as ArrayBuffer,
    );
  } catch {
    throw new XlsformError("not_xlsx", "The file is not a readable Excel workbook (.xlsx)");
  }
  return wb;
}

/**
 * Reads an XLSForm. Throws XlsformError when the file is not one (empty, not .xlsx,
 * no survey sheet, no type column, no rows, too many rows); otherwise returns the
 * form — everything that could be loaded — and the report of everything else.
 */
export async function importXlsform(
  data: Uint8Array | ArrayBuffer,
  options: XlsformImportOptions = {},
): Promise<XlsformImportResult> {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const wb = await loadWorkbook(bytes);
  const imp = new Importer();

  const byName = new Map<string, ExcelJS.Worksheet>();
  for (const ws of wb.worksheets) {
    const key = ws.name.trim().toLowerCase();
    if (KNOWN_SHEETS.has(key)) {
      if (!byName.has(key)) byName.set(key, ws);
    } else if (!SILENT_SHEETS.has(key)) {
      imp
        .at(null)
        .warning(
          "unsupported_sheet",
          { sheet: ws.name },
          `The sheet "${ws.name}" is not part of XLSForm's survey, choices and settings; it was ignored`,
        );
    }
  }
  const surveyWs = byName.get("survey");
  if (!surveyWs)
    throw new XlsformError("no_survey_sheet", "The workbook has no sheet named survey");

  const read = (ws: ExcelJS.Worksheet | undefined, max: number): Sheet | undefined => {
    if (!ws) return undefined;
    const sheet = readSheet(ws, max);
    if (sheet === "too_many_rows") {
      throw new XlsformError("too_many_rows", `The ${ws.name} sheet has more than ${max} rows`, {
        sheet: ws.name,
        max,
      });
    }
    return sheet;
  };
  const survey = read(surveyWs, XLSFORM_LIMITS.surveyRows)!;
  if (survey.headers.length === 0 || survey.rows.length === 0) {
    throw new XlsformError("empty_survey", "The survey sheet has no questions");
  }
  imp.readSettings(read(byName.get("settings"), 10));
  imp.surveyLanguages(survey);
  imp.readChoices(read(byName.get("choices"), XLSFORM_LIMITS.choiceRows));
  const questions = imp.readSurvey(survey);
  imp.dedupe(questions);

  const form: FormDefinition = {
    schemaVersion: FORM_SCHEMA_VERSION,
    settings: imp.settingsOf(options.fileName),
    questions,
    choiceLists: [...imp.lists.values()],
  };

  const nodeByName = new Map<string, FormNode>();
  walkNodes(questions, (n) => nodeByName.set(n.name, n));
  for (const p of checkForm(form)) {
    const node = p.name !== null ? nodeByName.get(p.name) : undefined;
    const info = node ? imp.rowOf.get(node) : undefined;
    imp.addProblem(
      node ? "survey" : p.property === "instanceName" ? "settings" : null,
      info?.row ?? null,
      info?.type ?? null,
      p,
    );
  }

  // The import builds what the schema allows; a failure here is a bug, not the author's.
  formDefinitionSchema.parse(form);
  imp.report.sort(
    (a, b) => sheetOrder(a.sheet) - sheetOrder(b.sheet) || (a.row ?? 0) - (b.row ?? 0),
  );
  return { form, report: imp.report };
}

const sheetOrder = (s: XlsformSheet | null) =>
  s === null ? 0 : s === "settings" ? 1 : s === "choices" ? 2 : 3;
