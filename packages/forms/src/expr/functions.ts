import type { Expr } from "./ast.ts";
import { ExpressionError } from "./ast.ts";
import type { EvalContext } from "./evaluator.ts";
import {
  answerToString,
  DAY_IN_MS,
  isNodeSet,
  localDay,
  nodes,
  toBool,
  toDate,
  toNum,
  toStr,
  type XDate,
  type XValue,
} from "./values.ts";

/* ------------------------------------------------------------------ */
/* The ODK functions we evaluate. Each gets its argument expressions   */
/* (so if/once/coalesce evaluate lazily) and an evaluator.             */
/* Anything not listed here is an "unsupported_function" at parse.     */
/* ------------------------------------------------------------------ */

export interface CallEnv {
  readonly ctx: EvalContext;
  ev(e: Expr): XValue;
}

interface FunctionDef {
  min: number;
  max: number;
  fn: (args: readonly Expr[], env: CallEnv) => XValue;
}

const str = (env: CallEnv, e: Expr | undefined) => (e ? toStr(env.ev(e)) : "");
const num = (env: CallEnv, e: Expr | undefined) => (e ? toNum(env.ev(e)) : NaN);
const chars = (s: string) => Array.from(s);

/** Every node value of a node-set, or the one value of a scalar. */
function valuesOf(v: XValue): string[] {
  return isNodeSet(v) ? v.values.map(answerToString) : [toStr(v)];
}

const tokens = (s: string) => s.split(/\s+/).filter((t) => t.length > 0);

function math1(f: (x: number) => number): FunctionDef {
  return { min: 1, max: 1, fn: (a, env) => f(num(env, a[0])) };
}

/** Round half away from zero at `digits` decimals, on the decimal text (so 1.005 → 1.01). */
export function roundTo(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const d = Math.trunc(digits);
  const sign = x < 0 ? -1 : 1;
  const shifted = Number(`${Math.abs(x)}e${d}`);
  const r = Number(`${Math.round(shifted)}e${-d}`);
  return sign * r;
}

const regexCache = new Map<string, RegExp>();
function regexOf(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    try {
      re = new RegExp(pattern);
    } catch {
      throw new ExpressionError("invalid_regex", `invalid regular expression: ${pattern}`, {
        pattern,
      });
    }
    if (regexCache.size > 500) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** ODK format-date: %Y %y %m %n %b %d %e %a %H %h %M %S %3. */
function formatDate(d: XDate, format: string): string {
  const t = new Date(d.ms);
  // Calendar dates live at UTC midnight; date-times are shown in local time.
  const parts = d.dateOnly
    ? {
        y: t.getUTCFullYear(),
        mo: t.getUTCMonth(),
        day: t.getUTCDate(),
        wd: t.getUTCDay(),
        h: 0,
        mi: 0,
        s: 0,
        ms: 0,
      }
    : {
        y: t.getFullYear(),
        mo: t.getMonth(),
        day: t.getDate(),
        wd: t.getDay(),
        h: t.getHours(),
        mi: t.getMinutes(),
        s: t.getSeconds(),
        ms: t.getMilliseconds(),
      };
  const p2 = (n: number) => String(n).padStart(2, "0");
  return format.replace(/%(.)/g, (all, c: string) => {
    switch (c) {
      case "Y":
        return String(parts.y).padStart(4, "0");
      case "y":
        return p2(parts.y % 100);
      case "m":
        return p2(parts.mo + 1);
      case "n":
        return String(parts.mo + 1);
      case "b":
        return MONTHS[parts.mo]!;
      case "d":
        return p2(parts.day);
      case "e":
        return String(parts.day);
      case "a":
        return DAYS[parts.wd]!;
      case "H":
        return p2(parts.h);
      case "h":
        return String(parts.h);
      case "M":
        return p2(parts.mi);
      case "S":
        return p2(parts.s);
      case "3":
        return String(parts.ms).padStart(3, "0");
      case "%":
        return "%";
      default:
        return all;
    }
  });
}

function extremum(
  args: readonly Expr[],
  env: CallEnv,
  pick: (a: number, b: number) => number,
): number {
  const all = args.flatMap((a) => valuesOf(env.ev(a)).map((s) => toNum(s)));
  if (all.length === 0) return NaN;
  return all.reduce((acc, x) => (Number.isNaN(acc) || Number.isNaN(x) ? NaN : pick(acc, x)));
}

/** The question named by jr:choice-name's second argument ('${x}' or a path ending in x). */
function questionOfPath(e: Expr | undefined): string | null {
  if (!e) return null;
  if (e.t === "ref") return e.name;
  if (e.t !== "str") return null;
  const m = /\$\{\s*([^}\s]+)\s*\}/.exec(e.v);
  if (m) return m[1]!;
  const last = e.v.trim().split("/").pop();
  return last ? last : null;
}

const FUNCTIONS: Record<string, FunctionDef> = {
  // --- logic
  if: { min: 3, max: 3, fn: (a, env) => (toBool(env.ev(a[0]!)) ? env.ev(a[1]!) : env.ev(a[2]!)) },
  not: { min: 1, max: 1, fn: (a, env) => !toBool(env.ev(a[0]!)) },
  true: { min: 0, max: 0, fn: () => true },
  false: { min: 0, max: 0, fn: () => false },
  boolean: { min: 1, max: 1, fn: (a, env) => toBool(env.ev(a[0]!)) },
  "boolean-from-string": {
    min: 1,
    max: 1,
    fn: (a, env) => {
      const s = str(env, a[0]).trim();
      return s === "true" || s === "1";
    },
  },
  coalesce: {
    min: 2,
    max: 2,
    fn: (a, env) => {
      const first = str(env, a[0]);
      return first !== "" ? first : str(env, a[1]);
    },
  },
  once: {
    min: 1,
    max: 1,
    // Keeps the first value: a question computed once (an id, a start time) never changes.
    fn: (a, env) => {
      const own = env.ctx.self();
      return own.length > 0 && answerToString(own[0]) !== "" ? nodes(own) : env.ev(a[0]!);
    },
  },

  // --- selects
  selected: {
    min: 2,
    max: 2,
    fn: (a, env) => tokens(str(env, a[0])).includes(str(env, a[1]).trim()),
  },
  "count-selected": { min: 1, max: 1, fn: (a, env) => tokens(str(env, a[0])).length },
  "selected-at": {
    min: 2,
    max: 2,
    fn: (a, env) => tokens(str(env, a[0]))[Math.trunc(num(env, a[1]))] ?? "",
  },
  "jr:choice-name": {
    min: 2,
    max: 2,
    fn: (a, env) => {
      const value = str(env, a[0]);
      const question = questionOfPath(a[1]);
      if (value === "" || !question) return value;
      return env.ctx.choiceLabel?.(question, value) ?? value;
    },
  },

  // --- strings
  concat: {
    min: 0,
    max: Infinity,
    fn: (a, env) => a.map((e) => valuesOf(env.ev(e)).join("")).join(""),
  },
  join: {
    min: 1,
    max: Infinity,
    fn: (a, env) => {
      const sep = str(env, a[0]);
      return a
        .slice(1)
        .flatMap((e) => valuesOf(env.ev(e)))
        .join(sep);
    },
  },
  "string-length": {
    min: 0,
    max: 1,
    fn: (a, env) => chars(a[0] ? str(env, a[0]) : toStr(nodes(env.ctx.self()))).length,
  },
  substr: {
    min: 2,
    max: 3,
    fn: (a, env) => {
      const s = chars(str(env, a[0]));
      const start = Math.max(0, Math.trunc(num(env, a[1])) || 0);
      const endRaw = a[2] ? Math.trunc(num(env, a[2])) : s.length;
      const end = Math.min(s.length, Number.isNaN(endRaw) ? s.length : endRaw);
      return end > start ? s.slice(start, end).join("") : "";
    },
  },
  "substring-before": {
    min: 2,
    max: 2,
    fn: (a, env) => {
      const s = str(env, a[0]);
      const i = s.indexOf(str(env, a[1]));
      return i < 0 ? "" : s.slice(0, i);
    },
  },
  "substring-after": {
    min: 2,
    max: 2,
    fn: (a, env) => {
      const s = str(env, a[0]);
      const t = str(env, a[1]);
      const i = s.indexOf(t);
      return i < 0 ? "" : s.slice(i + t.length);
    },
  },
  contains: { min: 2, max: 2, fn: (a, env) => str(env, a[0]).includes(str(env, a[1])) },
  "starts-with": { min: 2, max: 2, fn: (a, env) => str(env, a[0]).startsWith(str(env, a[1])) },
  "ends-with": { min: 2, max: 2, fn: (a, env) => str(env, a[0]).endsWith(str(env, a[1])) },
  "normalize-space": {
    min: 0,
    max: 1,
    fn: (a, env) =>
      (a[0] ? str(env, a[0]) : toStr(nodes(env.ctx.self()))).trim().replace(/\s+/g, " "),
  },
  translate: {
    min: 3,
    max: 3,
    fn: (a, env) => {
      const from = chars(str(env, a[1]));
      const to = chars(str(env, a[2]));
      return chars(str(env, a[0]))
        .map((c) => {
          const i = from.indexOf(c);
          return i < 0 ? c : (to[i] ?? "");
        })
        .join("");
    },
  },
  regex: { min: 2, max: 2, fn: (a, env) => regexOf(str(env, a[1])).test(str(env, a[0])) },
  string: {
    min: 0,
    max: 1,
    fn: (a, env) => (a[0] ? str(env, a[0]) : toStr(nodes(env.ctx.self()))),
  },
  uuid: { min: 0, max: 0, fn: () => globalThis.crypto.randomUUID() },

  // --- numbers
  number: { min: 1, max: 1, fn: (a, env) => num(env, a[0]) },
  int: { min: 1, max: 1, fn: (a, env) => Math.trunc(num(env, a[0])) },
  round: {
    min: 1,
    max: 2,
    fn: (a, env) => {
      const x = num(env, a[0]);
      // One argument: XPath round (halves toward +∞); with digits: half away from zero.
      return a[1] ? roundTo(x, num(env, a[1])) : Math.floor(x + 0.5);
    },
  },
  floor: math1(Math.floor),
  ceiling: math1(Math.ceil),
  abs: math1(Math.abs),
  sqrt: math1(Math.sqrt),
  exp: math1(Math.exp),
  exp10: math1((x) => 10 ** x),
  log: math1(Math.log),
  log10: math1(Math.log10),
  sin: math1(Math.sin),
  cos: math1(Math.cos),
  tan: math1(Math.tan),
  asin: math1(Math.asin),
  acos: math1(Math.acos),
  atan: math1(Math.atan),
  atan2: { min: 2, max: 2, fn: (a, env) => Math.atan2(num(env, a[0]), num(env, a[1])) },
  pow: { min: 2, max: 2, fn: (a, env) => num(env, a[0]) ** num(env, a[1]) },
  pi: { min: 0, max: 0, fn: () => Math.PI },
  random: { min: 0, max: 0, fn: () => Math.random() },

  // --- repeats and node-sets
  count: {
    min: 1,
    max: 1,
    fn: (a, env) => {
      const v = env.ev(a[0]!);
      return isNodeSet(v) ? v.values.length : 0;
    },
  },
  "count-non-empty": {
    min: 1,
    max: 1,
    fn: (a, env) => valuesOf(env.ev(a[0]!)).filter((s) => s !== "").length,
  },
  sum: {
    min: 1,
    max: 1,
    fn: (a, env) => valuesOf(env.ev(a[0]!)).reduce((acc, s) => acc + toNum(s), 0),
  },
  max: { min: 1, max: Infinity, fn: (a, env) => extremum(a, env, Math.max) },
  min: { min: 1, max: Infinity, fn: (a, env) => extremum(a, env, Math.min) },
  position: { min: 0, max: 1, fn: (_a, env) => env.ctx.position() },
  "indexed-repeat": {
    min: 3,
    max: 7,
    fn: (a, env) => {
      const field = a[0];
      if (field?.t !== "ref") return nodes([]);
      const pins = new Map<string, number>();
      for (let i = 1; i + 1 < a.length; i += 2) {
        const repeat = a[i];
        if (repeat?.t !== "ref") return nodes([]);
        pins.set(repeat.name, Math.trunc(num(env, a[i + 1])) - 1);
      }
      return nodes(env.ctx.ref(field.name, pins));
    },
  },

  // --- dates
  today: { min: 0, max: 0, fn: (_a, env) => localDay(env.ctx.now()) },
  now: {
    min: 0,
    max: 0,
    fn: (_a, env) => ({ kind: "date", ms: env.ctx.now().getTime(), dateOnly: false }),
  },
  date: { min: 1, max: 1, fn: (a, env) => toDate(env.ev(a[0]!)) ?? "" },
  "date-time": {
    min: 1,
    max: 1,
    fn: (a, env) => {
      const d = toDate(env.ev(a[0]!));
      return d ? { kind: "date", ms: d.ms, dateOnly: false } : "";
    },
  },
  "decimal-date-time": {
    min: 1,
    max: 1,
    fn: (a, env) => {
      const d = toDate(env.ev(a[0]!));
      return d ? d.ms / DAY_IN_MS : NaN;
    },
  },
  "format-date": {
    min: 2,
    max: 2,
    fn: (a, env) => {
      const d = toDate(env.ev(a[0]!));
      return d ? formatDate(d, str(env, a[1])) : "";
    },
  },
  "format-date-time": {
    min: 2,
    max: 2,
    fn: (a, env) => {
      const d = toDate(env.ev(a[0]!));
      return d ? formatDate(d, str(env, a[1])) : "";
    },
  },
};

// A Map, so names like "constructor" are not mistaken for functions.
const REGISTRY = new Map(Object.entries(FUNCTIONS));

/** Arity of a supported function, or undefined. */
export function functionSpec(name: string): { min: number; max: number } | undefined {
  return REGISTRY.get(name);
}

/** Names of every supported function (for reports and docs). */
export const SUPPORTED_FUNCTIONS: readonly string[] = [...REGISTRY.keys()].sort();

export function callFunction(name: string, args: readonly Expr[], env: CallEnv): XValue {
  const def = REGISTRY.get(name);
  // The parser refuses unknown names, so this only guards hand-built ASTs.
  if (!def)
    throw new ExpressionError("unsupported_function", `unsupported function: ${name}`, {
      functions: name,
    });
  return def.fn(args, env);
}
