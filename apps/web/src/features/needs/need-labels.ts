import type { TFunction } from "i18next";
import type { NeedCategory, NeedCategoryLabels } from "@kaveret/contracts";
import type { UiLocale } from "../../i18n/locales.ts";

type Labels = Pick<NeedCategoryLabels, "he" | "ar" | "en" | "ru" | "am">;

/**
 * A category's name in the reader's language: the department's own label, else the
 * built-in translation of a default code, else the Hebrew label, else the code.
 */
export function categoryName(
  t: TFunction,
  code: string | null,
  categories: readonly { code: string; labels: Labels }[] | undefined,
  locale: UiLocale,
): string {
  if (!code) return t("needs.uncategorized");
  const found = categories?.find((c) => c.code === code);
  const own = found?.labels[locale]?.trim();
  if (own) return own;
  const builtIn = t(`needs.categories.${code}`, { defaultValue: "" });
  if (builtIn) return builtIn;
  return found?.labels.he?.trim() || code;
}

/** Active categories in the department's order (for pickers). */
export function activeCategories(items: readonly NeedCategory[] | undefined): NeedCategory[] {
  return [...(items ?? [])]
    .filter((c) => c.active)
    .sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code));
}

/** A short excerpt of a description for lists (whole words, an ellipsis when cut). */
export function excerpt(text: string, max = 140): string {
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Metres as people say them ("80 m", "1.2 km"). */
export function distanceLabel(t: TFunction, meters: number | null): string | null {
  if (meters === null || !Number.isFinite(meters)) return null;
  if (meters < 1000) return t("needs.distance.meters", { m: Math.round(meters) });
  return t("needs.distance.km", { km: (Math.round(meters / 100) / 10).toFixed(1) });
}
