/**
 * Answers as people read them: the columns of the responses table (the questions
 * outside repeats), each answer in words (choice labels, dates dd.MM.yyyy, points),
 * and the text a need made from an answer starts with.
 */
import {
  answerText,
  isContainer,
  isPhotoId,
  localize,
  photoAnswers,
  type Answers,
  type FormDefinition,
  type FormNode,
  type Geopoint,
} from "@kaveret/forms";

export interface AnswerColumn {
  name: string;
  label: string;
  node: FormNode;
}

/** Types that hold no answer worth a column (device data, notes). */
const NO_COLUMN = new Set(["note", "start", "end", "today"]);

/** The questions answered at the top level (groups are transparent; a repeat is one column). */
export function answerColumns(def: FormDefinition, language: string): AnswerColumn[] {
  const out: AnswerColumn[] = [];
  const walk = (nodes: readonly FormNode[]) => {
    for (const node of nodes) {
      if (node.type === "group") {
        walk(node.children);
        continue;
      }
      if (NO_COLUMN.has(node.type)) continue;
      if (node.type === "calculate" && !node.label) continue;
      out.push({
        name: node.name,
        label: localize(node.label, language, def.settings) || node.name,
        node,
      });
    }
  };
  walk(def.questions);
  return out;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function choiceLabel(
  def: FormDefinition,
  listName: string | undefined,
  value: string,
  language: string,
) {
  const list = def.choiceLists.find((l) => l.name === listName);
  const choice = list?.choices.find((c) => c.name === value);
  return (choice && localize(choice.label, language, def.settings)) || value;
}

export interface AnswerDisplayOptions {
  language: string;
  /** "3 entries" for a repeat's answers. */
  entries: (count: number) => string;
  /** A date-time (start/end) in the reader's format. */
  dateTime?: (iso: string) => string;
  /** What a photo answer reads as in text ("Photo"); the screens show the photo itself. */
  photo?: string;
}

/** One answer in words ("" when unanswered). */
export function displayAnswer(
  def: FormDefinition,
  node: FormNode,
  value: unknown,
  o: AnswerDisplayOptions,
): string {
  if (value === undefined || value === null || value === "") return "";
  if (isContainer(node)) return Array.isArray(value) ? o.entries(value.length) : "";
  switch (node.type) {
    case "select_one":
      return choiceLabel(def, node.choiceList, String(value), o.language);
    case "select_multiple": {
      const list = Array.isArray(value) ? value : String(value).split(/\s+/);
      return list.map((v) => choiceLabel(def, node.choiceList, String(v), o.language)).join(", ");
    }
    case "date":
    case "today": {
      const m = DATE.exec(String(value));
      return m ? `${m[3]}.${m[2]}.${m[1]}` : String(value);
    }
    case "start":
    case "end":
      return o.dateTime ? o.dateTime(String(value)) : String(value);
    case "image":
      return o.photo ?? "";
    case "geopoint": {
      if (typeof value !== "object") return String(value);
      const p = value as Geopoint;
      return `${p.latitude.toFixed(5)}, ${p.longitude.toFixed(5)}`;
    }
    default:
      return answerText(value);
  }
}

/** A cell's text: one line, cut at `max` characters with an ellipsis. */
export function truncate(text: string, max = 60): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length <= max ? one : `${one.slice(0, max - 1).trimEnd()}…`;
}

/** "Question: answer" lines of what was answered, for a need's description (≤ max characters). */
export function needDescription(
  def: FormDefinition,
  answers: Answers,
  o: AnswerDisplayOptions & { title?: string },
  max = 2000,
): string {
  const lines: string[] = o.title ? [o.title] : [];
  for (const c of answerColumns(def, o.language)) {
    const text = displayAnswer(def, c.node, answers[c.name], o);
    if (text) lines.push(`${c.label}: ${text}`);
  }
  const all = lines.join("\n");
  return all.length <= max ? all : `${all.slice(0, max - 1)}…`;
}

/** A photo answer with what it answers: the question, and its entry in repeats ("2", "2.1"). */
export interface ShownPhoto {
  id: string;
  label: string;
  /** Entry numbers from 1, outermost first, joined by "." ("" outside repeats). */
  entry: string;
  /** Unique within the answer (its path). */
  key: string;
}

/**
 * The photos of an answer, at any depth of groups and repeats, in form order: of the
 * whole answer, or (`within`) of one of its top-level questions — a repeat's entries.
 */
export function shownPhotos(
  def: FormDefinition,
  answers: Answers,
  language: string,
  within?: FormNode,
): ShownPhoto[] {
  const form = within ? { ...def, questions: [within] } : def;
  const scoped = within ? { [within.name]: answers[within.name] } : answers;
  const labels = new Map<string, string>();
  const walk = (nodes: readonly FormNode[]) => {
    for (const node of nodes) {
      if (isContainer(node)) walk(node.children);
      else if (node.type === "image") {
        labels.set(node.name, localize(node.label, language, def.settings) || node.name);
      }
    }
  };
  walk(form.questions);
  return photoAnswers(form, scoped as Record<string, unknown>)
    .filter((p) => isPhotoId(p.id))
    .map((p) => ({
      id: p.id,
      label: labels.get(String(p.path[p.path.length - 1])) ?? "",
      entry: p.path
        .filter((x): x is number => typeof x === "number")
        .map((i) => i + 1)
        .join("."),
      key: p.path.join("/"),
    }));
}
