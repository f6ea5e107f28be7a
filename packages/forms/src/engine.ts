import {
  compileForm,
  isFieldNode,
  type CompiledForm,
  type CompiledNode,
  type ExpressionProperty,
} from "./compile.ts";
import {
  answerToString,
  evaluate,
  ExpressionError,
  formatDateOnly,
  formatDateTime,
  localDay,
  nodes,
  parseDate,
  toBool,
  toDate,
  toNum,
  toStr,
  type EvalContext,
  type ParsedExpression,
  type XValue,
} from "./expr/index.ts";
import { interpolate, localize } from "./localize.ts";
import {
  FORM_LIMITS,
  geopointSchema,
  type Answers,
  type Choice,
  type Field,
  type FieldType,
  type FormDefinition,
  type Geopoint,
  type Group,
  type Repeat,
} from "./model.ts";
import { isPhotoId } from "./photos.ts";

/* ------------------------------------------------------------------ */
/* The form engine: relevance, calculations, repeat counts, defaults,  */
/* choice filters and validation over one set of answers. Pure (no     */
/* DOM, no I/O): the web app runs it on every change, the server runs  */
/* it on every submission.                                             */
/* ------------------------------------------------------------------ */

/** Where an answer lives: ["age"], ["trees", 0, "stems", 1, "cbh"]. */
export type AnswerPath = readonly (string | number)[];

export const VALIDATION_CODES = [
  "required",
  "constraint",
  "invalid_type",
  "invalid_choice",
  "unknown_field",
  "too_many_instances",
  "repeat_count_mismatch",
  "expression_error",
] as const;
export type ValidationCode = (typeof VALIDATION_CODES)[number];

export interface ValidationIssue {
  path: AnswerPath;
  code: ValidationCode;
  /** The form's own message in the chosen language when it has one (fromForm), else English. */
  message: string;
  fromForm: boolean;
  params?: Record<string, string | number>;
}

const DEFAULT_MESSAGES: Record<ValidationCode, string> = {
  required: "This question is required.",
  constraint: "This answer is not allowed.",
  invalid_type: "This answer does not have the right type.",
  invalid_choice: "This choice is not one of the question's options.",
  unknown_field: "This answer does not belong to any question of the form.",
  too_many_instances: "Too many repeated entries.",
  repeat_count_mismatch: "More repeated entries than the form allows.",
  expression_error: "A rule of this question could not be evaluated.",
};

export interface EngineOptions {
  /** Language code for labels and messages (falls back to the form's default). */
  language?: string;
  /** The clock for today(), now(), start/end (tests pin it). */
  now?: Date;
}

export interface ResolvedChoice {
  name: string;
  label: string;
}

interface StateBase {
  path: AnswerPath;
  relevant: boolean;
  label: string;
  hint: string;
}

export interface FieldState extends StateBase {
  kind: "field";
  node: Field;
  /** Not shown to the person: calculations and device metadata. */
  hidden: boolean;
  required: boolean;
  readOnly: boolean;
  value: unknown;
  /** Selects: the options left after the choice filter. */
  choices?: ResolvedChoice[];
  issues: ValidationIssue[];
}

export interface GroupState extends StateBase {
  kind: "group";
  node: Group;
  /** Empty when the group is not relevant. */
  children: NodeState[];
}

export interface RepeatInstanceState {
  path: AnswerPath;
  index: number;
  children: NodeState[];
}

export interface RepeatState extends StateBase {
  kind: "repeat";
  node: Repeat;
  /** repeat_count decides how many instances there are: no add/remove buttons. */
  fixedCount: boolean;
  instances: RepeatInstanceState[];
}

export type NodeState = FieldState | GroupState | RepeatState;

export interface FormState {
  /** The answers after relevance (non-relevant cleared), calculations and repeat counts. */
  answers: Answers;
  nodes: NodeState[];
  /** Every issue of every relevant question (required, constraint, choice, type). */
  issues: ValidationIssue[];
  valid: boolean;
}

interface Step {
  readonly repeat: string;
  readonly index: number;
}
type Scope = readonly Step[];
type AnswerRecord = Record<string, unknown>;

const HIDDEN_TYPES: ReadonlySet<FieldType> = new Set(["calculate", "start", "end", "today"]);
const NO_ANSWER_TYPES: ReadonlySet<FieldType> = new Set(["note", "calculate"]);

const isRecord = (v: unknown): v is AnswerRecord =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Unanswered: absent, null, "" or an empty selection. */
export const isEmptyAnswer = (v: unknown): boolean =>
  v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

/** A repeat's instances (a Run first drops anything that is not a record, so no copy here). */
const instancesOf = (rec: AnswerRecord, repeat: string): AnswerRecord[] => {
  const v = rec[repeat];
  return Array.isArray(v) ? (v as AnswerRecord[]) : [];
};

/** Keeps only record instances in every repeat (in place, on the engine's own copy). */
function normalizeRepeats(children: readonly CompiledNode[], rec: AnswerRecord): void {
  for (const c of children) {
    if (c.node.type === "group") normalizeRepeats(c.children, rec);
    if (c.node.type !== "repeat" || !(c.name in rec)) continue;
    const v = rec[c.name];
    if (!Array.isArray(v)) {
      Reflect.deleteProperty(rec, c.name);
      continue;
    }
    const kept = v.filter(isRecord);
    if (kept.length !== v.length) rec[c.name] = kept;
    for (const inst of kept) normalizeRepeats(c.children, inst);
  }
}

const scopeKey = (scope: Scope, name: string) =>
  `${scope.map((s) => `${s.repeat}[${s.index}]`).join("/")}/${name}`;

const pathOf = (scope: Scope, name?: string): AnswerPath => {
  const out: (string | number)[] = [];
  for (const s of scope) out.push(s.repeat, s.index);
  if (name !== undefined) out.push(name);
  return out;
};

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

const words = (s: string) => s.split(/\s+/).filter((t) => t.length > 0);

function parseGeopoint(text: string): Geopoint | undefined {
  const parts = words(text).map(Number);
  if (parts.length < 2 || parts.some((n) => Number.isNaN(n))) return undefined;
  const [latitude, longitude, altitude, accuracy] = parts as [number, number, number?, number?];
  const point = geopointSchema.safeParse({ latitude, longitude, altitude, accuracy });
  return point.success ? point.data : undefined;
}

/** An expression result stored as the answer of a question of `type` (undefined = empty). */
export function coerceAnswer(type: FieldType, value: XValue): unknown {
  switch (type) {
    case "integer": {
      const n = toNum(value);
      return Number.isFinite(n) ? Math.trunc(n) : undefined;
    }
    case "decimal": {
      const n = toNum(value);
      return Number.isFinite(n) ? n : undefined;
    }
    case "select_multiple": {
      const list = words(toStr(value));
      return list.length > 0 ? list : undefined;
    }
    case "geopoint":
      return parseGeopoint(toStr(value));
    case "date":
    case "today": {
      const d = toDate(value);
      return d ? formatDateOnly(d.dateOnly ? d.ms : localDay(new Date(d.ms)).ms) : undefined;
    }
    case "start":
    case "end": {
      const d = toDate(value);
      return d ? formatDateTime(d.ms) : undefined;
    }
    case "calculate":
      // ODK stores calculations as text; numbers stay numbers in our JSON (NaN → empty).
      if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
      return toStr(value) === "" ? undefined : toStr(value);
    default: {
      const s = toStr(value);
      return s === "" ? undefined : s;
    }
  }
}

/** A literal default in its answer type. */
function literalDefault(type: FieldType, text: string): unknown {
  if (type === "integer" || type === "decimal") {
    const n = toNum(text);
    if (!Number.isFinite(n)) return undefined;
    return type === "integer" ? Math.trunc(n) : n;
  }
  return coerceAnswer(type, text);
}

/** Whether a (non-empty) answer has the shape its question type stores. */
export function answerHasType(type: FieldType, v: unknown): boolean {
  switch (type) {
    case "text":
    case "select_one":
      return typeof v === "string";
    case "image":
      // The id of a photo uploaded with the answer (photos.ts), never a file name.
      return isPhotoId(v);
    case "integer":
      return typeof v === "number" && Number.isSafeInteger(v);
    case "decimal":
      return typeof v === "number" && Number.isFinite(v);
    case "select_multiple":
      return (
        Array.isArray(v) &&
        v.every((x) => typeof x === "string" && x !== "" && !/\s/.test(x)) &&
        new Set(v).size === v.length
      );
    case "date":
    case "today": {
      if (typeof v !== "string") return false;
      return parseDate(v)?.dateOnly === true;
    }
    case "start":
    case "end":
      return typeof v === "string" && parseDate(v)?.dateOnly === false;
    case "geopoint":
      return geopointSchema.safeParse(v).success;
    case "calculate":
      return typeof v === "string" || (typeof v === "number" && Number.isFinite(v));
    case "note":
      return true;
  }
}

/** Fields and repeats answered directly in a container's record (groups are transparent). */
function membersOf(children: readonly CompiledNode[], out = new Map<string, CompiledNode>()) {
  for (const c of children) {
    if (c.node.type === "group") membersOf(c.children, out);
    else out.set(c.name, c);
  }
  return out;
}

class Run {
  readonly now: Date;
  readonly language: string | undefined;
  private readonly relevance = new Map<string, boolean>();
  private readonly originalLengths = new Map<string, { path: AnswerPath; from: number }>();
  private readonly runtimeErrors = new Map<string, ValidationIssue>();
  readonly issues: ValidationIssue[] = [];

  constructor(
    readonly c: CompiledForm,
    readonly data: AnswerRecord,
    options: EngineOptions,
  ) {
    this.now = options.now ?? new Date();
    this.language = options.language;
    normalizeRepeats(c.roots, data);
  }

  private record(scope: Scope): AnswerRecord | undefined {
    let rec: AnswerRecord = this.data;
    for (const step of scope) {
      const inst = instancesOf(rec, step.repeat)[step.index];
      if (!inst) return undefined;
      rec = inst;
    }
    return rec;
  }

  /** Every instance scope of a chain of repeats, with its record. */
  private entries(repeats: readonly string[]): { scope: Scope; rec: AnswerRecord }[] {
    let out: { scope: Scope; rec: AnswerRecord }[] = [{ scope: [], rec: this.data }];
    for (const repeat of repeats) {
      const next: { scope: Scope; rec: AnswerRecord }[] = [];
      for (const { scope, rec } of out) {
        instancesOf(rec, repeat).forEach((inst, index) =>
          next.push({ scope: [...scope, { repeat, index }], rec: inst }),
        );
      }
      out = next;
    }
    return out;
  }

  /**
   * ${name} seen from `scope`: through the repeats it shares with the scope the current
   * instance, below them every instance (XPath relative-path semantics, as pyxform writes them).
   */
  private refValues(name: string, scope: Scope, pins?: ReadonlyMap<string, number>): unknown[] {
    const target = this.c.byName.get(name);
    if (!target || target.node.type === "group") return [];
    const out: unknown[] = [];
    const walk = (rec: AnswerRecord, depth: number) => {
      if (depth === target.repeats.length) {
        if (target.node.type === "repeat") out.push(...instancesOf(rec, target.name));
        else out.push(rec[target.name]);
        return;
      }
      const repeat = target.repeats[depth]!;
      const list = instancesOf(rec, repeat);
      const pin = pins?.get(repeat);
      const step = scope[depth];
      const fixed = pin ?? (step?.repeat === repeat ? step.index : undefined);
      if (fixed !== undefined) {
        const inst = list[fixed];
        if (inst) walk(inst, depth + 1);
      } else for (const inst of list) walk(inst, depth + 1);
    };
    walk(this.data, 0);
    return out;
  }

  ctx(scope: Scope, self: CompiledNode | null, choice?: Choice): EvalContext {
    return {
      ref: (name, pins) => this.refValues(name, scope, pins),
      self: () => (self ? [this.record(scope)?.[self.name]] : []),
      field: (column) => {
        if (!choice) return "";
        const extra = choice.extra?.[column];
        if (extra !== undefined) return extra;
        if (column === "name") return choice.name;
        if (column === "label") return localize(choice.label, this.language, this.c.form.settings);
        return "";
      },
      position: () => (scope.length > 0 ? scope[scope.length - 1]!.index + 1 : 1),
      choiceLabel: (question, value) => {
        const q = this.c.byName.get(question);
        if (!q || !isFieldNode(q) || !q.node.choiceList) return undefined;
        const hit = this.c.choiceLists.get(q.node.choiceList)?.find((ch) => ch.name === value);
        return hit
          ? localize(hit.label, this.language, this.c.form.settings) || hit.name
          : undefined;
      },
      now: () => this.now,
    };
  }

  /** Evaluates one of a node's expressions; a runtime failure (a bad regex) becomes an issue. */
  private eval(
    node: CompiledNode,
    property: ExpressionProperty,
    expr: ParsedExpression,
    scope: Scope,
    choice?: Choice,
  ): XValue | undefined {
    try {
      return evaluate(expr, this.ctx(scope, node, choice));
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      const path = pathOf(scope, node.name);
      this.runtimeErrors.set(`${JSON.stringify(path)}:${property}`, {
        path,
        code: "expression_error",
        message: `${DEFAULT_MESSAGES.expression_error} (${property}: ${e.message})`,
        fromForm: false,
        params: { property, error: e.code },
      });
      return undefined;
    }
  }

  relevantAt(node: CompiledNode, scope: Scope): boolean {
    return this.relevance.get(scopeKey(scope, node.name)) ?? true;
  }

  private computeRelevance(node: CompiledNode, scope: Scope): boolean {
    let relevant = true;
    const parent = node.parent;
    if (parent) {
      const parentScope = parent.node.type === "repeat" ? scope.slice(0, -1) : scope;
      relevant = this.relevantAt(parent, parentScope);
    }
    if (relevant && node.expr.relevant) {
      const v = this.eval(node, "relevant", node.expr.relevant, scope);
      relevant = v === undefined ? true : toBool(v);
    }
    this.relevance.set(scopeKey(scope, node.name), relevant);
    return relevant;
  }

  /** One pass over every node in dependency order; true when an answer changed. */
  pass(): boolean {
    let changed = false;
    for (const node of this.c.order) {
      for (const { scope, rec } of this.entries(node.repeats)) {
        const relevant = this.computeRelevance(node, scope);
        const type = node.node.type;
        if (type === "group") continue;
        if (!relevant) {
          if (node.name in rec) {
            if (!isEmptyAnswer(rec[node.name])) changed = true;
            Reflect.deleteProperty(rec, node.name);
          }
          continue;
        }
        if (type === "repeat") {
          changed = this.applyRepeatCount(node, scope, rec) || changed;
          continue;
        }
        const calc = node.expr.calculation;
        if (!calc) continue;
        const result = this.eval(node, "calculation", calc, scope);
        const value = result === undefined ? undefined : coerceAnswer(type, result);
        if (!sameValue(rec[node.name], value)) {
          if (value === undefined) Reflect.deleteProperty(rec, node.name);
          else rec[node.name] = value;
          changed = true;
        }
      }
    }
    return changed;
  }

  private applyRepeatCount(node: CompiledNode, scope: Scope, rec: AnswerRecord): boolean {
    const expr = node.expr.repeatCount;
    if (!expr) return false;
    const v = this.eval(node, "repeatCount", expr, scope);
    const n = v === undefined ? NaN : Math.trunc(toNum(v));
    const target = Number.isFinite(n) ? Math.min(Math.max(n, 0), FORM_LIMITS.repeatInstances) : 0;
    const current = instancesOf(rec, node.name);
    if (current.length === target && (target === 0 || Array.isArray(rec[node.name]))) return false;
    const key = scopeKey(scope, node.name);
    if (!this.originalLengths.has(key)) {
      this.originalLengths.set(key, { path: pathOf(scope, node.name), from: current.length });
    }
    const next = current.slice(0, target);
    rec[node.name] = next;
    for (let i = next.length; i < target; i++) {
      next.push({});
      this.fillDefaults(node.children, [...scope, { repeat: node.name, index: i }]);
    }
    return true;
  }

  /** Sets the defaults of a record's unanswered fields (not inside nested repeats). */
  fillDefaults(children: readonly CompiledNode[], scope: Scope): void {
    const rec = this.record(scope);
    if (!rec) return;
    for (const c of children) {
      if (c.node.type === "group") {
        this.fillDefaults(c.children, scope);
        continue;
      }
      if (c.node.type === "repeat" || !isEmptyAnswer(rec[c.name])) continue;
      const type = c.node.type;
      let value: unknown;
      // `end` is stamped when the person finishes (finishAnswers), not now.
      if (type === "end") continue;
      if (type === "start") value = formatDateTime(this.now.getTime());
      else if (type === "today") value = formatDateOnly(localDay(this.now).ms);
      else if (c.expr.default) {
        const v = this.eval(c, "default", c.expr.default, scope);
        value = v === undefined ? undefined : coerceAnswer(type, v);
      } else if (c.node.default !== undefined) value = literalDefault(type, c.node.default);
      if (value !== undefined) rec[c.name] = value;
    }
  }

  repeatCountIssues(): ValidationIssue[] {
    const out: ValidationIssue[] = [];
    for (const { path, from } of this.originalLengths.values()) {
      const parent = this.recordAtPath(path.slice(0, -1));
      const to = parent ? instancesOf(parent, String(path[path.length - 1])).length : 0;
      // Fewer entries are completed with empty ones; more would be dropped: that is reported.
      if (from > to) {
        out.push({
          path,
          code: "repeat_count_mismatch",
          message: DEFAULT_MESSAGES.repeat_count_mismatch,
          fromForm: false,
          params: { submitted: from, expected: to },
        });
      }
    }
    return out;
  }

  private recordAtPath(path: AnswerPath): AnswerRecord | undefined {
    const scope: Step[] = [];
    for (let i = 0; i + 1 < path.length; i += 2)
      scope.push({ repeat: String(path[i]), index: Number(path[i + 1]) });
    return this.record(scope);
  }

  get expressionIssues(): ValidationIssue[] {
    return [...this.runtimeErrors.values()];
  }

  // ---------------------------------------------------------------- state

  private text(node: CompiledNode, scope: Scope, text: Field["label"]): string {
    const raw = localize(text, this.language, this.c.form.settings);
    return interpolate(raw, (name) => toStr(nodes(this.refValues(name, scope))));
  }

  private flag(node: CompiledNode, scope: Scope, property: "required" | "readOnly"): boolean {
    if (node.node.type === "group" || node.node.type === "repeat") return false;
    const raw = node.node[property];
    if (raw === undefined || raw === false) return false;
    if (raw === true) return true;
    const expr = node.expr[property];
    if (!expr) return false;
    const v = this.eval(node, property, expr, scope);
    return v !== undefined && toBool(v);
  }

  choicesAt(node: CompiledNode & { node: Field }, scope: Scope): ResolvedChoice[] {
    const list = node.node.choiceList ? (this.c.choiceLists.get(node.node.choiceList) ?? []) : [];
    const filter = node.expr.choiceFilter;
    const kept = filter
      ? list.filter((choice) => {
          const v = this.eval(node, "choiceFilter", filter, scope, choice);
          return v !== undefined && toBool(v);
        })
      : list;
    return kept.map((ch) => ({
      name: ch.name,
      label: localize(ch.label, this.language, this.c.form.settings) || ch.name,
    }));
  }

  private issue(
    path: AnswerPath,
    code: ValidationCode,
    formMessage: string,
    params?: Record<string, string | number>,
  ): ValidationIssue {
    const issue: ValidationIssue = {
      path,
      code,
      message: formMessage || DEFAULT_MESSAGES[code],
      fromForm: formMessage !== "",
      ...(params ? { params } : {}),
    };
    this.issues.push(issue);
    return issue;
  }

  private fieldState(node: CompiledNode & { node: Field }, scope: Scope): FieldState {
    const field = node.node;
    const path = pathOf(scope, node.name);
    const relevant = this.relevantAt(node, scope);
    const value = this.record(scope)?.[node.name];
    const state: FieldState = {
      kind: "field",
      node: field,
      path,
      relevant,
      hidden: HIDDEN_TYPES.has(field.type),
      label: "",
      hint: "",
      required: false,
      readOnly: field.type === "note" || field.calculation !== undefined,
      value,
      issues: [],
    };
    if (!relevant) return state;
    state.label = this.text(node, scope, field.label);
    state.hint = this.text(node, scope, field.hint);
    state.required = this.flag(node, scope, "required");
    state.readOnly = state.readOnly || this.flag(node, scope, "readOnly");
    if (field.type === "select_one" || field.type === "select_multiple") {
      state.choices = this.choicesAt(node, scope);
    }
    if (NO_ANSWER_TYPES.has(field.type)) return state;

    if (isEmptyAnswer(value)) {
      if (state.required) {
        state.issues.push(
          this.issue(path, "required", this.text(node, scope, field.requiredMessage)),
        );
      }
      return state;
    }
    if (!answerHasType(field.type, value)) {
      state.issues.push(this.issue(path, "invalid_type", "", { expected: field.type }));
      return state;
    }
    if (state.choices) {
      const allowed = new Set(state.choices.map((c) => c.name));
      const picked = Array.isArray(value) ? (value as string[]) : [value as string];
      const wrong = picked.filter((v) => !allowed.has(v));
      if (wrong.length > 0) {
        state.issues.push(this.issue(path, "invalid_choice", "", { value: wrong.join(" ") }));
        return state;
      }
    }
    if (node.expr.constraint) {
      const ok = this.eval(node, "constraint", node.expr.constraint, scope);
      if (ok !== undefined && !toBool(ok)) {
        state.issues.push(
          this.issue(path, "constraint", this.text(node, scope, field.constraintMessage)),
        );
      }
    }
    return state;
  }

  states(children: readonly CompiledNode[], scope: Scope): NodeState[] {
    return children.map((c): NodeState => {
      if (isFieldNode(c)) return this.fieldState(c, scope);
      const relevant = this.relevantAt(c, scope);
      const base = {
        path: pathOf(scope, c.name),
        relevant,
        label: relevant ? this.text(c, scope, c.node.label) : "",
        hint: "",
      };
      if (c.node.type === "group") {
        return {
          ...base,
          kind: "group",
          node: c.node,
          children: relevant ? this.states(c.children, scope) : [],
        };
      }
      const repeat = c.node as Repeat;
      const rec = this.record(scope);
      const instances: RepeatInstanceState[] =
        relevant && rec
          ? instancesOf(rec, c.name).map((_inst, index) => {
              const inner: Scope = [...scope, { repeat: c.name, index }];
              return { path: pathOf(inner), index, children: this.states(c.children, inner) };
            })
          : [];
      return {
        ...base,
        kind: "repeat",
        node: repeat,
        fixedCount: repeat.repeatCount !== undefined,
        instances,
      };
    });
  }
}

/** Runs relevance and calculations to a fixed point (bounded: cycles cannot spin forever). */
function settle(run: Run): void {
  const limit = 3 + run.c.cycles.reduce((n, cycle) => n + cycle.length, 0);
  for (let i = 0; i < limit; i++) if (!run.pass()) return;
}

const clone = (answers: Answers): AnswerRecord => structuredClone(answers) as AnswerRecord;

/**
 * Evaluates a form over answers: relevance (inherited from groups), calculations in
 * dependency order to a fixed point, repeat counts, choice filters, labels in the
 * language, and required/constraint/choice issues. Answers of non-relevant questions
 * are cleared in the returned answers. The input is not modified.
 */
export function evaluateForm(
  form: FormDefinition,
  answers: Answers,
  options: EngineOptions = {},
): FormState {
  const c = compileForm(form);
  const run = new Run(c, clone(answers), options);
  settle(run);
  const tree = run.states(c.roots, []);
  const issues = [...run.issues, ...run.expressionIssues];
  return { answers: run.data, nodes: tree, issues, valid: issues.length === 0 };
}

/** The starting answers of a new submission: defaults, start time, today, and repeat_count instances. */
export function createAnswers(form: FormDefinition, options: EngineOptions = {}): Answers {
  const c = compileForm(form);
  const run = new Run(c, {}, options);
  run.fillDefaults(c.roots, []);
  settle(run);
  return run.data;
}

/** Stamps every `end` question with the time the person finished; returns new answers. */
export function finishAnswers(
  form: FormDefinition,
  answers: Answers,
  options: EngineOptions = {},
): Answers {
  const c = compileForm(form);
  const data = clone(answers);
  const stamp = formatDateTime((options.now ?? new Date()).getTime());
  const visit = (children: readonly CompiledNode[], rec: AnswerRecord) => {
    for (const child of children) {
      if (child.node.type === "group") {
        visit(child.children, rec);
      } else if (child.node.type === "repeat") {
        for (const inst of instancesOf(rec, child.name))
          if (isRecord(inst)) visit(child.children, inst);
      } else if (child.node.type === "end") {
        rec[child.name] = stamp;
      }
    }
  };
  visit(c.roots, data);
  return data;
}

/**
 * Adds one instance (with its defaults) to the repeat at `repeatPath`
 * (["trees"] or ["trees", 0, "stems"]); returns new answers.
 */
export function addRepeatInstance(
  form: FormDefinition,
  answers: Answers,
  repeatPath: AnswerPath,
  options: EngineOptions = {},
): Answers {
  const c = compileForm(form);
  const name = String(repeatPath[repeatPath.length - 1]);
  const repeat = c.byName.get(name);
  if (!repeat || repeat.node.type !== "repeat") throw new Error(`not a repeat: ${name}`);
  const data = clone(answers);
  let rec: AnswerRecord = data;
  const scope: Step[] = [];
  for (let i = 0; i + 1 < repeatPath.length; i += 2) {
    const step = { repeat: String(repeatPath[i]), index: Number(repeatPath[i + 1]) };
    const inst = instancesOf(rec, step.repeat)[step.index];
    if (!isRecord(inst))
      throw new Error(`no instance at ${JSON.stringify(repeatPath.slice(0, i + 2))}`);
    rec = inst;
    scope.push(step);
  }
  const list = Array.isArray(rec[name]) ? (rec[name] as unknown[]) : [];
  rec[name] = list;
  list.push({});
  const run = new Run(c, data, options);
  run.fillDefaults(repeat.children, [...scope, { repeat: name, index: list.length - 1 }]);
  return data;
}

/**
 * Checks answers as submitted: structure (unknown names, types, repeat sizes), then the
 * form's rules. Returns the issues and the answers to store (unknown and non-relevant
 * answers dropped, calculations recomputed).
 */
export function prepareSubmission(
  form: FormDefinition,
  answers: Answers,
  language?: string,
  options: Omit<EngineOptions, "language"> = {},
): { answers: Answers; issues: ValidationIssue[] } {
  const c = compileForm(form);
  const structural: ValidationIssue[] = [];
  const badPaths = new Set<string>();
  const issue = (
    path: AnswerPath,
    code: ValidationCode,
    params?: Record<string, string | number>,
  ) => {
    structural.push({
      path,
      code,
      message: DEFAULT_MESSAGES[code],
      fromForm: false,
      ...(params ? { params } : {}),
    });
    badPaths.add(JSON.stringify(path));
  };

  const sanitize = (
    members: Map<string, CompiledNode>,
    rec: AnswerRecord,
    prefix: AnswerPath,
  ): AnswerRecord => {
    const out: AnswerRecord = {};
    for (const [key, value] of Object.entries(rec)) {
      const path = [...prefix, key];
      const member = members.get(key);
      if (!member) {
        issue(path, "unknown_field");
        continue;
      }
      if (value === undefined || value === null) continue;
      if (member.node.type === "repeat") {
        if (!Array.isArray(value) || !value.every(isRecord)) {
          issue(path, "invalid_type", { expected: "repeat" });
          continue;
        }
        let list = value;
        if (list.length > FORM_LIMITS.repeatInstances) {
          issue(path, "too_many_instances", { max: FORM_LIMITS.repeatInstances });
          list = list.slice(0, FORM_LIMITS.repeatInstances);
        }
        const inner = membersOf(member.children);
        out[key] = list.map((inst, i) => sanitize(inner, inst, [...path, i]));
        continue;
      }
      const type = (member.node as Field).type;
      // A note holds no answer; what a client sends for one is dropped.
      if (type === "note" && !(member.node as Field).calculation) continue;
      if (!isEmptyAnswer(value) && !answerHasType(type, value)) {
        issue(path, "invalid_type", { expected: type });
        continue;
      }
      out[key] = value;
    }
    return out;
  };

  const data = sanitize(membersOf(c.roots), isRecord(answers) ? answers : {}, []);
  const run = new Run(c, data, { ...options, language });
  settle(run);
  run.states(c.roots, []);
  const issues = [
    ...structural,
    ...run.repeatCountIssues(),
    // A wrongly typed answer was dropped: do not also call it missing.
    ...run.issues.filter((i) => !(i.code === "required" && badPaths.has(JSON.stringify(i.path)))),
    ...run.expressionIssues,
  ];
  return { answers: run.data, issues };
}

/** The issues of a submission (empty when it may be stored); see prepareSubmission. */
export function validateSubmission(
  form: FormDefinition,
  answers: Answers,
  language?: string,
  options: Omit<EngineOptions, "language"> = {},
): ValidationIssue[] {
  return prepareSubmission(form, answers, language, options).issues;
}

/** The text of an answer as expressions and labels see it (selections space-separated). */
export const answerText = (value: unknown): string => answerToString(value);
