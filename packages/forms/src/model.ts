import { z } from "zod";

/* ------------------------------------------------------------------ */
/* The form definition: the JSON stored in the database (versioned),  */
/* produced by the XLSForm import and run by the engine. Structural    */
/* rules live here; rules that need the whole form (unique names,      */
/* references, cycles) are in check.ts.                                */
/* ------------------------------------------------------------------ */

/** Bumped when the stored JSON changes shape; old rows are migrated, never guessed. */
export const FORM_SCHEMA_VERSION = 1 as const;

export const FORM_LIMITS = {
  name: 120,
  languageCode: 35,
  text: 10_000,
  expression: 4_000,
  appearance: 200,
  nodes: 5_000,
  choices: 20_000,
  /** Instances of one repeat in one submission (also the cap for repeat_count). */
  repeatInstances: 1_000,
} as const;

/** Questions a person answers. `image` is a photo (the answer is the uploaded photo's id, photos.ts). */
export const INPUT_TYPES = [
  "text",
  "integer",
  "decimal",
  "select_one",
  "select_multiple",
  "date",
  "geopoint",
  "image",
] as const;
/** Filled by the device, not asked: start/end are ISO date-times, today is a date. */
export const METADATA_TYPES = ["start", "end", "today"] as const;
export const FIELD_TYPES = [...INPUT_TYPES, "note", "calculate", ...METADATA_TYPES] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export type InputType = (typeof INPUT_TYPES)[number];
export type MetadataType = (typeof METADATA_TYPES)[number];
export const SELECT_TYPES = ["select_one", "select_multiple"] as const;

/** XML NCName (ODK names become XML elements); Unicode letters are fine. */
export const NAME_PATTERN = /^[\p{L}_][\p{L}\p{N}_.-]*$/u;
export const nameSchema = z.string().min(1).max(FORM_LIMITS.name).regex(NAME_PATTERN);

/** "default" is the language of XLSForm columns written without one (`label`). */
export const DEFAULT_LANGUAGE = "default";
export const languageCodeSchema = z
  .string()
  .min(1)
  .max(FORM_LIMITS.languageCode)
  .regex(/^[A-Za-z0-9_-]+$/);

/** Text per language code: { he: "…", en: "…" }. */
export const localizedTextSchema = z.record(languageCodeSchema, z.string().max(FORM_LIMITS.text));
export type LocalizedText = z.infer<typeof localizedTextSchema>;

/** An ODK XPath expression (see expr/); `${name}` refers to another question. */
export const expressionSchema = z.string().min(1).max(FORM_LIMITS.expression);
/** yes/no, or an expression deciding it per answer set (ODK allows both). */
export const flagSchema = z.union([z.boolean(), expressionSchema]);

export const fieldSchema = z.object({
  type: z.enum(FIELD_TYPES),
  name: nameSchema,
  label: localizedTextSchema.optional(),
  hint: localizedTextSchema.optional(),
  required: flagSchema.optional(),
  requiredMessage: localizedTextSchema.optional(),
  relevant: expressionSchema.optional(),
  constraint: expressionSchema.optional(),
  constraintMessage: localizedTextSchema.optional(),
  calculation: expressionSchema.optional(),
  readOnly: flagSchema.optional(),
  /** A literal answer, or an expression (evaluated once, when the answers are created). */
  default: z.string().max(FORM_LIMITS.text).optional(),
  appearance: z.string().max(FORM_LIMITS.appearance).optional(),
  /** Name of a choice list; selects only. */
  choiceList: nameSchema.optional(),
  /** Expression per choice: bare names are the choice's columns (`cf`, `name`). */
  choiceFilter: expressionSchema.optional(),
  /** XLSForm `parameters` (e.g. max-pixels=1024), passed to the widget. */
  parameters: z.record(z.string().min(1).max(60), z.string().max(200)).optional(),
});
export type Field = z.infer<typeof fieldSchema>;

export interface Group {
  type: "group";
  name: string;
  label?: LocalizedText;
  relevant?: string;
  appearance?: string;
  children: FormNode[];
}

export interface Repeat {
  type: "repeat";
  name: string;
  label?: LocalizedText;
  relevant?: string;
  appearance?: string;
  /** Expression (or number) fixing how many instances there are; absent = the person adds them. */
  repeatCount?: string;
  children: FormNode[];
}

export type FormNode = Field | Group | Repeat;
export type Container = Group | Repeat;

const groupSchema = z.object({
  type: z.literal("group"),
  name: nameSchema,
  label: localizedTextSchema.optional(),
  relevant: expressionSchema.optional(),
  appearance: z.string().max(FORM_LIMITS.appearance).optional(),
  get children(): z.ZodArray<z.ZodType<FormNode>> {
    return z.array(formNodeSchema);
  },
});

const repeatSchema = z.object({
  type: z.literal("repeat"),
  name: nameSchema,
  label: localizedTextSchema.optional(),
  relevant: expressionSchema.optional(),
  appearance: z.string().max(FORM_LIMITS.appearance).optional(),
  repeatCount: expressionSchema.optional(),
  get children(): z.ZodArray<z.ZodType<FormNode>> {
    return z.array(formNodeSchema);
  },
});

export const formNodeSchema: z.ZodType<FormNode> = z.discriminatedUnion("type", [
  fieldSchema,
  groupSchema,
  repeatSchema,
]);

export const choiceSchema = z.object({
  name: z.string().min(1).max(FORM_LIMITS.name),
  label: localizedTextSchema.optional(),
  /** Other columns of the choices sheet (used by choice filters), by column name. */
  extra: z
    .record(z.string().min(1).max(FORM_LIMITS.name), z.string().max(FORM_LIMITS.text))
    .optional(),
});
export type Choice = z.infer<typeof choiceSchema>;

export const choiceListSchema = z.object({
  name: nameSchema,
  choices: z.array(choiceSchema).max(FORM_LIMITS.choices),
});
export type ChoiceList = z.infer<typeof choiceListSchema>;

export const formSettingsSchema = z.object({
  title: z.string().min(1).max(300),
  id: z.string().min(1).max(FORM_LIMITS.name),
  version: z.string().max(100).optional(),
  defaultLanguage: languageCodeSchema,
  /** Every language the form's texts use, in the order the author wrote them. */
  languages: z.array(languageCodeSchema).min(1),
  /** How the author named each language ("English", "עברית"); used when exporting. */
  languageNames: z.record(languageCodeSchema, z.string().max(100)).optional(),
  /** Expression naming a submission (XLSForm instance_name). */
  instanceName: expressionSchema.optional(),
  /** Choice lists may repeat a name (cascading selects that share leaves). */
  allowChoiceDuplicates: z.boolean().optional(),
});
export type FormSettings = z.infer<typeof formSettingsSchema>;

export const formDefinitionSchema = z.object({
  schemaVersion: z.literal(FORM_SCHEMA_VERSION),
  settings: formSettingsSchema,
  questions: z.array(formNodeSchema),
  choiceLists: z.array(choiceListSchema),
});
export type FormDefinition = z.infer<typeof formDefinitionSchema>;

/**
 * Answers of one submission. Groups are transparent (names are unique in the form);
 * a repeat is an array of records, each keyed by the names inside that repeat.
 * Values: text/select_one → string, image → a photo id (UUID), integer/decimal → number,
 * select_multiple → string[], date → "YYYY-MM-DD", geopoint → Geopoint,
 * start/end → ISO date-time, today → date; calculations → number or string.
 */
export type Answers = Record<string, unknown>;

export const geopointSchema = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  altitude: z.number().optional(),
  accuracy: z.number().min(0).optional(),
});
export type Geopoint = z.infer<typeof geopointSchema>;

export const isContainer = (node: FormNode): node is Container =>
  node.type === "group" || node.type === "repeat";

export const isSelect = (node: FormNode): node is Field =>
  node.type === "select_one" || node.type === "select_multiple";

/** Visits every node depth-first in document order, with its ancestors (outermost first). */
export function walkNodes(
  nodes: readonly FormNode[],
  visit: (node: FormNode, ancestors: readonly Container[]) => void,
  ancestors: readonly Container[] = [],
): void {
  for (const node of nodes) {
    visit(node, ancestors);
    if (isContainer(node)) walkNodes(node.children, visit, [...ancestors, node]);
  }
}
