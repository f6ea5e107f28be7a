import type { TFunction } from "i18next";
import { NEED_CHANNELS as CHANNELS, type NeedEvent } from "@kaveret/contracts";

/** Names for the ids the history stores (people, communities); undefined when not known here. */
export interface EventNames {
  category: (code: string | null) => string;
  person?: (id: string) => string | undefined;
  community?: (id: string) => string | undefined;
}

/**
 * How a history value reads: statuses, urgencies and categories translated, people and
 * communities by name (the history keeps their ids), anything else as sent.
 */
export function eventValue(
  t: TFunction,
  kind: NeedEvent["kind"],
  value: string | null,
  names: EventNames,
): string {
  if (value === null || value === "") return t("needs.history.nothing");
  switch (kind) {
    case "status":
      return t(`needs.status.${value}`, { defaultValue: value });
    case "urgency":
      return t(`needs.urgency.${value}`, { defaultValue: value });
    case "category":
      return names.category(value);
    case "assigned":
      return names.person?.(value) ?? t("needs.history.someone");
    case "community":
      return names.community?.(value) ?? t("needs.history.someCommunity");
    default:
      return value;
  }
}

/** One line of the history: what happened, from what to what. */
export function eventSentence(t: TFunction, e: NeedEvent, names: EventNames): string {
  const from = eventValue(t, e.kind, e.from, names);
  const to = eventValue(t, e.kind, e.to, names);
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
      return e.to ? t("needs.history.resident") : t("needs.history.residentRemoved");
    case "comment":
      return t("needs.history.comment");
    case "attachment":
      return t("needs.history.attachment");
    case "merged":
      return t("needs.history.merged", { to });
    case "merged_from":
      return t("needs.history.mergedFrom", { from: e.from ?? e.to ?? "" });
    case "edited":
      return t("needs.history.edited");
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
