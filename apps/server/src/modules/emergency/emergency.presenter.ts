import type {
  Call,
  CallOutcome,
  CallStatus,
  Emergency,
  EmergencyLevel,
  EmergencySummaryCounts,
  EmergencyType,
  HelpCategory,
  HelpRequest,
  Review,
  RiskReason,
  Shelter,
  VolunteerOffer,
} from "@kaveret/contracts";
import { SHIFT_LOG_CODES, type ShiftLogCode } from "@kaveret/contracts";
import type {
  AttemptRow,
  CallListRow,
  EmergencyRow,
  HelpRow,
  LogRow,
  OfferRow,
  ReviewRow,
} from "./emergency.repository.ts";

/* The only way emergency rows become JSON: every field that leaves the server is listed. */

type Names = Map<string, string>;

const userRef = (names: Names, id: string | null) =>
  id ? { id, name: names.get(id) ?? "" } : null;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentEmergency(
  row: EmergencyRow,
  communities: Names,
  users: Names,
  counts: EmergencySummaryCounts,
): Emergency {
  return {
    id: row.id,
    type: row.type as EmergencyType,
    level: row.level as EmergencyLevel,
    title: row.title,
    drill: row.drill,
    status: row.status as "active" | "closed",
    note: row.note,
    communities: row.communityIds.map((id) => ({ id, name: communities.get(id) ?? "" })),
    startedAt: row.startedAt.toISOString(),
    closedAt: iso(row.closedAt),
    declaredBy: userRef(users, row.declaredBy),
    closedBy: userRef(users, row.closedBy),
    counts,
    version: row.version,
  };
}

/** One address line: "Herzl 12, apt 4 (entrance from the yard)". */
export function addressLine(p: {
  streetName: string | null;
  houseNumber: string | null;
  apartment?: string | null;
  note?: string;
}): string {
  const street = [p.streetName, p.houseNumber].filter(Boolean).join(" ");
  const apt = p.apartment ? `/${p.apartment}` : "";
  const note = p.note ? ` (${p.note})` : "";
  return `${street}${apt}${note}`.trim();
}

export function presentAttempt(a: AttemptRow, users: Names, note: string) {
  return {
    id: a.id,
    outcome: a.outcome as CallOutcome,
    source: a.source as "call" | "self",
    note,
    by: userRef(users, a.byUserId),
    at: a.at.toISOString(),
  };
}

/**
 * A call at the reader's level: "full" (staff: with the risk reasons) or "assignment" (a
 * volunteer's own open call: what the call needs, no reasons).
 */
export function presentCall(
  row: CallListRow,
  access: "full" | "assignment",
  o: {
    reasons: RiskReason[] | null;
    attempts: ReturnType<typeof presentAttempt>[];
    users: Names;
  },
): Call {
  const c = row.call;
  return {
    id: c.id,
    emergencyId: c.emergencyId,
    drill: c.drill,
    rank: c.rank,
    riskScore: c.riskScore,
    riskReasons: access === "full" ? o.reasons : null,
    resident: {
      id: c.residentId,
      name: `${row.firstName} ${row.lastName}`.trim(),
      phone: row.phone,
      languages: row.residentLanguages,
      address: addressLine({
        streetName: row.streetName,
        houseNumber: row.houseNumber,
        apartment: row.apartment,
        note: row.addressNote,
      }),
      streetId: c.streetId,
      houseNumber: c.houseNumber,
      community: c.homeCommunityId
        ? { id: c.homeCommunityId, name: row.homeCommunityName ?? "" }
        : null,
      location: row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : null,
    },
    consented: c.consented,
    assignee: userRef(o.users, c.assigneeId),
    status: c.status as CallStatus,
    outcome: (c.outcome as CallOutcome | null) ?? null,
    lastSource: (c.lastSource as "call" | "self" | null) ?? null,
    attempts: c.attempts,
    nextAttemptAt: iso(c.nextAttemptAt),
    escalatedTo: userRef(o.users, c.escalatedTo),
    helpRequestId: c.helpRequestId,
    history: o.attempts,
    updatedAt: c.updatedAt.toISOString(),
    version: c.version,
  };
}

export const helpReference = (number: number) => `E-${number}`;

/**
 * A help request: "full" (staff in reach, the claimer) or "outline" (a volunteer looking
 * for something to take: category, urgency, area, distance — nothing about the person).
 */
export function presentHelp(
  row: HelpRow,
  access: "full" | "outline",
  o: {
    description: string | null;
    communities: Names;
    users: Names;
    residentName: string | null;
    residentPhone: string | null;
    needNumber: number | null;
    distanceMeters: number | null;
  },
): HelpRequest {
  const full = access === "full";
  return {
    id: row.id,
    emergencyId: row.emergencyId,
    drill: row.drill,
    reference: helpReference(row.number),
    category: row.category as HelpCategory,
    urgency: row.urgency as "normal" | "high" | "critical",
    status: row.status as HelpRequest["status"],
    source: row.source as "call" | "self" | "staff",
    description: full ? o.description : null,
    community: row.communityId
      ? { id: row.communityId, name: o.communities.get(row.communityId) ?? "" }
      : null,
    languages: row.languages,
    skills: row.skills,
    resident: full && row.residentId ? { id: row.residentId, name: o.residentName ?? "" } : null,
    contact: full ? { phone: o.residentPhone, address: row.addressText } : null,
    location: full && row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : null,
    distanceMeters: o.distanceMeters,
    claimedBy: full ? userRef(o.users, row.claimedBy) : null,
    claimedAt: full ? iso(row.claimedAt) : null,
    completedAt: iso(row.completedAt),
    completionNote: full ? row.completionNote : null,
    need:
      row.needId && o.needNumber !== null
        ? { id: row.needId, reference: `#${o.needNumber}` }
        : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

export function presentOffer(row: OfferRow, users: Names, activeClaims: number): VolunteerOffer {
  return {
    id: row.id,
    emergencyId: row.emergencyId,
    volunteer: { id: row.userId, name: users.get(row.userId) ?? "" },
    categories: row.categories as HelpCategory[],
    languages: row.languages,
    skills: row.skills,
    location: row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : null,
    radiusKm: row.radiusKm,
    hasVehicle: row.hasVehicle,
    note: row.note,
    active: row.active,
    activeClaims,
    createdAt: row.createdAt.toISOString(),
  };
}

export function presentShelter(row: {
  id: string;
  name: string;
  type: string;
  communityId: string | null;
  communityName: string | null;
  address: string;
  houseNumber: string | null;
  streetName: string | null;
  lat: number | null;
  lon: number | null;
  capacity: number | null;
  occupancy: number | null;
  phone: string | null;
  version: number;
  updatedAt: Date;
}): Shelter {
  return {
    id: row.id,
    name: row.name,
    type: row.type as "shelter" | "distribution_point",
    community: row.communityId ? { id: row.communityId, name: row.communityName ?? "" } : null,
    address:
      addressLine({ streetName: row.streetName, houseNumber: row.houseNumber }) || row.address,
    location: row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : null,
    capacity: row.capacity,
    occupancy: row.occupancy,
    phone: row.phone,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentLog(row: LogRow, users: Names) {
  return {
    id: row.id,
    kind: row.kind as "note" | "decision" | "handover" | "incident",
    text: row.text,
    author: userRef(users, row.authorId),
    system: row.system,
    code: (SHIFT_LOG_CODES as readonly string[]).includes(row.code ?? "")
      ? (row.code as ShiftLogCode)
      : null,
    params: row.params ?? null,
    at: row.at.toISOString(),
  };
}

export function presentReview(row: ReviewRow, users: Names): Review {
  return {
    emergencyId: row.emergencyId,
    whatWorked: row.whatWorked,
    whatDidNot: row.whatDidNot,
    lessons: row.lessons,
    actions: row.actions,
    author: userRef(users, row.authorId),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}
