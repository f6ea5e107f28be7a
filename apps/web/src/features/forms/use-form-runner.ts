import { useCallback, useMemo, useState } from "react";
import {
  addRepeatInstance,
  createAnswers,
  evaluateForm,
  finishAnswers,
  type AnswerPath,
  type Answers,
  type FormDefinition,
  type FormState,
} from "@kaveret/forms";
import { pickFormLanguage } from "./form-languages.ts";
import { pathKey, removeRepeatInstance, setAnswerAt, type RunnerIssue } from "./runner-answers.ts";

/** Everything the runner shows and changes; made by useFormRunner, rendered by <FormRunner>. */
export interface FormRunnerController {
  form: FormDefinition;
  /** The form language the questions are shown in. */
  language: string;
  setLanguage: (language: string) => void;
  /** The answers as typed (answers of questions hidden since are kept until sent). */
  answers: Answers;
  /** The engine's reading of them; null when the definition cannot be run (builder preview). */
  state: FormState | null;
  setValue: (path: AnswerPath, value: unknown) => void;
  addInstance: (repeatPath: AnswerPath) => void;
  removeInstance: (repeatPath: AnswerPath, index: number) => void;
  /** Questions the person has left (their problems show from then on). */
  touched: ReadonlySet<string>;
  touch: (path: AnswerPath) => void;
  /** After a send was tried every problem shows. */
  submitted: boolean;
  setSubmitted: (submitted: boolean) => void;
  /** Problems the server found (form.answers_invalid), until the answer changes. */
  serverIssues: readonly RunnerIssue[];
  setServerIssues: (issues: readonly RunnerIssue[]) => void;
  /** Starts over: new answers (defaults, start time), nothing touched. */
  reset: () => void;
  /** What to send: the engine's answers (hidden ones cleared, calculations done), end time stamped. */
  finalAnswers: () => Answers;
}

function safeEvaluate(form: FormDefinition, answers: Answers, language: string): FormState | null {
  try {
    return evaluateForm(form, answers, { language });
  } catch {
    // A definition the builder is still shaping; the preview says it cannot run it yet.
    return null;
  }
}

function safeCreate(form: FormDefinition): Answers {
  try {
    return createAnswers(form);
  } catch {
    return {};
  }
}

/**
 * The state of one filling-in of a form: answers, language, what was touched and the
 * server's issues. Pure on @kaveret/forms: the same engine the server validates with.
 */
export function useFormRunner(
  form: FormDefinition,
  options: { language?: string; initialAnswers?: Answers } = {},
): FormRunnerController {
  // initialAnswers: an answer started earlier and kept on the device (read once, at mount).
  const [answers, setAnswers] = useState<Answers>(() => options.initialAnswers ?? safeCreate(form));
  const [wanted, setLanguage] = useState<string | undefined>(options.language);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverIssues, setServerIssues] = useState<readonly RunnerIssue[]>([]);
  // The form may lose the chosen language while it is being built.
  const language = pickFormLanguage(form.settings, [wanted]);
  const state = useMemo(() => safeEvaluate(form, answers, language), [form, answers, language]);

  const setValue = useCallback(
    (path: AnswerPath, value: unknown) => {
      setAnswers((a) => {
        const next = setAnswerAt(a, path, value);
        if (next !== a) return next;
        // The instance exists only in the engine's answers (made by a repeat count): write there.
        const evaluated = safeEvaluate(form, a, language);
        return evaluated ? setAnswerAt(evaluated.answers, path, value) : a;
      });
      const key = pathKey(path);
      setServerIssues((list) =>
        list.some((i) => pathKey(i.path) === key)
          ? list.filter((i) => pathKey(i.path) !== key)
          : list,
      );
    },
    [form, language],
  );

  const addInstance = useCallback(
    (repeatPath: AnswerPath) =>
      setAnswers((a) => {
        try {
          return addRepeatInstance(form, a, repeatPath);
        } catch {
          // An outer instance made by a repeat count exists only in the engine's answers.
          const evaluated = safeEvaluate(form, a, language);
          try {
            return evaluated ? addRepeatInstance(form, evaluated.answers, repeatPath) : a;
          } catch {
            return a;
          }
        }
      }),
    [form, language],
  );

  const removeInstance = useCallback((repeatPath: AnswerPath, index: number) => {
    setAnswers((a) => removeRepeatInstance(a, repeatPath, index));
    // Touched marks and server issues of later instances would now point at the wrong one.
    setTouched(new Set());
    setServerIssues([]);
  }, []);

  const touch = useCallback((path: AnswerPath) => {
    const key = pathKey(path);
    setTouched((s) => (s.has(key) ? s : new Set(s).add(key)));
  }, []);

  const reset = useCallback(() => {
    setAnswers(safeCreate(form));
    setTouched(new Set());
    setSubmitted(false);
    setServerIssues([]);
  }, [form]);

  const finalAnswers = useCallback(
    () => finishAnswers(form, state?.answers ?? answers),
    [form, state, answers],
  );

  return {
    form,
    language,
    setLanguage,
    answers,
    state,
    setValue,
    addInstance,
    removeInstance,
    touched,
    touch,
    submitted,
    setSubmitted,
    serverIssues,
    setServerIssues,
    reset,
    finalAnswers,
  };
}
