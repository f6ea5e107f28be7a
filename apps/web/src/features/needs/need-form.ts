import type { NeedUrgency } from "@kaveret/contracts";
import type { UiLocale } from "../../i18n/locales.ts";

/** The staff entry form (a need heard by phone or face to face). */
export interface NeedFormValues {
  /** Made once per form, so a retried save never makes the need twice. */
  id: string;
  channel: "phone" | "face_to_face";
  description: string;
  category: string;
  urgency: NeedUrgency;
  location: { lat: number; lon: number } | null;
  addressText: string;
  communityId: string;
  resident: { id: string; name: string } | null;
  language: UiLocale;
  contactName: string;
  contactPhone: string;
  contactConsent: boolean;
  assigneeId: string;
}

/**
 * A random v4 UUID. crypto.randomUUID exists only on HTTPS (and localhost); municipal
 * installations often start on plain HTTP, where getRandomValues still works.
 */
export function newNeedId(
  random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer> = (b) =>
    crypto.getRandomValues(b),
): string {
  const b = random(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function emptyNeedForm(id: string, language: UiLocale): NeedFormValues {
  return {
    id,
    channel: "phone",
    description: "",
    category: "",
    urgency: "normal",
    location: null,
    addressText: "",
    communityId: "",
    resident: null,
    language,
    contactName: "",
    contactPhone: "",
    contactConsent: false,
    assigneeId: "",
  };
}

/** The POST /api/needs body before the contract's schema checks it. */
export function toCreateBody(v: NeedFormValues): Record<string, unknown> {
  const phone = v.contactPhone.trim();
  return {
    id: v.id,
    channel: v.channel,
    category: v.category || null,
    urgency: v.urgency,
    description: v.description.trim(),
    location: v.location,
    addressText: v.addressText.trim(),
    communityId: v.communityId || null,
    residentId: v.resident?.id ?? null,
    assigneeId: v.assigneeId || null,
    language: v.language,
    contactName: v.contactName.trim(),
    contactPhone: phone || null,
    contactConsent: v.contactConsent,
  };
}

/** Contact details are kept only with the person's consent: ask for it when any were given. */
export function needsConsent(
  v: Pick<NeedFormValues, "contactName" | "contactPhone" | "contactConsent">,
): boolean {
  return !v.contactConsent && (v.contactName.trim() !== "" || v.contactPhone.trim() !== "");
}

/** A server or schema field path ("body.contactPhone", "location.lat") → the form field it belongs to. */
export function formFieldOf(path: string): string {
  const p = path.replace(/^body\./, "");
  if (p.startsWith("location")) return "location";
  if (p === "residentId") return "resident";
  if (p === "assigneeId") return "assigneeId";
  return p.split(".")[0] ?? p;
}
