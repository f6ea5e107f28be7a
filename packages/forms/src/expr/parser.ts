import { ExpressionError, type BinaryOp, type Expr } from "./ast.ts";
import { functionSpec } from "./functions.ts";

/* ------------------------------------------------------------------ */
/* Tokenizer + Pratt parser for the XPath subset ODK forms use.        */
/* Parsed once and cached by source text: the engine evaluates the     */
/* same few hundred expressions on every keystroke.                    */
/* ------------------------------------------------------------------ */

type Token =
  | { k: "num"; v: number; pos: number }
  | { k: "str"; v: string; pos: number }
  | { k: "ref"; v: string; pos: number }
  | { k: "name"; v: string; pos: number }
  | { k: "op"; v: string; pos: number }
  | { k: "eof"; pos: number };

const NAME_START = /[\p{L}_]/u;
const NAME_CHAR = /[\p{L}\p{N}_.-]/u;
const OPERATOR_NAMES = new Set(["and", "or", "div", "mod"]);

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const at = (j: number) => src.charAt(j);
  while (i < src.length) {
    const c = at(i);
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i;
    if (c === "$" && at(i + 1) === "{") {
      const end = src.indexOf("}", i + 2);
      if (end < 0) throw syntax("unclosed ${", pos);
      const name = src.slice(i + 2, end).trim();
      if (!/^[\p{L}_][\p{L}\p{N}_.-]*$/u.test(name)) throw syntax(`bad reference \${${name}}`, pos);
      out.push({ k: "ref", v: name, pos });
      i = end + 1;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw syntax("unclosed string", pos);
      out.push({ k: "str", v: src.slice(i + 1, end), pos });
      i = end + 1;
      continue;
    }
    if (/\d/.test(c) || (c === "." && /\d/.test(at(i + 1)))) {
      let j = i;
      while (/\d/.test(at(j))) j++;
      if (at(j) === ".") {
        j++;
        while (/\d/.test(at(j))) j++;
      }
      out.push({ k: "num", v: Number(src.slice(i, j)), pos });
      i = j;
      continue;
    }
    if (NAME_START.test(c)) {
      let j = i + 1;
      while (j < src.length && NAME_CHAR.test(at(j))) j++;
      // A QName prefix (jr:choice-name): one colon followed by a name.
      if (at(j) === ":" && NAME_START.test(at(j + 1))) {
        j += 2;
        while (j < src.length && NAME_CHAR.test(at(j))) j++;
      }
      out.push({ k: "name", v: src.slice(i, j), pos });
      i = j;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (["!=", "<=", ">=", "..", "//"].includes(two)) {
      out.push({ k: "op", v: two, pos });
      i += 2;
      continue;
    }
    if ("+-*=<>(),.[]/|@$".includes(c)) {
      out.push({ k: "op", v: c, pos });
      i++;
      continue;
    }
    throw syntax(`unexpected character "${c}"`, pos);
  }
  out.push({ k: "eof", pos: src.length });
  return out;
}

function syntax(message: string, pos: number): ExpressionError {
  return new ExpressionError("syntax_error", `${message} at ${pos + 1}`, {
    position: pos + 1,
    detail: message,
  });
}

function unsupported(what: string, pos: number): ExpressionError {
  return new ExpressionError("unsupported_syntax", `${what} is not supported (at ${pos + 1})`, {
    syntax: what,
    position: pos + 1,
  });
}

const BINDING: Record<string, number> = {
  or: 1,
  and: 2,
  "=": 3,
  "!=": 3,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
  "+": 5,
  "-": 5,
  "*": 6,
  div: 6,
  mod: 6,
};
const UNARY_BINDING = 7;

export interface ParseOptions {
  /** Bare names are the filtered choice's columns (choice_filter). */
  allowFields?: boolean;
}

export interface ParsedExpression {
  readonly source: string;
  readonly ast: Expr;
  /** Names referenced with ${…} (also inside jr:choice-name's quoted second argument). */
  readonly refs: readonly string[];
  /** Bare names (choice columns). */
  readonly fields: readonly string[];
  readonly functions: readonly string[];
  readonly usesSelf: boolean;
}

class Parser {
  private i = 0;
  readonly unknownFunctions: string[] = [];
  readonly refs = new Set<string>();
  readonly fields = new Set<string>();
  readonly functions = new Set<string>();
  usesSelf = false;

  constructor(
    private readonly tokens: Token[],
    private readonly options: ParseOptions,
  ) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }
  private next(): Token {
    return this.tokens[this.i++]!;
  }
  private isOp(t: Token, v: string): boolean {
    return t.k === "op" && t.v === v;
  }
  private expectOp(v: string): void {
    const t = this.next();
    if (!this.isOp(t, v)) throw syntax(`expected "${v}"`, t.pos);
  }

  parseAll(): Expr {
    const e = this.expr(0);
    const t = this.peek();
    if (t.k !== "eof") {
      if (this.isOp(t, "/") || this.isOp(t, "[") || this.isOp(t, "//"))
        throw unsupported("paths", t.pos);
      if (this.isOp(t, "|")) throw unsupported("union (|)", t.pos);
      throw syntax("unexpected text", t.pos);
    }
    return e;
  }

  /** Infix operator at the cursor: and/or/div/mod are operators only after an operand (XPath rule). */
  private infix(): BinaryOp | null {
    const t = this.peek();
    if (t.k === "op" && t.v in BINDING) return t.v as BinaryOp;
    if (t.k === "name" && OPERATOR_NAMES.has(t.v)) return t.v as BinaryOp;
    return null;
  }

  private expr(minBinding: number): Expr {
    let left = this.prefix();
    for (;;) {
      const t = this.peek();
      if (this.isOp(t, "/") || this.isOp(t, "//") || this.isOp(t, "[")) {
        throw unsupported("paths", t.pos);
      }
      if (this.isOp(t, "|")) throw unsupported("union (|)", t.pos);
      const op = this.infix();
      if (!op) return left;
      const binding = BINDING[op]!;
      if (binding <= minBinding) return left;
      this.next();
      // Left-associative: the right side binds strictly tighter.
      const right = this.expr(binding);
      left = { t: "bin", op, l: left, r: right };
    }
  }

  private prefix(): Expr {
    const t = this.next();
    switch (t.k) {
      case "num":
        return { t: "num", v: t.v };
      case "str":
        return { t: "str", v: t.v };
      case "ref":
        this.refs.add(t.v);
        return { t: "ref", name: t.v };
      case "eof":
        throw syntax("unexpected end", t.pos);
      case "name":
        return this.nameOrCall(t);
      case "op":
        if (t.v === "-") return { t: "neg", e: this.expr(UNARY_BINDING) };
        if (t.v === "(") {
          const e = this.expr(0);
          this.expectOp(")");
          return e;
        }
        if (t.v === ".") {
          this.usesSelf = true;
          return { t: "self" };
        }
        if (t.v === "..") return { t: "parent" };
        if (t.v === "/" || t.v === "//") throw unsupported("absolute paths", t.pos);
        if (t.v === "@") throw unsupported("attributes", t.pos);
        if (t.v === "$") throw unsupported("variables", t.pos);
        throw syntax(`unexpected "${t.v}"`, t.pos);
    }
  }

  private nameOrCall(t: Token & { k: "name" }): Expr {
    if (this.isOp(this.peek(), "(")) {
      this.next();
      const args: Expr[] = [];
      if (!this.isOp(this.peek(), ")")) {
        for (;;) {
          args.push(this.expr(0));
          if (this.isOp(this.peek(), ",")) {
            this.next();
            continue;
          }
          break;
        }
      }
      this.expectOp(")");
      return this.call(t.v, args, t.pos);
    }
    if (!this.options.allowFields) {
      throw unsupported(`the bare name "${t.v}" (use \${${t.v}})`, t.pos);
    }
    this.fields.add(t.v);
    return { t: "field", name: t.v };
  }

  private call(name: string, args: Expr[], pos: number): Expr {
    const spec = functionSpec(name);
    if (!spec) {
      if (!this.unknownFunctions.includes(name)) this.unknownFunctions.push(name);
      return { t: "call", name, args };
    }
    if (args.length < spec.min || args.length > spec.max) {
      throw new ExpressionError(
        "wrong_arity",
        `${name}() takes ${spec.min === spec.max ? spec.min : `${spec.min}–${spec.max === Infinity ? "any" : spec.max}`} arguments, not ${args.length} (at ${pos + 1})`,
        { function: name, count: args.length, position: pos + 1 },
      );
    }
    if (
      name === "position" &&
      args.length === 1 &&
      args[0]!.t !== "parent" &&
      args[0]!.t !== "self"
    ) {
      throw unsupported("position() of anything but ..", pos);
    }
    if (name === "jr:choice-name" && args[1]?.t === "str") {
      // pyxform rewrites '${x}' inside the quotes too: the second argument names the question.
      const m = /^\s*\$\{\s*([^}\s]+)\s*\}\s*$/.exec(args[1].v);
      if (m) this.refs.add(m[1]!);
    }
    this.functions.add(name);
    return { t: "call", name, args };
  }
}

const cache = new Map<string, ParsedExpression>();
const CACHE_LIMIT = 5_000;

/**
 * Parses an ODK expression. Throws ExpressionError (code + params) for syntax errors,
 * unsupported syntax and unsupported functions (all of them are listed, comma-separated).
 */
export function parseExpression(source: string, options: ParseOptions = {}): ParsedExpression {
  const key = `${options.allowFields ? "f" : "-"}${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  if (source.trim() === "")
    throw new ExpressionError("empty_expression", "the expression is empty");
  const parser = new Parser(tokenize(source), options);
  let ast: Expr;
  try {
    ast = parser.parseAll();
  } catch (e) {
    // instance('x')/root/item fails on the path, but the function is the better news.
    if (!(e instanceof ExpressionError) || parser.unknownFunctions.length === 0) throw e;
    ast = { t: "str", v: "" };
  }
  if (parser.unknownFunctions.length > 0) {
    const list = parser.unknownFunctions.join(", ");
    throw new ExpressionError("unsupported_function", `unsupported function(s): ${list}`, {
      functions: list,
    });
  }
  const parsed: ParsedExpression = {
    source,
    ast,
    refs: [...parser.refs],
    fields: [...parser.fields],
    functions: [...parser.functions],
    usesSelf: parser.usesSelf,
  };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, parsed);
  return parsed;
}

/** The ${name} references of a text (labels, hints, messages interpolate them). */
export function textReferences(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/\$\{\s*([^}\s]+)\s*\}/g)) names.add(m[1]!);
  return [...names];
}
