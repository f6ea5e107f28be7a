import type { Locale } from "@kaveret/contracts";
import { charNgrams, detectLanguage, NORMALIZATION_VERSION, tokenize } from "./normalize.ts";
import { mulberry32, shuffleInPlace } from "./random.ts";

/*
 * The need-category classifier: multinomial Naive Bayes with Laplace smoothing,
 * trained on a department's own labelled needs. Chosen because every
 * suggestion can be explained from counts a person can read: the words of the
 * text that are more frequent in the suggested category than in the others.
 *
 * The model is a plain JSON object (store it as jsonb per department, retrain
 * on demand). It only ever suggests: a person confirms the category, and
 * nothing here routes a need on its own.
 */

export const MODEL_FORMAT = "kaveret/need-classifier";
export const MODEL_VERSION = 1;

export type TrainingExample = {
  text: string;
  category: string;
  /** The report's language when known (the form's language); detected from the script otherwise. */
  language?: Locale | null;
};

export type TrainOptions = {
  /** Laplace (add-α) smoothing. */
  alpha?: number;
  /** Weight of each character 3-gram of a word (1 = as much as the word itself; 0 = no n-grams). */
  ngramWeight?: number;
  /** Below this many examples in all, no suggestion at all. */
  minExamples?: number;
  /** A category with fewer examples is never suggested. */
  minPerCategory?: number;
  /** Fit the softmax temperature on a held-out fifth, so confidences mean something. */
  calibrate?: boolean;
  /**
   * The least temperature used. A held-out fifth of the department's own needs shares wording with
   * the rest, so the fitted temperature understates how unsure the model is on new wording (see
   * bench/classifier.bench.ts: "unseen phrasings"); a floor keeps confidences modest.
   */
  minTemperature?: number;
  /** Clock for `trainedAt` (tests). */
  now?: () => Date;
};

export type ModelOptions = Required<Omit<TrainOptions, "now" | "calibrate" | "minTemperature">> & {
  normalizationVersion: number;
};

export type CategoryStats = {
  /** Labelled needs of this category the model was trained on. */
  examples: number;
  /** Sum of the feature weights seen in this category (the multinomial's denominator). */
  featureTotal: number;
  perLanguage: Partial<Record<Locale, number>>;
};

export type NeedClassifierModel = {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  trainedAt: string;
  examples: number;
  perLanguage: Partial<Record<Locale, number>>;
  categories: Record<string, CategoryStats>;
  /** Feature → category → weighted count. Features: `w:<stem>` (a word) and `c:<3-gram>`. */
  features: Record<string, Record<string, number>>;
  vocabularySize: number;
  /** Log posteriors are divided by this before the softmax (1 = plain Naive Bayes). */
  temperature: number;
  options: ModelOptions;
};

export type CategorySuggestion = { category: string; confidence: number };

export type Driver = {
  /** The word as it appeared in the text. */
  word: string;
  /** The category it pushed towards (the top suggestion). */
  category: string;
  /** Log-likelihood ratio, top category vs. all others (nats, summed over the word's features). */
  weight: number;
};

export type NoSuggestionReason =
  "too_few_examples" | "too_few_categories" | "category_too_few_examples" | "no_known_words";

export type SuggestResult = {
  /** Best first; empty when the model declines. Confidences sum to ≤ 1 (the rest is in categories not shown). */
  suggestions: CategorySuggestion[];
  language: Locale | null;
  drivers: Driver[];
  /** False when the model has too few labelled needs (overall, or of the category it would suggest). */
  enoughData: boolean;
  /** Why there is no suggestion, or null when there is one. */
  reason: NoSuggestionReason | null;
};

const DEFAULTS: Required<Omit<TrainOptions, "now">> = {
  alpha: 0.1,
  ngramWeight: 0.2,
  minExamples: 20,
  minPerCategory: 3,
  calibrate: true,
  minTemperature: 2,
};

// ------------------------------------------------------------------ features

type Feature = { key: string; weight: number; token: number };
type Extracted = { features: Feature[]; originals: string[]; language: Locale | null };

/** The weighted features of a text, each pointing back at the word it came from. */
function extract(text: string, options: Pick<ModelOptions, "ngramWeight">): Extracted {
  const tokens = tokenize(text);
  const features: Feature[] = [];
  const originals: string[] = [];
  for (const token of tokens) {
    if (token.stop || [...token.stem].length < 2) continue;
    const i = originals.push(token.original) - 1;
    features.push({ key: `w:${token.stem}`, weight: 1, token: i });
    if (options.ngramWeight > 0) {
      for (const gram of charNgrams(token.stem))
        features.push({ key: `c:${gram}`, weight: options.ngramWeight, token: i });
    }
  }
  return { features, originals, language: detectLanguage(text) };
}

const round = (x: number, digits = 4) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

// ------------------------------------------------------------------ training

function countModel(
  examples: readonly TrainingExample[],
  options: ModelOptions,
  trainedAt: string,
): NeedClassifierModel {
  const categories: Record<string, CategoryStats> = {};
  const features: Record<string, Record<string, number>> = {};
  const perLanguage: Partial<Record<Locale, number>> = {};
  for (const example of examples) {
    const { features: fs, language: detected } = extract(example.text, options);
    const language = example.language ?? detected;
    const stats = (categories[example.category] ??= {
      examples: 0,
      featureTotal: 0,
      perLanguage: {},
    });
    stats.examples += 1;
    if (language) {
      stats.perLanguage[language] = (stats.perLanguage[language] ?? 0) + 1;
      perLanguage[language] = (perLanguage[language] ?? 0) + 1;
    }
    for (const f of fs) {
      const row = (features[f.key] ??= {});
      row[example.category] = (row[example.category] ?? 0) + f.weight;
      stats.featureTotal += f.weight;
    }
  }
  // Rounded so the stored JSON carries no float noise (0.6000000000000001).
  for (const row of Object.values(features))
    for (const c of Object.keys(row)) row[c] = round(row[c]!);
  for (const stats of Object.values(categories)) stats.featureTotal = round(stats.featureTotal);
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    trainedAt,
    examples: examples.length,
    perLanguage,
    categories,
    features,
    vocabularySize: Object.keys(features).length,
    temperature: 1,
    options,
  };
}

/**
 * Trains a model on labelled needs. With `calibrate` (the default) and enough
 * data, a fifth is first held out to fit the temperature that makes the
 * confidences honest on unseen text; the returned model is trained on all.
 */
export function trainClassifier(
  examples: readonly TrainingExample[],
  opts: TrainOptions = {},
): NeedClassifierModel {
  const { now, ...rest } = opts;
  const settings = { ...DEFAULTS, ...rest };
  const options: ModelOptions = {
    alpha: settings.alpha,
    ngramWeight: settings.ngramWeight,
    minExamples: settings.minExamples,
    minPerCategory: settings.minPerCategory,
    normalizationVersion: NORMALIZATION_VERSION,
  };
  const trainedAt = (now?.() ?? new Date()).toISOString();
  const model = countModel(examples, options, trainedAt);
  let temperature = 1;
  if (settings.calibrate && examples.length >= Math.max(50, settings.minExamples)) {
    const { train, test } = stratifiedSplit(examples, { testShare: 0.2, seed: 1 });
    const inner = countModel(train, options, trainedAt);
    temperature = fitTemperature(inner, test);
  }
  model.temperature = Math.max(temperature, settings.minTemperature);
  return model;
}

// ------------------------------------------------------------------ scoring

type Scored = {
  extracted: Extracted;
  /** Categories in a fixed order, with their log posterior (before temperature). */
  scores: { category: string; logPosterior: number }[];
  /** Whether the model knows enough of the text: a word, or three 3-grams (a mistyped word). */
  known: boolean;
};

function logLikelihood(model: NeedClassifierModel, category: string, count: number): number {
  const { alpha } = model.options;
  const total = model.categories[category]!.featureTotal;
  return Math.log((count + alpha) / (total + alpha * model.vocabularySize));
}

function score(model: NeedClassifierModel, text: string): Scored {
  const extracted = extract(text, model.options);
  const names = Object.keys(model.categories);
  const totalExamples = model.examples;
  const scores = names.map((category) => ({
    category,
    // Prior with add-one smoothing, so a rare category is not ruled out by its prior alone.
    logPosterior: Math.log(
      (model.categories[category]!.examples + 1) / (totalExamples + names.length),
    ),
  }));
  let knownWords = 0;
  let knownGrams = 0;
  for (const f of extracted.features) {
    const row = model.features[f.key];
    // A feature never seen in training says nothing about any category (and would only
    // add the same smoothing term to each): skip it.
    if (!row) continue;
    if (f.key.startsWith("w:")) knownWords++;
    else knownGrams++;
    for (const s of scores)
      s.logPosterior += f.weight * logLikelihood(model, s.category, row[s.category] ?? 0);
  }
  return { extracted, scores, known: knownWords > 0 || knownGrams >= 3 };
}

function softmax(values: number[], temperature: number): number[] {
  const scaled = values.map((v) => v / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** The words of the text that pushed most towards `category`, by log-likelihood ratio against the rest. */
function driversFor(
  model: NeedClassifierModel,
  extracted: Extracted,
  category: string,
  max: number,
): Driver[] {
  const { alpha } = model.options;
  const V = model.vocabularySize;
  const inTotal = model.categories[category]!.featureTotal;
  let outTotal = 0;
  for (const [name, stats] of Object.entries(model.categories))
    if (name !== category) outTotal += stats.featureTotal;
  const byWord = new Map<string, { word: string; weight: number }>();
  for (const f of extracted.features) {
    const row = model.features[f.key];
    if (!row) continue;
    const inCount = row[category] ?? 0;
    let outCount = 0;
    for (const [name, count] of Object.entries(row)) if (name !== category) outCount += count;
    const llr =
      Math.log((inCount + alpha) / (inTotal + alpha * V)) -
      Math.log((outCount + alpha) / (outTotal + alpha * V));
    const word = extracted.originals[f.token]!;
    const key = word.toLocaleLowerCase();
    const entry = byWord.get(key) ?? { word, weight: 0 };
    entry.weight += f.weight * llr;
    byWord.set(key, entry);
  }
  return [...byWord.values()]
    .filter((d) => d.weight > 0)
    .sort((a, b) => b.weight - a.weight)
    .slice(0, max)
    .map((d) => ({ word: d.word, category, weight: round(d.weight, 3) }));
}

/**
 * Suggests categories for a need's text, best first, with the words that drove
 * the top one. Declines (no suggestions) when the model has too few examples,
 * when the top category has too few of its own, or when no word of the text is
 * known to the model. A suggestion only: a person confirms.
 */
export function suggestCategory(
  model: NeedClassifierModel,
  text: string,
  opts: { top?: number; maxDrivers?: number } = {},
): SuggestResult {
  const top = opts.top ?? 3;
  const maxDrivers = opts.maxDrivers ?? 5;
  const language = detectLanguage(text);
  const decline = (reason: NoSuggestionReason, enoughData: boolean): SuggestResult => ({
    suggestions: [],
    language,
    drivers: [],
    enoughData,
    reason,
  });
  if (model.examples < model.options.minExamples) return decline("too_few_examples", false);
  const eligible = Object.values(model.categories).filter(
    (c) => c.examples >= model.options.minPerCategory,
  );
  if (eligible.length < 2) return decline("too_few_categories", false);

  const { extracted, scores, known } = score(model, text);
  if (!known) return decline("no_known_words", true);
  const probabilities = softmax(
    scores.map((s) => s.logPosterior),
    model.temperature,
  );
  const ranked = scores
    .map((s, i) => ({ category: s.category, confidence: probabilities[i]! }))
    .sort((a, b) => b.confidence - a.confidence);
  const best = ranked[0]!;
  if (model.categories[best.category]!.examples < model.options.minPerCategory)
    return decline("category_too_few_examples", false);
  return {
    suggestions: ranked
      .filter((s) => model.categories[s.category]!.examples >= model.options.minPerCategory)
      .slice(0, top)
      .map((s) => ({ category: s.category, confidence: round(s.confidence, 4) })),
    language,
    drivers: driversFor(model, extracted, best.category, maxDrivers),
    enoughData: true,
    reason: null,
  };
}

// ------------------------------------------------------------------ calibration

/** The temperature (on a log grid, 0.25–128) that minimises the held-out negative log-likelihood. */
function fitTemperature(model: NeedClassifierModel, heldOut: readonly TrainingExample[]): number {
  const rows: { logits: number[]; truth: number }[] = [];
  for (const example of heldOut) {
    const { scores, known } = score(model, example.text);
    const truth = scores.findIndex((s) => s.category === example.category);
    if (!known || truth < 0) continue;
    rows.push({ logits: scores.map((s) => s.logPosterior), truth });
  }
  if (rows.length === 0) return 1;
  let best = { temperature: 1, loss: Infinity };
  for (let step = 0; step <= 36; step++) {
    const temperature = 0.25 * 2 ** (step / 4);
    let loss = 0;
    for (const row of rows)
      loss -= Math.log(Math.max(softmax(row.logits, temperature)[row.truth]!, 1e-12));
    if (loss < best.loss) best = { temperature, loss };
  }
  return round(best.temperature, 4);
}

// ------------------------------------------------------------------ evaluation

/** A deterministic split that keeps each (language, category) group's share in the test set. */
export function stratifiedSplit<T extends TrainingExample>(
  examples: readonly T[],
  opts: { testShare: number; seed: number },
): { train: T[]; test: T[] } {
  const groups = new Map<string, T[]>();
  for (const example of examples) {
    const key = `${example.language ?? detectLanguage(example.text) ?? "-"}|${example.category}`;
    const group = groups.get(key) ?? [];
    group.push(example);
    groups.set(key, group);
  }
  const random = mulberry32(opts.seed);
  const train: T[] = [];
  const test: T[] = [];
  for (const key of [...groups.keys()].sort()) {
    const group = [...groups.get(key)!];
    shuffleInPlace(group, random);
    // A group of one stays in training: it cannot be tested without leaving nothing to learn from.
    const nTest = group.length < 2 ? 0 : Math.round(group.length * opts.testShare);
    test.push(...group.slice(0, nTest));
    train.push(...group.slice(nTest));
  }
  return { train, test };
}

export type ClassScores = { precision: number; recall: number; f1: number; support: number };

export type LanguageScores = {
  examples: number;
  accuracy: number;
  macroF1: number;
  /** Share of texts the model declined to suggest for (counted as wrong in accuracy). */
  declined: number;
};

export type Evaluation = LanguageScores & {
  perLanguage: Partial<Record<Locale, LanguageScores>>;
  perCategory: Record<string, ClassScores>;
  /** Expected calibration error of the top confidence (10 bins): 0 = confidences match accuracy. */
  calibrationError: number;
  /** Of the suggestions with confidence ≥ 0.8: how many texts got one, and how many were right. */
  confident: { threshold: number; coverage: number; accuracy: number | null };
};

type Outcome = {
  truth: string;
  predicted: string | null;
  confidence: number;
  language: Locale | null;
};

function scoresOf(outcomes: readonly Outcome[]): {
  summary: LanguageScores;
  perCategory: Record<string, ClassScores>;
} {
  const labels = new Set<string>();
  for (const o of outcomes) {
    labels.add(o.truth);
    if (o.predicted) labels.add(o.predicted);
  }
  const perCategory: Record<string, ClassScores> = {};
  for (const label of [...labels].sort()) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const o of outcomes) {
      if (o.predicted === label && o.truth === label) tp++;
      else if (o.predicted === label) fp++;
      else if (o.truth === label) fn++;
    }
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perCategory[label] = {
      precision: round(precision),
      recall: round(recall),
      f1: round(f1),
      support: tp + fn,
    };
  }
  const f1s = Object.values(perCategory).map((c) => c.f1);
  const n = outcomes.length;
  return {
    summary: {
      examples: n,
      accuracy: n ? round(outcomes.filter((o) => o.predicted === o.truth).length / n) : 0,
      macroF1: f1s.length ? round(f1s.reduce((a, b) => a + b, 0) / f1s.length) : 0,
      declined: n ? round(outcomes.filter((o) => o.predicted === null).length / n) : 0,
    },
    perCategory,
  };
}

/** Accuracy, macro-F1 and calibration of a model on labelled texts it was not trained on, overall and per language. */
export function evaluateModel(
  model: NeedClassifierModel,
  examples: readonly TrainingExample[],
): Evaluation {
  const outcomes: Outcome[] = examples.map((example) => {
    const result = suggestCategory(model, example.text, { top: 1, maxDrivers: 0 });
    const top = result.suggestions[0];
    return {
      truth: example.category,
      predicted: top?.category ?? null,
      confidence: top?.confidence ?? 0,
      language: example.language ?? result.language,
    };
  });
  const overall = scoresOf(outcomes);
  const perLanguage: Partial<Record<Locale, LanguageScores>> = {};
  const languages = [...new Set(outcomes.map((o) => o.language))].filter(
    (l): l is Locale => l !== null,
  );
  for (const language of languages.sort())
    perLanguage[language] = scoresOf(outcomes.filter((o) => o.language === language)).summary;

  const bins = Array.from({ length: 10 }, () => ({ n: 0, confidence: 0, correct: 0 }));
  for (const o of outcomes) {
    if (!o.predicted) continue;
    const bin = bins[Math.min(9, Math.floor(o.confidence * 10))]!;
    bin.n++;
    bin.confidence += o.confidence;
    if (o.predicted === o.truth) bin.correct++;
  }
  const answered = bins.reduce((a, b) => a + b.n, 0);
  const calibrationError = answered
    ? bins.reduce((sum, b) => sum + (b.n ? Math.abs(b.correct - b.confidence) : 0), 0) / answered
    : 0;
  const threshold = 0.8;
  const confident = outcomes.filter((o) => o.predicted && o.confidence >= threshold);
  return {
    ...overall.summary,
    perLanguage,
    perCategory: overall.perCategory,
    calibrationError: round(calibrationError),
    confident: {
      threshold,
      coverage: outcomes.length ? round(confident.length / outcomes.length) : 0,
      accuracy: confident.length
        ? round(confident.filter((o) => o.predicted === o.truth).length / confident.length)
        : null,
    },
  };
}

/**
 * Held-out figures for a department's model status: trains on a stratified
 * 80% and evaluates on the rest (the model to use is then trained on all).
 */
export function holdoutEvaluation(
  examples: readonly TrainingExample[],
  opts: { testShare?: number; seed?: number; train?: TrainOptions } = {},
): Evaluation {
  const { train, test } = stratifiedSplit(examples, {
    testShare: opts.testShare ?? 0.2,
    seed: opts.seed ?? 1,
  });
  return evaluateModel(trainClassifier(train, opts.train), test);
}

// ------------------------------------------------------------------ storage

/**
 * A stored model read back from the database, or null when it is not one this
 * code can use (another format or version, or trained with other normalization
 * rules: retrain).
 */
export function parseModel(json: unknown): NeedClassifierModel | null {
  if (typeof json !== "object" || json === null) return null;
  const m = json as Partial<NeedClassifierModel>;
  if (m.format !== MODEL_FORMAT || m.version !== MODEL_VERSION) return null;
  if (m.options?.normalizationVersion !== NORMALIZATION_VERSION) return null;
  if (
    typeof m.examples !== "number" ||
    typeof m.trainedAt !== "string" ||
    typeof m.temperature !== "number" ||
    !(m.temperature > 0) ||
    typeof m.vocabularySize !== "number" ||
    typeof m.categories !== "object" ||
    m.categories === null ||
    typeof m.features !== "object" ||
    m.features === null
  )
    return null;
  for (const stats of Object.values(m.categories)) {
    if (typeof stats?.examples !== "number" || typeof stats.featureTotal !== "number") return null;
  }
  return m as NeedClassifierModel;
}
