import type { TFunction } from "i18next";
import type { ImportEntity, ImportStatus } from "@kaveret/contracts";

export const ENTITIES: readonly ImportEntity[] = ["residents", "assets", "community_figures"];

export function isEntity(v: unknown): v is ImportEntity {
  return typeof v === "string" && (ENTITIES as readonly string[]).includes(v);
}

export const STATUS_COLOR: Record<ImportStatus, string> = {
  uploaded: "gray",
  validating: "blue",
  validated: "teal",
  importing: "blue",
  done: "green",
  failed: "red",
  cancelled: "gray",
};

/** A target field's label; figure indicators use the profile's own words. */
export function fieldLabel(t: TFunction, entity: ImportEntity, key: string): string {
  return t(`imports.fields.${entity}.${key}`, { defaultValue: key });
}

export function rowCodeLabel(t: TFunction, code: string): string {
  return t(`imports.rowCodes.${code}`, { defaultValue: code });
}

export function failureLabel(t: TFunction, failure: string | null): string {
  if (!failure) return t("imports.failure.unknown");
  const key = failure.replace(/^import\./, "");
  return t(`imports.failure.${key}`, { defaultValue: t("imports.failure.unknown") });
}

export const BYTES_PER_MB = 1024 * 1024;
