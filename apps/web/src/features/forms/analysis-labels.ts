/**
 * The analysis in the reader's language. The server labels it by the browser's
 * Accept-Language, which need not be the language chosen in the app: the question and
 * choice labels are read again from the definition, in the UI's language.
 */
import type { QuestionSummary } from "@kaveret/contracts";
import { localize, walkNodes, type FormDefinition, type FormNode } from "@kaveret/forms";

export function relabelAnalysis(
  questions: readonly QuestionSummary[],
  def: FormDefinition,
  language: string,
  crossBy: string | undefined,
): QuestionSummary[] {
  const nodes = new Map<string, FormNode>();
  walkNodes(def.questions, (n) => {
    if (!nodes.has(n.name)) nodes.set(n.name, n);
  });
  const choiceLabels = (name: string | undefined) => {
    const node = name ? nodes.get(name) : undefined;
    const listName = node && "choiceList" in node ? node.choiceList : undefined;
    const list = def.choiceLists.find((l) => l.name === listName);
    const out = new Map<string, string>();
    for (const c of list?.choices ?? []) {
      const label = localize(c.label, language, def.settings);
      if (label) out.set(c.name, label);
    }
    return out;
  };
  const crossLabels = choiceLabels(crossBy);
  return questions.map((q) => {
    const node = nodes.get(q.name);
    if (!node) return q;
    const own = choiceLabels(q.name);
    const relabel = <T extends { value: string; label: string }>(
      items: T[],
      map: Map<string, string>,
    ) => items.map((i) => ({ ...i, label: map.get(i.value) ?? i.label }));
    return {
      ...q,
      label: localize(node.label, language, def.settings) || q.label,
      ...(q.counts ? { counts: relabel(q.counts, own) } : {}),
      ...(q.cross
        ? {
            cross: {
              columns: relabel(q.cross.columns, crossLabels),
              rows: relabel(q.cross.rows, own),
            },
          }
        : {}),
    };
  });
}
