import type {
  ConsentPurpose,
  ResidentContact,
  ResidentListItem,
  VulnerabilityFlag,
} from "@kaveret/contracts";
import type { schema } from "@kaveret/db";

type ResidentRow = typeof schema.residents.$inferSelect;

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
