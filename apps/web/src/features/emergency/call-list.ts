import {
  EMERGENCY_LIMITS,
  type Call,
  type CallOutcome,
  type CallOutcomeBody,
  type HelpCategory,
} from "@kaveret/contracts";

/** A call as the phone list shows it (from the device's store, or online where it has none). */
export type ListedCall = Call & { pending: number; problem: "rejected" | null };

export interface CallGroups {
  /** To call now, highest risk first: not tried yet, a retry whose time came, escalated. */
  now: ListedCall[];
  /** Not reached: tried again later (soonest first). */
  later: ListedCall[];
  /** Answered here (sent or waiting to be sent): they leave the phone after the next sync. */
  recorded: ListedCall[];
}

const byRank = (a: ListedCall, b: ListedCall) => a.rank - b.rank || a.id.localeCompare(b.id);

/** The caller's calls in the order they work them. */
export function groupCalls(calls: readonly ListedCall[], now: number): CallGroups {
  const groups: CallGroups = { now: [], later: [], recorded: [] };
  for (const c of calls) {
    if (c.status === "done") groups.recorded.push(c);
    else if (
      c.status === "retry" &&
      c.nextAttemptAt !== null &&
      Date.parse(c.nextAttemptAt) > now
    ) {
      groups.later.push(c);
    } else groups.now.push(c);
  }
  groups.now.sort(byRank);
  groups.later.sort(
    (a, b) => Date.parse(a.nextAttemptAt ?? "") - Date.parse(b.nextAttemptAt ?? "") || byRank(a, b),
  );
  groups.recorded.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || byRank(a, b));
  return groups;
}

export interface OutcomeForm {
  outcome: CallOutcome | null;
  note: string;
  category: HelpCategory | null;
  urgency: "normal" | "high" | "critical";
  description: string;
}

export const EMPTY_OUTCOME: OutcomeForm = {
  outcome: null,
  note: "",
  category: null,
  urgency: "normal",
  description: "",
};

export type OutcomeProblem = "outcome" | "category" | "note" | "description";

/**
 * What the caller's form sends (the body of the outcome, online or in the outbox), or the
 * field that stops it: an outcome must be chosen; "needs help" must say what help.
 */
export function outcomeFromForm(
  form: OutcomeForm,
):
  | { ok: true; value: Pick<CallOutcomeBody, "outcome" | "note" | "help"> }
  | { ok: false; problem: OutcomeProblem } {
  if (!form.outcome) return { ok: false, problem: "outcome" };
  const note = form.note.trim();
  if (note.length > EMERGENCY_LIMITS.note) return { ok: false, problem: "note" };
  if (form.outcome !== "reached_needs_help") {
    return { ok: true, value: { outcome: form.outcome, note } };
  }
  if (!form.category) return { ok: false, problem: "category" };
  const description = form.description.trim();
  if (description.length > EMERGENCY_LIMITS.note) return { ok: false, problem: "description" };
  return {
    ok: true,
    value: {
      outcome: form.outcome,
      note,
      help: { category: form.category, urgency: form.urgency, description },
    },
  };
}

/** A phone number as a tel: link (digits and a leading +). */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, "")}`;
}
