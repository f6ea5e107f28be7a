import { isPhotoId, photoAnswers, type FormDefinition, type FormNode } from "@kaveret/forms";
import type { DbOrTx } from "@kaveret/db";
import { AppError } from "../../lib/errors.ts";
import * as repo from "./form-photos.repository.ts";

/* The answer's side of form photos: taking them when the answer is stored, linking them in exports. */

/**
 * Inside the answer's transaction (after its row is written): the answer takes the photos
 * it names. One missing — never uploaded, another form's, another answer's — refuses the
 * whole answer (400 form.answers_invalid, the question's path, code photo_missing).
 */
export async function linkAnswerPhotos(
  tx: DbOrTx,
  t: { departmentId: string; formId: string; responseId: string },
  def: FormDefinition,
  answers: Record<string, unknown>,
): Promise<number> {
  const refs = photoAnswers(def, answers);
  if (refs.length === 0) return 0;
  const held = await repo.linkPhotos(tx, t.departmentId, t.formId, t.responseId, [
    ...new Set(refs.map((r) => r.id)),
  ]);
  const missing = refs.filter((r) => !held.has(r.id));
  if (missing.length) {
    throw new AppError("form.answers_invalid", 400, "A photo of this answer was not uploaded", {
      issues: missing.map((r) => ({
        path: r.path,
        code: "photo_missing",
        message: "Upload the photo before the answer",
      })),
    });
  }
  return held.size;
}

/** The link an export gives for a photo answer: stable, and it opens only for those allowed. */
export function photoLink(
  publicUrl: string,
  departmentId: string,
  formId: string,
  photoId: string,
): string {
  const scope = encodeURIComponent(`department:${departmentId}`);
  return `${publicUrl}/api/forms/${formId}/photos/${photoId}?scope=${scope}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A repeat's answer as exported (one JSON cell): its entries with every photo answer, at
 * any depth of groups and repeats, given as its link instead of its id.
 */
export function repeatWithPhotoLinks(
  repeat: FormNode,
  value: unknown,
  link: (photoId: string) => string,
): unknown {
  if (repeat.type !== "repeat" || !Array.isArray(value)) return value;
  const entry = (nodes: readonly FormNode[], rec: Record<string, unknown>) => {
    const out: Record<string, unknown> = { ...rec };
    const visit = (list: readonly FormNode[]) => {
      for (const node of list) {
        if (node.type === "group") visit(node.children);
        else if (node.type === "repeat") {
          out[node.name] = repeatWithPhotoLinks(node, rec[node.name], link);
        } else if (node.type === "image" && isPhotoId(rec[node.name])) {
          out[node.name] = link(rec[node.name] as string);
        }
      }
    };
    visit(nodes);
    return out;
  };
  return value.map((instance) =>
    isRecord(instance) ? entry(repeat.children, instance) : instance,
  );
}
