/**
 * URL search params of the forms pages. Parsed in the router (first bundle), so no zod
 * and no contract values here: the vocabularies are repeated and a test keeps them equal
 * to the contract's.
 */

export const FORM_LIST_STATUSES = ["draft", "open", "closed"] as const;
export type FormListStatus = (typeof FORM_LIST_STATUSES)[number];
export const FORM_TABS = ["questions", "distribution", "responses", "analysis"] as const;
export type FormTab = (typeof FORM_TABS)[number];
export const ANSWER_CHANNELS = ["link", "paper", "face_to_face", "door_to_door"] as const;
export type AnswerChannel = (typeof ANSWER_CHANNELS)[number];

/** /forms */
export interface FormsSearch {
  q?: string;
  status?: FormListStatus;
  page?: number;
}

/** /forms/$id — the tab and, for responses and analysis, their filters. */
export interface FormSearch {
  tab?: FormTab;
  page?: number;
  channel?: AnswerChannel;
  communityId?: string;
  /** Analysis: the select question every other select is crossed with. */
  crossBy?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME = /^[\p{L}_][\p{L}\p{N}_.-]{0,99}$/u;

function text(v: unknown, max: number): string | undefined {
  if (typeof v !== "string") return undefined;
  const s = v.trim().slice(0, max);
  return s.length > 0 ? s : undefined;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === v);
}

function page(v: unknown): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v) : NaN;
  return Number.isInteger(n) && n > 1 && n <= 100_000 ? n : undefined;
}

export function parseFormsSearch(s: Record<string, unknown>): FormsSearch {
  const out: FormsSearch = {};
  const q = text(s.q, 100);
  if (q) out.q = q;
  const status = oneOf(s.status, FORM_LIST_STATUSES);
  if (status) out.status = status;
  const p = page(s.page);
  if (p) out.page = p;
  return out;
}

export function parseFormSearch(s: Record<string, unknown>): FormSearch {
  const out: FormSearch = {};
  const tab = oneOf(s.tab, FORM_TABS);
  if (tab && tab !== "questions") out.tab = tab;
  const p = page(s.page);
  if (p) out.page = p;
  const channel = oneOf(s.channel, ANSWER_CHANNELS);
  if (channel) out.channel = channel;
  if (typeof s.communityId === "string" && UUID.test(s.communityId))
    out.communityId = s.communityId.toLowerCase();
  if (typeof s.crossBy === "string" && NAME.test(s.crossBy)) out.crossBy = s.crossBy;
  return out;
}
