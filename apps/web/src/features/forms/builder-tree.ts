/**
 * The form builder's operations on a definition, pure and immutable: find, add, change,
 * remove and move questions in the tree (by index path), names made from labels and
 * kept unique, references followed on rename, choice lists and the form's languages.
 * Every function returns a new definition and leaves its input as it was.
 */
import {
  FORM_LIMITS,
  NAME_PATTERN,
  isContainer,
  walkNodes,
  type Choice,
  type ChoiceList,
  type Field,
  type FieldType,
  type FormDefinition,
  type FormNode,
  type LocalizedText,
} from "@kaveret/forms";

/** Where a node is: indexes from the root ([2, 0] = the first child of the third question). */
export type NodePath = readonly number[];

/** The question types the builder offers (the device-filled start/end/today come from imports). */
export const BUILDER_FIELD_TYPES = [
  "text",
  "integer",
  "decimal",
  "select_one",
  "select_multiple",
  "date",
  "geopoint",
  "image",
  "note",
  "calculate",
] as const satisfies readonly FieldType[];
export type BuilderFieldType = (typeof BUILDER_FIELD_TYPES)[number];
export const BUILDER_CONTAINER_TYPES = ["group", "repeat"] as const;
export type AddableType = BuilderFieldType | (typeof BUILDER_CONTAINER_TYPES)[number];

const isSelectType = (type: string) => type === "select_one" || type === "select_multiple";

// ------------------------------------------------------------------ finding

/** The node at a path, or undefined. */
export function nodeAt(def: FormDefinition, path: NodePath): FormNode | undefined {
  let list: readonly FormNode[] = def.questions;
  let node: FormNode | undefined;
  for (const index of path) {
    node = list[index];
    if (!node) return undefined;
    list = isContainer(node) ? node.children : [];
  }
  return node;
}

/** The list of nodes a path's node sits in. */
function siblingsAt(def: FormDefinition, path: NodePath): readonly FormNode[] {
  if (path.length <= 1) return def.questions;
  const parent = nodeAt(def, path.slice(0, -1));
  return parent && isContainer(parent) ? parent.children : [];
}

/** Every name in the form (questions, groups and repeats). */
export function allNames(def: FormDefinition): Set<string> {
  const out = new Set<string>();
  walkNodes(def.questions, (n) => out.add(n.name));
  return out;
}

/** The path of each name (the first node of that name). */
export function pathsByName(def: FormDefinition): Map<string, NodePath> {
  const out = new Map<string, NodePath>();
  const walk = (nodes: readonly FormNode[], prefix: number[]) =>
    nodes.forEach((n, i) => {
      const path = [...prefix, i];
      if (!out.has(n.name)) out.set(n.name, path);
      if (isContainer(n)) walk(n.children, path);
    });
  walk(def.questions, []);
  return out;
}

export const samePath = (a: NodePath | null, b: NodePath | null) =>
  a !== null && b !== null && a.length === b.length && a.every((x, i) => x === b[i]);

/** Whether `inner` is `outer` or lies inside it. */
export const isWithin = (inner: NodePath, outer: NodePath) =>
  inner.length >= outer.length && outer.every((x, i) => inner[i] === x);

// ------------------------------------------------------------------ changing

/** A new definition with the node at `path` replaced by `fn(node)`. */
export function updateNode(
  def: FormDefinition,
  path: NodePath,
  fn: (node: FormNode) => FormNode,
): FormDefinition {
  const walk = (nodes: readonly FormNode[], depth: number): FormNode[] =>
    nodes.map((n, i) => {
      if (i !== path[depth]) return n;
      if (depth === path.length - 1) return fn(n);
      return isContainer(n) ? { ...n, children: walk(n.children, depth + 1) } : n;
    });
  return path.length === 0 ? def : { ...def, questions: walk(def.questions, 0) };
}

/** A new definition with the list holding `parentPath`'s children ([] = the root) changed. */
function withChildren(
  def: FormDefinition,
  parentPath: NodePath,
  fn: (list: FormNode[]) => FormNode[],
): FormDefinition {
  if (parentPath.length === 0) return { ...def, questions: fn([...def.questions]) };
  return updateNode(def, parentPath, (n) =>
    isContainer(n) ? { ...n, children: fn([...n.children]) } : n,
  );
}

/** Inserts a node into the children of `parentPath` ([] = the root) at `index`. */
export function insertNode(
  def: FormDefinition,
  parentPath: NodePath,
  index: number,
  node: FormNode,
): FormDefinition {
  return withChildren(def, parentPath, (list) => {
    list.splice(Math.max(0, Math.min(index, list.length)), 0, node);
    return list;
  });
}

/** Choice lists used by the selects of a subtree. */
function listsUsedBy(nodes: readonly FormNode[]): Set<string> {
  const out = new Set<string>();
  walkNodes(nodes, (n) => {
    if (!isContainer(n) && n.choiceList) out.add(n.choiceList);
  });
  return out;
}

/** How many selects use a choice list. */
export function listUsage(def: FormDefinition, listName: string): number {
  let n = 0;
  walkNodes(def.questions, (node) => {
    if (!isContainer(node) && node.choiceList === listName) n += 1;
  });
  return n;
}

/** Drops those of `candidates` no select uses any more (lists nobody chose to keep). */
function pruneLists(def: FormDefinition, candidates: ReadonlySet<string>): FormDefinition {
  if (candidates.size === 0) return def;
  const used = listsUsedBy(def.questions);
  const kept = def.choiceLists.filter((l) => !candidates.has(l.name) || used.has(l.name));
  return kept.length === def.choiceLists.length ? def : { ...def, choiceLists: kept };
}

/** Removes the node at `path` (and what it holds), with the choice lists only it used. */
export function removeNode(def: FormDefinition, path: NodePath): FormDefinition {
  const node = nodeAt(def, path);
  if (!node) return def;
  const index = path[path.length - 1]!;
  const without = withChildren(def, path.slice(0, -1), (list) => {
    list.splice(index, 1);
    return list;
  });
  return pruneLists(without, listsUsedBy([node]));
}

export interface Moves {
  up: boolean;
  down: boolean;
  /** Into the group or repeat just above. */
  into: boolean;
  /** Out of the group or repeat it is in. */
  out: boolean;
}

/** Which moves a node can make. */
export function movesOf(def: FormDefinition, path: NodePath): Moves {
  const index = path[path.length - 1] ?? 0;
  const siblings = siblingsAt(def, path);
  const previous = index > 0 ? siblings[index - 1] : undefined;
  return {
    up: index > 0,
    down: index < siblings.length - 1,
    into: previous !== undefined && isContainer(previous),
    out: path.length > 1,
  };
}

export type Move = keyof Moves;

/** Moves a node one step; returns the new definition and where the node now is (null: cannot). */
export function moveNode(
  def: FormDefinition,
  path: NodePath,
  move: Move,
): { def: FormDefinition; path: NodePath } | null {
  if (!movesOf(def, path)[move]) return null;
  const node = nodeAt(def, path)!;
  const parent = path.slice(0, -1);
  const index = path[path.length - 1]!;
  if (move === "up" || move === "down") {
    const to = move === "up" ? index - 1 : index + 1;
    const next = withChildren(def, parent, (list) => {
      [list[index], list[to]] = [list[to]!, list[index]!];
      return list;
    });
    return { def: next, path: [...parent, to] };
  }
  const removed = withChildren(def, parent, (list) => {
    list.splice(index, 1);
    return list;
  });
  if (move === "into") {
    const target = [...parent, index - 1];
    const container = nodeAt(removed, target);
    const at = container && isContainer(container) ? container.children.length : 0;
    return { def: insertNode(removed, target, at, node), path: [...target, at] };
  }
  // out: just after the group or repeat it was in.
  const grand = parent.slice(0, -1);
  const parentIndex = parent[parent.length - 1]!;
  return {
    def: insertNode(removed, grand, parentIndex + 1, node),
    path: [...grand, parentIndex + 1],
  };
}

// ------------------------------------------------------------------ names

/**
 * A question name made from a label: lower case, marks (niqqud, harakat, accents)
 * dropped, other runs of non-letters as "_", starting with a letter; "" when nothing
 * is left. Hebrew and Arabic letters are kept: ODK names may be in any script.
 */
export function slugifyName(label: string, max = 40): string {
  const s = label
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "_")
    .replace(/^_+|_+$/g, "");
  if (s === "") return "";
  let out = /^\p{L}/u.test(s) ? s : `q_${s}`;
  if (out.length > max) {
    out = out.slice(0, max);
    const cut = out.lastIndexOf("_");
    if (cut >= max / 2) out = out.slice(0, cut);
  }
  return out.replace(/_+$/, "");
}

/** `base`, or `base_2`, `base_3`… — the first not taken. */
export function uniqueName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base}_${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export type NameProblem = "empty" | "pattern" | "too_long" | "taken";

/** What is wrong with a name typed for a node (null: fine). `own` is the node's current name. */
export function nameProblem(
  name: string,
  taken: ReadonlySet<string>,
  own: string | null,
): NameProblem | null {
  if (name === "") return "empty";
  if (name.length > FORM_LIMITS.name) return "too_long";
  if (!NAME_PATTERN.test(name)) return "pattern";
  if (name !== own && taken.has(name)) return "taken";
  return null;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function replaceRefs(text: string, from: string, to: string): string {
  if (!text.includes("${")) return text;
  return text.replace(new RegExp(`\\$\\{\\s*${escapeRegExp(from)}\\s*\\}`, "g"), `\${${to}}`);
}

const TEXT_KEYS = ["label", "hint", "requiredMessage", "constraintMessage"] as const;
const EXPRESSION_KEYS = [
  "relevant",
  "constraint",
  "calculation",
  "choiceFilter",
  "default",
  "repeatCount",
  "required",
  "readOnly",
] as const;

/** A node with every `${from}` in its expressions and texts written `${to}` (not its children). */
function renameRefsInNode(node: FormNode, from: string, to: string): FormNode {
  const out: Record<string, unknown> = { ...node };
  for (const key of EXPRESSION_KEYS) {
    const v = out[key];
    if (typeof v === "string") out[key] = replaceRefs(v, from, to);
  }
  for (const key of TEXT_KEYS) {
    const v = out[key];
    if (v && typeof v === "object") {
      out[key] = Object.fromEntries(
        Object.entries(v as LocalizedText).map(([l, s]) => [l, replaceRefs(s, from, to)]),
      );
    }
  }
  return out as unknown as FormNode;
}

function mapTree(nodes: readonly FormNode[], fn: (n: FormNode) => FormNode): FormNode[] {
  return nodes.map((n) => {
    const m = fn(n);
    return isContainer(m) ? { ...m, children: mapTree(m.children, fn) } : m;
  });
}

/** Every reference to `${from}` in the form (expressions, texts, instance name) now says `${to}`. */
export function replaceReferences(def: FormDefinition, from: string, to: string): FormDefinition {
  if (from === to) return def;
  const instanceName = def.settings.instanceName
    ? replaceRefs(def.settings.instanceName, from, to)
    : undefined;
  return {
    ...def,
    settings: { ...def.settings, ...(instanceName !== undefined ? { instanceName } : {}) },
    questions: mapTree(def.questions, (n) => renameRefsInNode(n, from, to)),
  };
}

/** Renames a node and follows the rename everywhere it is referred to. */
export function renameNode(def: FormDefinition, path: NodePath, name: string): FormDefinition {
  const node = nodeAt(def, path);
  if (!node || node.name === name) return def;
  const renamed = updateNode(def, path, (n) => ({ ...n, name }));
  return replaceReferences(renamed, node.name, name);
}

// ------------------------------------------------------------------ texts and properties

/** A localized text with one language's text set ("" removes it; nothing left → undefined). */
export function setLocalized(
  text: LocalizedText | undefined,
  language: string,
  value: string,
): LocalizedText | undefined {
  const out: LocalizedText = Object.fromEntries(
    Object.entries(text ?? {}).filter(([l]) => l !== language),
  );
  if (value !== "") out[language] = value;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A node with one property set; "" and undefined remove it (empty expressions are invalid). */
export function withProperty<N extends FormNode>(node: N, key: string, value: unknown): N {
  const out: Record<string, unknown> = Object.fromEntries(
    Object.entries(node).filter(([k]) => k !== key),
  );
  if (!(value === undefined || value === "" || value === false)) out[key] = value;
  return out as N;
}

// ------------------------------------------------------------------ choice lists

/** A list name from a base, valid and not yet used by another list. */
export function uniqueListName(def: FormDefinition, base: string): string {
  const clean = NAME_PATTERN.test(base) ? base : slugifyName(base) || "choices";
  return uniqueName(clean, new Set(def.choiceLists.map((l) => l.name)));
}

/** Adds an empty list (two choices, "1" and "2", waiting for labels); returns its name. */
export function addChoiceList(
  def: FormDefinition,
  base: string,
): { def: FormDefinition; name: string } {
  const name = uniqueListName(def, base);
  const list: ChoiceList = { name, choices: [{ name: "1" }, { name: "2" }] };
  return { def: { ...def, choiceLists: [...def.choiceLists, list] }, name };
}

export const choiceListOf = (def: FormDefinition, name: string | undefined) =>
  name ? def.choiceLists.find((l) => l.name === name) : undefined;

/** A new definition with one list's choices changed. */
export function updateChoices(
  def: FormDefinition,
  listName: string,
  fn: (choices: Choice[]) => Choice[],
): FormDefinition {
  return {
    ...def,
    choiceLists: def.choiceLists.map((l) =>
      l.name === listName ? { ...l, choices: fn([...l.choices]) } : l,
    ),
  };
}

/** The next free choice name: one more than the largest number used ("1", "2", …). */
export function nextChoiceName(choices: readonly Choice[]): string {
  const taken = new Set(choices.map((c) => c.name));
  let n = choices.reduce(
    (max, c) => (/^\d+$/.test(c.name) ? Math.max(max, Number(c.name)) : max),
    0,
  );
  do n += 1;
  while (taken.has(String(n)));
  return String(n);
}

export const addChoice = (def: FormDefinition, listName: string) =>
  updateChoices(def, listName, (choices) => [...choices, { name: nextChoiceName(choices) }]);

export const removeChoice = (def: FormDefinition, listName: string, index: number) =>
  updateChoices(def, listName, (choices) => choices.filter((_, i) => i !== index));

export function moveChoice(
  def: FormDefinition,
  listName: string,
  index: number,
  direction: "up" | "down",
): FormDefinition {
  return updateChoices(def, listName, (choices) => {
    const to = direction === "up" ? index - 1 : index + 1;
    if (to < 0 || to >= choices.length) return choices;
    [choices[index], choices[to]] = [choices[to]!, choices[index]!];
    return choices;
  });
}

export type ChoiceNameProblem = "empty" | "spaces" | "taken" | "too_long";

/** What is wrong with a choice's name (stored in answers; select_multiple keeps them space-separated). */
export function choiceNameProblem(
  name: string,
  choices: readonly Choice[],
  index: number,
): ChoiceNameProblem | null {
  if (name === "") return "empty";
  if (/\s/.test(name)) return "spaces";
  if (name.length > FORM_LIMITS.name) return "too_long";
  if (choices.some((c, i) => i !== index && c.name === name)) return "taken";
  return null;
}

/** Points a select at another list, or at a new list of its own ("" = new). */
export function setQuestionList(
  def: FormDefinition,
  path: NodePath,
  listName: string,
): FormDefinition {
  const node = nodeAt(def, path);
  if (!node || isContainer(node)) return def;
  const previous = node.choiceList;
  let next = def;
  let name = listName;
  if (name === "") {
    const made = addChoiceList(def, node.name);
    next = made.def;
    name = made.name;
  }
  next = updateNode(next, path, (n) => ({ ...n, choiceList: name }));
  return previous ? pruneLists(next, new Set([previous])) : next;
}

// ------------------------------------------------------------------ new nodes

/** A new node of a type with a unique name (and, for a select, its own choice list). */
export function newNode(
  def: FormDefinition,
  type: AddableType,
): { def: FormDefinition; node: FormNode } {
  const base = type === "group" ? "group" : type === "repeat" ? "repeat" : "question";
  const taken = allNames(def);
  let n = 1;
  while (taken.has(`${base}_${n}`)) n += 1;
  const name = `${base}_${n}`;
  if (type === "group" || type === "repeat") {
    return { def, node: { type, name, children: [] } };
  }
  if (isSelectType(type)) {
    const made = addChoiceList(def, name);
    return { def: made.def, node: { type, name, choiceList: made.name } };
  }
  return { def, node: { type, name } };
}

/** Adds a new node at the end of `parentPath`'s children; returns where it went. */
export function addNode(
  def: FormDefinition,
  parentPath: NodePath,
  type: AddableType,
): { def: FormDefinition; path: NodePath; name: string } {
  const made = newNode(def, type);
  const parent = parentPath.length === 0 ? null : nodeAt(made.def, parentPath);
  const count = parent
    ? isContainer(parent)
      ? parent.children.length
      : 0
    : made.def.questions.length;
  return {
    def: insertNode(made.def, parentPath, count, made.node),
    path: [...parentPath, count],
    name: made.node.name,
  };
}

/** A copy of a node just after it, every name inside made unique (references inside follow). */
export function duplicateNode(
  def: FormDefinition,
  path: NodePath,
): { def: FormDefinition; path: NodePath } | null {
  const node = nodeAt(def, path);
  if (!node) return null;
  const taken = allNames(def);
  const renames = new Map<string, string>();
  walkNodes([node], (n) => {
    const name = uniqueName(n.name, taken);
    taken.add(name);
    renames.set(n.name, name);
  });
  let [copy] = mapTree([structuredClone(node)], (n) => ({
    ...n,
    name: renames.get(n.name) ?? n.name,
  }));
  for (const [from, to] of renames) [copy] = mapTree([copy!], (n) => renameRefsInNode(n, from, to));
  const index = path[path.length - 1]! + 1;
  const parent = path.slice(0, -1);
  return { def: insertNode(def, parent, index, copy!), path: [...parent, index] };
}

const NOT_FOR_NOTES = ["required", "requiredMessage", "constraint", "constraintMessage", "default"];
const NOT_FOR_CALCULATIONS = [...NOT_FOR_NOTES, "hint", "readOnly", "appearance"];

/** Changes a question's type, keeping what still applies (a select gets a list; others lose it). */
export function changeType(def: FormDefinition, path: NodePath, type: FieldType): FormDefinition {
  const node = nodeAt(def, path);
  if (!node || isContainer(node) || node.type === type) return def;
  let next = def;
  let field: Field = { ...node, type };
  if (isSelectType(type) && !field.choiceList) {
    const made = addChoiceList(next, node.name);
    next = made.def;
    field.choiceList = made.name;
  }
  const dropped = new Set<string>();
  if (!isSelectType(type)) {
    if (field.choiceList) dropped.add(field.choiceList);
    field = withProperty(withProperty(field, "choiceList", undefined), "choiceFilter", undefined);
  }
  if (type === "note") for (const k of NOT_FOR_NOTES) field = withProperty(field, k, undefined);
  if (type === "calculate")
    for (const k of NOT_FOR_CALCULATIONS) field = withProperty(field, k, undefined);
  return pruneLists(
    updateNode(next, path, () => field),
    dropped,
  );
}

// ------------------------------------------------------------------ languages

function mapTexts(def: FormDefinition, fn: (t: LocalizedText) => LocalizedText | undefined) {
  const questions = mapTree(def.questions, (n) => {
    let out: FormNode = n;
    for (const key of TEXT_KEYS) {
      const text = (n as Partial<Record<(typeof TEXT_KEYS)[number], LocalizedText>>)[key];
      if (text) out = withProperty(out, key, fn(text));
    }
    return out;
  });
  const choiceLists = def.choiceLists.map((l) => ({
    ...l,
    choices: l.choices.map((c): Choice => {
      const { label, ...rest } = c;
      const next = label ? fn(label) : undefined;
      return next ? { ...rest, label: next } : rest;
    }),
  }));
  return { ...def, questions, choiceLists };
}

export function addLanguage(def: FormDefinition, code: string): FormDefinition {
  if (def.settings.languages.includes(code)) return def;
  return { ...def, settings: { ...def.settings, languages: [...def.settings.languages, code] } };
}

/** Removes a language and every text written in it (never the last one; the default moves on). */
export function removeLanguage(def: FormDefinition, code: string): FormDefinition {
  const languages = def.settings.languages.filter((l) => l !== code);
  if (languages.length === 0 || languages.length === def.settings.languages.length) return def;
  const stripped = mapTexts(def, (t) => {
    const rest = Object.fromEntries(Object.entries(t).filter(([l]) => l !== code));
    return Object.keys(rest).length > 0 ? rest : undefined;
  });
  const languageNames = def.settings.languageNames
    ? Object.fromEntries(Object.entries(def.settings.languageNames).filter(([l]) => l !== code))
    : undefined;
  return {
    ...stripped,
    settings: {
      ...def.settings,
      languages,
      defaultLanguage:
        def.settings.defaultLanguage === code ? languages[0]! : def.settings.defaultLanguage,
      ...(languageNames ? { languageNames } : {}),
    },
  };
}

export function setDefaultLanguage(def: FormDefinition, code: string): FormDefinition {
  if (!def.settings.languages.includes(code)) return def;
  return { ...def, settings: { ...def.settings, defaultLanguage: code } };
}

// ------------------------------------------------------------------ outline

export interface OutlineRow {
  path: NodePath;
  node: FormNode;
  depth: number;
}

/** The tree as rows in document order (for lists and "go to question"). */
export function outline(def: FormDefinition): OutlineRow[] {
  const out: OutlineRow[] = [];
  const walk = (nodes: readonly FormNode[], prefix: number[]) =>
    nodes.forEach((node, i) => {
      const path = [...prefix, i];
      out.push({ path, node, depth: prefix.length });
      if (isContainer(node)) walk(node.children, path);
    });
  walk(def.questions, []);
  return out;
}
