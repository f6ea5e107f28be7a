import {
  NEED_TRANSITIONS,
  NEED_URGENCIES,
  OPEN_NEED_STATUSES,
  type NeedStatus,
  type NeedUrgency,
} from "@kaveret/contracts";

/** The statuses a need may move to from where it stands (the contract's workflow). */
export function nextStatuses(from: NeedStatus): readonly NeedStatus[] {
  return NEED_TRANSITIONS[from];
}

export function canMove(from: NeedStatus, to: NeedStatus): boolean {
  return NEED_TRANSITIONS[from].includes(to);
}

/** Closing or referring a need asks why (the server refuses it without: need.reason_required). */
export function needsReason(to: NeedStatus): boolean {
  return to === "closed" || to === "referred";
}

export function isOpenStatus(s: NeedStatus): boolean {
  return (OPEN_NEED_STATUSES as readonly NeedStatus[]).includes(s);
}

/** What is wrong with a status change, as a translation key, or null when it may go ahead. */
export function transitionProblem(
  from: NeedStatus,
  to: NeedStatus,
  reason: string,
): "needs.triage.notAllowed" | "needs.triage.reasonRequired" | null {
  if (!canMove(from, to)) return "needs.triage.notAllowed";
  if (needsReason(to) && reason.trim().length === 0) return "needs.triage.reasonRequired";
  return null;
}

/**
 * Statuses the bulk action offers: every status some of the chosen needs may move to.
 * (The server applies each change on its own and reports the ones it refused.)
 */
export function bulkStatusOptions(current: readonly NeedStatus[]): NeedStatus[] {
  const out = new Set<NeedStatus>();
  for (const s of current) for (const to of NEED_TRANSITIONS[s]) out.add(to);
  const order: NeedStatus[] = ["new", "triaged", "in_progress", "resolved", "referred", "closed"];
  return order.filter((s) => out.has(s));
}

/** Status colours (always shown with the status's name). */
export const STATUS_COLORS: Record<NeedStatus, string> = {
  new: "blue",
  triaged: "grape",
  in_progress: "honey",
  resolved: "green",
  referred: "teal",
  closed: "gray",
};

/** Urgency colours (always shown with an icon and the urgency's name: never colour alone). */
export const URGENCY_COLORS: Record<NeedUrgency, string> = {
  low: "gray",
  normal: "blue",
  high: "orange",
  critical: "red",
};

/** Higher is more urgent. */
export function urgencyRank(u: NeedUrgency): number {
  return NEED_URGENCIES.indexOf(u);
}

export function isUrgent(u: NeedUrgency): boolean {
  return u === "high" || u === "critical";
}

/**
 * Whether a model suggestion is worth offering as a one-click choice. Nothing is ever
 * applied by itself: a person presses the button (and for an urgent need the urgency
 * the model reads is shown, never set).
 */
export function offersSuggestion(current: string | null, suggested: string | null): boolean {
  return suggested !== null && suggested !== current;
}

/** Confidence 0–1 as a whole percentage ("0.834" → 83). */
export function confidencePercent(confidence: number | null): number | null {
  if (confidence === null || !Number.isFinite(confidence)) return null;
  return Math.round(Math.min(1, Math.max(0, confidence)) * 100);
}

/**
 * The text cut into plain and highlighted pieces: every occurrence of a driving word
 * (as written, case-insensitive) is marked, so the reader sees why the model chose.
 */
export function highlightDrivers(
  text: string,
  drivers: readonly string[],
): { text: string; hit: boolean }[] {
  const words = [...new Set(drivers.map((d) => d.trim()).filter((d) => d.length > 0))];
  if (words.length === 0 || text.length === 0) return text ? [{ text, hit: false }] : [];
  // Longest first, so "food bank" wins over "food".
  words.sort((a, b) => b.length - a.length);
  const pattern = new RegExp(
    words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"),
    "giu",
  );
  const out: { text: string; hit: boolean }[] = [];
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ text: text.slice(last, at), hit: false });
    out.push({ text: m[0], hit: true });
    last = at + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), hit: false });
  return out;
}

export type BulkAction = "assign" | "status" | "urgency" | "category";
/** The "no one" choice of the assign action. */
export const UNASSIGN = "__none__";

/** What a bulk change sends, or null while the choice is incomplete (no value, or no reason). */
export function bulkBody(
  action: BulkAction,
  ids: string[],
  value: string,
  reason: string,
): Record<string, unknown> | null {
  if (!value || ids.length === 0) return null;
  switch (action) {
    case "assign":
      return { ids, assigneeId: value === UNASSIGN ? null : value };
    case "status":
      if (needsReason(value as NeedStatus) && !reason.trim()) return null;
      return { ids, status: value, ...(reason.trim() ? { reason: reason.trim() } : {}) };
    case "urgency":
      return { ids, urgency: value };
    case "category":
      return { ids, category: value };
  }
}
