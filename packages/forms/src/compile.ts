import { ExpressionError, parseExpression, type ParsedExpression } from "./expr/index.ts";
import {
  isContainer,
  type Choice,
  type Field,
  type FormDefinition,
  type FormNode,
} from "./model.ts";

/* ------------------------------------------------------------------ */
/* A form prepared for running: nodes by name, expressions parsed,     */
/* and the order in which relevance and calculations are computed      */
/* (dependencies first; cycles found). Cached per form object.         */
/* ------------------------------------------------------------------ */

export const EXPRESSION_PROPERTIES = [
  "relevant",
  "required",
  "readOnly",
  "constraint",
  "calculation",
  "choiceFilter",
  "repeatCount",
  "default",
] as const;
export type ExpressionProperty = (typeof EXPRESSION_PROPERTIES)[number];

export interface CompiledNode {
  readonly node: FormNode;
  readonly name: string;
  /** The enclosing group or repeat. */
  readonly parent: CompiledNode | null;
  /** Names of the enclosing repeats, outermost first (a repeat is not in its own list). */
  readonly repeats: readonly string[];
  readonly children: CompiledNode[];
  readonly expr: Partial<Record<ExpressionProperty, ParsedExpression>>;
  /** Nodes whose value or relevance this node's value or relevance reads. */
  deps: CompiledNode[];
}

export interface ExpressionFailure {
  readonly name: string;
  readonly property: ExpressionProperty;
  readonly source: string;
  readonly error: ExpressionError;
}

export interface CompiledForm {
  readonly form: FormDefinition;
  readonly roots: readonly CompiledNode[];
  readonly byName: ReadonlyMap<string, CompiledNode>;
  /** Every node, dependencies before dependants (document order otherwise). */
  readonly order: readonly CompiledNode[];
  /** Groups of names that depend on each other in a circle. */
  readonly cycles: readonly (readonly string[])[];
  readonly choiceLists: ReadonlyMap<string, readonly Choice[]>;
  /** Names used twice (the first one wins). */
  readonly duplicates: readonly string[];
  readonly expressionFailures: readonly ExpressionFailure[];
}

/** A default is an expression when it refers to a question or calls a function (pyxform's rule). */
export function isDynamicDefault(value: string): boolean {
  return /\$\{[^}]+\}|[\p{L}_][\p{L}\p{N}_:.-]*\s*\(/u.test(value);
}

function expressionSources(node: FormNode): Partial<Record<ExpressionProperty, string>> {
  const out: Partial<Record<ExpressionProperty, string>> = {};
  if (node.relevant) out.relevant = node.relevant;
  if (node.type === "repeat") {
    if (node.repeatCount) out.repeatCount = node.repeatCount;
    return out;
  }
  if (node.type === "group") return out;
  if (typeof node.required === "string") out.required = node.required;
  if (typeof node.readOnly === "string") out.readOnly = node.readOnly;
  if (node.constraint) out.constraint = node.constraint;
  if (node.calculation) out.calculation = node.calculation;
  if (node.choiceFilter) out.choiceFilter = node.choiceFilter;
  if (node.default !== undefined && isDynamicDefault(node.default)) out.default = node.default;
  return out;
}

const cache = new WeakMap<FormDefinition, CompiledForm>();

/** Prepares a form for the engine (cached: pass the same object to reuse the work). */
export function compileForm(form: FormDefinition): CompiledForm {
  const hit = cache.get(form);
  if (hit) return hit;

  const byName = new Map<string, CompiledNode>();
  const duplicates: string[] = [];
  const failures: ExpressionFailure[] = [];
  const all: CompiledNode[] = [];

  const build = (
    node: FormNode,
    parent: CompiledNode | null,
    repeats: readonly string[],
  ): CompiledNode => {
    const expr: Partial<Record<ExpressionProperty, ParsedExpression>> = {};
    for (const [property, source] of Object.entries(expressionSources(node)) as [
      ExpressionProperty,
      string,
    ][]) {
      try {
        expr[property] = parseExpression(source, { allowFields: property === "choiceFilter" });
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        failures.push({ name: node.name, property, source, error: e });
      }
    }
    const compiled: CompiledNode = {
      node,
      name: node.name,
      parent,
      repeats,
      children: [],
      expr,
      deps: [],
    };
    if (byName.has(node.name)) duplicates.push(node.name);
    else byName.set(node.name, compiled);
    all.push(compiled);
    if (isContainer(node)) {
      const inner = node.type === "repeat" ? [...repeats, node.name] : repeats;
      for (const child of node.children) compiled.children.push(build(child, compiled, inner));
    }
    return compiled;
  };
  const roots = form.questions.map((n) => build(n, null, []));

  for (const c of all) {
    const deps = new Set<CompiledNode>();
    if (c.parent) deps.add(c.parent);
    for (const p of ["relevant", "calculation", "repeatCount"] as const) {
      for (const ref of c.expr[p]?.refs ?? []) {
        const target = byName.get(ref);
        if (target) deps.add(target);
      }
    }
    c.deps = [...deps];
  }

  const { order, cycles } = orderByDependencies(all);
  const compiled: CompiledForm = {
    form,
    roots,
    byName,
    order,
    cycles,
    choiceLists: new Map(form.choiceLists.map((l) => [l.name, l.choices])),
    duplicates,
    expressionFailures: failures,
  };
  cache.set(form, compiled);
  return compiled;
}

/** Tarjan's strongly connected components: emitted dependencies first; a component of 2+ (or a self-loop) is a cycle. */
function orderByDependencies(nodes: readonly CompiledNode[]) {
  const index = new Map<CompiledNode, number>();
  const low = new Map<CompiledNode, number>();
  const onStack = new Set<CompiledNode>();
  const stack: CompiledNode[] = [];
  const order: CompiledNode[] = [];
  const cycles: string[][] = [];
  let counter = 0;

  const visit = (v: CompiledNode) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of v.deps) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: CompiledNode[] = [];
      let w: CompiledNode;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      // Keep document order inside a component.
      component.sort((a, b) => nodes.indexOf(a) - nodes.indexOf(b));
      if (component.length > 1 || v.deps.includes(v)) cycles.push(component.map((c) => c.name));
      order.push(...component);
    }
  };
  for (const n of nodes) if (!index.has(n)) visit(n);
  return { order, cycles };
}

export const isFieldNode = (c: CompiledNode): c is CompiledNode & { node: Field } =>
  c.node.type !== "repeat" && c.node.type !== "group";
