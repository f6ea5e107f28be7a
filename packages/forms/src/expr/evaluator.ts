import type { Expr } from "./ast.ts";
import { callFunction, type CallEnv } from "./functions.ts";
import type { ParsedExpression } from "./parser.ts";
import { compare, nodes, toBool, toNum, toStr, type XValue } from "./values.ts";

/** What an expression can see: the engine implements it over the answers. */
export interface EvalContext {
  /**
   * Values of `${name}` seen from the current repeat instance: within a shared repeat the
   * current instance, below it every instance. `pins` fixes instances (indexed-repeat; 0-based).
   */
  ref(name: string, pins?: ReadonlyMap<string, number>): readonly unknown[];
  /** `.`: the current question's value (empty list when unanswered). */
  self(): readonly unknown[];
  /** A bare name: a column of the choice being filtered. */
  field?(name: string): string;
  /** 1-based index of the current repeat instance (position(..)). */
  position(): number;
  /** Label of a choice of a select question, in the current language. */
  choiceLabel?(question: string, value: string): string | undefined;
  now(): Date;
}

function evalExpr(e: Expr, ctx: EvalContext): XValue {
  switch (e.t) {
    case "num":
      return e.v;
    case "str":
      return e.v;
    case "ref":
      return nodes(ctx.ref(e.name));
    case "self":
      return nodes(ctx.self());
    case "parent":
      // Only meaningful as position(..), handled by position itself.
      return nodes([]);
    case "field":
      return ctx.field ? ctx.field(e.name) : "";
    case "neg":
      return -toNum(evalExpr(e.e, ctx));
    case "call": {
      const env: CallEnv = { ctx, ev: (x) => evalExpr(x, ctx) };
      return callFunction(e.name, e.args, env);
    }
    case "bin": {
      const { op } = e;
      if (op === "and") return toBool(evalExpr(e.l, ctx)) && toBool(evalExpr(e.r, ctx));
      if (op === "or") return toBool(evalExpr(e.l, ctx)) || toBool(evalExpr(e.r, ctx));
      const l = evalExpr(e.l, ctx);
      const r = evalExpr(e.r, ctx);
      switch (op) {
        case "+":
          return toNum(l) + toNum(r);
        case "-":
          return toNum(l) - toNum(r);
        case "*":
          return toNum(l) * toNum(r);
        case "div":
          return toNum(l) / toNum(r);
        case "mod":
          return toNum(l) % toNum(r);
        default:
          return compare(op, l, r);
      }
    }
  }
}

const astOf = (e: ParsedExpression | Expr): Expr => ("ast" in e ? e.ast : e);

/** Evaluates to an XPath value. Throws ExpressionError only for an invalid regex. */
export function evaluate(e: ParsedExpression | Expr, ctx: EvalContext): XValue {
  return evalExpr(astOf(e), ctx);
}

export const evaluateBoolean = (e: ParsedExpression | Expr, ctx: EvalContext): boolean =>
  toBool(evaluate(e, ctx));
export const evaluateString = (e: ParsedExpression | Expr, ctx: EvalContext): string =>
  toStr(evaluate(e, ctx));
export const evaluateNumber = (e: ParsedExpression | Expr, ctx: EvalContext): number =>
  toNum(evaluate(e, ctx));
