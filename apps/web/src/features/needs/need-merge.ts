/** Which of two needs stays when merging: the one open on screen ("this") or the other. */
export type MergeChoice = "this" | "other";

interface Ref {
  id: string;
  reference: string;
}

/** The survivor keeps its reference; the duplicate's photos, comments and history move to it. */
export function mergePair(
  choice: MergeChoice,
  current: Ref,
  other: Ref,
): { survivor: Ref; duplicate: Ref } {
  return choice === "this"
    ? { survivor: current, duplicate: other }
    : { survivor: other, duplicate: current };
}
