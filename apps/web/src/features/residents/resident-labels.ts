import type { TFunction } from "i18next";
import type { Role } from "@kaveret/contracts";

/** "First Last". */
export function fullName(r: { firstName: string; lastName: string }): string {
  return `${r.firstName} ${r.lastName}`.trim();
}

/**
 * An E.164 number as Israelis read it ("+972501234567" → "050-123-4567");
 * numbers from abroad stay as they are.
 */
export function formatPhone(e164: string): string {
  const m = /^\+972(\d{8,9})$/.exec(e164);
  if (!m?.[1]) return e164;
  const local = `0${m[1]}`;
  if (local.length === 10) return `${local.slice(0, 3)}-${local.slice(3, 6)}-${local.slice(6)}`;
  return `${local.slice(0, 2)}-${local.slice(2, 5)}-${local.slice(5)}`;
}

/** "HaGefen 12, apt. 3" (or null when nothing of the address is known). */
export function addressLine(
  t: TFunction,
  a: { streetName: string | null; houseNumber: string | null; apartment: string | null },
): string | null {
  // Isolated (FSI … PDI), so a Hebrew street keeps its order inside an English or Arabic line.
  const streetText = [a.streetName, a.houseNumber].filter(Boolean).join(" ");
  const street = streetText ? `\u2068${streetText}\u2069` : "";
  const apt = a.apartment ? t("residents.aptShort", { apartment: a.apartment }) : "";
  const line = [street, apt].filter(Boolean).join(", ");
  return line || null;
}

/** Who sees the whole record of (some) residents, and so the filters and the sensitive fields. */
export function readsFullRecords(roles: readonly Role[]): boolean {
  return roles.some((r) => r === "manager" || r === "community_worker" || r === "social_worker");
}

/** Who keeps the registry: new records, import, export, the duplicates queue. */
export function keepsRegistry(roles: readonly Role[]): boolean {
  return roles.some((r) => r === "manager" || r === "community_worker");
}

/** Keeps a date, time or number left to right inside a sentence in any language (LRI … PDI). */
export function ltr(text: string): string {
  return `\u2066${text}\u2069`;
}
