import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import type { Locale } from "@kaveret/contracts";
import {
  evaluateModel,
  stratifiedSplit,
  suggestCategory,
  trainClassifier,
  type Evaluation,
  type TrainOptions,
} from "../apps/server/src/classifier/classifier.ts";
import { demoNeedTexts, type DemoNeedText } from "../apps/server/src/classifier/demo-corpus.ts";
import { mulberry32, shuffleInPlace } from "../apps/server/src/classifier/random.ts";
import { suggestUrgency } from "../apps/server/src/classifier/urgency.ts";
import { gitCommit, median, parseArgs, root, table } from "./support.ts";

/*
 * The need-category classifier on the synthetic demo corpus: accuracy and
 * macro-F1 overall and per language (so a bias between languages shows),
 * calibration, train time and time per suggestion. No server, no database:
 * the classifier is plain TypeScript and runs in the request.
 *
 * Two held-out settings, because the corpus is made from templates:
 *  - random: a stratified 80/20 split of texts. Test texts share templates
 *    (not slot values, typos or greetings) with training texts, so this is
 *    the optimistic figure — close to a department whose residents keep
 *    writing about the same things in the same words.
 *  - unseen phrasings: about a fifth of the templates of every
 *    (language, category) are held out whole. The pessimistic figure: every
 *    test text is worded in a way the model never saw.
 * Real reports fall in between; neither is a promise about real data.
 *
 *   npx tsx bench/classifier.bench.ts [--count=6000] [--seeds=5] [--test-share=0.2] [--runs=3]
 */

const args = parseArgs();
const COUNT = Number(args.get("count") ?? 6000);
const SEEDS = Number(args.get("seeds") ?? 5);
const TEST_SHARE = Number(args.get("test-share") ?? 0.2);
const RUNS = Number(args.get("runs") ?? 3);
const LANGUAGES: Locale[] = ["he", "ar", "ru", "en", "am"];
const CURVE_SIZES = [120, 300, 600, 1200, 2400];
const OUT = join(
  root,
  "bench",
  "results",
  `${new Date().toISOString().slice(0, 10)}-classifier.json`,
);

type SeedResult = {
  seed: number;
  trainTexts: number;
  testTexts: number;
  trainMs: number;
  predictMicrosPerText: number;
  modelKB: number;
  vocabulary: number;
  temperature: number;
  random: Evaluation;
  unseen: Evaluation & { heldOutTemplates: number; templates: number };
  curve: { trainTexts: number; accuracy: number; perLanguage: Partial<Record<Locale, number>> }[];
  typos: { withNgrams: number; withoutNgrams: number; cleanWithoutNgrams: number };
  urgency: UrgencyScores;
};

type UrgencyScores = {
  /** Texts labelled high or critical that the keywords flagged (any level). */
  recallUrgent: number;
  /** Texts the keywords flagged that are labelled high or critical. */
  precisionUrgent: number;
  /** Texts labelled critical that the keywords called critical. */
  recallCritical: number;
};

const ms = (start: number) => performance.now() - start;
const r = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? "—" : `${(x * 100).toFixed(1)}%`;

/** Holds out ~testShare of the templates of every (language, category), at least one each. */
function unseenSplit(corpus: DemoNeedText[], seed: number) {
  const groups = new Map<string, string[]>();
  for (const t of corpus) {
    const key = `${t.language}.${t.category}`;
    const list = groups.get(key) ?? [];
    if (!list.includes(t.template)) list.push(t.template);
    groups.set(key, list);
  }
  const random = mulberry32(seed * 7919);
  const heldOut = new Set<string>();
  let templates = 0;
  for (const key of [...groups.keys()].sort()) {
    const list = shuffleInPlace(groups.get(key)!.sort(), random);
    templates += list.length;
    const n = Math.max(1, Math.round(list.length * TEST_SHARE));
    for (const t of list.slice(0, n)) heldOut.add(t);
  }
  return {
    train: corpus.filter((t) => !heldOut.has(t.template)),
    test: corpus.filter((t) => heldOut.has(t.template)),
    heldOutTemplates: heldOut.size,
    templates,
  };
}

/** A typo in about half of the words of four letters or more (swap, drop or double a letter). */
function withTypos(texts: DemoNeedText[], seed: number): DemoNeedText[] {
  const random = mulberry32(seed * 104729);
  return texts.map((t) => ({
    ...t,
    text: t.text.replace(/\p{L}{4,}/gu, (word) => {
      if (random() < 0.5) return word;
      const chars = [...word];
      const i = 1 + Math.floor(random() * (chars.length - 2));
      const kind = random();
      if (kind < 0.33) [chars[i], chars[i + 1]] = [chars[i + 1]!, chars[i]!];
      else if (kind < 0.66) chars.splice(i, 1);
      else chars.splice(i, 0, chars[i]!);
      return chars.join("");
    }),
  }));
}

function urgencyScores(texts: DemoNeedText[]): UrgencyScores {
  let urgent = 0;
  let flagged = 0;
  let hit = 0;
  let critical = 0;
  let criticalHit = 0;
  for (const t of texts) {
    const suggested = suggestUrgency(t.text).urgency;
    const isUrgent = t.urgency === "high" || t.urgency === "critical";
    if (isUrgent) urgent++;
    if (suggested) flagged++;
    if (isUrgent && suggested) hit++;
    if (t.urgency === "critical") {
      critical++;
      if (suggested === "critical") criticalHit++;
    }
  }
  return {
    recallUrgent: urgent ? r(hit / urgent) : 0,
    precisionUrgent: flagged ? r(hit / flagged) : 0,
    recallCritical: critical ? r(criticalHit / critical) : 0,
  };
}

function runSeed(seed: number): SeedResult {
  const corpus = demoNeedTexts({ count: COUNT, seed });
  const { train, test } = stratifiedSplit(corpus, { testShare: TEST_SHARE, seed });

  const trainTimes: number[] = [];
  let model = trainClassifier(train);
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    model = trainClassifier(train);
    trainTimes.push(ms(start));
  }
  const predictTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    for (const t of test) suggestCategory(model, t.text);
    predictTimes.push((ms(start) * 1000) / test.length);
  }

  const unseen = unseenSplit(corpus, seed);
  const unseenModel = trainClassifier(unseen.train);

  const curve = CURVE_SIZES.filter((n) => n < train.length).map((n) => {
    const subset = stratifiedSplit(train, { testShare: 1 - n / train.length, seed }).train;
    const evaluation = evaluateModel(trainClassifier(subset), test);
    return {
      trainTexts: subset.length,
      accuracy: evaluation.accuracy,
      perLanguage: Object.fromEntries(
        Object.entries(evaluation.perLanguage).map(([l, s]) => [l, s!.accuracy]),
      ) as Partial<Record<Locale, number>>,
    };
  });

  const noisy = withTypos(test, seed);
  const noNgrams: TrainOptions = { ngramWeight: 0 };
  const plainModel = trainClassifier(train, noNgrams);

  return {
    seed,
    trainTexts: train.length,
    testTexts: test.length,
    trainMs: r(median(trainTimes), 1),
    predictMicrosPerText: r(median(predictTimes), 1),
    modelKB: Math.round(Buffer.byteLength(JSON.stringify(model)) / 1024),
    vocabulary: model.vocabularySize,
    temperature: model.temperature,
    random: evaluateModel(model, test),
    unseen: {
      ...evaluateModel(unseenModel, unseen.test),
      heldOutTemplates: unseen.heldOutTemplates,
      templates: unseen.templates,
    },
    curve,
    typos: {
      withNgrams: evaluateModel(model, noisy).accuracy,
      withoutNgrams: evaluateModel(plainModel, noisy).accuracy,
      cleanWithoutNgrams: evaluateModel(plainModel, test).accuracy,
    },
    urgency: urgencyScores(test),
  };
}

// ------------------------------------------------------------------ run

const started = performance.now();
console.log(
  `classifier bench: ${COUNT} texts × ${SEEDS} seeds, test share ${TEST_SHARE}, ${RUNS} timing runs; ` +
    `load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
);
const results: SeedResult[] = [];
for (let seed = 1; seed <= SEEDS; seed++) {
  const result = runSeed(seed);
  results.push(result);
  console.log(
    `  seed ${seed}: random ${pct(result.random.accuracy)}, unseen phrasings ${pct(result.unseen.accuracy)}, ` +
      `train ${result.trainMs} ms, ${result.predictMicrosPerText} µs/text`,
  );
}

/** Median, min and max of a figure over the seeds. */
const spread = (pickValue: (s: SeedResult) => number | null | undefined) => {
  const values = results.map(pickValue).filter((v): v is number => typeof v === "number");
  return values.length
    ? { median: r(median(values), 4), min: Math.min(...values), max: Math.max(...values) }
    : null;
};
const cell = (s: ReturnType<typeof spread>) =>
  s ? `${pct(s.median)} (${pct(s.min)}–${pct(s.max)})` : "—";

const perLanguage = Object.fromEntries(
  LANGUAGES.map((l) => [
    l,
    {
      testTexts: spread((s) => s.random.perLanguage[l]?.examples),
      accuracy: spread((s) => s.random.perLanguage[l]?.accuracy),
      macroF1: spread((s) => s.random.perLanguage[l]?.macroF1),
      unseenTestTexts: spread((s) => s.unseen.perLanguage[l]?.examples),
      unseenAccuracy: spread((s) => s.unseen.perLanguage[l]?.accuracy),
      unseenMacroF1: spread((s) => s.unseen.perLanguage[l]?.macroF1),
    },
  ]),
);
const summary = {
  accuracy: spread((s) => s.random.accuracy),
  macroF1: spread((s) => s.random.macroF1),
  calibrationError: spread((s) => s.random.calibrationError),
  confidentCoverage: spread((s) => s.random.confident.coverage),
  confidentAccuracy: spread((s) => s.random.confident.accuracy),
  unseenAccuracy: spread((s) => s.unseen.accuracy),
  unseenMacroF1: spread((s) => s.unseen.macroF1),
  unseenCalibrationError: spread((s) => s.unseen.calibrationError),
  unseenConfidentCoverage: spread((s) => s.unseen.confident.coverage),
  unseenConfidentAccuracy: spread((s) => s.unseen.confident.accuracy),
  trainMs: spread((s) => s.trainMs),
  predictMicrosPerText: spread((s) => s.predictMicrosPerText),
  modelKB: spread((s) => s.modelKB),
  vocabulary: spread((s) => s.vocabulary),
  temperature: spread((s) => s.temperature),
  typosWithNgrams: spread((s) => s.typos.withNgrams),
  typosWithoutNgrams: spread((s) => s.typos.withoutNgrams),
  cleanWithoutNgrams: spread((s) => s.typos.cleanWithoutNgrams),
  urgencyRecall: spread((s) => s.urgency.recallUrgent),
  urgencyPrecision: spread((s) => s.urgency.precisionUrgent),
  urgencyCriticalRecall: spread((s) => s.urgency.recallCritical),
};
const curve = CURVE_SIZES.filter((n) => results[0]!.curve.some((c) => c.trainTexts >= n * 0.9)).map(
  (n, i) => ({
    trainTexts: Math.round(median(results.map((s) => s.curve[i]!.trainTexts))),
    accuracy: spread((s) => s.curve[i]?.accuracy),
    perLanguage: Object.fromEntries(
      LANGUAGES.map((l) => [l, spread((s) => s.curve[i]?.perLanguage[l])]),
    ),
  }),
);

console.log("\nPer language (median over seeds, min–max):\n");
console.log(
  table([
    [
      "language",
      "test texts",
      "accuracy",
      "macro-F1",
      "unseen: texts",
      "unseen: accuracy",
      "unseen: macro-F1",
    ],
    ...LANGUAGES.map((l) => {
      const p = perLanguage[l]!;
      return [
        l,
        String(p.testTexts?.median ?? "—"),
        cell(p.accuracy),
        cell(p.macroF1),
        String(p.unseenTestTexts?.median ?? "—"),
        cell(p.unseenAccuracy),
        cell(p.unseenMacroF1),
      ];
    }),
    [
      "all",
      String(median(results.map((s) => s.testTexts))),
      cell(summary.accuracy),
      cell(summary.macroF1),
      String(median(results.map((s) => s.unseen.examples))),
      cell(summary.unseenAccuracy),
      cell(summary.unseenMacroF1),
    ],
  ]),
);

console.log("\nModel and speed:\n");
console.log(
  table([
    ["figure", "median", "min–max"],
    ["train (texts)", String(median(results.map((s) => s.trainTexts))), ""],
    [
      "train time, ms",
      String(summary.trainMs?.median),
      `${summary.trainMs?.min}–${summary.trainMs?.max}`,
    ],
    [
      "suggestion, µs/text",
      String(summary.predictMicrosPerText?.median),
      `${summary.predictMicrosPerText?.min}–${summary.predictMicrosPerText?.max}`,
    ],
    [
      "model JSON, KB",
      String(summary.modelKB?.median),
      `${summary.modelKB?.min}–${summary.modelKB?.max}`,
    ],
    [
      "features",
      String(summary.vocabulary?.median),
      `${summary.vocabulary?.min}–${summary.vocabulary?.max}`,
    ],
    [
      "temperature",
      String(summary.temperature?.median),
      `${summary.temperature?.min}–${summary.temperature?.max}`,
    ],
    ["calibration error (random)", pct(summary.calibrationError?.median), ""],
    ["calibration error (unseen)", pct(summary.unseenCalibrationError?.median), ""],
    [
      "confidence ≥ 0.8: share, accuracy (random)",
      `${pct(summary.confidentCoverage?.median)}, ${pct(summary.confidentAccuracy?.median)}`,
      "",
    ],
    [
      "confidence ≥ 0.8: share, accuracy (unseen)",
      `${pct(summary.unseenConfidentCoverage?.median)}, ${pct(summary.unseenConfidentAccuracy?.median)}`,
      "",
    ],
  ]),
);

console.log("\nLearning curve (random split, same test texts):\n");
console.log(
  table([
    ["train texts", "all", ...LANGUAGES],
    ...curve.map((c) => [
      String(c.trainTexts),
      pct(c.accuracy?.median),
      ...LANGUAGES.map((l) => pct(c.perLanguage[l]?.median)),
    ]),
    [
      String(median(results.map((s) => s.trainTexts))),
      pct(summary.accuracy?.median),
      ...LANGUAGES.map((l) => pct(perLanguage[l]!.accuracy?.median)),
    ],
  ]),
);

console.log("\nTypos (about half the words of the test texts mistyped) and urgency keywords:\n");
console.log(
  table([
    ["figure", "median"],
    ["accuracy, typos, with char n-grams (default)", pct(summary.typosWithNgrams?.median)],
    ["accuracy, typos, words only", pct(summary.typosWithoutNgrams?.median)],
    ["accuracy, clean, words only", pct(summary.cleanWithoutNgrams?.median)],
    ["urgency: labelled high/critical that keywords flag", pct(summary.urgencyRecall?.median)],
    ["urgency: flagged that are labelled high/critical", pct(summary.urgencyPrecision?.median)],
    [
      "urgency: labelled critical that keywords call critical",
      pct(summary.urgencyCriticalRecall?.median),
    ],
  ]),
);

const output = {
  bench: "classifier",
  at: new Date().toISOString(),
  commit: gitCommit(),
  machine: {
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? null,
    node: process.version,
    loadAverage: loadavg().map((l) => r(l, 2)),
  },
  config: {
    count: COUNT,
    seeds: SEEDS,
    testShare: TEST_SHARE,
    timingRuns: RUNS,
    curveSizes: CURVE_SIZES,
  },
  notes: [
    "Synthetic corpus (apps/server/src/classifier/demo-corpus.ts), not real reports.",
    "random: stratified 80/20 split by language and category; test texts share templates with training texts (optimistic).",
    "unseen: ~20% of the templates of every language × category held out whole (pessimistic).",
    "Accuracy counts a declined suggestion as wrong. Times are medians of timing runs; suggestion time includes drivers.",
  ],
  summary,
  perLanguage,
  curve,
  seeds: results,
  wallSeconds: r(ms(started) / 1000, 1),
};
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify(output, null, 2)}\n`);
console.log(`\nwrote ${OUT.replace(`${root}/`, "")} (${output.wallSeconds} s)`);
