export type BinaryOp =
  "or" | "and" | "=" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "div" | "mod";

/** The parsed form of an ODK expression. */
export type Expr =
  | { readonly t: "num"; readonly v: number }
  | { readonly t: "str"; readonly v: string }
  /** `${name}`: another question's answer (or a repeat's instances). */
  | { readonly t: "ref"; readonly name: string }
  /** `.`: the question's own answer (constraints, once()). */
  | { readonly t: "self" }
  /** `..`: only inside position(..), the current repeat instance. */
  | { readonly t: "parent" }
  /** A bare name: a column of the choice being filtered (choice_filter only). */
  | { readonly t: "field"; readonly name: string }
  | { readonly t: "neg"; readonly e: Expr }
  | { readonly t: "bin"; readonly op: BinaryOp; readonly l: Expr; readonly r: Expr }
  | { readonly t: "call"; readonly name: string; readonly args: readonly Expr[] };

export const EXPRESSION_ERROR_CODES = [
  "empty_expression",
  "syntax_error",
  "unsupported_function",
  "unsupported_syntax",
  "wrong_arity",
  "invalid_regex",
] as const;
export type ExpressionErrorCode = (typeof EXPRESSION_ERROR_CODES)[number];

/** A parse (or, for invalid regexes, evaluation) error; `params` feed translated messages. */
export class ExpressionError extends Error {
  override readonly name = "ExpressionError";
  constructor(
    readonly code: ExpressionErrorCode,
    message: string,
    readonly params: Readonly<Record<string, string | number>> = {},
  ) {
    super(message);
  }
}
