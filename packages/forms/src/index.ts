/* @kaveret/forms: the form definition, the expression engine and the form engine.
   Pure TypeScript, no DOM and no exceljs: the web app bundles this to run forms
   offline. XLSForm import/export lives in "@kaveret/forms/xlsform". */
export * from "./model.ts";
export * from "./expr/index.ts";
export { checkForm, expressionProblem, FORM_PROBLEM_CODES } from "./check.ts";
export type { FormProblem, FormProblemCode } from "./check.ts";
export { compileForm, isDynamicDefault } from "./compile.ts";
export type { CompiledForm, CompiledNode } from "./compile.ts";
export { interpolate, localize } from "./localize.ts";
export {
  addRepeatInstance,
  answerHasType,
  answerText,
  coerceAnswer,
  createAnswers,
  evaluateForm,
  finishAnswers,
  isEmptyAnswer,
  prepareSubmission,
  validateSubmission,
  VALIDATION_CODES,
} from "./engine.ts";
export type {
  AnswerPath,
  EngineOptions,
  FieldState,
  FormState,
  GroupState,
  NodeState,
  RepeatInstanceState,
  RepeatState,
  ResolvedChoice,
  ValidationCode,
  ValidationIssue,
} from "./engine.ts";
export { isPhotoId, photoAnswers, PHOTO_ID_PATTERN } from "./photos.ts";
export type { PhotoAnswer } from "./photos.ts";
