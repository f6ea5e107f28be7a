import { compileForm } from "./compile.ts";
import { ExpressionError, parseExpression, textReferences } from "./expr/index.ts";
import {
  isContainer,
  isSelect,
  walkNodes,
  type FormDefinition,
  type LocalizedText,
} from "./model.ts";

/* ------------------------------------------------------------------ */
/* Whole-form rules the JSON schema cannot say: unique names, known    */
/* references and choice lists, parseable expressions, no cycles.      */
/* The server refuses to publish a form with errors; the XLSForm       */
/* import reports all of them by row.                                  */
/* ------------------------------------------------------------------ */

export const FORM_PROBLEM_CODES = [
  "duplicate_name",
  "invalid_expression",
  "unsupported_function",
  "unsupported_syntax",
  "unknown_reference",
  "missing_choice_list",
  "unknown_choice_list",
  "dependency_cycle",
  "missing_calculation",
  "empty_container",
  "unknown_language",
] as const;
export type FormProblemCode = (typeof FORM_PROBLEM_CODES)[number];

export interface FormProblem {
  level: "error" | "warning";
  code: FormProblemCode;
  /** The question (or group/repeat) concerned; null for the form's settings. */
  name: string | null;
  /** The property concerned: relevant, calculation, label, … */
  property?: string;
  params: Record<string, string | number>;
  /** English, for logs and API users; clients translate `code` with `params`. */
  message: string;
}

/** Maps an expression error to a problem (shared with the XLSForm import). */
export function expressionProblem(
  name: string | null,
  property: string,
  source: string,
  error: ExpressionError,
): FormProblem {
  const code: FormProblemCode =
    error.code === "unsupported_function"
      ? "unsupported_function"
      : error.code === "unsupported_syntax"
        ? "unsupported_syntax"
        : "invalid_expression";
  return {
    level: "error",
    code,
    name,
    property,
    params: { ...error.params, property, expression: source, reason: error.code },
    message: `${property}: ${error.message} in "${source}"`,
  };
}

/** Every problem of a (structurally valid) form definition. */
export function checkForm(form: FormDefinition): FormProblem[] {
  const c = compileForm(form);
  const problems: FormProblem[] = [];
  const add = (p: FormProblem) => problems.push(p);
  const languages = new Set(form.settings.languages);
  const unknownLanguages = new Set<string>();

  for (const name of new Set(c.duplicates)) {
    add({
      level: "error",
      code: "duplicate_name",
      name,
      params: { name },
      message: `More than one question is named "${name}"`,
    });
  }
  for (const f of c.expressionFailures)
    add(expressionProblem(f.name, f.property, f.source, f.error));

  const checkRefs = (name: string | null, property: string, refs: readonly string[]) => {
    for (const ref of refs) {
      if (c.byName.has(ref)) continue;
      add({
        level: "warning",
        code: "unknown_reference",
        name,
        property,
        params: { reference: ref, property },
        message: `${property} refers to \${${ref}}, which is not a question of the form`,
      });
    }
  };
  const checkText = (name: string, property: string, text: LocalizedText | undefined) => {
    if (!text) return;
    for (const [lang, value] of Object.entries(text)) {
      if (!languages.has(lang)) unknownLanguages.add(lang);
      checkRefs(name, property, textReferences(value));
    }
  };

  walkNodes(form.questions, (node) => {
    const compiled = c.byName.get(node.name);
    if (compiled?.node === node) {
      for (const [property, parsed] of Object.entries(compiled.expr)) {
        checkRefs(node.name, property, parsed?.refs ?? []);
      }
    }
    checkText(node.name, "label", node.label);
    if (isContainer(node)) {
      if (node.children.length === 0) {
        add({
          level: "warning",
          code: "empty_container",
          name: node.name,
          params: { name: node.name },
          message: `The ${node.type} "${node.name}" has no questions`,
        });
      }
      return;
    }
    checkText(node.name, "hint", node.hint);
    checkText(node.name, "requiredMessage", node.requiredMessage);
    checkText(node.name, "constraintMessage", node.constraintMessage);
    if (isSelect(node)) {
      if (!node.choiceList) {
        add({
          level: "error",
          code: "missing_choice_list",
          name: node.name,
          params: { name: node.name },
          message: `The select "${node.name}" has no choice list`,
        });
      } else if (!c.choiceLists.has(node.choiceList)) {
        add({
          level: "error",
          code: "unknown_choice_list",
          name: node.name,
          params: { list: node.choiceList },
          message: `The choice list "${node.choiceList}" does not exist`,
        });
      }
    }
    if (node.type === "calculate" && !node.calculation) {
      add({
        level: "warning",
        code: "missing_calculation",
        name: node.name,
        params: { name: node.name },
        message: `The calculation "${node.name}" has no expression`,
      });
    }
  });

  for (const list of form.choiceLists) {
    for (const choice of list.choices) {
      for (const lang of Object.keys(choice.label ?? {}))
        if (!languages.has(lang)) unknownLanguages.add(lang);
    }
  }
  for (const lang of unknownLanguages) {
    add({
      level: "warning",
      code: "unknown_language",
      name: null,
      params: { language: lang },
      message: `Texts in "${lang}", which is not one of the form's languages`,
    });
  }
  if (!languages.has(form.settings.defaultLanguage)) {
    add({
      level: "error",
      code: "unknown_language",
      name: null,
      property: "defaultLanguage",
      params: { language: form.settings.defaultLanguage },
      message: `The default language "${form.settings.defaultLanguage}" is not one of the form's languages`,
    });
  }
  if (form.settings.instanceName) {
    try {
      checkRefs(null, "instanceName", parseExpression(form.settings.instanceName).refs);
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      add(expressionProblem(null, "instanceName", form.settings.instanceName, e));
    }
  }

  for (const cycle of c.cycles) {
    add({
      level: "error",
      code: "dependency_cycle",
      name: cycle[0]!,
      params: { names: cycle.join(", ") },
      message: `These questions depend on each other in a circle: ${cycle.join(", ")}`,
    });
  }
  return problems;
}
