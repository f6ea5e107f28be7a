import { z } from "zod";
import { LOCALES, localeSchema } from "./common.ts";

/*
 * Names in several languages: a department's or a community's `name` is its Hebrew name;
 * `altNames` (stored) keeps the others by locale. Public pages get them as `names` and show
 * the one in the page's language, else the Hebrew name.
 */

/** The languages a department names itself in besides Hebrew (its `name`). */
export const DEPARTMENT_NAME_LOCALES = ["ar", "en", "ru", "am"] as const;
export type DepartmentNameLocale = (typeof DEPARTMENT_NAME_LOCALES)[number];
export const DEPARTMENT_NAME_MAX = 200;

/** Control characters and bidi marks, embeddings, overrides and isolates: never part of a name. */
const FORBIDDEN_IN_NAME = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** One name: trimmed, at most 200 characters; "" clears it (the Hebrew name is shown). */
export const altNameSchema = z
  .string()
  .trim()
  .max(DEPARTMENT_NAME_MAX)
  .refine((s) => !FORBIDDEN_IN_NAME.test(s), { message: "control_characters" });

export const departmentAltNamesSchema = z.partialRecord(
  z.enum(DEPARTMENT_NAME_LOCALES),
  z.string(),
);
export type DepartmentAltNames = z.infer<typeof departmentAltNamesSchema>;

/**
 * PATCH /api/department/names (managers): the languages given are set, "" clears one,
 * the others stay as they are.
 */
export const updateDepartmentNamesBodySchema = z
  .object({
    altNames: z
      .object({ ar: altNameSchema, en: altNameSchema, ru: altNameSchema, am: altNameSchema })
      .partial()
      .strict(),
  })
  .strict();
export type UpdateDepartmentNamesBody = z.infer<typeof updateDepartmentNamesBodySchema>;

/** A name in the languages it has besides `name` (those missing fall back to `name`). */
export const localNamesSchema = z.partialRecord(localeSchema, z.string());
export type LocalNames = z.infer<typeof localNamesSchema>;

/** The names a public page may show: known locales with a non-empty name only. */
export function localNames(altNames: Record<string, unknown> | null | undefined): LocalNames {
  const out: LocalNames = {};
  for (const l of LOCALES) {
    const v = altNames?.[l];
    if (typeof v === "string" && v.trim() !== "") out[l] = v.trim();
  }
  return out;
}

/** The name in a language, else the Hebrew name. */
export function nameIn(item: { name: string; names?: LocalNames }, locale: string): string {
  return item.names?.[locale as keyof LocalNames]?.trim() || item.name;
}

/** A department as public pages name it: the Hebrew name and its names in other languages. */
export const publicDepartmentSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  names: localNamesSchema,
});
export type PublicDepartment = z.infer<typeof publicDepartmentSchema>;
