/* ------------------------------------------------------------------ */
/* XPath 1.0 values as ODK uses them, and the coercions between them.  */
/* A reference yields a node-set (the answers it points at); a node's  */
/* value is its string form, as in an XForm instance.                  */
/* ------------------------------------------------------------------ */

export interface NodeSet {
  readonly kind: "nodes";
  /** Raw answer values (undefined = empty node). */
  readonly values: readonly unknown[];
}

/** A date (dateOnly: a calendar day at UTC midnight) or a date-time (an instant). */
export interface XDate {
  readonly kind: "date";
  readonly ms: number;
  readonly dateOnly: boolean;
}

export type XValue = string | number | boolean | XDate | NodeSet;

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;

export const nodes = (values: readonly unknown[]): NodeSet => ({ kind: "nodes", values });
export const isNodeSet = (v: XValue): v is NodeSet => typeof v === "object" && v.kind === "nodes";
export const isDate = (v: XValue): v is XDate => typeof v === "object" && v.kind === "date";

/** A calendar date "YYYY-MM-DD" → XDate, or null when it is not a real date. */
export function parseDate(text: string): XDate | null {
  const m = DATE_RE.exec(text.trim());
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    const ms = Date.UTC(y, mo - 1, d);
    const back = new Date(ms);
    // Date.UTC rolls 2024-02-31 over to March; a real date round-trips.
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
      return null;
    }
    return { kind: "date", ms, dateOnly: true };
  }
  if (DATE_TIME_RE.test(text.trim())) {
    const ms = Date.parse(text.trim());
    return Number.isNaN(ms) ? null : { kind: "date", ms, dateOnly: false };
  }
  return null;
}

/** Today as a calendar date in the device's time zone. */
export function localDay(now: Date): XDate {
  return {
    kind: "date",
    ms: Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()),
    dateOnly: true,
  };
}

const pad = (n: number, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, "0");

export function formatDateOnly(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** ISO 8601 in local time with its offset, the form ODK Collect writes (2026-11-25T10:00:00.000+02:00). */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  return (
    `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}` +
    `${sign}${pad(offset / 60)}:${pad(offset % 60)}`
  );
}

/** XPath number → string: integers without ".0", never an exponent. */
export function numberToString(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  if (Object.is(n, -0)) return "0";
  const s = String(n);
  if (!s.includes("e")) return s;
  if (Number.isInteger(n)) return BigInt(n).toString();
  return n.toFixed(20).replace(/0+$/, "").replace(/\.$/, "");
}

/** The string value of one answer, as its XForm instance node would hold it. */
export function answerToString(raw: unknown): string {
  if (raw === undefined || raw === null) return "";
  if (typeof raw === "string") return raw;
  if (typeof raw === "number") return numberToString(raw);
  if (typeof raw === "boolean") return raw ? "true" : "false";
  if (Array.isArray(raw)) return raw.map(answerToString).join(" ");
  if (typeof raw === "object" && "latitude" in raw && "longitude" in raw) {
    const p = raw as {
      latitude: unknown;
      longitude: unknown;
      altitude?: unknown;
      accuracy?: unknown;
    };
    return [p.latitude, p.longitude, p.altitude ?? 0, p.accuracy ?? 0]
      .map(answerToString)
      .join(" ");
  }
  return "";
}

export function toStr(v: XValue): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return numberToString(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v.kind === "date") return v.dateOnly ? formatDateOnly(v.ms) : formatDateTime(v.ms);
  return v.values.length > 0 ? answerToString(v.values[0]) : "";
}

/** ODK (JavaRosa) numbers: strict decimal notation, and dates count as days since 1970-01-01. */
export function stringToNumber(s: string): number {
  const t = s.trim();
  if (t === "") return NaN;
  if (NUMBER_RE.test(t)) return Number(t);
  const d = parseDate(t);
  return d ? d.ms / DAY_MS : NaN;
}

export function toNum(v: XValue): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") return stringToNumber(v);
  if (v.kind === "date") return v.ms / DAY_MS;
  return v.values.length > 0 ? stringToNumber(answerToString(v.values[0])) : NaN;
}

export function toBool(v: XValue): boolean {
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0 && !Number.isNaN(v);
  if (typeof v === "string") return v.length > 0;
  if (v.kind === "date") return true;
  return v.values.length > 0;
}

/** date(): strings parse as dates, numbers count days (a fraction keeps the time). */
export function toDate(v: XValue): XDate | null {
  if (isDate(v)) return v;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return null;
    return Number.isInteger(v)
      ? { kind: "date", ms: v * DAY_MS, dateOnly: true }
      : { kind: "date", ms: Math.round(v * DAY_MS), dateOnly: false };
  }
  const s = toStr(v).trim();
  if (s === "") return null;
  if (NUMBER_RE.test(s)) return toDate(Number(s));
  return parseDate(s);
}

export const DAY_IN_MS = DAY_MS;

function compareScalars(op: string, a: XValue, b: XValue): boolean {
  if (op === "=" || op === "!=") {
    let equal: boolean;
    if (typeof a === "boolean" || typeof b === "boolean") equal = toBool(a) === toBool(b);
    else if (typeof a === "number" || typeof b === "number" || isDate(a) || isDate(b)) {
      equal = toNum(a) === toNum(b);
    } else equal = toStr(a) === toStr(b);
    return op === "=" ? equal : !equal;
  }
  const x = toNum(a);
  const y = toNum(b);
  switch (op) {
    case "<":
      return x < y;
    case "<=":
      return x <= y;
    case ">":
      return x > y;
    default:
      return x >= y;
  }
}

/** XPath 1.0 comparison: a node-set compares true when any of its nodes does. */
export function compare(op: string, a: XValue, b: XValue): boolean {
  if (isNodeSet(a) && isNodeSet(b)) {
    return a.values.some((x) =>
      b.values.some((y) => compareScalars(op, answerToString(x), answerToString(y))),
    );
  }
  if (isNodeSet(a)) {
    if (typeof b === "boolean") return compareScalars(op, toBool(a), b);
    return a.values.some((x) => compareScalars(op, answerToString(x), b));
  }
  if (isNodeSet(b)) {
    if (typeof a === "boolean") return compareScalars(op, a, toBool(b));
    return b.values.some((y) => compareScalars(op, a, answerToString(y)));
  }
  return compareScalars(op, a, b);
}
