import type { TFunction } from "i18next";
import { ApiError, issuesOf, type FieldIssue } from "../api/client.ts";

/** The translated sentence for any error (ApiError code → errors.<code>, else generic). */
export function errorMessage(t: TFunction, err: unknown): string {
  const generic = t("errors.generic");
  if (err instanceof ApiError) {
    return t(`errors.${err.code}`, { defaultValue: generic });
  }
  return generic;
}

interface IssueLike {
  code: string;
  path: PropertyKey[];
  message?: string;
  minimum?: unknown;
  maximum?: unknown;
  origin?: unknown;
  format?: unknown;
  input?: unknown;
}

/** A translated message for one validation issue (from zod on the client, or from the server). */
export function issueMessage(t: TFunction, issue: IssueLike): string {
  const origin = typeof issue.origin === "string" ? issue.origin : undefined;
  switch (issue.code) {
    case "too_small":
      if (origin === "string" && typeof issue.minimum === "number") {
        return issue.minimum <= 1
          ? t("validation.required")
          : t("validation.too_short", { count: issue.minimum });
      }
      if ((origin === "number" || origin === "int") && typeof issue.minimum === "number") {
        return t("validation.min_value", { min: issue.minimum });
      }
      if (origin === "array") return t("validation.required");
      return t("validation.too_small");
    case "too_big":
      if (origin === "string" && typeof issue.maximum === "number") {
        return t("validation.too_long", { count: issue.maximum });
      }
      if ((origin === "number" || origin === "int") && typeof issue.maximum === "number") {
        return t("validation.max_value", { max: issue.maximum });
      }
      return t("validation.too_big");
    case "invalid_format":
      return issue.format === "email"
        ? t("validation.invalid_email")
        : t("validation.invalid_format");
    case "invalid_type":
      return issue.input === undefined || issue.input === null || issue.input === ""
        ? t("validation.required")
        : t("validation.invalid");
    case "custom":
      return issue.message && /required/i.test(issue.message)
        ? t("validation.required")
        : t("validation.invalid");
    default:
      return t("validation.invalid");
  }
}

export type FieldErrors = Record<string, string>;

/** Field errors keyed by dotted path ("altNames.he"), first issue per field wins. */
export function toFieldErrors(t: TFunction, issues: readonly IssueLike[]): FieldErrors {
  const out: FieldErrors = {};
  for (const i of issues) {
    const key = i.path.map((p) => String(p)).join(".") || "_form";
    if (!(key in out)) out[key] = issueMessage(t, i);
  }
  return out;
}

/** Field errors from a server validation_failed answer. */
export function serverFieldErrors(t: TFunction, err: unknown): FieldErrors {
  const issues: FieldIssue[] = issuesOf(err);
  return toFieldErrors(t, issues);
}
