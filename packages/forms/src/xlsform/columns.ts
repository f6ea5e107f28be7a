/* Column headers of the survey and choices sheets: pyxform's aliases, and the
   language suffixes of translatable columns (label::English (en), label:english). */

export const SURVEY_COLUMNS = [
  "type",
  "name",
  "label",
  "hint",
  "required",
  "required_message",
  "relevant",
  "constraint",
  "constraint_message",
  "calculation",
  "choice_filter",
  "appearance",
  "default",
  "read_only",
  "repeat_count",
  "parameters",
] as const;
export type SurveyColumn = (typeof SURVEY_COLUMNS)[number];

/** Translatable columns we load. */
export const TRANSLATABLE = new Set(["label", "hint", "required_message", "constraint_message"]);
/** Translatable columns we do not load (reported when used). */
const TRANSLATABLE_UNSUPPORTED = new Set([
  "guidance_hint",
  "image",
  "big-image",
  "audio",
  "video",
  "media::image",
  "media::big-image",
  "media::audio",
  "media::video",
]);

const SURVEY_ALIASES: Record<string, string> = {
  command: "type",
  caption: "label",
  "bind::required": "required",
  requiredmsg: "required_message",
  "required message": "required_message",
  "jr:requiredmsg": "required_message",
  "bind::jr:requiredmsg": "required_message",
  relevance: "relevant",
  "bind::relevant": "relevant",
  "bind::constraint": "constraint",
  "constraint message": "constraint_message",
  "constraining message": "constraint_message",
  "jr:constraintmsg": "constraint_message",
  "bind::jr:constraintmsg": "constraint_message",
  calculate: "calculation",
  "bind::calculate": "calculation",
  "control::appearance": "appearance",
  "body::appearance": "appearance",
  readonly: "read_only",
  "bind::readonly": "read_only",
  count: "repeat_count",
  "jr:count": "repeat_count",
  "control::jr:count": "repeat_count",
  "body::jr:count": "repeat_count",
  image: "media::image",
  audio: "media::audio",
  video: "media::video",
  "big-image": "media::big-image",
};

const CHOICE_ALIASES: Record<string, string> = {
  "list name": "list_name",
  caption: "label",
  image: "media::image",
  audio: "media::audio",
  video: "media::video",
  "big-image": "media::big-image",
};

export interface ColumnMeta {
  /** The header as written. */
  header: string;
  /** Canonical key (lower case), e.g. label, relevant, media::image; for unknown columns the header. */
  key: string;
  /** The language part as written ("English (en)"), for translatable columns. */
  language: string | null;
  known: boolean;
  translatable: boolean;
  /** Kobo bookkeeping ($kuid, $autoname…): never reported. */
  internal: boolean;
}

const aliasOf = (aliases: Record<string, string>, key: string) =>
  Object.hasOwn(aliases, key) ? aliases[key]! : key;

function parse(
  header: string,
  aliases: Record<string, string>,
  known: ReadonlySet<string>,
): ColumnMeta {
  const h = header.trim();
  const meta = (key: string, language: string | null): ColumnMeta => ({
    header: h,
    key,
    language,
    known: known.has(key),
    translatable: TRANSLATABLE.has(key) || TRANSLATABLE_UNSUPPORTED.has(key),
    internal: false,
  });
  if (h.startsWith("$")) return { ...meta(h.toLowerCase(), null), internal: true };
  const lower = h.toLowerCase();
  const whole = aliasOf(aliases, lower);
  if (whole !== lower || known.has(lower)) return meta(whole, null);
  const parts = h.split("::");
  if (parts.length >= 2) {
    const base = aliasOf(aliases, parts.slice(0, -1).join("::").toLowerCase());
    if (TRANSLATABLE.has(base) || TRANSLATABLE_UNSUPPORTED.has(base))
      return meta(base, parts.at(-1)!.trim());
    return meta(lower, null);
  }
  // Old forms: label:english.
  const colon = h.indexOf(":");
  if (colon > 0) {
    const base = aliasOf(aliases, lower.slice(0, colon));
    if (TRANSLATABLE.has(base) || TRANSLATABLE_UNSUPPORTED.has(base))
      return meta(base, h.slice(colon + 1).trim());
  }
  return meta(lower, null);
}

const SURVEY_KNOWN: ReadonlySet<string> = new Set(SURVEY_COLUMNS);
export const parseSurveyHeader = (header: string) => parse(header, SURVEY_ALIASES, SURVEY_KNOWN);

const CHOICE_KNOWN: ReadonlySet<string> = new Set(["list_name", "name", "label"]);
/** Choices headers: unknown columns are kept as they are written (choice filters read them). */
export function parseChoicesHeader(header: string): ColumnMeta {
  const meta = parse(header, CHOICE_ALIASES, CHOICE_KNOWN);
  return meta.known || meta.translatable || meta.internal ? meta : { ...meta, key: header.trim() };
}
