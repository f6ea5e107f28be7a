/**
 * Pure helpers of the form runner: writing one answer into the answers tree, removing a
 * repeat instance, reading typed text as numbers and coordinates, and matching issues
 * (the engine's and the server's) to the question they belong to.
 */
import type { Answers, AnswerPath, Geopoint } from "@kaveret/forms";

type AnswerRecord = Record<string, unknown>;

const isRecord = (v: unknown): v is AnswerRecord =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** One key per answer place: ["trees", 0, "kind"] → "trees.0.kind". */
export const pathKey = (path: readonly (string | number)[]): string => path.join(".");

/**
 * New answers with `value` at `path` (["age"], ["trees", 1, "kind"]); undefined removes
 * the answer. When a repeat instance on the way is missing the answers come back as
 * they were (the same object), so the caller can tell.
 */
export function setAnswerAt(answers: Answers, path: AnswerPath, value: unknown): Answers {
  const write = (rec: AnswerRecord, at: number): AnswerRecord | null => {
    const key = String(path[at]);
    const out: AnswerRecord = { ...rec };
    if (at === path.length - 1) {
      // Removing keeps the other answers in their order (the key is the question's name).
      if (value === undefined)
        return Object.fromEntries(Object.entries(rec).filter(([k]) => k !== key));
      out[key] = value;
      return out;
    }
    const list = Array.isArray(rec[key]) ? [...(rec[key] as unknown[])] : [];
    const index = Number(path[at + 1]);
    const inst = list[index];
    if (!isRecord(inst)) return null;
    const inner = write(inst, at + 2);
    if (!inner) return null;
    list[index] = inner;
    out[key] = list;
    return out;
  };
  return (path.length === 0 ? null : write(answers, 0)) ?? answers;
}

/** New answers without instance `index` of the repeat at `repeatPath`. */
export function removeRepeatInstance(
  answers: Answers,
  repeatPath: AnswerPath,
  index: number,
): Answers {
  const list = readAt(answers, repeatPath);
  if (!Array.isArray(list)) return answers;
  return setAnswerAt(
    answers,
    repeatPath,
    list.filter((_, i) => i !== index),
  );
}

/** The value at a path (undefined when any step is missing). */
export function readAt(answers: Answers, path: AnswerPath): unknown {
  let cur: unknown = answers;
  for (const step of path) {
    if (typeof step === "number") cur = Array.isArray(cur) ? cur[step] : undefined;
    else cur = isRecord(cur) ? cur[step] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Digits people type in other scripts (Arabic-Indic, Persian) as Western digits. */
export function westernDigits(text: string): string {
  return text
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
}

/** A number read from what a person typed: undefined when empty, null when not a number. */
export type ParsedNumber = number | null | undefined;

/** A whole number ("12", "-3", "١٢"); "1.5" or "abc" is null. */
export function parseInteger(text: string): ParsedNumber {
  const s = westernDigits(text).trim();
  if (s === "") return undefined;
  if (!/^[-+]?\d+$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

/** A decimal number; a comma is read as the decimal point ("2,5" → 2.5). */
export function parseDecimal(text: string): ParsedNumber {
  const s = westernDigits(text).trim().replace(",", ".");
  if (s === "") return undefined;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** A latitude (limit 90) or longitude (limit 180); out of range is null. */
export function parseCoordinate(text: string, limit: 90 | 180): ParsedNumber {
  const n = parseDecimal(text);
  if (n === undefined || n === null) return n;
  return Math.abs(n) <= limit ? n : null;
}

/** A point from the two typed coordinates, or what is wrong with them. */
export function geopointFrom(
  latText: string,
  lonText: string,
): { value: Geopoint | undefined; problem: "latitude" | "longitude" | "incomplete" | null } {
  const lat = parseCoordinate(latText, 90);
  const lon = parseCoordinate(lonText, 180);
  if (lat === undefined && lon === undefined) return { value: undefined, problem: null };
  if (lat === null) return { value: undefined, problem: "latitude" };
  if (lon === null) return { value: undefined, problem: "longitude" };
  if (lat === undefined || lon === undefined) return { value: undefined, problem: "incomplete" };
  return { value: { latitude: lat, longitude: lon }, problem: null };
}

/** A coordinate as typed text: up to 6 decimals (≈ 10 cm), no trailing zeros. */
export function coordinateText(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return "";
  return String(Math.round(n * 1e6) / 1e6);
}

/** An issue the runner can place next to a question (the engine's or the server's). */
export interface RunnerIssue {
  path: readonly (string | number)[];
  code: string;
  message: string;
  /** The form's own message (shown as is) rather than a code to translate. */
  fromForm?: boolean;
}

/** Issues grouped by the question they concern. */
export function issuesByPath(issues: readonly RunnerIssue[]): Map<string, RunnerIssue[]> {
  const out = new Map<string, RunnerIssue[]>();
  for (const issue of issues) {
    const key = pathKey(issue.path);
    const list = out.get(key);
    if (list) list.push(issue);
    else out.set(key, [issue]);
  }
  return out;
}

/** The server's issues from a form.answers_invalid error's details (anything else: none). */
export function serverIssuesOf(details: unknown): RunnerIssue[] {
  if (!isRecord(details) || !Array.isArray(details.issues)) return [];
  const out: RunnerIssue[] = [];
  for (const raw of details.issues) {
    if (!isRecord(raw) || !Array.isArray(raw.path)) continue;
    const path = raw.path.filter(
      (p): p is string | number => typeof p === "string" || typeof p === "number",
    );
    out.push({
      path,
      code: typeof raw.code === "string" ? raw.code : "invalid",
      message: typeof raw.message === "string" ? raw.message : "",
    });
  }
  return out;
}

/**
 * A device-made id for an answer set, so a retried send is stored once. randomUUID
 * needs a secure context; a tablet on a plain-http LAN address falls back to random bytes.
 */
export function newAnswerId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
