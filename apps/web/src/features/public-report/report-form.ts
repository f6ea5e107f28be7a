/**
 * The public report form's rules, mirroring publicNeedBodySchema (a test keeps them in
 * step) so every message is the page's own, in all five languages.
 */
import { NEED_LIMITS } from "@kaveret/contracts";
import type { UiLocale } from "../../i18n/locales.ts";
import { isPlausiblePhone, normalizePhone } from "../../lib/phone.ts";

export const DESCRIPTION_MIN = 5;
export const DESCRIPTION_MAX = NEED_LIMITS.description;

export interface ReportValues {
  /** null = "other / not sure". */
  category: string | null;
  description: string;
  location: { lat: number; lon: number } | null;
  addressText: string;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
  contactConsent: boolean;
  /** The honeypot: people never see it, so it stays empty. */
  website: string;
}

export const emptyReport = (): ReportValues => ({
  category: null,
  description: "",
  location: null,
  addressText: "",
  contactName: "",
  contactPhone: "",
  contactEmail: "",
  contactConsent: false,
  website: "",
});

export type ReportField =
  | "description"
  | "contactPhone"
  | "contactEmail"
  | "contactConsent"
  | "addressText"
  | "contactName"
  | "photos"
  | "location";

/** Translation keys (publicReport.problem.*) of what must be fixed, per field. */
export type ReportProblems = Partial<Record<ReportField, string>>;

// Close enough to the server's e-mail check for a hint; the server has the last word.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

/** What is wrong with the form, field by field (empty when it may be sent). */
export function reportProblems(v: ReportValues): ReportProblems {
  const out: ReportProblems = {};
  const description = v.description.trim();
  if (description.length === 0) out.description = "publicReport.problem.descriptionEmpty";
  else if (description.length < DESCRIPTION_MIN)
    out.description = "publicReport.problem.descriptionShort";
  else if (description.length > DESCRIPTION_MAX)
    out.description = "publicReport.problem.descriptionLong";
  if (v.addressText.trim().length > 200) out.addressText = "publicReport.problem.tooLong";
  if (v.contactName.trim().length > 80) out.contactName = "publicReport.problem.tooLong";
  const phone = v.contactPhone.trim();
  if (phone && !isPlausiblePhone(normalizePhone(phone)))
    out.contactPhone = "publicReport.problem.phone";
  const email = v.contactEmail.trim();
  if (email && (!EMAIL.test(email) || email.length > 200))
    out.contactEmail = "publicReport.problem.email";
  if ((phone || email) && !v.contactConsent) out.contactConsent = "publicReport.problem.consent";
  return out;
}

/** The JSON the server receives (the `report` field, or the whole body without photos). */
export function reportBody(v: ReportValues, language: UiLocale, startedAt: number) {
  const phone = v.contactPhone.trim();
  const email = v.contactEmail.trim();
  // Without consent no contact detail is sent at all (not even the name).
  const consent = v.contactConsent;
  return {
    category: v.category,
    description: v.description.trim(),
    location: v.location,
    addressText: v.addressText.trim(),
    language,
    contactName: consent ? v.contactName.trim() : "",
    contactPhone: consent && phone ? phone : null,
    contactEmail: consent && email ? email : null,
    contactConsent: consent,
    website: v.website,
    startedAt,
  };
}

/** A server error code → the page's own sentence (publicReport.error.*). */
export function errorKey(code: string): string {
  switch (code) {
    case "need.attachment_too_large":
    case "payload_too_large":
      return "publicReport.error.photoTooLarge";
    case "need.attachment_type":
    case "unsupported_media_type":
      return "publicReport.error.photoType";
    case "need.attachments_full":
      return "publicReport.error.tooManyPhotos";
    case "need.spam":
      return "publicReport.error.spam";
    case "need.intake_closed":
      return "publicReport.error.closed";
    case "need.origin_not_allowed":
      return "publicReport.error.originNotAllowed";
    case "rate_limited":
      return "publicReport.error.rateLimited";
    case "validation_failed":
    case "bad_request":
    case "malformed_json":
      return "publicReport.error.validation";
    case "network_error":
      return "publicReport.error.network";
    case "not_found":
    case "route_not_found":
      return "publicReport.error.notFound";
    default:
      return "publicReport.error.generic";
  }
}

const FIELD_OF: Record<string, ReportField> = {
  description: "description",
  contactPhone: "contactPhone",
  contactEmail: "contactEmail",
  contactConsent: "contactConsent",
  contactName: "contactName",
  addressText: "addressText",
  location: "location",
  photos: "photos",
};

/** Field problems from a server validation_failed answer (paths like ["report","contactPhone"]). */
export function serverProblems(issues: readonly { path: readonly string[] }[]): ReportProblems {
  const out: ReportProblems = {};
  for (const i of issues) {
    const field = i.path.map((p) => FIELD_OF[p]).find((f) => f !== undefined);
    if (!field || out[field]) continue;
    out[field] =
      field === "contactPhone"
        ? "publicReport.problem.phone"
        : field === "contactEmail"
          ? "publicReport.problem.email"
          : field === "contactConsent"
            ? "publicReport.problem.consent"
            : field === "description"
              ? "publicReport.problem.descriptionShort"
              : "publicReport.problem.invalid";
  }
  return out;
}

/** The language to open in: ?lang=, else this device's choice, else the browser's, else Hebrew. */
export function initialLocale(
  param: string | undefined,
  stored: UiLocale | null,
  browser: readonly string[],
  known: readonly UiLocale[],
): UiLocale {
  const isKnown = (v: string | undefined | null): v is UiLocale =>
    !!v && (known as readonly string[]).includes(v);
  if (isKnown(param)) return param;
  if (stored) return stored;
  for (const b of browser) {
    const base = b.toLowerCase().split("-")[0];
    if (isKnown(base)) return base;
  }
  return "he";
}
