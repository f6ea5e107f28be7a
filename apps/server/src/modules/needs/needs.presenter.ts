import type {
  Need,
  NeedAttachmentSchemaType,
  NeedEvent,
  NeedListItem,
  NeedSuggestion,
} from "./needs.types.ts";
import type { HistoryIds, HistoryNames, NeedListRow } from "./needs.repository.ts";
import { SPAM_THRESHOLD } from "./needs.repository.ts";

/** The reference people see and say on the phone. */
export const referenceOf = (number: number) => `#${number}`;

export function presentSuggestion(s: Record<string, unknown>): NeedSuggestion {
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === "string").slice(0, 10) : [];
  const urgency = str(s.urgency);
  const source = str(s.source);
  return {
    category: str(s.category),
    confidence: typeof s.confidence === "number" ? s.confidence : null,
    drivers: strings(s.drivers),
    urgency:
      urgency === "low" || urgency === "normal" || urgency === "high" || urgency === "critical"
        ? urgency
        : null,
    urgencyDrivers: strings(s.urgencyDrivers),
    source: source === "model" || source === "llm" ? source : "none",
  };
}

/** A queue row: every field listed; no reporter contact, no resident name. */
export function presentNeedListItem(row: NeedListRow): NeedListItem {
  return {
    id: row.id,
    reference: referenceOf(row.number),
    channel: row.channel as NeedListItem["channel"],
    status: row.status as NeedListItem["status"],
    category: row.category,
    urgency: row.urgency as NeedListItem["urgency"],
    description: row.description,
    language: row.language,
    community:
      row.communityId && row.communityName
        ? { id: row.communityId, name: row.communityName }
        : null,
    assignee:
      row.assigneeId && row.assigneeName ? { id: row.assigneeId, name: row.assigneeName } : null,
    hasResident: row.residentId !== null,
    hasLocation: row.lat !== null && row.lon !== null,
    attachmentCount: Number(row.attachmentCount),
    suggestedCategory: presentSuggestion(row.suggestion).category,
    spam: row.spamScore >= SPAM_THRESHOLD,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

/** The ids a history keeps, by what they name (needs.repository historyNames resolves them). */
export function historyIds(
  events: readonly { kind: string; fromValue: string | null; toValue: string | null }[],
): HistoryIds {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const users = new Set<string>();
  const communities = new Set<string>();
  const residents = new Set<string>();
  for (const e of events) {
    const into =
      e.kind === "assigned"
        ? users
        : e.kind === "community"
          ? communities
          : e.kind === "resident"
            ? residents
            : null;
    if (!into) continue;
    for (const v of [e.fromValue, e.toValue]) {
      // Users' ids are better-auth's (any string); communities' and residents' are uuids.
      if (v && (into === users || uuid.test(v))) into.add(v);
    }
  }
  return { users: [...users], communities: [...communities], residents: [...residents] };
}

/** The name an event's value stands for, from what the reader may see; null for plain values. */
function nameOf(kind: string, value: string | null, names: HistoryNames): string | null {
  if (!value) return null;
  switch (kind) {
    case "assigned":
      return names.users.get(value) ?? null;
    case "community":
      return names.communities.get(value) ?? null;
    case "resident":
      return names.residents.get(value) ?? null;
    default:
      return null;
  }
}

export function presentEvent(
  e: {
    id: string;
    kind: string;
    at: Date;
    actorId: string | null;
    actorName: string | null;
    fromValue: string | null;
    toValue: string | null;
    text: string | null;
  },
  names: HistoryNames,
): NeedEvent {
  return {
    id: e.id,
    kind: e.kind as NeedEvent["kind"],
    at: e.at.toISOString(),
    actor: e.actorId ? { id: e.actorId, name: e.actorName ?? "" } : null,
    from: e.fromValue,
    to: e.toValue,
    fromName: nameOf(e.kind, e.fromValue, names),
    toName: nameOf(e.kind, e.toValue, names),
    text: e.text,
  };
}

export function presentAttachment(a: {
  id: string;
  contentType: string;
  bytes: number;
  width: number | null;
  height: number | null;
  createdAt: Date;
}): NeedAttachmentSchemaType {
  return {
    id: a.id,
    contentType: a.contentType,
    bytes: a.bytes,
    width: a.width,
    height: a.height,
    createdAt: a.createdAt.toISOString(),
  };
}

export function presentNeed(
  row: NeedListRow & {
    addressText: string;
    mergedIntoId: string | null;
  },
  extra: {
    /** The linked resident's name, when the reader may see that resident. */
    residentName: string | null;
    contact: { name: string; phone: string | null; email: string | null } | null;
    mergedIntoNumber: number | null;
    attachments: NeedAttachmentSchemaType[];
    events: NeedEvent[];
    similar: Need["similar"];
    permissions: Need["permissions"];
  },
): Need {
  return {
    ...presentNeedListItem(row),
    location: row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : null,
    addressText: row.addressText,
    resident: row.residentId ? { id: row.residentId, name: extra.residentName } : null,
    contact: extra.contact,
    mergedInto:
      row.mergedIntoId && extra.mergedIntoNumber !== null
        ? { id: row.mergedIntoId, reference: referenceOf(extra.mergedIntoNumber) }
        : null,
    suggestion: presentSuggestion(row.suggestion),
    attachments: extra.attachments,
    events: extra.events,
    similar: extra.similar,
    permissions: extra.permissions,
  };
}
