import {
  CONSENT_PURPOSES,
  type consentEventSchema,
  type consentStateSchema,
  type ConsentPurpose,
  type householdRoleSchema,
  type householdSchema,
  type Resident,
  type ResidentContact,
  type residentHistoryItemSchema,
  type ResidentListItem,
  type VulnerabilityFlag,
} from "@kaveret/contracts";
import type { z } from "zod";
import type { schema } from "@kaveret/db";

type ResidentRow = typeof schema.residents.$inferSelect;
type ConsentEvent = z.infer<typeof consentEventSchema>;
type ConsentState = z.infer<typeof consentStateSchema>;
type HouseholdRole = z.infer<typeof householdRoleSchema>;
type Household = z.infer<typeof householdSchema>;
type ResidentHistoryItem = z.infer<typeof residentHistoryItemSchema>;

/** What a list row carries from the database (plus joined names). */
export type ResidentListRow = Pick<
  ResidentRow,
  | "id"
  | "firstName"
  | "lastName"
  | "otherNames"
  | "phone"
  | "email"
  | "birthYear"
  | "streetId"
  | "houseNumber"
  | "apartment"
  | "addressNote"
  | "homeCommunityId"
  | "languages"
  | "communityRoles"
  | "consents"
  | "householdId"
  | "lat"
  | "version"
  | "updatedAt"
> & {
  streetName: string | null;
  homeCommunityName: string | null;
  access: "full" | "contact";
};

/**
 * The contact-only view (activists): name and contact, nothing else. Used for any
 * row whose reader has contact access, whatever else the row holds.
 */
export function presentResidentContact(
  r: Pick<ResidentRow, "id" | "firstName" | "lastName" | "phone" | "email">,
): ResidentContact {
  return {
    access: "contact",
    id: r.id,
    firstName: r.firstName,
    lastName: r.lastName,
    phone: r.phone,
    email: r.email,
  };
}

/**
 * A list row at the reader's access level. `flags` are the decrypted vulnerability
 * flags (the caller decrypts and audits); they are dropped for contact access.
 */
export function presentResidentListItem(
  r: ResidentListRow,
  flags: VulnerabilityFlag[],
): ResidentListItem {
  if (r.access !== "full") return presentResidentContact(r);
  return {
    access: "full",
    id: r.id,
    firstName: r.firstName,
    lastName: r.lastName,
    otherNames: r.otherNames,
    phone: r.phone,
    email: r.email,
    birthYear: r.birthYear,
    address: {
      streetId: r.streetId,
      streetName: r.streetName,
      houseNumber: r.houseNumber,
      apartment: r.apartment,
      note: r.addressNote,
    },
    homeCommunity:
      r.homeCommunityId && r.homeCommunityName
        ? { id: r.homeCommunityId, name: r.homeCommunityName }
        : null,
    languages: r.languages,
    communityRoles: r.communityRoles as ("leader" | "activist" | "volunteer")[],
    consents: r.consents as ConsentPurpose[],
    flags,
    householdId: r.householdId,
    hasLocation: r.lat !== null,
    version: r.version,
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** Everything the full detail view shows, gathered by the service. */
export type ResidentDetailParts = {
  resident: ResidentRow;
  streetName: string | null;
  homeCommunityName: string | null;
  flags: VulnerabilityFlag[];
  communities: {
    communityId: string;
    name: string;
    kind: string;
    level: string | null;
    source: string;
  }[];
  household: {
    id: string;
    label: string;
    members: { id: string; firstName: string; lastName: string; householdRole: string | null }[];
  } | null;
  caseworkers: { id: string; name: string }[];
  consentEvents: {
    purpose: string;
    method: string;
    recordedAt: Date;
    recordedByName: string | null;
  }[];
  mergedFromCount: number;
};

/** The full record (manager, community worker in their communities, social worker for their caseload). */
export function presentResident(p: ResidentDetailParts): Resident {
  const r = p.resident;
  const item = presentResidentListItem(
    { ...r, streetName: p.streetName, homeCommunityName: p.homeCommunityName, access: "full" },
    p.flags,
  );
  if (item.access !== "full") throw new Error("unreachable");
  const latestByPurpose = new Map<string, ResidentDetailParts["consentEvents"][number]>();
  for (const e of p.consentEvents) {
    const seen = latestByPurpose.get(e.purpose);
    if (!seen || e.recordedAt > seen.recordedAt) latestByPurpose.set(e.purpose, e);
  }
  return {
    ...item,
    gender: r.gender as Resident["gender"],
    location: r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon } : null,
    communities: p.communities.map((m) => ({
      id: m.communityId,
      name: m.name,
      kind: m.kind as "geographic" | "functional",
      level: m.level,
      source: m.source,
    })),
    household: p.household
      ? {
          id: p.household.id,
          label: p.household.label,
          members: p.household.members.map((m) => ({
            id: m.id,
            name: `${m.firstName} ${m.lastName}`,
            role: m.householdRole as HouseholdRole | null,
          })),
        }
      : null,
    householdRole: r.householdRole as HouseholdRole | null,
    skills: r.skills,
    consentStates: CONSENT_PURPOSES.map((purpose) => {
      const last = latestByPurpose.get(purpose);
      return {
        purpose,
        granted: r.consents.includes(purpose),
        method: (last?.method ?? null) as ConsentState["method"],
        recordedAt: last ? last.recordedAt.toISOString() : null,
        recordedByName: last?.recordedByName ?? null,
      };
    }),
    caseworkers: p.caseworkers.map((c) => ({ id: c.id, name: c.name })),
    notes: r.notes,
    hasHealthNotes: r.healthNotesEnc !== null,
    hasIdNumber: r.idNumberEnc !== null,
    hasAccount: r.userId !== null,
    mergedFromCount: p.mergedFromCount,
    createdAt: r.createdAt.toISOString(),
    archivedAt: r.archivedAt ? r.archivedAt.toISOString() : null,
  };
}

export function presentConsentEvent(e: {
  id: string;
  purpose: string;
  granted: boolean;
  method: string;
  note: string;
  recordedAt: Date;
  recordedByName: string | null;
}): ConsentEvent {
  return {
    id: e.id,
    purpose: e.purpose as ConsentPurpose,
    granted: e.granted,
    method: e.method as ConsentEvent["method"],
    note: e.note,
    recordedAt: e.recordedAt.toISOString(),
    recordedByName: e.recordedByName,
  };
}

export function presentHistoryItem(e: {
  at: Date;
  action: string;
  actorName: string | null;
  fields: string[];
  purpose: string | null;
}): ResidentHistoryItem {
  return {
    at: e.at.toISOString(),
    action: e.action,
    actorName: e.actorName,
    fields: e.fields,
    purpose: e.purpose,
  };
}

export function presentHousehold(
  h: { id: string; label: string; version: number },
  members: ResidentListItem[],
): Household {
  return { id: h.id, label: h.label, version: h.version, members };
}

/** Fields of a presented resident that are not personal data (left out of read audits). */
const NOT_PERSONAL = new Set(["access", "id", "version", "updatedAt", "createdAt", "archivedAt"]);

/** Names of the personal fields a presented resident carries (for the read audit; never values). */
export function personalFieldsOf(items: object[]): string[] {
  const names = new Set<string>();
  for (const item of items) {
    for (const key of Object.keys(item)) if (!NOT_PERSONAL.has(key)) names.add(key);
  }
  return [...names].sort();
}
