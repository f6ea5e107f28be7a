import {
  WEEKDAYS,
  type Asset,
  type AssetType,
  type CreateAssetInput,
  type OrganizationKind,
  type Weekday,
} from "@kaveret/contracts";
import { displayPhone } from "./asset-labels.ts";
import { WORK_WEEK } from "./opening-hours.ts";

/** One row of the opening-hours editor (`key` keeps React rows stable while editing). */
export interface HoursRow {
  key: string;
  day: Weekday;
  opens: string;
  closes: string;
  note: string;
}

export interface AssetFormValues {
  name: string;
  altNames: { he: string; ar: string; en: string };
  type: AssetType | "";
  description: string;
  /** An existing organization, a new one by name, or none. */
  organizationMode: "existing" | "new";
  organizationId: string | null;
  organizationName: string | null;
  newOrganizationName: string;
  newOrganizationKind: OrganizationKind;
  townId: string | null;
  streetId: string | null;
  streetName: string | null;
  houseNumber: string;
  address: string;
  /** "" = department-wide. */
  communityId: string;
  location: { lat: number; lon: number } | null;
  capacity: number | "";
  occupancy: number | "";
  accessibility: string;
  phone: string;
  email: string;
  website: string;
  languages: string[];
  openingHours: HoursRow[];
  serviceIds: string[];
  /** Names of the services already chosen (the picker lists only a page of them). */
  serviceNames: Record<string, string>;
}

let rowSeq = 0;
export const newRowKey = () => `row-${++rowSeq}`;

export function emptyValues(): AssetFormValues {
  return {
    name: "",
    altNames: { he: "", ar: "", en: "" },
    type: "",
    description: "",
    organizationMode: "existing",
    organizationId: null,
    organizationName: null,
    newOrganizationName: "",
    newOrganizationKind: "community",
    townId: null,
    streetId: null,
    streetName: null,
    houseNumber: "",
    address: "",
    communityId: "",
    location: null,
    capacity: "",
    occupancy: "",
    accessibility: "",
    phone: "",
    email: "",
    website: "",
    languages: [],
    openingHours: [],
    serviceIds: [],
    serviceNames: {},
  };
}

/** 24:00 (open until midnight) shows as 00:00 in a time field, and goes back as 24:00. */
const toField = (time: string) => (time === "24:00" ? "00:00" : time);
const fromField = (time: string) => (time === "00:00" ? "24:00" : time);

export function valuesFromAsset(a: Asset): AssetFormValues {
  return {
    name: a.name,
    altNames: { he: a.altNames.he ?? "", ar: a.altNames.ar ?? "", en: a.altNames.en ?? "" },
    type: a.type,
    description: a.description,
    organizationMode: "existing",
    organizationId: a.organization?.id ?? null,
    organizationName: a.organization?.name ?? null,
    newOrganizationName: "",
    newOrganizationKind: "community",
    townId: null,
    streetId: a.address.streetId,
    streetName: a.address.streetName,
    houseNumber: a.address.houseNumber ?? "",
    address: a.address.text,
    communityId: a.community?.id ?? "",
    location: a.location,
    capacity: a.capacity ?? "",
    occupancy: a.occupancy ?? "",
    accessibility: a.accessibility,
    phone: a.phone ? displayPhone(a.phone) : "",
    email: a.email ?? "",
    website: a.website ?? "",
    languages: a.languages,
    openingHours: a.openingHours.map((h) => ({
      key: newRowKey(),
      day: h.day,
      opens: h.opens,
      closes: toField(h.closes),
      note: h.note,
    })),
    serviceIds: a.services.map((s) => s.id),
    serviceNames: Object.fromEntries(a.services.map((s) => [s.id, s.name])),
  };
}

const orNull = (s: string) => (s.trim() ? s.trim() : null);
const countOrNull = (n: number | "") => (n === "" ? null : n);

/** The request body (before the contract's own parsing and defaults). */
export function toCreateBody(v: AssetFormValues): CreateAssetInput {
  const altNames = Object.fromEntries(
    Object.entries(v.altNames)
      .map(([k, s]) => [k, s.trim()] as const)
      .filter(([, s]) => s),
  );
  const newOrganization =
    v.organizationMode === "new"
      ? { name: v.newOrganizationName.trim(), kind: v.newOrganizationKind }
      : undefined;
  return {
    name: v.name,
    altNames,
    // An empty type fails the contract's enum: the form shows "required".
    type: v.type as AssetType,
    description: v.description,
    organizationId: v.organizationMode === "existing" ? v.organizationId : null,
    ...(newOrganization ? { newOrganization } : {}),
    streetId: v.streetId,
    houseNumber: v.streetId ? orNull(v.houseNumber) : null,
    address: v.address,
    communityId: v.communityId || null,
    location: v.location,
    capacity: countOrNull(v.capacity),
    occupancy: countOrNull(v.occupancy),
    accessibility: v.accessibility,
    phone: orNull(v.phone),
    email: orNull(v.email),
    website: orNull(v.website),
    languages: v.languages as CreateAssetInput["languages"],
    openingHours: v.openingHours.map((r) => ({
      day: r.day,
      opens: r.opens,
      closes: fromField(r.closes),
      note: r.note,
    })),
    serviceIds: v.serviceIds,
  };
}

/** The edit body: every field (the server records which ones changed). */
export function toUpdateBody(v: AssetFormValues, version: number) {
  const { newOrganization, ...rest } = toCreateBody(v);
  return {
    ...rest,
    version,
    altNames: rest.altNames ?? {},
    ...(newOrganization ? { newOrganization } : {}),
  };
}

/** Where an error on a body path is shown in the form. */
export function formFieldOf(path: string): string {
  if (/^openingHours\.\d+\.(day|opens|closes|note)$/.test(path)) return path;
  if (path.startsWith("openingHours")) return "openingHours";
  if (path.startsWith("location")) return "location";
  if (path.startsWith("serviceIds")) return "serviceIds";
  if (path.startsWith("languages")) return "languages";
  if (path === "newOrganization.name" || path === "newOrganization") return "newOrganizationName";
  if (path === "newOrganization.kind") return "newOrganizationKind";
  if (path === "houseNumber") return "houseNumber";
  return path;
}

/** Error codes that belong to one field. */
export const CODE_FIELDS: Record<string, string> = {
  "asset.organization_not_found": "organizationId",
  "asset.community_not_found": "communityId",
  "asset.street_not_found": "streetId",
  "asset.service_not_found": "serviceIds",
};

/** A new row after the last one: the next day, with the last row's hours. */
export function addRow(rows: HoursRow[]): HoursRow[] {
  const last = rows[rows.length - 1];
  if (!last) return [{ key: newRowKey(), day: "su", opens: "08:00", closes: "16:00", note: "" }];
  const next = WEEKDAYS[(WEEKDAYS.indexOf(last.day) + 1) % WEEKDAYS.length] ?? "su";
  return [...rows, { ...last, key: newRowKey(), day: next }];
}

/**
 * Copies the first row's day (all its rows) to every other working day (Sunday to
 * Thursday), replacing what those days had; Friday and Saturday stay as they are.
 */
export function copyToWorkWeek(rows: HoursRow[]): HoursRow[] {
  const first = rows[0];
  if (!first) return rows;
  const source = rows.filter((r) => r.day === first.day);
  const targets = WORK_WEEK.filter((d) => d !== first.day);
  const kept = rows.filter((r) => !targets.includes(r.day));
  const copies = targets.flatMap((day) => source.map((r) => ({ ...r, key: newRowKey(), day })));
  return [...kept, ...copies].sort(
    (a, b) => WEEKDAYS.indexOf(a.day) - WEEKDAYS.indexOf(b.day) || a.opens.localeCompare(b.opens),
  );
}

/**
 * A time as people type it, made "HH:MM" when it can be ("8" → "08:00", "830" → "08:30",
 * "8.30" → "08:30"); anything else is left for the contract to refuse.
 */
export function normalizeTime(input: string): string {
  const raw = input.trim();
  const m = /^(\d{1,2})(?:[:.]?(\d{2}))?$/.exec(raw);
  if (!m) return raw;
  const hours = Number(m[1]);
  const minutes = m[2] === undefined ? 0 : Number(m[2]);
  if (hours > 24 || minutes > 59 || (hours === 24 && minutes > 0)) return raw;
  return `${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
}
