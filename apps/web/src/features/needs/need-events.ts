import type { TFunction } from "i18next";
import { NEED_CHANNELS as CHANNELS, type NeedEvent } from "@kaveret/contracts";
import { isolate } from "../../lib/format.ts";

/** Names the page knows itself: categories, in the reader's language. */
export interface EventNames {
  category: (code: string | null) => string;
}

/** How the details were edited (the server notes which), as a translation key. */
const EDITED = ["location", "address", "description", "spam", "not_spam"] as const;

/**
 * How a history value reads: statuses, urgencies and categories translated; people,
 * communities and residents by the name the server gave this reader (the history keeps
 * ids; a resident out of the reader's reach stays "a resident"); anything else as sent.
 */
export function eventValue(
  t: TFunction,
  kind: NeedEvent["kind"],
  value: string | null,
  name: string | null,
  names: EventNames,
): string {
  if (value === null || value === "") return t("needs.history.nothing");
  switch (kind) {
    case "status":
      return t(`needs.status.${value}`, { defaultValue: value });
    case "urgency":
      return t(`needs.urgency.${value}`, { defaultValue: value });
    // Names are isolated: a Hebrew name in an English sentence (or the reverse) keeps its place.
    case "category":
      return isolate(names.category(value));
    case "assigned":
      return name ? isolate(name) : t("needs.history.someone");
    case "community":
      return name ? isolate(name) : t("needs.history.someCommunity");
    case "resident":
      return name ? isolate(name) : t("needs.history.aResident");
    default:
      return value;
  }
}

/** One line of the history: what happened, from what to what. */
export function eventSentence(t: TFunction, e: NeedEvent, names: EventNames): string {
  const from = eventValue(t, e.kind, e.from, e.fromName, names);
  const to = eventValue(t, e.kind, e.to, e.toName, names);
  switch (e.kind) {
    case "created":
      // The server notes the channel the need came in by.
      return e.to && (CHANNELS as readonly string[]).includes(e.to)
        ? t("needs.history.createdVia", { channel: t(`needs.channel.${e.to}`) })
        : t("needs.history.created");
    case "status":
    case "urgency":
    case "category":
    case "community":
      return t(`needs.history.${e.kind}`, { from, to });
    case "assigned":
      return e.to ? t("needs.history.assigned", { to }) : t("needs.history.unassigned");
    case "resident":
      if (e.to)
        return e.toName
          ? t("needs.history.residentNamed", { name: to })
          : t("needs.history.resident");
      return e.fromName
        ? t("needs.history.residentRemovedNamed", { name: from })
        : t("needs.history.residentRemoved");
    case "comment":
      return t("needs.history.comment");
    case "attachment":
      return t("needs.history.attachment");
    case "merged":
      return t("needs.history.merged", { to: isolate(to) });
    case "merged_from":
      return t("needs.history.mergedFrom", { from: isolate(e.from ?? e.to ?? "") });
    case "edited": {
      const field = EDITED.find((f) => f === e.to);
      return field ? t(`needs.history.editedField.${field}`) : t("needs.history.edited");
    }
  }
}

/** Comments, oldest first (the thread); the rest of the history, newest first. */
export function splitEvents(events: readonly NeedEvent[]): {
  comments: NeedEvent[];
  history: NeedEvent[];
} {
  const byTime = [...events].sort((a, b) => a.at.localeCompare(b.at));
  return {
    comments: byTime.filter((e) => e.kind === "comment"),
    history: byTime.filter((e) => e.kind !== "comment").reverse(),
  };
}
