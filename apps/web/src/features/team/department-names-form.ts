import {
  DEPARTMENT_NAME_LOCALES,
  updateDepartmentNamesBodySchema,
  type DepartmentAltNames,
  type DepartmentNameLocale,
  type UpdateDepartmentNamesBody,
} from "@kaveret/contracts";

/** The card's fields: one name per language, "" when the department has none in it. */
export type NamesValues = Record<DepartmentNameLocale, string>;

/** A problem with one field, as a translation key. */
export type NamesProblems = Partial<Record<DepartmentNameLocale, string>>;

export function namesValues(saved: DepartmentAltNames | undefined): NamesValues {
  return Object.fromEntries(
    DEPARTMENT_NAME_LOCALES.map((l) => [l, saved?.[l] ?? ""]),
  ) as NamesValues;
}

const keyOf = (issue: { code: string; message?: string }): string =>
  issue.code === "too_big"
    ? "departmentNames.errors.tooLong"
    : issue.message === "control_characters"
      ? "departmentNames.errors.characters"
      : "departmentNames.errors.invalid";

/** The contract's own check (trimmed, ≤ 200 characters, no control characters), per field. */
export function namesProblems(values: NamesValues): NamesProblems {
  const parsed = updateDepartmentNamesBodySchema.safeParse({ altNames: values });
  if (parsed.success) return {};
  return problemsFrom(parsed.error.issues.map((i) => ({ ...i, path: i.path.map(String) })));
}

/** Issues from the client or the server ("body.altNames.ar") → a problem per language. */
export function problemsFrom(
  issues: readonly { path: readonly string[]; code: string; message?: string }[],
): NamesProblems {
  const out: NamesProblems = {};
  for (const issue of issues) {
    const path = issue.path[0] === "body" ? issue.path.slice(1) : issue.path;
    const locale = path[0] === "altNames" ? path[1] : undefined;
    if (!(DEPARTMENT_NAME_LOCALES as readonly (string | undefined)[]).includes(locale)) continue;
    const l = locale as DepartmentNameLocale;
    out[l] ??= keyOf(issue);
  }
  return out;
}

/** What to send: the languages whose name changed (trimmed; "" clears), or null for none. */
export function namesBody(
  values: NamesValues,
  saved: DepartmentAltNames,
): UpdateDepartmentNamesBody | null {
  const altNames: UpdateDepartmentNamesBody["altNames"] = {};
  for (const l of DEPARTMENT_NAME_LOCALES) {
    const next = values[l].trim();
    if (next !== (saved[l] ?? "")) altNames[l] = next;
  }
  return Object.keys(altNames).length > 0 ? { altNames } : null;
}
