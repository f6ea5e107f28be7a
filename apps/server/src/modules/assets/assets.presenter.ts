import {
  WEEKDAYS,
  type Asset,
  type AssetAddress,
  type AssetListItem,
  type AssetType,
  type OpeningHoursItem,
  type Organization,
  type OrganizationKind,
  type Service,
  type ServiceCategory,
  type ServiceStatus,
  type Weekday,
} from "@kaveret/contracts";
import type {
  AssetJoinedRow,
  OrganizationWithUsage,
  ScheduleRow,
  ServiceJoinedRow,
} from "./assets.repository.ts";

const dayOf = (byDay: string): Weekday => WEEKDAYS.find((d) => d === byDay.toLowerCase()) ?? "su";

/** Weekly rows in week order (Sunday first), then by opening time. */
export function presentOpeningHours(rows: ScheduleRow[]): OpeningHoursItem[] {
  return rows
    .map((r) => ({
      day: dayOf(r.byDay),
      opens: r.opensAt,
      closes: r.closesAt,
      note: r.description,
    }))
    .sort(
      (a, b) => WEEKDAYS.indexOf(a.day) - WEEKDAYS.indexOf(b.day) || a.opens.localeCompare(b.opens),
    );
}

export function addressOf(r: {
  streetId: string | null;
  streetName: string | null;
  houseNumber: string | null;
  address: string;
}): AssetAddress {
  const street = r.streetName
    ? [r.streetName, r.houseNumber].filter((p) => p && p.trim()).join(" ")
    : "";
  return {
    streetId: r.streetId,
    streetName: r.streetName,
    houseNumber: r.houseNumber,
    text: r.address,
    display: [street, r.address].filter(Boolean).join(", "),
  };
}

type AssetExtras = { openingHours: ScheduleRow[]; canEdit: boolean };

export function presentAssetListItem(row: AssetJoinedRow, extras: AssetExtras): AssetListItem {
  const l = row.location;
  return {
    id: l.id,
    name: l.name,
    altNames: l.altNames,
    type: l.assetType as AssetType,
    organization:
      l.organizationId && row.organizationName !== null
        ? { id: l.organizationId, name: row.organizationName }
        : null,
    address: addressOf({
      streetId: l.streetId,
      streetName: row.streetName,
      houseNumber: l.houseNumber,
      address: l.address,
    }),
    community:
      l.communityId && row.communityName !== null
        ? { id: l.communityId, name: row.communityName }
        : null,
    location: l.lat !== null && l.lon !== null ? { lat: l.lat, lon: l.lon } : null,
    capacity: l.capacity,
    occupancy: l.occupancy,
    phone: l.phone,
    openingHours: presentOpeningHours(extras.openingHours),
    serviceCount: row.serviceCount,
    archived: l.archivedAt !== null,
    canEdit: extras.canEdit,
    version: l.version,
    updatedAt: l.updatedAt.toISOString(),
  };
}

export function presentAsset(
  row: AssetJoinedRow,
  extras: AssetExtras & {
    services: { id: string; name: string; category: string; status: string }[];
  },
): Asset {
  const l = row.location;
  return {
    ...presentAssetListItem(row, extras),
    description: l.description,
    accessibility: l.accessibility,
    email: l.email,
    website: l.website,
    languages: l.languages,
    services: extras.services.map((s) => ({
      id: s.id,
      name: s.name,
      category: s.category as ServiceCategory,
      status: s.status as ServiceStatus,
    })),
    createdAt: l.createdAt.toISOString(),
  };
}

export function presentOrganization(r: OrganizationWithUsage): Organization {
  const o = r.organization;
  return {
    id: o.id,
    name: o.name,
    altNames: o.altNames,
    kind: o.kind as OrganizationKind,
    description: o.description,
    phone: o.phone,
    email: o.email,
    website: o.website,
    assetCount: r.assetCount,
    serviceCount: r.serviceCount,
    archived: o.archivedAt !== null,
    version: o.version,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

export function presentService(
  row: ServiceJoinedRow,
  extras: {
    openingHours: ScheduleRow[];
    locations: { id: string; name: string; assetType: string }[];
  },
): Service {
  const s = row.service;
  return {
    id: s.id,
    name: s.name,
    altNames: s.altNames,
    description: s.description,
    category: s.category as ServiceCategory,
    status: s.status as ServiceStatus,
    organization:
      s.organizationId && row.organizationName !== null
        ? { id: s.organizationId, name: row.organizationName }
        : null,
    phone: s.phone,
    email: s.email,
    url: s.url,
    languages: s.languages,
    eligibility: s.eligibility,
    fees: s.fees,
    openingHours: presentOpeningHours(extras.openingHours),
    locations: extras.locations.map((l) => ({
      id: l.id,
      name: l.name,
      type: l.assetType as AssetType,
    })),
    archived: s.archivedAt !== null,
    version: s.version,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
