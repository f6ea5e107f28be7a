import { isContainer, type FormDefinition, type FormNode } from "./model.ts";

/*
 * A photo question's answer is the id of a photo uploaded with the answer (made on the
 * device, so a retried upload is the same photo), never the file itself nor its name.
 */

export const PHOTO_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value is shaped like a photo id. */
export const isPhotoId = (v: unknown): v is string =>
  typeof v === "string" && PHOTO_ID_PATTERN.test(v);

export interface PhotoAnswer {
  /** Where the answer is ([name], or [repeat, index, …, name] inside repeats). */
  path: (string | number)[];
  /** The answer as given (a photo id when well formed). */
  id: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Every non-empty answer to a photo question, in form order, repeats included. */
export function photoAnswers(
  form: FormDefinition,
  answers: Record<string, unknown>,
): PhotoAnswer[] {
  const out: PhotoAnswer[] = [];
  const walk = (
    nodes: readonly FormNode[],
    rec: Record<string, unknown>,
    prefix: (string | number)[],
  ) => {
    for (const node of nodes) {
      if (node.type === "group") {
        walk(node.children, rec, prefix);
      } else if (node.type === "repeat") {
        const list = rec[node.name];
        if (!Array.isArray(list)) continue;
        list.forEach((instance, i) => {
          if (isRecord(instance)) walk(node.children, instance, [...prefix, node.name, i]);
        });
      } else if (!isContainer(node) && node.type === "image") {
        const v = rec[node.name];
        if (typeof v === "string" && v !== "") out.push({ path: [...prefix, node.name], id: v });
      }
    }
  };
  walk(form.questions, answers, []);
  return out;
}
