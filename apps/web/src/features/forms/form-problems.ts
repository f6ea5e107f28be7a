/**
 * Problems of a form definition (checkForm, locally or from the server) and of an
 * XLSForm import report, in the reader's language: the stable code is translated with
 * its params; the English message is the fallback for a code we have no sentence for.
 */
import type { TFunction } from "i18next";

export interface ProblemLike {
  level: "error" | "warning";
  code: string;
  message: string;
  params?: Record<string, unknown>;
  /** The question concerned (null/absent: the form's settings). */
  name?: string | null;
  property?: string;
  sheet?: string;
  row?: number;
}

// Every param a sentence may use, empty unless the problem has it (i18next would print "{{x}}").
const PARAM_KEYS = [
  "name",
  "newName",
  "list",
  "type",
  "column",
  "setting",
  "sheet",
  "kind",
  "max",
  "count",
  "found",
  "expected",
  "appearance",
  "parameters",
  "reference",
  "names",
  "expression",
  "language",
  "function",
  "functions",
  "position",
  "syntax",
] as const;

/** The property a problem is about (relevant, calculation, label, …), when it says. */
export function problemProperty(p: ProblemLike): string | undefined {
  if (p.property) return p.property;
  const v = p.params?.property ?? p.params?.column;
  return typeof v === "string" ? v : undefined;
}

function params(t: TFunction, p: ProblemLike): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of PARAM_KEYS) {
    const v = p.params?.[k];
    out[k] = typeof v === "string" || typeof v === "number" ? String(v) : "";
  }
  const property = problemProperty(p);
  out.property = property ? t(`forms.property.${property}`, { defaultValue: property }) : "";
  return out;
}

/** A definition problem (checkForm's codes) as a sentence. */
export function problemText(t: TFunction, p: ProblemLike): string {
  return t(`forms.problem.${p.code}`, { ...params(t, p), defaultValue: p.message });
}

/** An XLSForm import report entry as a sentence. */
export function importReportText(t: TFunction, p: ProblemLike): string {
  return t(`forms.xlsform.${p.code}`, { ...params(t, p), defaultValue: p.message });
}

/** Problems grouped by the question they concern; "" holds the form's own. */
export function problemsByName<P extends ProblemLike>(problems: readonly P[]): Map<string, P[]> {
  const out = new Map<string, P[]>();
  for (const p of problems) {
    const key = p.name ?? "";
    const list = out.get(key);
    if (list) list.push(p);
    else out.set(key, [p]);
  }
  return out;
}

export const errorCount = (problems: readonly ProblemLike[]) =>
  problems.filter((p) => p.level === "error").length;

/** Problems from a form.invalid_definition error's details (opening a form with errors). */
export function problemsOfDetails(details: unknown): ProblemLike[] {
  if (typeof details !== "object" || details === null) return [];
  const list = (details as { problems?: unknown }).problems;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (p): p is ProblemLike =>
      typeof p === "object" &&
      p !== null &&
      typeof (p as ProblemLike).code === "string" &&
      typeof (p as ProblemLike).message === "string",
  );
}
