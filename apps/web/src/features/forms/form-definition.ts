/**
 * Reading a form's definition JSON and checking it live while it is built: the same
 * schema and checkForm the server runs, plus two things the server only says when the
 * form is opened (no questions; a select with no choices).
 */
import {
  checkForm,
  formDefinitionSchema,
  isContainer,
  walkNodes,
  type FormDefinition,
  type FormNode,
} from "@kaveret/forms";
import type { ProblemLike } from "./form-problems.ts";

/** The definition, or null when the JSON is not one (an old or broken row). */
export function readDefinition(json: unknown): FormDefinition | null {
  const parsed = formDefinitionSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** The node a schema issue path (["questions", 2, "children", 0, "name"]) points into. */
function nameAtIssuePath(def: FormDefinition, path: readonly PropertyKey[]): string | null {
  if (path[0] !== "questions") return null;
  let list: readonly FormNode[] = def.questions;
  let name: string | null = null;
  for (let i = 1; i < path.length; i += 2) {
    const node = list[Number(path[i])];
    if (!node) break;
    name = node.name;
    if (path[i + 1] !== "children" || !isContainer(node)) break;
    list = node.children;
  }
  return name;
}

/** Everything wrong with a definition being built, errors first. */
export function liveProblems(def: FormDefinition): ProblemLike[] {
  const out: ProblemLike[] = [];
  const parsed = formDefinitionSchema.safeParse(def);
  if (!parsed.success) {
    for (const issue of parsed.error.issues.slice(0, 50)) {
      const property = issue.path[issue.path.length - 1];
      out.push({
        level: "error",
        code: "invalid_definition",
        message: issue.message,
        name: nameAtIssuePath(def, issue.path),
        ...(typeof property === "string" ? { property } : {}),
      });
    }
    // checkForm expects a structurally valid form.
    return out;
  }
  for (const p of checkForm(def)) {
    out.push({
      level: p.level,
      code: p.code,
      message: p.message,
      params: p.params,
      name: p.name,
      ...(p.property ? { property: p.property } : {}),
    });
  }
  let questions = 0;
  walkNodes(def.questions, (n) => {
    if (!isContainer(n) && n.type !== "note") questions += 1;
    if ((n.type === "select_one" || n.type === "select_multiple") && n.choiceList) {
      const list = def.choiceLists.find((l) => l.name === n.choiceList);
      if (list && list.choices.length === 0) {
        out.push({
          level: "warning",
          code: "no_choices",
          message: `The select "${n.name}" has no choices`,
          name: n.name,
          params: { name: n.name },
        });
      }
    }
  });
  if (questions === 0) {
    out.push({
      level: "warning",
      code: "no_questions",
      message: "The form has no questions yet",
      name: null,
    });
  }
  return out.sort((a, b) => (a.level === b.level ? 0 : a.level === "error" ? -1 : 1));
}
