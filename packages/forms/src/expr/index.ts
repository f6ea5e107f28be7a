export { EXPRESSION_ERROR_CODES, ExpressionError } from "./ast.ts";
export type { BinaryOp, Expr, ExpressionErrorCode } from "./ast.ts";
export { parseExpression, textReferences } from "./parser.ts";
export type { ParsedExpression, ParseOptions } from "./parser.ts";
export { evaluate, evaluateBoolean, evaluateNumber, evaluateString } from "./evaluator.ts";
export type { EvalContext } from "./evaluator.ts";
export { SUPPORTED_FUNCTIONS, roundTo } from "./functions.ts";
export {
  answerToString,
  compare,
  formatDateOnly,
  formatDateTime,
  localDay,
  nodes,
  numberToString,
  parseDate,
  toBool,
  toDate,
  toNum,
  toStr,
} from "./values.ts";
export type { NodeSet, XDate, XValue } from "./values.ts";
