import {
  isPhotoId,
  localize,
  walkNodes,
  type ChoiceList,
  type FormDefinition,
  type FormNode,
} from "@kaveret/forms";
import type { FormAnalysis, QuestionSummary } from "@kaveret/contracts";

/**
 * Per-question summaries of a form's answers: counts per choice, numeric summaries,
 * date ranges, recent text, geopoints, the newest photos, and optionally a cross-tab of every select
 * question against one chosen select question. Answers inside repeats count once per
 * instance. Pure: the service hands in the rows it was allowed to read.
 */

type Row = { id: string; answers: Record<string, unknown>; channel: string; createdAt: Date };

const ANALYSED = new Set([
  "text",
  "integer",
  "decimal",
  "select_one",
  "select_multiple",
  "date",
  "geopoint",
  "image",
  "calculate",
]);

/** Every value of a question in one submission (several when it sits inside repeats). */
function valuesOf(answers: Record<string, unknown>, path: string[], name: string): unknown[] {
  if (path.length === 0) return name in answers ? [answers[name]] : [];
  const [head, ...rest] = path;
  const instances = answers[head!];
  if (!Array.isArray(instances)) return [];
  return instances.flatMap((i) =>
    i && typeof i === "object" ? valuesOf(i as Record<string, unknown>, rest, name) : [],
  );
}

const empty = (v: unknown) =>
  v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

const selected = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.map(String)
    : typeof v === "string"
      ? v.split(" ").filter(Boolean)
      : v === null || v === undefined
        ? []
        : [String(v)];

function median(sorted: number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function analyseResponses(
  form: FormDefinition,
  rows: Row[],
  o: { language: string; crossBy?: string },
): FormAnalysis {
  const lists = new Map<string, ChoiceList>(form.choiceLists.map((l) => [l.name, l]));
  const label = (node: { name: string; label?: Record<string, string> }) =>
    (node.label ? localize(node.label, o.language, form.settings) : "") || node.name;
  const choiceLabel = (list: ChoiceList | undefined, value: string) => {
    const c = list?.choices.find((x) => x.name === value);
    return c ? label(c) : value;
  };

  const fields: { node: FormNode & { name: string }; path: string[] }[] = [];
  walkNodes(form.questions, (node, ancestors) => {
    if (node.type === "group" || node.type === "repeat") return;
    if (!ANALYSED.has(node.type)) return;
    fields.push({
      node,
      path: ancestors.filter((a) => a.type === "repeat").map((a) => a.name),
    });
  });

  const cross = o.crossBy ? fields.find((f) => f.node.name === o.crossBy) : undefined;
  const crossList =
    cross && "choiceList" in cross.node && cross.node.choiceList
      ? lists.get(cross.node.choiceList)
      : undefined;
  const crossValues = (answers: Record<string, unknown>) =>
    cross ? valuesOf(answers, cross.path, cross.node.name).flatMap(selected) : [];

  const byChannel: Record<string, number> = {};
  for (const r of rows) byChannel[r.channel] = (byChannel[r.channel] ?? 0) + 1;

  const newestFirst = [...rows].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const questions: QuestionSummary[] = fields.map(({ node, path }) => {
    const summary: QuestionSummary = {
      name: node.name,
      type: node.type,
      label: label(node),
      answered: 0,
    };
    const list = "choiceList" in node && node.choiceList ? lists.get(node.choiceList) : undefined;
    if (node.type === "select_one" || node.type === "select_multiple") {
      const counts = new Map<string, number>((list?.choices ?? []).map((c) => [c.name, 0]));
      const columns = crossList?.choices.map((c) => c.name) ?? [];
      const table = new Map<string, number[]>();
      for (const r of rows) {
        const values = valuesOf(r.answers, path, node.name).filter((v) => !empty(v));
        if (values.length) summary.answered += 1;
        const across = crossValues(r.answers);
        for (const value of values.flatMap(selected)) {
          counts.set(value, (counts.get(value) ?? 0) + 1);
          if (cross && cross.node.name !== node.name) {
            const rowCounts = table.get(value) ?? columns.map(() => 0);
            for (const a of across) {
              const i = columns.indexOf(a);
              if (i >= 0) rowCounts[i]! += 1;
            }
            table.set(value, rowCounts);
          }
        }
      }
      summary.counts = [...counts].map(([value, count]) => ({
        value,
        label: choiceLabel(list, value),
        count,
      }));
      if (cross && crossList && cross.node.name !== node.name) {
        summary.cross = {
          columns: crossList.choices.map((c) => ({ value: c.name, label: label(c) })),
          rows: [...counts.keys()].map((value) => ({
            value,
            label: choiceLabel(list, value),
            counts: table.get(value) ?? columns.map(() => 0),
          })),
        };
      }
      return summary;
    }
    const all = rows.map((r) => valuesOf(r.answers, path, node.name).filter((v) => !empty(v)));
    summary.answered = all.filter((v) => v.length > 0).length;
    const flat = all.flat();
    if (node.type === "integer" || node.type === "decimal" || node.type === "calculate") {
      const numbers = flat.map(Number).filter((n) => Number.isFinite(n));
      if (numbers.length) {
        numbers.sort((a, b) => a - b);
        summary.numeric = {
          min: numbers[0]!,
          max: numbers[numbers.length - 1]!,
          mean: Math.round((numbers.reduce((s, n) => s + n, 0) / numbers.length) * 100) / 100,
          median: median(numbers),
        };
      } else if (node.type === "calculate") {
        summary.samples = flat.slice(0, 20).map(String);
      }
    } else if (node.type === "date") {
      const dates = flat
        .map(String)
        .filter((d) => /^\d{4}-\d{2}-\d{2}/.test(d))
        .sort();
      if (dates.length) summary.dates = { first: dates[0]!, last: dates[dates.length - 1]! };
    } else if (node.type === "image") {
      summary.photos = newestFirst
        .flatMap((r) =>
          valuesOf(r.answers, path, node.name)
            .filter(isPhotoId)
            .map((id) => ({ id, responseId: r.id })),
        )
        .slice(0, 20);
    } else if (node.type === "geopoint") {
      summary.points = flat
        .map((p) => p as { latitude?: unknown; longitude?: unknown })
        .filter((p) => typeof p?.latitude === "number" && typeof p?.longitude === "number")
        .slice(0, 5000)
        .map((p) => ({ lat: p.latitude as number, lon: p.longitude as number }));
    } else {
      summary.samples = newestFirst
        .flatMap((r) => valuesOf(r.answers, path, node.name))
        .filter((v) => !empty(v))
        .slice(0, 20)
        .map(String);
    }
    return summary;
  });
  return { total: rows.length, byChannel, questions };
}
