import type { FieldType } from "../model.ts";

/* The type column: XLSForm spellings (and pyxform's old aliases) → what we load. */

export type ParsedType =
  | { kind: "begin"; container: "group" | "repeat" }
  | { kind: "begin_loop"; list: string }
  | { kind: "end"; container: "group" | "repeat" | "loop" }
  | { kind: "field"; type: FieldType; list?: string; orOther?: boolean; constraint?: string }
  /** A select without its list name. */
  | { kind: "select_without_list" }
  /** An ODK question type we do not run: the question is not loaded. */
  | { kind: "unsupported"; type: string }
  /** Device metadata we do not collect: dropped (nothing is asked). */
  | { kind: "metadata"; type: string }
  | { kind: "unknown"; type: string };

const SIMPLE: Record<string, FieldType> = {
  text: "text",
  string: "text",
  "q string": "text",
  "add text prompt": "text",
  integer: "integer",
  int: "integer",
  "q int": "integer",
  "add integer prompt": "integer",
  decimal: "decimal",
  "q decimal": "decimal",
  "add decimal prompt": "decimal",
  date: "date",
  "q date": "date",
  "add date prompt": "date",
  geopoint: "geopoint",
  location: "geopoint",
  gps: "geopoint",
  "q geopoint": "geopoint",
  "q location": "geopoint",
  "add geopoint prompt": "geopoint",
  "add location prompt": "geopoint",
  image: "image",
  photo: "image",
  "q picture": "image",
  "q image": "image",
  "add image prompt": "image",
  "add photo prompt": "image",
  note: "note",
  "q note": "note",
  "add note prompt": "note",
  calculate: "calculate",
  "q calculate": "calculate",
  "add calculate prompt": "calculate",
  start: "start",
  "start time": "start",
  "get start time": "start",
  end: "end",
  "end time": "end",
  "get end time": "end",
  today: "today",
  "get today": "today",
};

/** pyxform's old types that are a question plus a constraint. */
const WITH_CONSTRAINT: Record<string, { type: FieldType; constraint: string }> = {
  "phone number": { type: "text", constraint: "regex(., '^\\d*$')" },
  percentage: { type: "integer", constraint: "0 <= . and . <= 100" },
};

const UNSUPPORTED = new Set([
  "time",
  "datetime",
  "date time",
  "q date time",
  "q datetime",
  "add date time prompt",
  "add datetime prompt",
  "audio",
  "q audio",
  "add audio prompt",
  "background-audio",
  "video",
  "q video",
  "add video prompt",
  "file",
  "add file prompt",
  "barcode",
  "q barcode",
  "add barcode prompt",
  "range",
  "rank",
  "geoshape",
  "geotrace",
  "acknowledge",
  "q acknowledge",
  "add acknowledge prompt",
  "trigger",
  "hidden",
  "xml-external",
  "csv-external",
  "osm",
  "select_one_external",
  "select one external",
  "select_one_from_file",
  "select_multiple_from_file",
  "select one from file",
  "select multiple from file",
  "cascading select",
  "cascading_select",
]);

const METADATA = new Set([
  "deviceid",
  "device id",
  "get device id",
  "imei",
  "subscriberid",
  "subscriber id",
  "get subscriber id",
  "simserial",
  "sim id",
  "get sim id",
  "phonenumber",
  "get phone number",
  "username",
  "email",
  "audit",
  "start-geopoint",
  "background-geopoint",
  "instanceid",
]);

const SELECT_ONE = [
  "add select one prompt using",
  "select one from",
  "select one using",
  "select_one",
  "select one",
  "select1",
  "q select1",
];
const SELECT_MULTIPLE = [
  "add select multiple prompt using",
  "select all that apply from",
  "select all that apply",
  "select multiple from",
  "select multiple using",
  "select_multiple",
  "select multiple",
  "q select",
];
const SELECT_PREFIXES = [
  ...SELECT_ONE.map((p) => ({ prefix: p, type: "select_one" as const })),
  ...SELECT_MULTIPLE.map((p) => ({ prefix: p, type: "select_multiple" as const })),
].sort((a, b) => b.prefix.length - a.prefix.length);

const own = <T>(record: Record<string, T>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

export function parseType(raw: string): ParsedType {
  const text = raw.trim().replace(/\s+/g, " ");
  const lower = text.toLowerCase();

  const container = /^(begin|end)[ _](group|repeat|lgroup|looped group|loop)(?: over (\S+))?$/.exec(
    lower,
  );
  if (container) {
    const [, edge, kind] = container;
    const normalized = kind === "group" ? "group" : kind === "loop" ? "loop" : "repeat";
    if (edge === "end") return { kind: "end", container: normalized };
    if (normalized === "loop") {
      const list = /over (\S+)$/.exec(text)?.[1];
      return list ? { kind: "begin_loop", list } : { kind: "unknown", type: text };
    }
    return { kind: "begin", container: normalized };
  }

  const firstWord = lower.split(" ")[0]!;
  if (
    UNSUPPORTED.has(lower) ||
    UNSUPPORTED.has(firstWord) ||
    /^select[ _](one|multiple)[ _]from[ _]file\b/.test(lower)
  ) {
    return {
      kind: "unsupported",
      type: UNSUPPORTED.has(firstWord) ? firstWord : lower.split(" ").slice(0, 4).join(" "),
    };
  }
  if (METADATA.has(lower) || lower.startsWith("uri:")) return { kind: "metadata", type: lower };

  const simple = own(SIMPLE, lower);
  if (simple) return { kind: "field", type: simple };
  const constrained = own(WITH_CONSTRAINT, lower);
  if (constrained)
    return { kind: "field", type: constrained.type, constraint: constrained.constraint };

  for (const { prefix, type } of SELECT_PREFIXES) {
    if (lower === prefix) return { kind: "select_without_list" };
    if (!lower.startsWith(`${prefix} `)) continue;
    const rest = text.slice(prefix.length + 1);
    const m = /^(\S+)(?: (or_other|or specify other))?$/i.exec(rest);
    if (!m) return { kind: "unknown", type: text };
    return { kind: "field", type, list: m[1]!, ...(m[2] ? { orOther: true } : {}) };
  }
  return { kind: "unknown", type: text };
}
